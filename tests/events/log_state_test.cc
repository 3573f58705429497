// What state a log directory is in, as the writer, the readers and verify
// all decide it (log_state.h): a good log of 24 events (revisions 0..23),
// then one damage at a time, as a crash or a user could leave it.
#include "events/file_log/log_state.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "events/file_log/file_log.h"
#include "events/file_log/record_format.h"
#include "events/file_log/verify.h"
#include "tests/support/sample_events.h"
#include "tests/support/temp_dir.h"

namespace regatta {
namespace {

using testing::AgentGone;

class LogState : public ::testing::Test {
 protected:
  void SetUp() override {
    auto log = FileEventLog::Open(dir_, LogMode::kWriter);
    ASSERT_TRUE(log.ok()) << log.status().ToString();
    std::vector<EncodedEvent> batch;
    for (int i = 0; i < 24; ++i) batch.push_back(AgentGone("a" + std::to_string(i), i + 1));
    ASSERT_TRUE((*log)->Append(batch).ok());
  }

  std::string Segment(Revision base) const { return dir_ + "/" + filelog::SegmentFileName(base); }
  void Touch(const std::string& path) const { std::ofstream(path, std::ios::binary); }
  std::map<std::string, std::uintmax_t> Files() const {
    std::map<std::string, std::uintmax_t> sizes;
    for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
      if (entry.path().filename() != "LOCK") sizes[entry.path().string()] = entry.file_size();
    }
    return sizes;
  }
  Result<std::vector<Revision>> AppendOne() const {
    auto log = FileEventLog::Open(dir_, LogMode::kWriter);
    if (!log.ok()) return log.status();
    repair_ = (*log)->RecoveryNote();
    return (*log)->Append(std::vector<EncodedEvent>{AgentGone("late", 99)});
  }
  Revision ReadableEvents() const {
    auto log = FileEventLog::Open(dir_, LogMode::kReader);
    EXPECT_TRUE(log.ok()) << log.status().ToString();
    Revision n = 0, next = 0;
    EXPECT_TRUE((*log)->Scan(0, kEndOfLog, [&](const LoggedEvent& e) {
      EXPECT_EQ(e.revision, next++) << "revisions run from 0 with no gap";
      return ++n, true;
    }).ok());
    return n;
  }

  regatta::testing::TempDir tmp_;
  std::string dir_ = tmp_.Sub("log");
  mutable std::string repair_;
};

TEST_F(LogState, AGoodLogIsClean) {
  auto state = filelog::InspectLog(filelog::RealFileSystem(), dir_);
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->condition, filelog::LogCondition::kClean);
  EXPECT_EQ(state->end, 24u);
}

// A crash between creating the next segment and writing its header.
TEST_F(LogState, AnEmptyLastSegmentThatFollowsOnIsATornHeaderRepairedOnOpen) {
  Touch(Segment(24));
  auto verified = VerifyFileLog(dir_);
  ASSERT_TRUE(verified.ok());
  EXPECT_TRUE(verified->ok()) << verified->first_problem;  // verify and the writer agree: torn, not corrupt
  EXPECT_EQ(verified->condition, filelog::LogCondition::kTorn);

  auto appended = AppendOne();
  ASSERT_TRUE(appended.ok()) << appended.status().ToString();
  EXPECT_EQ(appended->front(), 24u);
  EXPECT_NE(repair_.find("wrote the missing header of " + Segment(24)), std::string::npos) << repair_;
  EXPECT_NE(repair_.find("0 bytes"), std::string::npos) << repair_;
  EXPECT_EQ(ReadableEvents(), 25u);
  auto after = VerifyFileLog(dir_);
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(after->ok()) << after->first_problem;
  EXPECT_EQ(after->condition, filelog::LogCondition::kClean);
}

TEST_F(LogState, AShortHeaderInTheLastSegmentIsRepairedToo) {
  std::ofstream(Segment(24), std::ios::binary) << filelog::EncodeSegmentHeader(24).substr(0, 11);
  ASSERT_TRUE(AppendOne().ok());
  EXPECT_NE(repair_.find("11 bytes"), std::string::npos) << repair_;
  EXPECT_EQ(ReadableEvents(), 25u);
}

// An empty segment named far past the end would leave a gap of 99,975
// revisions: corruption, and nothing is appended.
TEST_F(LogState, AnEmptySegmentPastTheEndIsCorruptionAndNothingIsAppended) {
  Touch(Segment(99999));
  const auto before = Files();
  auto appended = AppendOne();
  ASSERT_FALSE(appended.ok());
  EXPECT_EQ(appended.status().code(), StatusCode::kCorruption);
  EXPECT_NE(appended.status().message().find(Segment(99999)), std::string::npos) << appended.status().message();
  EXPECT_NE(appended.status().message().find("ends at revision 24"), std::string::npos);
  EXPECT_EQ(Files(), before);
  auto verified = VerifyFileLog(dir_);
  ASSERT_TRUE(verified.ok());
  EXPECT_FALSE(verified->ok());
  EXPECT_NE(verified->first_problem.find(Segment(99999)), std::string::npos);
}

// A segment renamed so that its name no longer matches its header.
TEST_F(LogState, ARenamedSegmentIsCorruptionForVerifyAndForTheWriter) {
  {
    auto log = FileEventLog::Open(dir_, LogMode::kWriter, FileLogOptions{Durability::kSyncEachAppend, 64});
    ASSERT_TRUE(log.ok());
    ASSERT_TRUE((*log)->Append(std::vector<EncodedEvent>{AgentGone("b", 1)}).ok());  // rolls to segment 24
    ASSERT_TRUE((*log)->Append(std::vector<EncodedEvent>{AgentGone("c", 1)}).ok());  // and to 25
  }
  std::filesystem::rename(Segment(25), Segment(26));
  auto verified = VerifyFileLog(dir_);
  ASSERT_TRUE(verified.ok());
  EXPECT_FALSE(verified->ok()) << "verify must refuse what the reader refuses";
  EXPECT_NE(verified->first_problem.find(Segment(26)), std::string::npos) << verified->first_problem;
  const auto before = Files();
  auto appended = AppendOne();
  ASSERT_FALSE(appended.ok());
  EXPECT_EQ(appended.status().code(), StatusCode::kCorruption);
  EXPECT_EQ(Files(), before);
}

TEST_F(LogState, AHeaderThatNamesAnotherRevisionThanItsFileIsCorruption) {
  std::filesystem::copy_file(Segment(0), dir_ + "/tmp.seg");
  std::filesystem::remove(Segment(0));
  // A whole segment under its own name (0), then one whose header says 0
  // but whose name says 24: a copy renamed into the place of the next one.
  std::filesystem::copy_file(dir_ + "/tmp.seg", Segment(0));
  std::filesystem::rename(dir_ + "/tmp.seg", Segment(24));
  auto state = filelog::InspectLog(filelog::RealFileSystem(), dir_);
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->condition, filelog::LogCondition::kCorrupt);
  EXPECT_NE(state->problem.find("its header says it starts at revision 0, its name says 24"), std::string::npos)
      << state->problem;
}

TEST_F(LogState, ACutRecordIsRepairedNamingTheFileTheOffsetAndTheBytes) {
  const std::uintmax_t good = std::filesystem::file_size(Segment(0));
  {
    std::ofstream out(Segment(0), std::ios::binary | std::ios::app);
    out << std::string(30, 'x');  // a record the writer never finished
  }
  ASSERT_TRUE(AppendOne().ok());
  EXPECT_NE(repair_.find("cut 30 bytes from " + Segment(0) + " at offset " + std::to_string(good)), std::string::npos)
      << repair_;
  EXPECT_EQ(ReadableEvents(), 25u);
}

TEST_F(LogState, ANameBeyondTheLargestRevisionIsCorruptionNotACrash) {
  Touch(dir_ + "/99999999999999999999.seg");
  auto state = filelog::InspectLog(filelog::RealFileSystem(), dir_);
  ASSERT_FALSE(state.ok());
  EXPECT_EQ(state.status().code(), StatusCode::kCorruption);
}

}  // namespace
}  // namespace regatta

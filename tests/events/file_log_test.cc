// File-log behaviour beyond the shared contract: recovery of torn tails,
// corruption detection, segment rolls and index seeks.
#include "events/file_log/file_log.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "events/file_log/record_format.h"
#include "events/file_log/segment.h"
#include "events/file_log/verify.h"
#include "tests/support/sample_events.h"
#include "tests/support/temp_dir.h"

namespace regatta {
namespace {

using testing::AgentGone;
using testing::TempDir;

std::unique_ptr<FileEventLog> OpenWriter(const std::string& dir, FileLogOptions options = {}) {
  auto log = FileEventLog::Open(dir, LogMode::kWriter, options);
  EXPECT_TRUE(log.ok()) << log.status().ToString();
  return log.ok() ? std::move(*log) : nullptr;
}

// Appends `n` single-event batches; returns the file offsets where each
// record ended (so tests can cut or damage a chosen record).
void AppendMany(EventLog& log, int n, const std::string& prefix = "a") {
  for (int i = 0; i < n; ++i) {
    std::vector<EncodedEvent> batch = {AgentGone(prefix + std::to_string(i), i + 1)};
    ASSERT_TRUE(log.Append(batch).ok());
  }
}

std::string OnlySegment(const std::string& dir) {
  auto names = filelog::ListSegments(filelog::RealFileSystem(), dir);
  EXPECT_TRUE(names.ok());
  EXPECT_EQ(names->size(), 1u);
  return names->front().path;
}

std::uint64_t FileSize(const std::string& path) { return std::filesystem::file_size(path); }

void FlipByte(const std::string& path, std::uint64_t offset) {
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  f.seekg(static_cast<std::streamoff>(offset));
  char c;
  f.get(c);
  f.seekp(static_cast<std::streamoff>(offset));
  f.put(static_cast<char>(c ^ 0x5a));
}

Revision CountEvents(EventLog& log) {
  Revision n = 0;
  EXPECT_TRUE(log.Scan(0, kEndOfLog, [&](const LoggedEvent&) { return ++n, true; }).ok());
  return n;
}

TEST(FileLog, TruncatedTrailingRecordIsCutAndAppendsResume) {
  TempDir tmp;
  const std::string dir = tmp.Sub("log");
  { auto log = OpenWriter(dir); AppendMany(*log, 5); }
  const std::string seg = OnlySegment(dir);
  std::filesystem::resize_file(seg, FileSize(seg) - 10);  // the writer died mid-record

  auto log = OpenWriter(dir);
  EXPECT_GT(log->recovery().torn_bytes_truncated, 0u);
  EXPECT_EQ(*log->EndRevision(), 4u);
  AppendMany(*log, 1, "after");
  EXPECT_EQ(CountEvents(*log), 5u);
  auto report = VerifyFileLog(dir);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok()) << report->first_problem;
  EXPECT_EQ(report->torn_tail_bytes, 0u);
}

TEST(FileLog, ZeroFilledTailIsATornTailNotCorruption) {
  TempDir tmp;
  const std::string dir = tmp.Sub("log");
  { auto log = OpenWriter(dir); AppendMany(*log, 3); }
  const std::string seg = OnlySegment(dir);
  std::filesystem::resize_file(seg, FileSize(seg) + 4096);  // extended, never written
  auto log = OpenWriter(dir);
  EXPECT_EQ(log->recovery().torn_bytes_truncated, 4096u);
  EXPECT_EQ(CountEvents(*log), 3u);
}

TEST(FileLog, ReaderStopsBeforeATornTailWithoutTouchingIt) {
  TempDir tmp;
  const std::string dir = tmp.Sub("log");
  { auto log = OpenWriter(dir); AppendMany(*log, 3); }
  const std::string seg = OnlySegment(dir);
  const auto cut = FileSize(seg) - 8;
  std::filesystem::resize_file(seg, cut);
  auto reader = FileEventLog::Open(dir, LogMode::kReader);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_EQ(CountEvents(**reader), 2u);
  EXPECT_EQ(FileSize(seg), cut) << "a reader must never truncate";
}

TEST(FileLog, ChecksumMismatchInTheMiddleFailsOpenNamingTheOffset) {
  TempDir tmp;
  const std::string dir = tmp.Sub("log");
  { auto log = OpenWriter(dir); AppendMany(*log, 10); }
  const std::string seg = OnlySegment(dir);
  const std::uint64_t middle = FileSize(seg) / 2;
  FlipByte(seg, middle);
  for (LogMode mode : {LogMode::kWriter, LogMode::kReader}) {
    auto log = FileEventLog::Open(dir, mode);
    ASSERT_FALSE(log.ok());
    EXPECT_EQ(log.status().code(), StatusCode::kCorruption);
    EXPECT_NE(log.status().message().find("offset "), std::string::npos) << log.status().message();
  }
  auto report = VerifyFileLog(dir);
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->ok());
  EXPECT_NE(report->first_problem.find("offset "), std::string::npos);
  EXPECT_LT(report->events, 10u);
}

TEST(FileLog, DamageInASealedSegmentIsCorruptionEvenAtItsEnd) {
  TempDir tmp;
  const std::string dir = tmp.Sub("log");
  FileLogOptions tiny;
  tiny.segment_bytes = 200;
  { auto log = OpenWriter(dir, tiny); AppendMany(*log, 12); }
  auto names = filelog::ListSegments(filelog::RealFileSystem(), dir);
  ASSERT_TRUE(names.ok());
  ASSERT_GE(names->size(), 3u);
  const std::string first = names->front().path;
  std::filesystem::resize_file(first, FileSize(first) - 8);  // looks torn, but it is sealed
  auto log = FileEventLog::Open(dir, LogMode::kWriter, tiny);
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.status().code(), StatusCode::kCorruption);
}

TEST(FileLog, DamageBeforeGoodRecordsInTheLastSegmentIsNotMistakenForATornTail) {
  TempDir tmp;
  const std::string dir = tmp.Sub("log");
  { auto log = OpenWriter(dir); AppendMany(*log, 4); }
  const std::string seg = OnlySegment(dir);
  FlipByte(seg, filelog::kSegmentHeaderSize + 4);  // the first record's length field
  auto log = FileEventLog::Open(dir, LogMode::kWriter);
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.status().code(), StatusCode::kCorruption) << log.status().ToString();
}

TEST(FileLog, SegmentsRollAndScansSeekAcrossThem) {
  TempDir tmp;
  const std::string dir = tmp.Sub("log");
  FileLogOptions small;
  small.segment_bytes = 8192;
  {
    auto log = OpenWriter(dir, small);
    AppendMany(*log, 500);
  }
  auto names = filelog::ListSegments(filelog::RealFileSystem(), dir);
  ASSERT_GT(names->size(), 3u);
  auto log = FileEventLog::Open(dir, LogMode::kReader, small);
  ASSERT_TRUE(log.ok());
  for (Revision from : {Revision{0}, Revision{1}, Revision{137}, Revision{250}, Revision{499}}) {
    std::vector<Revision> seen;
    ASSERT_TRUE((*log)->Scan(from, from + 3, [&](const LoggedEvent& e) {
      seen.push_back(e.revision);
      return true;
    }).ok());
    ASSERT_FALSE(seen.empty()) << from;
    EXPECT_EQ(seen.front(), from);
  }
  EXPECT_EQ(CountEvents(**log), 500u);
}

TEST(FileLog, MissingDirectoryIsNotFoundForReaders) {
  TempDir tmp;
  auto log = FileEventLog::Open(tmp.Sub("nope"), LogMode::kReader);
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.status().code(), StatusCode::kNotFound);
}

TEST(FileLog, NonMessageBytesAreRejectedBeforeTouchingTheLog) {
  TempDir tmp;
  auto log = OpenWriter(tmp.Sub("log"));
  std::vector<EncodedEvent> bad = {EncodedEvent{"k", "T", "odd"}};
  auto result = log->Append(bad);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(*log->EndRevision(), 0u);
}

}  // namespace
}  // namespace regatta

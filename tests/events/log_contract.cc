// The EventLog contract. Instantiated for the in-memory and file backends in
// log_contract_test.cc and for Kafka in kafka_log_test.cc.
#include "tests/events/log_contract.h"

#include <atomic>
#include <stdexcept>
#include <set>
#include <thread>
#include <vector>

#include "tests/support/sample_events.h"

namespace regatta::testing {

// A failed open ends the test (GoogleTest reports the exception) instead of
// handing back a null log to crash on.
static std::unique_ptr<EventLog> OrThrow(Result<std::unique_ptr<EventLog>> log) {
  if (!log.ok()) throw std::runtime_error("open: " + log.status().ToString());
  return std::move(*log);
}

std::unique_ptr<EventLog> LogContract::OpenWriter() { return OrThrow(log_->Open(LogMode::kWriter)); }

std::unique_ptr<EventLog> LogContract::OpenReader() { return OrThrow(log_->Open(LogMode::kReader)); }

namespace {

using namespace std::chrono_literals;

std::vector<EncodedEvent> Batch(int n, const std::string& prefix = "a") {
  std::vector<EncodedEvent> batch;
  for (int i = 0; i < n; ++i) batch.push_back(AgentGone(prefix + std::to_string(i), i + 1));
  return batch;
}

std::vector<OwnedEvent> ReadAll(EventLog& log, Revision from = 0) {
  std::vector<OwnedEvent> out;
  Status s = log.Scan(from, kEndOfLog, [&](const LoggedEvent& e) {
    out.push_back({e.revision, std::string(e.bytes)});
    return true;
  });
  EXPECT_TRUE(s.ok()) << s.ToString();
  return out;
}

TEST_P(LogContract, AppendReturnsIncreasingRevisionsOncePerEvent) {
  auto log = OpenWriter();
  auto first = log->Append(Batch(3));
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_EQ(first->size(), 3u);
  auto second = log->Append(Batch(2));
  ASSERT_TRUE(second.ok());
  std::vector<Revision> all = *first;
  all.insert(all.end(), second->begin(), second->end());
  for (std::size_t i = 1; i < all.size(); ++i) EXPECT_LT(all[i - 1], all[i]);
  auto end = log->EndRevision();
  ASSERT_TRUE(end.ok());
  EXPECT_GT(*end, all.back());
}

TEST_P(LogContract, ScanReturnsExactlyWhatWasAppendedInOrder) {
  auto log = OpenWriter();
  auto batch = Batch(5);
  auto revisions = log->Append(batch);
  ASSERT_TRUE(revisions.ok());
  auto read = ReadAll(*log);
  ASSERT_EQ(read.size(), batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i) {
    EXPECT_EQ(read[i].revision, (*revisions)[i]);
    EXPECT_EQ(read[i].bytes, batch[i].bytes);
  }
}

TEST_P(LogContract, ScanHonoursItsRangeAndEarlyStop) {
  auto log = OpenWriter();
  auto revisions = log->Append(Batch(6));
  ASSERT_TRUE(revisions.ok());
  std::vector<Revision> seen;
  ASSERT_TRUE(log->Scan((*revisions)[2], (*revisions)[4], [&](const LoggedEvent& e) {
    seen.push_back(e.revision);
    return true;
  }).ok());
  EXPECT_EQ(seen, (std::vector<Revision>{(*revisions)[2], (*revisions)[3]}));
  seen.clear();
  ASSERT_TRUE(log->Scan(0, kEndOfLog, [&](const LoggedEvent& e) {
    seen.push_back(e.revision);
    return seen.size() < 2;
  }).ok());
  EXPECT_EQ(seen.size(), 2u);
}

TEST_P(LogContract, EmptyBatchIsRejectedAndChangesNothing) {
  auto log = OpenWriter();
  auto before = log->EndRevision();
  auto result = log->Append({});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(*log->EndRevision(), *before);
}

// At most one writer can write. Locking backends refuse the second writer;
// fencing backends (Kafka) let it in and fence the first, whose appends
// then fail. Either way the loser gets Conflict and writes nothing.
TEST_P(LogContract, OnlyOneOfTwoWritersCanWrite) {
  auto first = OpenWriter();
  ASSERT_TRUE(first->Append(Batch(1, "first")).ok());
  auto second = log_->Open(LogMode::kWriter);
  if (!GetParam().second_writer_fences_first) {
    ASSERT_FALSE(second.ok());
    EXPECT_EQ(second.status().code(), StatusCode::kConflict) << second.status().ToString();
    return;
  }
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  auto fenced = first->Append(Batch(1, "zombie"));
  ASSERT_FALSE(fenced.ok());
  EXPECT_EQ(fenced.status().code(), StatusCode::kConflict) << fenced.status().ToString();
  ASSERT_TRUE((*second)->Append(Batch(1, "second")).ok());
  EXPECT_EQ(ReadAll(**second).size(), 2u) << "the zombie's event must not be in the log";
}

TEST_P(LogContract, WriterCanReopenAfterTheFirstCloses) {
  {
    auto writer = OpenWriter();
    ASSERT_TRUE(writer->Append(Batch(2)).ok());
  }
  auto writer = OpenWriter();
  ASSERT_TRUE(writer->Append(Batch(1, "b")).ok());
  EXPECT_EQ(ReadAll(*writer).size(), 3u);
}

TEST_P(LogContract, ReaderCannotAppend) {
  auto writer = OpenWriter();
  auto reader = OpenReader();
  auto result = reader->Append(Batch(1));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kFailedPrecondition);
}

TEST_P(LogContract, ReaderSeesTheWritersLaterAppends) {
  auto writer = OpenWriter();
  ASSERT_TRUE(writer->Append(Batch(2)).ok());
  auto reader = OpenReader();
  EXPECT_EQ(ReadAll(*reader).size(), 2u);
  ASSERT_TRUE(writer->Append(Batch(3, "b")).ok());
  EXPECT_EQ(ReadAll(*reader).size(), 5u);
}

TEST_P(LogContract, TailDeliversHistoryThenNewEvents) {
  auto writer = OpenWriter();
  auto first = writer->Append(Batch(2));
  ASSERT_TRUE(first.ok());
  auto reader = OpenReader();
  auto tail = reader->Tail(0);
  ASSERT_TRUE(tail.ok());
  std::vector<OwnedEvent> got;
  ASSERT_TRUE((*tail)->Poll(5s, 100, &got).ok());
  ASSERT_EQ(got.size(), 2u);
  std::thread appender([&] { ASSERT_TRUE(writer->Append(Batch(1, "late")).ok()); });
  got.clear();
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (got.empty() && std::chrono::steady_clock::now() < deadline) {
    ASSERT_TRUE((*tail)->Poll(1s, 100, &got).ok());
  }
  appender.join();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_GT(got[0].revision, (*first)[1]);
}

TEST_P(LogContract, TailPollTimesOutEmptyHanded) {
  auto writer = OpenWriter();
  ASSERT_TRUE(writer->Append(Batch(1)).ok());
  auto end = writer->EndRevision();
  auto tail = writer->Tail(*end);
  ASSERT_TRUE(tail.ok());
  std::vector<OwnedEvent> got;
  ASSERT_TRUE((*tail)->Poll(50ms, 10, &got).ok());
  EXPECT_TRUE(got.empty()) << "tail from end " << *end << " returned revision " << got[0].revision;
}

TEST_P(LogContract, ConcurrentAppendersAllLandOnceEachAndBatchesStayTogether) {
  auto writer = OpenWriter();
  constexpr int kThreads = 4, kAppends = 25, kBatch = 3;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kAppends; ++i) {
        auto r = writer->Append(Batch(kBatch, "t" + std::to_string(t) + "-" + std::to_string(i) + "-"));
        if (!r.ok() || r->size() != kBatch) ++failures;
        else if ((*r)[2] - (*r)[0] != 2) ++failures;  // a batch's revisions are adjacent
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  auto all = ReadAll(*writer);
  ASSERT_EQ(all.size(), static_cast<std::size_t>(kThreads * kAppends * kBatch));
  std::set<std::string> distinct;
  for (const auto& e : all) distinct.insert(e.bytes);
  EXPECT_EQ(distinct.size(), all.size());
}

TEST_P(LogContract, WaitForAppendReturnsWhenTheEndMoves) {
  auto writer = OpenWriter();
  auto end = writer->EndRevision();
  auto reader = OpenReader();
  std::thread appender([&] {
    std::this_thread::sleep_for(20ms);
    ASSERT_TRUE(writer->Append(Batch(1)).ok());
  });
  ASSERT_TRUE(reader->WaitForAppend(*end, 20s).ok());
  appender.join();
  EXPECT_GT(*reader->EndRevision(), *end);
}

}  // namespace
}  // namespace regatta::testing

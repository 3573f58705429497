#include "events/committed_batch.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "tests/support/sample_events.h"

namespace regatta {
namespace {

TEST(CommittedBatch, HoldsEveryEventDecodedWithItsRevisionInOrder) {
  namespace t = regatta::testing;
  const std::vector<EncodedEvent> events = {t::AgentRegistered("a1", 4, 8192),
                                            t::TaskStatus("t1", schema::TaskState::RUNNING),
                                            t::TaskStatus("t2", schema::TaskState::FINISHED)};
  auto batch = CommittedBatch::Make(events, {4, 5, 9});
  ASSERT_EQ(batch->size(), 3u);
  EXPECT_EQ(batch->events()[0].revision, 4u);
  EXPECT_EQ(batch->events()[2].revision, 9u);
  EXPECT_TRUE(batch->events()[0].envelope.getEvent().isAgentRegistered());
  EXPECT_EQ(std::string(batch->events()[1].envelope.getEvent().getTaskStatusChanged().getTaskId().cStr()), "t1");
  EXPECT_EQ(batch->bytes(2), events[2].bytes);
}

TEST(CommittedBatch, AnEnvelopeAtAnOddAddressIsCopiedIntoPlace) {
  namespace t = regatta::testing;
  const EncodedEvent event = t::TaskStatus("t1", schema::TaskState::RUNNING);
  std::string shifted = "x" + event.bytes;  // one byte off word alignment
  auto batch = CommittedBatch::Make(std::vector<std::string_view>{std::string_view(shifted).substr(1)}, {7});
  EXPECT_EQ(std::string(batch->events()[0].envelope.getEvent().getTaskStatusChanged().getTaskId().cStr()), "t1");
}

// Readers on several threads at once, as the master, the allocator and the
// frameworks read one batch.
TEST(CommittedBatch, IsReadFromSeveralThreadsAtOnce) {
  namespace t = regatta::testing;
  std::vector<EncodedEvent> events;
  for (int i = 0; i < 100; ++i) events.push_back(t::TaskStatus("t" + std::to_string(i), schema::TaskState::RUNNING));
  std::vector<Revision> revisions(events.size());
  for (std::size_t i = 0; i < revisions.size(); ++i) revisions[i] = i;
  CommittedBatchPtr batch = CommittedBatch::Make(events, revisions);
  std::vector<std::thread> readers;
  std::atomic<int> matched{0};
  for (int r = 0; r < 4; ++r) {
    readers.emplace_back([&] {
      for (int round = 0; round < 200; ++round) {
        for (std::size_t i = 0; i < batch->size(); ++i) {
          const std::string id = batch->events()[i].envelope.getEvent().getTaskStatusChanged().getTaskId().cStr();
          if (id == "t" + std::to_string(i)) ++matched;
        }
      }
    });
  }
  for (auto& reader : readers) reader.join();
  EXPECT_EQ(matched.load(), 4 * 200 * 100);
}

}  // namespace
}  // namespace regatta

// Given the commands staged in a batch, when another comes, then it must
// wait (Conflicts) exactly when it shares an aggregate with them; Take hands
// over the batch and starts an empty one.
#include "actors/master/commit_batch.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace regatta::master {
namespace {

using Keys = std::vector<std::string>;

Outcome WithEvents(const std::string& key, int count) {
  Outcome outcome;
  for (int i = 0; i < count; ++i) outcome.events.push_back({key, "TaskStatusChanged", ""});
  return outcome;
}

CommitBatch::Done Ignore() {
  return [](const Status&, const Outcome&, const Committed&) {};
}

TEST(CommitBatch, ConflictsExactlyWhenKeysMeetTheStagedOnes) {
  struct Case {
    const char* name;
    std::vector<Keys> staged;  // one entry per staged command
    Keys incoming;
    bool conflicts;
  };
  const std::vector<Case> cases = {
      {"an empty batch never conflicts", {}, {"task:1"}, false},
      {"an empty batch admits even *", {}, {"*"}, false},
      {"a shared task", {{"task:1", "agent:a"}}, {"task:1"}, true},
      {"a shared agent among others", {{"task:1", "agent:a"}}, {"app:/x", "agent:a"}, true},
      {"disjoint keys", {{"task:1", "agent:a"}}, {"task:2", "agent:b"}, false},
      {"keys match whole, not by prefix", {{"task:1"}}, {"task:10"}, false},
      {"no keys touch nothing", {{"task:1"}}, {}, false},
      {"two reads of one key share a batch", {{"r:app:/a"}}, {"r:app:/a"}, false},
      {"two marks of one key share a batch", {{"m:tree:/a"}}, {"m:tree:/a"}, false},
      {"a read meets a staged write", {{"app:/a"}}, {"r:app:/a"}, true},
      {"a write meets a staged read", {{"r:app:/a"}}, {"app:/a"}, true},
      {"a read meets a staged mark", {{"m:tree:/a"}}, {"r:tree:/a"}, true},
      {"a mark meets a staged read", {{"r:tree:/a"}}, {"m:tree:/a"}, true},
      {"siblings /a/b and /a/c share a batch",
       {{"app:/a/b", "r:tree:/a/b", "r:app:/a", "m:tree:/a"}}, {"app:/a/c", "r:tree:/a/c", "r:app:/a", "m:tree:/a"}, false},
      {"an app /a waits for an app /a/b", {{"app:/a/b", "r:tree:/a/b", "r:app:/a", "m:tree:/a"}}, {"app:/a", "r:tree:/a"}, true},
      {"any staged command's keys count", {{"task:1"}, {"task:2"}}, {"task:2"}, true},
      {"* meets every staged key", {{"task:1"}}, {"*"}, true},
      {"* meets a command that staged no keys", {{}}, {"*"}, true},
      {"a staged * meets anything", {{"*"}}, {"task:9"}, true},
      {"a staged * meets even no keys", {{"agent:a"}, {"*"}}, {}, true},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    CommitBatch batch;
    for (const Keys& keys : c.staged) batch.Stage(keys, WithEvents("k", 1), Ignore());
    EXPECT_EQ(batch.Conflicts(c.incoming), c.conflicts);
  }
}

TEST(CommitBatch, StageCountsEventsAndTakeHandsOverInOrder) {
  CommitBatch batch;
  EXPECT_TRUE(batch.empty());
  std::vector<std::string> done;
  batch.Stage({"task:1"}, WithEvents("task:1", 2), [&](const Status& s, const Outcome& o, const Committed&) {
    done.push_back("first " + std::to_string(s.ok()) + " " + std::to_string(o.events.size()));
  });
  batch.Stage({"task:2"}, WithEvents("task:2", 1), [&](const Status& s, const Outcome& o, const Committed&) {
    done.push_back("second " + std::to_string(s.ok()) + " " + std::to_string(o.events.size()));
  });
  EXPECT_FALSE(batch.empty());
  EXPECT_EQ(batch.events(), 3u);

  auto staged = batch.Take();
  ASSERT_EQ(staged.size(), 2u);
  EXPECT_EQ(staged[0].outcome.events[0].key, "task:1");
  EXPECT_EQ(staged[1].outcome.events[0].key, "task:2");
  staged[0].done(Status::Ok(), staged[0].outcome, Committed{});
  staged[1].done(Status::Unavailable("log down"), staged[1].outcome, Committed{});
  EXPECT_EQ(done, (std::vector<std::string>{"first 1 2", "second 0 1"}));
}

TEST(CommitBatch, TakeStartsAFreshBatch) {
  CommitBatch batch;
  batch.Stage({"*"}, WithEvents("agent:a", 4), Ignore());
  ASSERT_TRUE(batch.Conflicts({"task:1"}));

  EXPECT_EQ(batch.Take().size(), 1u);
  EXPECT_TRUE(batch.empty());
  EXPECT_EQ(batch.events(), 0u);
  EXPECT_FALSE(batch.Conflicts({"task:1"}));
  EXPECT_FALSE(batch.Conflicts({"*"}));
  EXPECT_TRUE(batch.Take().empty());

  // The old keys are forgotten: only the new command's count.
  batch.Stage({"task:2"}, WithEvents("task:2", 1), Ignore());
  EXPECT_FALSE(batch.Conflicts({"agent:a", "task:1"}));
  EXPECT_TRUE(batch.Conflicts({"task:2"}));
  EXPECT_EQ(batch.events(), 1u);
}

}  // namespace
}  // namespace regatta::master

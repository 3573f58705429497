#include "actors/deployments/observe.h"

#include <map>

#include <gtest/gtest.h>

#include "tests/projections/fold.h"
#include "tests/support/sample_events.h"

namespace regatta::deployments {
namespace {

using namespace regatta::testing;
using schema::TaskState;

EncodedEvent Launch(const std::string& task, const std::string& version, std::int64_t t) {
  return TaskLaunched(task, "/web", "a1", 0.1, 16, 0, t, "services", "*", version);
}

projections::SchedulingProjection Cluster() {
  return Fold<projections::SchedulingProjection>({
      AgentRegistered("a1", 16, 65536),
      Launch("old-1", "v1", 1), TaskStatus("old-1", TaskState::RUNNING, 2),
      Launch("old-2", "v1", 1), TaskStatus("old-2", TaskState::KILLING, 3),
      Launch("old-3", "v1", 1), TaskStatus("old-3", TaskState::FINISHED, 3),
      Launch("new-1", "v2", 4), TaskStatus("new-1", TaskState::RUNNING, 5), TaskHealth("new-1", true, 7),
      Launch("new-2", "v2", 4), TaskStatus("new-2", TaskState::RUNNING, 5),
      Launch("new-3", "v2", 4),
      TaskLaunched("other", "/db", "a1", 0.1, 16, 0, 4, "services", "*", "v2"),
  });
}

TEST(ObserveTest, TasksOfTheAppThatHaveNotEndedMarkedByVersionAndHealth) {
  // v1 has no health checks; v2 has.
  const auto tasks = ObserveTasks(Cluster(), "/web", "v2", [](std::string_view v) { return v == "v2"; });
  ASSERT_EQ(tasks.size(), 5u);  // old-3 ended; "other" is another app's
  std::map<std::string, ObservedTask> by_id;
  for (const ObservedTask& t : tasks) by_id[t.task_id] = t;

  EXPECT_FALSE(by_id["old-1"].is_new);
  EXPECT_TRUE(by_id["old-1"].healthy);  // RUNNING, and no checks to pass
  EXPECT_EQ(by_id["old-1"].ready_since_nanos, 2);
  EXPECT_TRUE(by_id["old-2"].killing);

  EXPECT_TRUE(by_id["new-1"].is_new);
  EXPECT_TRUE(by_id["new-1"].ready);
  EXPECT_EQ(by_id["new-1"].ready_since_nanos, 7);
  EXPECT_FALSE(by_id["new-2"].healthy);  // running, not yet reported healthy
  EXPECT_FALSE(by_id["new-3"].healthy);  // not running yet
  EXPECT_EQ(by_id["new-3"].launched_nanos, 4);
}

TEST(ObserveTest, TheResultIsInTaskIdOrder) {
  const auto tasks = ObserveTasks(Cluster(), "/web", "v2", [](std::string_view) { return false; });
  for (std::size_t i = 1; i < tasks.size(); ++i) EXPECT_LT(tasks[i - 1].task_id, tasks[i].task_id);
}

}  // namespace
}  // namespace regatta::deployments

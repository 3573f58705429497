// The simulated task runner: what thousands of scale-test agents run on, so
// it must keep the process containerizer's contract (task_runner.h).
#include "agents/containerizer/simulated_runner.h"

#include <gtest/gtest.h>

namespace regatta::agent {
namespace {

LaunchSpec Spec(const std::string& id) {
  LaunchSpec spec;
  spec.task_id = id;
  spec.app_id = "/web";
  spec.cmd = "sleep 1000";
  return spec;
}

TEST(SimulatedRunner, ALaunchRunsUntilKilledAndEndsKilledExactlyOnce) {
  SimulatedRunner runner;
  const auto now = TaskRunner::Clock::now();
  ASSERT_TRUE(runner.Launch(Spec("t1")).ok());
  ASSERT_TRUE(runner.Launch(Spec("t2")).ok());
  EXPECT_EQ(runner.Running(), (std::vector<std::string>{"t1", "t2"}));
  EXPECT_TRUE(runner.Poll(now).empty());  // nothing ends on its own

  ASSERT_TRUE(runner.Kill("t1", now, std::nullopt).ok());
  const std::vector<TaskExit> ended = runner.Poll(now);
  ASSERT_EQ(ended.size(), 1u);
  EXPECT_EQ(ended[0].task_id, "t1");
  EXPECT_EQ(ended[0].state, schema::TaskState::KILLED);
  EXPECT_TRUE(ended[0].kill_requested);
  EXPECT_TRUE(runner.Poll(now).empty());  // reported once
  EXPECT_EQ(runner.Running(), (std::vector<std::string>{"t2"}));
}

TEST(SimulatedRunner, RefusesWhatTheProcessContainerizerRefuses) {
  SimulatedRunner runner;
  ASSERT_TRUE(runner.Launch(Spec("t1")).ok());
  EXPECT_EQ(runner.Launch(Spec("t1")).code(), StatusCode::kConflict);  // task ids are never reused
  EXPECT_EQ(runner.Kill("nope", TaskRunner::Clock::now(), std::nullopt).code(), StatusCode::kNotFound);
  ASSERT_TRUE(runner.Kill("t1", TaskRunner::Clock::now(), std::nullopt).ok());
  EXPECT_EQ(runner.Kill("t1", TaskRunner::Clock::now(), std::nullopt).code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace regatta::agent

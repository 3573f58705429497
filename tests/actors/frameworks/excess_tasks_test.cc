// Given the apps and their tasks, which tasks are beyond their app's count
// (to kill), and which long-unreachable ones no longer count (to replace).
#include <gtest/gtest.h>

#include "actors/frameworks/services_planner.h"
#include "tests/projections/fold.h"
#include "tests/support/sample_events.h"

namespace regatta::frameworks {
namespace {

using schema::TaskState;
namespace t = regatta::testing;

std::vector<std::string> Excess(const std::vector<EncodedEvent>& given) {
  const auto state = t::Fold<projections::ProjectionSet>(given);
  std::vector<std::string> ids;
  for (const auto& e : ExcessTasks(state)) ids.push_back(e.task_id + "@" + e.agent_id);
  return ids;
}

TEST(ExcessTasks, NothingToKillAtOrBelowTheCount) {
  EXPECT_TRUE(Excess({t::AgentRegistered("a1", 8, 8192), t::AppDefined("/web", 2, "v1"),
                      t::TaskLaunched("w1", "/web", "a1", 1, 64, 0, 1), t::TaskStatus("w1", TaskState::RUNNING)})
                  .empty());
}

TEST(ExcessTasks, AScaleDownKillsTheNewestTasks) {
  EXPECT_EQ(Excess({t::AgentRegistered("a1", 8, 8192), t::AppDefined("/web", 3, "v1"),
                    t::TaskLaunched("w1", "/web", "a1", 1, 64, 0, 1), t::TaskLaunched("w2", "/web", "a1", 1, 64, 0, 2),
                    t::TaskLaunched("w3", "/web", "a1", 1, 64, 0, 3), t::TaskStatus("w1", TaskState::RUNNING, 4),
                    t::TaskStatus("w2", TaskState::RUNNING, 4), t::TaskStatus("w3", TaskState::RUNNING, 4),
                    t::AppScaled("/web", 1, 3, 5)}),
            (std::vector<std::string>{"w2@a1", "w3@a1"}));
}

TEST(ExcessTasks, TasksNotYetRunningGoBeforeRunningOnes) {
  EXPECT_EQ(Excess({t::AgentRegistered("a1", 8, 8192), t::AppDefined("/web", 1, "v1"),
                    t::TaskLaunched("old-staging", "/web", "a1", 1, 64, 0, 1),
                    t::TaskLaunched("new-running", "/web", "a1", 1, 64, 0, 2),
                    t::TaskStatus("new-running", TaskState::RUNNING, 3)}),
            (std::vector<std::string>{"old-staging@a1"}));
}

TEST(ExcessTasks, ADeletedAppKillsEverything) {
  EXPECT_EQ(Excess({t::AgentRegistered("a1", 8, 8192), t::AppDefined("/web", 1, "v1"),
                    t::TaskLaunched("w1", "/web", "a1", 1, 64, 0, 1), t::AppDeleted("/web", 2)}),
            (std::vector<std::string>{"w1@a1"}));
}

TEST(ExcessTasks, UnreachableAndKillingTasksAreNotKilledAgain) {
  EXPECT_TRUE(Excess({t::AgentRegistered("a1", 8, 8192), t::AppDefined("/web", 1, "v1"),
                      t::TaskLaunched("w1", "/web", "a1", 1, 64, 0, 1), t::TaskStatus("w1", TaskState::UNREACHABLE, 2),
                      t::TaskLaunched("w2", "/web", "a1", 1, 64, 0, 3), t::TaskStatus("w2", TaskState::RUNNING, 4),
                      t::TaskLaunched("w3", "/web", "a1", 1, 64, 0, 5), t::TaskStatus("w3", TaskState::KILLING, 6)})
                  .empty());
}

TEST(ServicesPlannerUnreachable, ALongUnreachableTaskIsReplacedAShortOneIsNot) {
  const auto state = t::Fold<projections::ProjectionSet>(
      {t::AgentRegistered("a1", 8, 8192), t::AgentRegistered("a2", 8, 8192), t::AppDefined("/web", 1, "v1"),
       t::TaskLaunched("w1", "/web", "a1", 0.1, 32, 0, 1), t::TaskStatus("w1", TaskState::UNREACHABLE, 1000)});
  PlannerInput in;
  in.state = &state;
  in.offers = {{"services", "a2", {projections::Quantity::FromDouble(4), projections::Quantity::FromDouble(4096), {}, {}},
                {{31000, 31010}}}};
  in.new_task_id = [](std::string_view) { return std::string("w2"); };
  in.unreachable_inactive_nanos = 500;
  in.now_nanos = 1200;  // unreachable for 200 ns: still counts
  EXPECT_TRUE(PlanLaunches(in).accepts.empty());
  in.now_nanos = 1600;  // for 600 ns: presumed lost, replaced
  const Plan plan = PlanLaunches(in);
  ASSERT_EQ(plan.accepts.size(), 1u);
  EXPECT_EQ(plan.accepts[0].agent_id, "a2");
}

}  // namespace
}  // namespace regatta::frameworks

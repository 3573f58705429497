// Given the apps and their tasks, which tasks are beyond their app's count
// (to kill), and which long-unreachable ones no longer count (to replace).
#include <gtest/gtest.h>

#include "actors/frameworks/launch_planner.h"
#include "tests/projections/fold.h"
#include "tests/support/sample_events.h"

namespace regatta::frameworks {
namespace {

using schema::TaskState;
namespace t = regatta::testing;

// At 1,000 ns: after every event below, long before any deadline.
std::vector<std::string> Excess(const std::vector<EncodedEvent>& given) {
  const auto state = t::Fold<projections::ProjectionSet>(given);
  std::vector<std::string> ids;
  for (const auto& e : ExcessTasks(state, 1000)) ids.push_back(e.task_id + "@" + e.agent_id);
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

TEST(ExcessTasks, DeletedAppsStopInReverseDependencyOrder) {
  // /shop/web -> /shop/api -> /shop/db, all deleted at once.
  const auto depends = [](const std::string& on) {
    return [on](schema::AppSpec::Builder spec) { spec.initDependencies(1).set(0, on); };
  };
  std::vector<EncodedEvent> given = {
      t::AgentRegistered("a1", 8, 8192), t::AppDefined("/shop/db", 1, "v1"),
      t::AppDefinedWith("/shop/api", 1, "v1", depends("/shop/db")),
      t::AppDefinedWith("/shop/web", 1, "v1", depends("api")),  // relative to its group, as Marathon allows
      t::TaskLaunched("db1", "/shop/db", "a1", 1, 64, 0, 1), t::TaskLaunched("api1", "/shop/api", "a1", 1, 64, 0, 1),
      t::TaskLaunched("web1", "/shop/web", "a1", 1, 64, 0, 1), t::AppDeleted("/shop/db", 2),
      t::AppDeleted("/shop/api", 2), t::AppDeleted("/shop/web", 2)};
  EXPECT_EQ(Excess(given), (std::vector<std::string>{"web1@a1"}));
  given.push_back(t::TaskStatus("web1", TaskState::KILLING, 3));
  EXPECT_TRUE(Excess(given).empty()) << "a dependent being killed is not gone yet";
  given.push_back(t::TaskStatus("web1", TaskState::KILLED, 4));
  EXPECT_EQ(Excess(given), (std::vector<std::string>{"api1@a1"}));
  given.push_back(t::TaskStatus("api1", TaskState::KILLED, 5));
  EXPECT_EQ(Excess(given), (std::vector<std::string>{"db1@a1"}));
}

TEST(ExcessTasks, ADeletedAppDoesNotWaitForALiveDependent) {
  EXPECT_EQ(Excess({t::AgentRegistered("a1", 8, 8192), t::AppDefined("/db", 1, "v1"),
                    t::AppDefinedWith("/api", 1, "v1", [](schema::AppSpec::Builder spec) {
                      spec.initDependencies(1).set(0, "/db");
                    }),
                    t::TaskLaunched("db1", "/db", "a1", 1, 64, 0, 1), t::TaskLaunched("api1", "/api", "a1", 1, 64, 0, 1),
                    t::AppDeleted("/db", 2)}),
            (std::vector<std::string>{"db1@a1"}));
}

TEST(ExcessTasks, UnreachableAndKillingTasksAreNotKilledAgain) {
  EXPECT_TRUE(Excess({t::AgentRegistered("a1", 8, 8192), t::AppDefined("/web", 1, "v1"),
                      t::TaskLaunched("w1", "/web", "a1", 1, 64, 0, 1), t::TaskStatus("w1", TaskState::UNREACHABLE, 2),
                      t::TaskLaunched("w2", "/web", "a1", 1, 64, 0, 3), t::TaskStatus("w2", TaskState::RUNNING, 4),
                      t::TaskLaunched("w3", "/web", "a1", 1, 64, 0, 5), t::TaskStatus("w3", TaskState::KILLING, 6)})
                  .empty());
}

TEST(ExcessTasks, AJobKeepsWhatItStillWantsWhateverHasFinished) {
  const std::vector<EncodedEvent> running = {
      t::TaskLaunched("r1", "/job", "a1", 1, 64, 0, 5),
      t::TaskStatus("r1", TaskState::RUNNING, 6), t::TaskLaunched("r2", "/job", "a1", 1, 64, 0, 7),
      t::TaskStatus("r2", TaskState::RUNNING, 8)};
  const std::vector<EncodedEvent> two_finished = {
      t::TaskLaunched("f1", "/job", "a1", 1, 64, 0, 1), t::TaskStatus("f1", TaskState::FINISHED, 2),
      t::TaskLaunched("f2", "/job", "a1", 1, 64, 0, 3), t::TaskStatus("f2", TaskState::FINISHED, 4)};
  const std::vector<EncodedEvent> one_failed = {
      t::TaskLaunched("x1", "/job", "a1", 1, 64, 0, 1), t::TaskStatus("x1", TaskState::FAILED, 2)};
  struct Case {
    const char* name;
    EncodedEvent defined;
    std::vector<EncodedEvent> ended;
    std::vector<std::string> want;
  };
  const Case cases[] = {
      {"4 completions, 2 finished: both running kept", t::JobDefined("/job", 4, 3), two_finished, {}},
      {"3 completions, 2 finished: the newest running killed", t::JobDefined("/job", 3, 3), two_finished,
       {"r2@a1"}},
      {"2 completions, 2 finished: the job is done, both killed", t::JobDefined("/job", 2, 3), two_finished,
       {"r1@a1", "r2@a1"}},
      {"a failed job's running tasks are left to end", t::JobDefined("/job", 2, 0), one_failed, {}},
      {"a service counts no completions: both kept", t::AppDefined("/job", 2, "v1"), two_finished, {}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    std::vector<EncodedEvent> given = {t::AgentRegistered("a1", 8, 8192), c.defined};
    given.insert(given.end(), c.ended.begin(), c.ended.end());
    given.insert(given.end(), running.begin(), running.end());
    EXPECT_EQ(Excess(given), c.want);
  }
}

TEST(LaunchPlannerUnreachable, ALongUnreachableTaskIsReplacedAShortOneIsNot) {
  const auto state = t::Fold<projections::ProjectionSet>(
      {t::AgentRegistered("a1", 8, 8192), t::AgentRegistered("a2", 8, 8192), t::AppDefined("/web", 1, "v1"),
       t::TaskLaunched("w1", "/web", "a1", 0.1, 32, 0, 1), t::TaskStatus("w1", TaskState::UNREACHABLE, 1000)});
  PlannerInput in;
  in.state = &state;
  in.offers = {{"services", "a2", {domain::Quantity::FromDouble(4), domain::Quantity::FromDouble(4096), {}, {}},
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

namespace regatta::frameworks {
namespace {

// /web at v1 with three running tasks, then redefined at v2 with its
// deployment started (Marathon's default strategy, 1.0 and 1.0: keep 3
// healthy, run at most 6).
std::vector<EncodedEvent> RollingToV2() {
  return {t::AgentRegistered("a1", 8, 8192), t::AppDefined("/web", 3, "v1"),
          t::TaskLaunched("old1", "/web", "a1", 0.1, 32, 0, 1), t::TaskStatus("old1", TaskState::RUNNING, 1),
          t::TaskLaunched("old2", "/web", "a1", 0.1, 32, 0, 2), t::TaskStatus("old2", TaskState::RUNNING, 2),
          t::TaskLaunched("old3", "/web", "a1", 0.1, 32, 0, 3), t::TaskStatus("old3", TaskState::RUNNING, 3),
          t::AppDefined("/web", 3, "v2", 10), t::DeploymentStarted("d2", "/web", "v1", "v2", 10)};
}

TEST(ExcessTasks, ARolloutKillsNoOldInstanceBeforeANewOneIsReady) {
  std::vector<EncodedEvent> given = RollingToV2();
  EXPECT_TRUE(Excess(given).empty()) << "3 healthy, minimum 3: nothing may go yet";
  given.push_back(t::TaskLaunched("new1", "/web", "a1", 0.1, 32, 0, 11, "services", "*", "v2"));
  EXPECT_TRUE(Excess(given).empty()) << "a new instance that is not running counts for nothing";
}

TEST(ExcessTasks, EachReadyNewInstanceReleasesOneOldOneYoungestFirst) {
  std::vector<EncodedEvent> given = RollingToV2();
  given.push_back(t::TaskLaunched("new1", "/web", "a1", 0.1, 32, 0, 11, "services", "*", "v2"));
  given.push_back(t::TaskStatus("new1", TaskState::RUNNING, 12));
  EXPECT_EQ(Excess(given), (std::vector<std::string>{"old3@a1"}));
  given.push_back(t::TaskLaunched("new2", "/web", "a1", 0.1, 32, 0, 13, "services", "*", "v2"));
  given.push_back(t::TaskStatus("new2", TaskState::RUNNING, 14));
  EXPECT_EQ(Excess(given), (std::vector<std::string>{"old2@a1", "old3@a1"}));
}

TEST(ExcessTasks, WithoutARunningDeploymentOldVersionsStayAtTheCount) {
  // A deployment canceled with force stops where it is: its mix of
  // versions is the app's now, kept at the instance count.
  std::vector<EncodedEvent> given = RollingToV2();
  given.push_back(t::TaskLaunched("new1", "/web", "a1", 0.1, 32, 0, 11, "services", "*", "v2"));
  given.push_back(t::TaskStatus("new1", TaskState::RUNNING, 12));
  given.push_back(t::DeploymentSucceeded("d2", 13));
  EXPECT_EQ(Excess(given), (std::vector<std::string>{"new1@a1"})) << "4 tasks of 3 wanted: the newest goes";
}

}  // namespace
}  // namespace regatta::frameworks

// Given the log, which running deployments have ended, and how.
#include "actors/deployments/app_rollout.h"

#include <gtest/gtest.h>

#include "tests/projections/fold.h"
#include "tests/support/sample_events.h"

namespace regatta::deployments {
namespace {

using schema::TaskState;
namespace t = regatta::testing;

constexpr std::int64_t kSecond = 1'000'000'000;

std::vector<EncodedEvent> TwoOldTasksRollingToV2() {
  return {t::AgentRegistered("a1", 8, 8192), t::AppDefined("/web", 2, "v1"),
          t::TaskLaunched("old1", "/web", "a1", 0.1, 32, 0, 1), t::TaskStatus("old1", TaskState::RUNNING, 1),
          t::TaskLaunched("old2", "/web", "a1", 0.1, 32, 0, 1), t::TaskStatus("old2", TaskState::RUNNING, 1),
          t::AppDefined("/web", 2, "v2", kSecond), t::DeploymentStarted("d2", "/web", "v1", "v2", kSecond)};
}

std::vector<DeploymentVerdict> Judge(const std::vector<EncodedEvent>& given, std::int64_t now) {
  return JudgeDeployments(t::Fold<projections::ProjectionSet>(given), now);
}

TEST(JudgeDeployments, ARolloutUnderWayHasNoVerdict) {
  std::vector<EncodedEvent> given = TwoOldTasksRollingToV2();
  given.push_back(t::TaskLaunched("new1", "/web", "a1", 0.1, 32, 0, 2 * kSecond, "services", "*", "v2"));
  given.push_back(t::TaskStatus("new1", TaskState::RUNNING, 3 * kSecond));
  EXPECT_TRUE(Judge(given, 4 * kSecond).empty());
}

TEST(JudgeDeployments, OnlyNewReadyInstancesAtTheCountSucceed) {
  std::vector<EncodedEvent> given = TwoOldTasksRollingToV2();
  for (const char* id : {"new1", "new2"}) {
    given.push_back(t::TaskLaunched(id, "/web", "a1", 0.1, 32, 0, 2 * kSecond, "services", "*", "v2"));
    given.push_back(t::TaskStatus(id, TaskState::RUNNING, 3 * kSecond));
  }
  EXPECT_TRUE(Judge(given, 4 * kSecond).empty()) << "two old instances still run";
  given.push_back(t::TaskStatus("old1", TaskState::KILLED, 4 * kSecond));
  given.push_back(t::TaskStatus("old2", TaskState::KILLED, 4 * kSecond));
  const auto verdicts = Judge(given, 5 * kSecond);
  ASSERT_EQ(verdicts.size(), 1u);
  EXPECT_EQ(verdicts[0].deployment_id, "d2");
  EXPECT_EQ(verdicts[0].verdict, Verdict::kSucceeded);
}

TEST(JudgeDeployments, NoProgressForTheDeadlineFails) {
  std::vector<EncodedEvent> given = TwoOldTasksRollingToV2();
  // The new version's task never becomes ready: its launch at 2 s is no
  // progress, so the 600 s count from the start at 1 s.
  given.push_back(t::TaskLaunched("new1", "/web", "a1", 0.1, 32, 0, 2 * kSecond, "services", "*", "v2"));
  EXPECT_TRUE(Judge(given, 600 * kSecond).empty()) << "599 s since the start, of 600";
  const auto verdicts = Judge(given, 601 * kSecond);
  ASSERT_EQ(verdicts.size(), 1u);
  EXPECT_EQ(verdicts[0].verdict, Verdict::kFailed);
  EXPECT_NE(verdicts[0].message.find("no progress for 600 s"), std::string::npos) << verdicts[0].message;
}

TEST(JudgeDeployments, ADeletedOrRedefinedAppCancelsItsDeployment) {
  std::vector<EncodedEvent> deleted = TwoOldTasksRollingToV2();
  deleted.push_back(t::AppDeleted("/web", 2 * kSecond));
  auto verdicts = Judge(deleted, 3 * kSecond);
  ASSERT_EQ(verdicts.size(), 1u);
  EXPECT_EQ(verdicts[0].verdict, Verdict::kCanceled);
  EXPECT_EQ(verdicts[0].message, "app /web was deleted");

  std::vector<EncodedEvent> redefined = TwoOldTasksRollingToV2();
  redefined.push_back(t::AppDefined("/web", 2, "v3", 2 * kSecond));
  verdicts = Judge(redefined, 3 * kSecond);
  ASSERT_EQ(verdicts.size(), 1u);
  EXPECT_EQ(verdicts[0].message, "app /web was redefined at version v3");
}

TEST(PlanAppRollout, NoneWithoutARunningDeployment) {
  const auto state = t::Fold<projections::ProjectionSet>(
      {t::AppDefined("/web", 2, "v1"), t::DeploymentStarted("d1", "/web", "", "v1"), t::DeploymentSucceeded("d1")});
  EXPECT_FALSE(PlanAppRollout(state, *state.history().Current("/web"), 0).has_value());
}

TEST(PlanAppRollout, ARolloutLaunchesWithinItsSurge) {
  const auto state = t::Fold<projections::ProjectionSet>(TwoOldTasksRollingToV2());
  const auto plan = PlanAppRollout(state, *state.history().Current("/web"), 2 * kSecond);
  ASSERT_TRUE(plan.has_value());
  EXPECT_EQ(plan->launch, 2u) << "Marathon's default: up to 2 x 2 instances at once";
  EXPECT_TRUE(plan->kill.empty());
}

}  // namespace
}  // namespace regatta::deployments

namespace regatta::deployments {
namespace {

EncodedEvent DependentDefined(const std::string& app, const std::string& depends_on, const std::string& version) {
  return t::AppDefinedWith(app, 2, version, [&](schema::AppSpec::Builder spec) {
    spec.initDependencies(1).set(0, depends_on);
  });
}

TEST(PlanDeployment, ADependentWaitsForItsDependeesDeployment) {
  std::vector<EncodedEvent> given = {t::AgentRegistered("a1", 8, 8192),
                                     t::AppDefined("/shop/db", 1, "v1", kSecond),
                                     t::DeploymentStarted("d-db", "/shop/db", "", "v1", kSecond),
                                     DependentDefined("/shop/api", "db", "v1"),
                                     t::DeploymentStarted("d-api", "/shop/api", "", "v1", kSecond)};
  auto state = t::Fold<projections::ProjectionSet>(given);
  auto plan = PlanAppRollout(state, *state.history().Current("/shop/api"), 2 * kSecond);
  ASSERT_TRUE(plan.has_value());
  EXPECT_EQ(plan->launch, 0u);
  EXPECT_EQ(plan->waiting, "waiting for /shop/db (a dependency) to finish deploying");
  EXPECT_TRUE(JudgeDeployments(state, 700 * kSecond).size() == 1u) << "only /shop/db times out, not its dependent";

  given.push_back(t::DeploymentSucceeded("d-db", 3 * kSecond));
  state = t::Fold<projections::ProjectionSet>(given);
  plan = PlanAppRollout(state, *state.history().Current("/shop/api"), 4 * kSecond);
  ASSERT_TRUE(plan.has_value());
  EXPECT_EQ(plan->launch, 2u) << "its dependee done, it starts";
}

}  // namespace
}  // namespace regatta::deployments

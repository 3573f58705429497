#include "actors/deployments/rollout.h"

#include <gtest/gtest.h>

namespace regatta::deployments {
namespace {

constexpr std::int64_t kSecond = 1'000'000'000;

ObservedTask Old(int i, bool healthy = true) {
  ObservedTask t;
  t.task_id = "old-" + std::to_string(i);
  t.healthy = healthy;
  t.ready = healthy;
  t.launched_nanos = i;
  t.ready_since_nanos = healthy ? i + 1 : 0;
  return t;
}

ObservedTask New(int i, bool ready, std::int64_t at = 100) {
  ObservedTask t;
  t.task_id = "new-" + std::to_string(i);
  t.is_new = true;
  t.healthy = ready;
  t.ready = ready;
  t.launched_nanos = at;
  t.ready_since_nanos = ready ? at + 1 : 0;
  return t;
}

RolloutInput Marathon(std::uint32_t n, double health, double over, int old_healthy) {
  RolloutInput in;
  in.instances = n;
  in.strategy.bounds = MarathonBounds(n, health, over);
  for (int i = 0; i < old_healthy; ++i) in.tasks.push_back(Old(i));
  in.now_nanos = 1000;
  return in;
}

struct FirstStep {
  double health, over;
  std::size_t kills;
  std::uint32_t launches;
};

TEST(RolloutTest, TenInstancesFirstStepAsMarathonComputesIt) {
  const FirstStep cases[] = {{1.0, 1.0, 0, 10}, {0.5, 0.2, 5, 7}, {0.0, 0.0, 10, 10}, {1.0, 0.0, 0, 1}};
  for (const FirstStep& c : cases) {
    const RolloutPlan plan = PlanRollout(Marathon(10, c.health, c.over, 10));
    EXPECT_EQ(plan.kill.size(), c.kills) << "(" << c.health << ", " << c.over << ")";
    EXPECT_EQ(plan.launch, c.launches) << "(" << c.health << ", " << c.over << ")";
    EXPECT_EQ(plan.phase, Phase::kProgressing);
  }
}

TEST(RolloutTest, EachNewReadyInstanceReleasesOneOld) {
  // (0.5, 0.2) after its first step: 5 old, 7 new of which 1 is ready.
  RolloutInput in = Marathon(10, 0.5, 0.2, 5);
  for (int i = 0; i < 7; ++i) in.tasks.push_back(New(i, i == 0));
  const RolloutPlan plan = PlanRollout(in);
  ASSERT_EQ(plan.kill.size(), 1u);
  EXPECT_EQ(plan.kill[0], "old-4");  // youngest first
  EXPECT_EQ(plan.launch, 1u);        // the room it freed
}

TEST(RolloutTest, UnhealthyOldInstancesGoFirstAndCostNoHealth) {
  RolloutInput in = Marathon(4, 1.0, 0.0, 0);
  in.tasks = {Old(0), Old(1, false), Old(2), Old(3, false)};
  const RolloutPlan plan = PlanRollout(in);
  EXPECT_EQ(plan.kill, (std::vector<std::string>{"old-3", "old-1"}));
  EXPECT_EQ(plan.launch, 2u);
}

TEST(RolloutTest, KillSelectionOldestFirstPicksTheOldest) {
  RolloutInput in = Marathon(10, 0.5, 0.2, 10);
  in.kill_oldest_first = true;
  const RolloutPlan plan = PlanRollout(in);
  EXPECT_EQ(plan.kill, (std::vector<std::string>{"old-0", "old-1", "old-2", "old-3", "old-4"}));
}

TEST(RolloutTest, TheOneExtraInstanceRuleAvoidsADeadlock) {
  // (1.0, 0.0): min_healthy == max_capacity == 10. The extra instance
  // starts; once ready it releases an old one, and so on, one at a time.
  RolloutInput in = Marathon(10, 1.0, 0.0, 10);
  in.tasks.push_back(New(0, true));
  const RolloutPlan plan = PlanRollout(in);
  EXPECT_EQ(plan.kill.size(), 1u);
  EXPECT_EQ(plan.launch, 1u);
}

TEST(RolloutTest, KubernetesTwentyFivePercentOnTenAndOnThree) {
  RolloutInput ten;
  ten.instances = 10;
  ten.strategy.bounds = *KubernetesBounds(10, "25%", "25%");
  for (int i = 0; i < 10; ++i) ten.tasks.push_back(Old(i));
  RolloutPlan plan = PlanRollout(ten);
  EXPECT_EQ(plan.kill.size(), 2u);  // 8 stay available
  EXPECT_EQ(plan.launch, 5u);       // 8 + 5 = 13 = 10 + surge 3

  RolloutInput three;
  three.instances = 3;
  three.strategy.bounds = *KubernetesBounds(3, "25%", "25%");
  for (int i = 0; i < 3; ++i) three.tasks.push_back(Old(i));
  plan = PlanRollout(three);
  EXPECT_TRUE(plan.kill.empty());  // unavailable 0
  EXPECT_EQ(plan.launch, 1u);      // surge 1
}

TEST(RolloutTest, ZeroAndOneInstances) {
  RolloutInput zero = Marathon(0, 1.0, 1.0, 2);
  RolloutPlan plan = PlanRollout(zero);
  EXPECT_EQ(plan.kill.size(), 2u);
  EXPECT_EQ(plan.launch, 0u);
  zero.tasks.clear();
  EXPECT_EQ(PlanRollout(zero).phase, Phase::kComplete);

  RolloutInput one = Marathon(1, 1.0, 1.0, 1);
  plan = PlanRollout(one);
  EXPECT_TRUE(plan.kill.empty());
  EXPECT_EQ(plan.launch, 1u);
  one.tasks.push_back(New(0, true));
  plan = PlanRollout(one);
  EXPECT_EQ(plan.kill, std::vector<std::string>{"old-0"});
  EXPECT_EQ(plan.launch, 0u);
}

TEST(RolloutTest, CompleteOnlyWhenEveryOldIsGoneAndEveryNewReady) {
  RolloutInput in = Marathon(2, 1.0, 1.0, 0);
  in.tasks = {New(0, true), New(1, true)};
  ObservedTask dying = Old(0);
  dying.killing = true;
  in.tasks.push_back(dying);
  EXPECT_EQ(PlanRollout(in).phase, Phase::kProgressing);  // a kill under way
  in.tasks.pop_back();
  EXPECT_EQ(PlanRollout(in).phase, Phase::kComplete);
  in.tasks[1].ready = false;
  EXPECT_EQ(PlanRollout(in).phase, Phase::kProgressing);
}

TEST(RolloutTest, MinReadySecondsHoldsBackReadiness) {
  RolloutInput in = Marathon(1, 1.0, 1.0, 1);
  in.strategy.min_ready_nanos = 10 * kSecond;
  in.tasks.push_back(New(0, true, 0));
  in.now_nanos = 5 * kSecond;
  EXPECT_TRUE(PlanRollout(in).kill.empty());
  in.now_nanos = 11 * kSecond;
  EXPECT_EQ(PlanRollout(in).kill, std::vector<std::string>{"old-0"});
}

TEST(RolloutTest, RecreateStopsEveryOldBeforeStartingNew) {
  RolloutInput in = Marathon(3, 1.0, 1.0, 3);
  in.strategy.kind = StrategyKind::kRecreate;
  RolloutPlan plan = PlanRollout(in);
  EXPECT_EQ(plan.kill.size(), 3u);
  EXPECT_EQ(plan.launch, 0u);
  for (ObservedTask& t : in.tasks) t.killing = true;
  EXPECT_EQ(PlanRollout(in).launch, 0u);  // still going
  in.tasks.clear();
  EXPECT_EQ(PlanRollout(in).launch, 3u);
}

TEST(RolloutTest, CanariesStartBesideTheOldAndWaitForPromote) {
  RolloutInput in = Marathon(10, 1.0, 1.0, 10);
  in.strategy.canaries = 2;
  RolloutPlan plan = PlanRollout(in);
  EXPECT_EQ(plan.launch, 2u);
  EXPECT_TRUE(plan.kill.empty());
  in.tasks.push_back(New(0, true));
  in.tasks.push_back(New(1, true));
  plan = PlanRollout(in);
  EXPECT_EQ(plan.phase, Phase::kAwaitingPromotion);
  EXPECT_EQ(plan.launch, 0u);
  EXPECT_TRUE(plan.kill.empty());
  in.promoted = true;
  plan = PlanRollout(in);
  EXPECT_EQ(plan.phase, Phase::kProgressing);
  EXPECT_EQ(plan.kill.size(), 2u);  // two ready canaries release two old
  EXPECT_EQ(plan.launch, 8u);
}

TEST(RolloutTest, ADeadlineWithoutProgressFailsAndSaysWhere) {
  RolloutInput in = Marathon(2, 1.0, 1.0, 2);
  in.started_nanos = 0;
  in.progress_deadline_nanos = 600 * kSecond;
  in.tasks.push_back(New(0, false, 10 * kSecond));  // launched (relaunched, say) at 10 s: no progress
  in.now_nanos = 599 * kSecond;
  EXPECT_EQ(PlanRollout(in).phase, Phase::kProgressing);
  in.now_nanos = 600 * kSecond;
  const RolloutPlan plan = PlanRollout(in);
  EXPECT_EQ(plan.phase, Phase::kFailed);
  EXPECT_EQ(plan.launch, 0u);
  EXPECT_TRUE(plan.kill.empty());
  EXPECT_EQ(plan.failure, "no progress for 600 s: 0 of 2 new instances ready, 1 starting, 2 old left");
}

TEST(RolloutTest, APausedRolloutActsOnNothingAndNeverTimesOut) {
  RolloutInput in = Marathon(10, 0.5, 0.2, 10);
  in.paused = true;
  in.progress_deadline_nanos = kSecond;
  in.now_nanos = 1000 * kSecond;
  const RolloutPlan plan = PlanRollout(in);
  EXPECT_EQ(plan.phase, Phase::kPaused);
  EXPECT_EQ(plan.launch, 0u);
  EXPECT_TRUE(plan.kill.empty());
}

TEST(RolloutTest, SurplusNewInstancesGoLeastReadyFirst) {
  RolloutInput in = Marathon(1, 1.0, 1.0, 0);
  in.tasks = {New(0, true), New(1, false)};
  const RolloutPlan plan = PlanRollout(in);
  EXPECT_EQ(plan.kill, std::vector<std::string>{"new-1"});
  EXPECT_EQ(plan.launch, 0u);
}

}  // namespace
}  // namespace regatta::deployments

namespace regatta::deployments {
namespace {

TEST(RolloutTest, CanariesAwaitingTheirPromoteNeverTimeOut) {
  RolloutInput in;
  in.instances = 4;
  in.strategy.bounds = MarathonBounds(4, 1.0, 1.0);
  in.strategy.canaries = 1;
  in.progress_deadline_nanos = 10;
  in.started_nanos = 0;
  ObservedTask canary;
  canary.task_id = "c1";
  canary.is_new = canary.healthy = canary.ready = true;
  in.tasks.push_back(canary);
  in.now_nanos = 1'000'000;
  EXPECT_EQ(PlanRollout(in).phase, Phase::kAwaitingPromotion);
  in.tasks[0].ready = false;
  EXPECT_EQ(PlanRollout(in).phase, Phase::kFailed) << "a canary never ready does time out";
}

}  // namespace
}  // namespace regatta::deployments

namespace regatta::deployments {
namespace {

TEST(SimulateRollout, TenHealthyAtHalfAndAFifthGoInTwoSteps) {
  RolloutInput in;
  in.instances = 10;
  in.strategy.bounds = MarathonBounds(10, 0.5, 0.2);  // keep 5, run at most 12
  for (int i = 0; i < 10; ++i) {
    ObservedTask t;
    t.task_id = "old" + std::to_string(i);
    t.healthy = t.ready = true;
    in.tasks.push_back(t);
  }
  const auto steps = SimulateRollout(in);
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[0].kill, 5u);
  EXPECT_EQ(steps[0].launch, 7u);
  EXPECT_EQ(steps[0].old_after, 5u);
  EXPECT_EQ(steps[0].new_after, 7u);
  EXPECT_EQ(steps[1].kill, 5u);
  EXPECT_EQ(steps[1].launch, 3u);
  EXPECT_EQ(steps[1].old_after, 0u);
  EXPECT_EQ(steps[1].new_after, 10u);
}

TEST(SimulateRollout, CanariesStopWhereTheyWaitForPromote) {
  RolloutInput in;
  in.instances = 3;
  in.strategy.bounds = MarathonBounds(3, 1.0, 1.0);
  in.strategy.canaries = 1;
  ObservedTask t;
  t.task_id = "old";
  t.healthy = t.ready = true;
  in.tasks = {t, t, t};
  in.tasks[1].task_id = "old1";
  in.tasks[2].task_id = "old2";
  const auto steps = SimulateRollout(in);
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_EQ(steps[0].launch, 1u);
  EXPECT_EQ(steps[0].old_after, 3u);
}

}  // namespace
}  // namespace regatta::deployments

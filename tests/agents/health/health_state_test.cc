#include "agents/health/health_state.h"

#include <capnp/message.h>
#include <gtest/gtest.h>

namespace regatta::health {
namespace {

constexpr std::int64_t kS = 1'000'000'000;

CheckPolicy Policy(std::int64_t grace_s, std::uint32_t max_failures) {
  CheckPolicy p;
  p.grace_nanos = grace_s * kS;
  p.interval_nanos = 10 * kS;
  p.delay_nanos = 2 * kS;
  p.max_consecutive_failures = max_failures;
  return p;
}

TEST(TaskHealthTest, PolicyOfASpecKeepsMarathonsDefaults) {
  capnp::MallocMessageBuilder message;
  auto check = message.initRoot<schema::HealthCheck>();
  CheckPolicy p = PolicyOf(check.asReader());
  EXPECT_EQ(p.grace_nanos, 300 * kS);
  EXPECT_EQ(p.interval_nanos, 60 * kS);
  EXPECT_EQ(p.timeout_nanos, 20 * kS);
  EXPECT_EQ(p.max_consecutive_failures, 3u);
  EXPECT_EQ(p.delay_nanos, 15 * kS);
  check.setIntervalSeconds(0.5);
  check.setGracePeriodSeconds(-1);  // refused by the API; here it is no grace
  p = PolicyOf(check.asReader());
  EXPECT_EQ(p.interval_nanos, kS / 2);
  EXPECT_EQ(p.grace_nanos, 0);
}

TEST(TaskHealthTest, FirstCheckAfterTheDelayThenEveryInterval) {
  TaskHealth h({Policy(0, 3)}, 0, 100 * kS);
  EXPECT_EQ(h.NextDue(0), 102 * kS);
  h.Started(0, 102 * kS);
  EXPECT_EQ(h.NextDue(0), 112 * kS);
}

TEST(TaskHealthTest, OnlyChangesAreReported) {
  TaskHealth h({Policy(0, 0)}, 0, 0);
  Outcome first = h.Record(0, true, "200 OK", kS);
  ASSERT_TRUE(first.report);
  EXPECT_TRUE(first.report->healthy);
  EXPECT_TRUE(first.report->ready);  // no readiness checks
  EXPECT_FALSE(h.Record(0, true, "200 OK", 2 * kS).report);
  Outcome failed = h.Record(0, false, "503", 3 * kS);
  ASSERT_TRUE(failed.report);
  EXPECT_FALSE(failed.report->healthy);
  EXPECT_EQ(failed.report->message, "503");
  EXPECT_FALSE(h.Record(0, false, "503", 4 * kS).report);
}

TEST(TaskHealthTest, FailuresInTheGracePeriodAreIgnoredUntilTheFirstPass) {
  TaskHealth h({Policy(30, 1)}, 0, 0);
  Outcome early = h.Record(0, false, "connection refused", 5 * kS);
  EXPECT_FALSE(early.report);
  EXPECT_FALSE(early.kill);
  EXPECT_EQ(h.verdict(), Verdict::kUnknown);
  EXPECT_TRUE(h.Record(0, true, "200", 10 * kS).report);
  // Passed once: the grace period no longer shields it.
  Outcome after = h.Record(0, false, "500", 12 * kS);
  EXPECT_TRUE(after.report);
  EXPECT_TRUE(after.kill);
}

TEST(TaskHealthTest, AKillAfterMaxConsecutiveFailuresOnce) {
  TaskHealth h({Policy(0, 3)}, 0, 0);
  EXPECT_FALSE(h.Record(0, false, "x", kS).kill);
  EXPECT_FALSE(h.Record(0, false, "x", 2 * kS).kill);
  EXPECT_TRUE(h.Record(0, true, "ok", 3 * kS).report);  // a pass resets the run
  EXPECT_EQ(h.failures(0), 0u);
  EXPECT_FALSE(h.Record(0, false, "x", 4 * kS).kill);
  EXPECT_FALSE(h.Record(0, false, "x", 5 * kS).kill);
  EXPECT_TRUE(h.Record(0, false, "x", 6 * kS).kill);
  EXPECT_FALSE(h.Record(0, false, "x", 7 * kS).kill);  // already asked for
}

TEST(TaskHealthTest, ZeroMaxFailuresNeverKills) {
  TaskHealth h({Policy(0, 0)}, 0, 0);
  for (int i = 1; i < 50; ++i) EXPECT_FALSE(h.Record(0, false, "x", i * kS).kill);
}

TEST(TaskHealthTest, HealthyOnlyWhenEveryCheckPasses) {
  TaskHealth h({Policy(0, 0), Policy(0, 0)}, 0, 0);
  EXPECT_FALSE(h.Record(0, true, "ok", kS).report);  // the second is still unknown
  EXPECT_EQ(h.verdict(), Verdict::kUnknown);
  Outcome both = h.Record(1, true, "ok", kS);
  ASSERT_TRUE(both.report);
  EXPECT_EQ(both.report->check_index, 1u);
  Outcome one_fails = h.Record(0, false, "down", 2 * kS);
  ASSERT_TRUE(one_fails.report);
  EXPECT_FALSE(one_fails.report->healthy);
}

TEST(TaskHealthTest, ReadyOnceHealthyAndEveryReadinessCheckPassed) {
  TaskHealth h({Policy(0, 0)}, 1, 0);
  Outcome healthy = h.Record(0, true, "ok", kS);
  ASSERT_TRUE(healthy.report);
  EXPECT_TRUE(healthy.report->healthy);
  EXPECT_FALSE(healthy.report->ready);
  EXPECT_FALSE(h.RecordReadiness(0, false, "503").report);
  Outcome ready = h.RecordReadiness(0, true, "200");
  ASSERT_TRUE(ready.report);
  EXPECT_TRUE(ready.report->ready);
  EXPECT_FALSE(h.RecordReadiness(0, true, "200").report);
  Outcome sick = h.Record(0, false, "500", 2 * kS);
  ASSERT_TRUE(sick.report);
  EXPECT_FALSE(sick.report->ready);  // ready needs healthy
}

}  // namespace
}  // namespace regatta::health

#include "actors/placement/backoff.h"

#include <gtest/gtest.h>

#include <capnp/message.h>

#include <cmath>
#include <limits>
#include <string>

namespace regatta::placement {
namespace {

constexpr std::int64_t kSecond = 1'000'000'000;

BackoffPolicy Policy(double seconds, double factor, double max_delay) {
  BackoffPolicy policy;
  policy.backoff_seconds = seconds;
  policy.factor = factor;
  policy.max_delay_seconds = max_delay;
  return policy;
}

TEST(LaunchDelay, GrowsGeometricallyUpToTheCeiling) {
  struct Case {
    BackoffPolicy policy;
    std::uint32_t failures;
    double want_seconds;
  };
  const BackoffPolicy marathon;  // 1 s, 1.15, 300 s
  const Case cases[] = {
      {marathon, 0, 0},
      {marathon, 1, 1.0},
      {marathon, 2, 1.15},
      {marathon, 3, 1.3225},
      {marathon, 10, 3.5178762919},
      {marathon, 20, 14.2317716460},
      {marathon, 41, 267.8635462347},
      {marathon, 42, 300},  // 1.15^41 = 308.04
      {marathon, 1000, 300},
      {marathon, std::numeric_limits<std::uint32_t>::max(), 300},  // 1.15^n is +inf
      {Policy(2, 2, 60), 1, 2},
      {Policy(2, 2, 60), 5, 32},
      {Policy(2, 2, 60), 6, 60},
      {Policy(5, 1, 300), 50, 5},  // factor 1: a constant delay
      {Policy(0, 2, 300), 50, 0},  // no backoff at all, even at 2^49
      {Policy(10, 1.5, 0), 3, 0},  // a zero ceiling wins
  };
  for (const auto& c : cases) {
    SCOPED_TRACE("failures " + std::to_string(c.failures) + " backoff " +
                 std::to_string(c.policy.backoff_seconds));
    EXPECT_NEAR(LaunchDelaySeconds(c.policy, c.failures), c.want_seconds, 1e-9);
    EXPECT_NEAR(static_cast<double>(LaunchDelayNanos(c.policy, c.failures)),
                c.want_seconds * kSecond, 1.0);
  }
}

TEST(BackoffPolicy, RejectsValuesThatMakeNoSense) {
  struct Case {
    const char* name;
    BackoffPolicy policy;
    const char* want;  // "" = valid
  };
  const double inf = std::numeric_limits<double>::infinity();
  const Case cases[] = {
      {"Marathon's defaults", BackoffPolicy{}, ""},
      {"no backoff", Policy(0, 1, 0), ""},
      {"negative backoff", Policy(-1, 1.15, 300), "backoffSeconds"},
      {"NaN backoff", Policy(std::nan(""), 1.15, 300), "backoffSeconds"},
      {"shrinking factor", Policy(1, 0.5, 300), "backoffFactor"},
      {"infinite factor", Policy(1, inf, 300), "backoffFactor"},
      {"negative ceiling", Policy(1, 1.15, -5), "maxLaunchDelaySeconds"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const Status status = domain::CheckBackoffPolicy(c.policy);
    if (std::string(c.want).empty()) {
      EXPECT_TRUE(status.ok()) << status.ToString();
    } else {
      EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
      EXPECT_NE(status.message().find(c.want), std::string::npos) << status.message();
    }
  }
}

TEST(BackoffPolicy, ComesWithTheAppsDefinitionWithMarathonsDefaults) {
  capnp::MallocMessageBuilder message;
  auto spec = message.initRoot<schema::AppSpec>();
  spec.setId("/web");
  const domain::AppDefinition defaults = domain::DecodeAppDefinition(domain::FlatSpec::Copy(spec.asReader()), "v1");
  EXPECT_EQ(defaults.backoff.backoff_seconds, 1.0);
  EXPECT_EQ(defaults.backoff.factor, 1.15);
  EXPECT_EQ(defaults.backoff.max_delay_seconds, 300.0);
  EXPECT_TRUE(defaults.notes.empty());

  // Only a log from before specs were checked can hold a shrinking factor:
  // the app keeps Marathon's defaults, and says so.
  spec.setBackoffFactor(0.9);
  const domain::AppDefinition bad = domain::DecodeAppDefinition(domain::FlatSpec::Copy(spec.asReader()), "v2");
  EXPECT_EQ(bad.backoff.factor, 1.15);
  ASSERT_EQ(bad.notes.size(), 1u);
  EXPECT_NE(bad.notes[0].find("backoffFactor"), std::string::npos);
  EXPECT_TRUE(bad.invalid.ok());
}

TEST(BackoffPolicy, OnlyTheAppsOwnFailuresCount) {
  for (int i = 0; i < domain::kTaskStateCount; ++i) {
    const auto state = static_cast<domain::TaskState>(i);
    SCOPED_TRACE(domain::TaskStateName(state));
    EXPECT_EQ(CountsTowardBackoff(state), state == domain::TaskState::FAILED || state == domain::TaskState::ERROR);
  }
}

// ------------------------------------------------------------------ BackoffState

TEST(BackoffState, EachFailurePushesTheNextLaunchFurther) {
  const BackoffPolicy policy = Policy(1, 2, 60);
  BackoffState state;
  EXPECT_TRUE(state.MayLaunch(0));

  state.RecordFailure(policy, 100 * kSecond);  // 1st: 1 s
  EXPECT_EQ(state.consecutive_failures(), 1u);
  EXPECT_EQ(state.next_launch_nanos(), 101 * kSecond);
  EXPECT_FALSE(state.MayLaunch(101 * kSecond - 1));
  EXPECT_TRUE(state.MayLaunch(101 * kSecond));

  state.RecordFailure(policy, 102 * kSecond);  // 2nd: 2 s
  state.RecordFailure(policy, 105 * kSecond);  // 3rd: 4 s
  EXPECT_EQ(state.consecutive_failures(), 3u);
  EXPECT_EQ(state.next_launch_nanos(), 109 * kSecond);
}

TEST(BackoffState, ResetsOnlyWhenATaskLaunchedAfterTheFailuresRanLongEnough) {
  BackoffPolicy policy = Policy(1, 2, 60);
  policy.reset_after_seconds = 600;
  struct Case {
    const char* name;
    std::int64_t running_since;  // the last failure was at 1000 s
    std::int64_t now;
    std::uint32_t want_failures;
  };
  const Case cases[] = {
      {"launched after, ran 599 s", 1001 * kSecond, 1600 * kSecond, 3},
      {"launched after, ran 600 s", 1001 * kSecond, 1601 * kSecond, 0},
      {"launched at the failure, ran an hour", 1000 * kSecond, 4600 * kSecond, 0},
      {"a sibling older than the failures, ran an hour", 999 * kSecond, 4600 * kSecond, 3},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    BackoffState state;
    for (std::int64_t t : {900, 950, 1000}) state.RecordFailure(policy, t * kSecond);
    state.RecordRunning(policy, c.running_since, c.now);
    EXPECT_EQ(state.consecutive_failures(), c.want_failures);
    EXPECT_EQ(state.MayLaunch(1000 * kSecond), c.want_failures == 0);
  }
}

TEST(BackoffState, ANewVersionStartsClean) {
  BackoffState state;
  state.RecordFailure(BackoffPolicy{}, 10 * kSecond);
  state.Reset();
  EXPECT_EQ(state.consecutive_failures(), 0u);
  EXPECT_TRUE(state.MayLaunch(10 * kSecond));
}

TEST(BackoffState, AHugeCeilingCannotOverflowTheClock) {
  const BackoffPolicy policy = Policy(1e30, 2, 1e30);
  BackoffState state;
  state.RecordFailure(policy, 1'700'000'000 * kSecond);
  EXPECT_GT(state.next_launch_nanos(), 1'700'000'000 * kSecond);
  EXPECT_FALSE(state.MayLaunch(std::numeric_limits<std::int64_t>::max() / 2));
}

}  // namespace
}  // namespace regatta::placement

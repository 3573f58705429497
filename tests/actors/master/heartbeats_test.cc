#include "actors/master/heartbeats.h"

#include <gtest/gtest.h>

namespace regatta::master {
namespace {

constexpr std::int64_t kMs = 1'000'000;

// Given a 5 s timeout and 100 ms ticks.
HeartbeatTick TickAt(std::int64_t now_ms, std::int64_t previous_ms) {
  return HeartbeatTick{now_ms * kMs, previous_ms * kMs, 100 * kMs, 5000 * kMs};
}

TEST(Heartbeats, ATickOnTimeJudgesAndALateOneDoesNot) {
  const struct {
    std::int64_t now_ms, previous_ms;
    bool late;
  } cases[] = {
      {10'100, 10'000, false},  // on time
      {12'600, 10'000, false},  // 2.5 s late: not more than half the timeout
      {12'700, 10'000, true},   // 2.6 s late: the mailbox was stuck
      {60'000, 10'000, true},
  };
  for (const auto& c : cases) EXPECT_EQ(TickIsLate(TickAt(c.now_ms, c.previous_ms)), c.late) << c.now_ms;
}

TEST(Heartbeats, AnAgentSilentForLongerThanTheTimeoutMissedItsHeartbeats) {
  const HeartbeatTick tick = TickAt(20'000, 19'900);
  EXPECT_FALSE(MissedHeartbeats(19'000 * kMs, tick));  // heard 1 s ago
  EXPECT_FALSE(MissedHeartbeats(15'000 * kMs, tick));  // exactly the timeout
  EXPECT_TRUE(MissedHeartbeats(14'999 * kMs, tick));
}

}  // namespace
}  // namespace regatta::master

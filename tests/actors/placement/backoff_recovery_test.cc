#include <map>

#include <gtest/gtest.h>

#include "actors/placement/backoff.h"
#include "tests/projections/fold.h"
#include "tests/support/sample_events.h"

namespace regatta::placement {
namespace {

using namespace regatta::testing;
using schema::TaskState;

constexpr std::int64_t kS = 1'000'000'000;

// /web fails at 10 s; "fresh" is launched at 20 s and RUNNING from 21 s;
// "veteran" has been RUNNING since 5 s, before the failure.
projections::ProjectionSet Cluster() {
  return Fold({
      AgentRegistered("a1", 16, 65536),
      AppDefined("/web", 2, "v1", 0),
      TaskLaunched("veteran", "/web", "a1", 0.1, 16, 0, 4 * kS), TaskStatus("veteran", TaskState::RUNNING, 5 * kS),
      TaskLaunched("fresh", "/web", "a1", 0.1, 16, 0, 20 * kS), TaskStatus("fresh", TaskState::RUNNING, 21 * kS),
  });
}

TEST(BackoffRecovery, AnAppIsForgivenOnceATaskLaunchedAfterItsFailuresRanTenMinutes) {
  const projections::ProjectionSet state = Cluster();
  std::map<std::string, BackoffState> backoff;
  backoff["/web"].RecordFailure(BackoffPolicy{}, 10 * kS);
  ForgiveRecovered(backoff, state, (21 + 599) * kS);
  EXPECT_EQ(backoff["/web"].consecutive_failures(), 1u);
  ForgiveRecovered(backoff, state, (21 + 600) * kS);
  EXPECT_EQ(backoff["/web"].consecutive_failures(), 0u);
  EXPECT_TRUE(backoff["/web"].MayLaunch(0));
}

TEST(BackoffRecovery, ATaskOlderThanTheFailuresProvesNothing) {
  projections::ProjectionSet state = Fold({
      AgentRegistered("a1", 16, 65536),
      AppDefined("/web", 2, "v1", 0),
      TaskLaunched("veteran", "/web", "a1", 0.1, 16, 0, 4 * kS), TaskStatus("veteran", TaskState::RUNNING, 5 * kS),
  });
  projections::StringMap<BackoffState> backoff;
  backoff["/web"].RecordFailure(BackoffPolicy{}, 10 * kS);
  ForgiveRecovered(backoff, state, 10'000 * kS);
  EXPECT_EQ(backoff["/web"].consecutive_failures(), 1u);
}

TEST(BackoffRecovery, AnotherAppsTasksDoNotForgiveIt) {
  const projections::ProjectionSet state = Cluster();
  std::map<std::string, BackoffState> backoff;
  backoff["/db"].RecordFailure(BackoffPolicy{}, 10 * kS);
  ForgiveRecovered(backoff, state, 10'000 * kS);
  EXPECT_EQ(backoff["/db"].consecutive_failures(), 1u);
}

}  // namespace
}  // namespace regatta::placement

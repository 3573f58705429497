// Marathon's launch backoff: an app whose tasks keep failing is relaunched
// later and later, so a crash loop does not flood the cluster.
//
// The n-th consecutive failure delays the next launch by
//     min(backoffSeconds * backoffFactor^(n-1), maxLaunchDelaySeconds).
// With Marathon's defaults (1 s, 1.15, 300 s):
//     failure  1 ->   1.000 s      failure 20 ->  14.232 s
//     failure  2 ->   1.150 s      failure 30 ->  57.575 s
//     failure  3 ->   1.323 s      failure 40 -> 232.925 s
//     failure 10 ->   3.518 s      failure 41 -> 267.864 s
//                                  failure 42 -> 300 s (1.15^41 = 308.04, capped)
// so a crash loop reaches the five-minute ceiling after about 42 failures
// (after about 34 minutes spent waiting) and stays there.
//
// Time is an input: every function takes `now` as nanoseconds on the event
// log's clock, so replaying the log replays the same decisions.
#pragma once

#include <cstdint>

#include "events/domain/app_definition.h"
#include "events/domain/task_state.h"
#include "projections/projection_set.h"

namespace regatta::placement {

// The parameters come decoded with the app's definition
// (events/domain/app_definition.h), checked by CheckBackoffPolicy.
using domain::BackoffPolicy;

// The delay before the next launch after `consecutive_failures` failures in
// a row: 0 for none. REQUIRES: CheckBackoffPolicy(policy).ok().
double LaunchDelaySeconds(const BackoffPolicy& policy, std::uint32_t consecutive_failures);
std::int64_t LaunchDelayNanos(const BackoffPolicy& policy, std::uint32_t consecutive_failures);

// Whether a task ending in `state` counts as the app failing. Only FAILED and
// ERROR do: KILLED was asked for and FINISHED is success, while LOST, GONE
// and DROPPED are the agent's trouble, and slowing the app down would not
// help it.
bool CountsTowardBackoff(domain::TaskState state);

// One app's backoff: its consecutive failures and the earliest time it may
// launch again. A plain value, owned by whoever schedules the app; one
// instance per app (Marathon keeps one delay per app, not per instance).
class BackoffState {
 public:
  // A task of the app failed at `now`.
  void RecordFailure(const BackoffPolicy& policy, std::int64_t now_nanos);
  // A task of the app has been RUNNING since `running_since`. If it was
  // launched after the last failure and has run for reset_after_seconds by
  // `now`, the app has recovered: failures and delay are forgotten. A task
  // that predates the failures proves nothing: its sibling instances may
  // still be crash-looping.
  void RecordRunning(const BackoffPolicy& policy, std::int64_t running_since_nanos,
                     std::int64_t now_nanos);
  // Forget everything: a new app version owes nothing to the old one's failures.
  void Reset() { *this = BackoffState(); }

  bool MayLaunch(std::int64_t now_nanos) const { return now_nanos >= next_launch_nanos_; }
  std::uint32_t consecutive_failures() const { return consecutive_failures_; }
  std::int64_t next_launch_nanos() const { return next_launch_nanos_; }

 private:
  std::uint32_t consecutive_failures_ = 0;
  std::int64_t last_failure_nanos_ = 0;
  std::int64_t next_launch_nanos_ = 0;
};

// One task of `app` as evidence of its recovery: RecordRunning, if the task
// is RUNNING.
inline void NoteRunning(BackoffState& backoff, const domain::AppDefinition& app, const projections::TaskInfo& task,
                        std::int64_t now_nanos) {
  if (task.state != domain::TaskState::RUNNING || task.started_nanos == 0) return;
  backoff.RecordRunning(app.backoff, task.started_nanos, now_nanos);
}

// Forgives each app in `backoff` whose tasks show it has recovered: one
// RUNNING, launched after the last failure, for reset_after_seconds by
// `now` (BackoffState::RecordRunning). Apps no longer defined are left as
// they are. Costs a walk over the tasks only while some app has failures.
template <class BackoffByApp>
void ForgiveRecovered(BackoffByApp& backoff, const projections::ProjectionSet& state, std::int64_t now_nanos) {
  bool failing = false;
  for (const auto& entry : backoff) failing = failing || entry.second.consecutive_failures() > 0;
  if (!failing) return;
  for (const auto& entry : state.scheduling().tasks()) {
    const projections::TaskInfo& task = entry.second;
    auto it = backoff.find(task.app_id);
    if (it == backoff.end() || it->second.consecutive_failures() == 0) continue;
    const domain::AppDefinition* app = state.history().Current(task.app_id);
    if (app != nullptr) NoteRunning(it->second, *app, task, now_nanos);
  }
}

}  // namespace regatta::placement

// The rollout planner: one app moving to a target version, as a pure,
// level-triggered function of what is observed now.
//
//   (target count, strategy, observed tasks with health and readiness,
//    promoted, paused, now) -> launch n new, kill these, or done, or failed
//
// It remembers nothing between calls: the deployment controller calls it
// on every relevant event and on timers with the whole picture, as a
// Kubernetes controller reconciles, so a master that restarts mid-rollout
// plans the same next step from the log alone. No clock, no CAF, no I/O.
//
// A rolling step, in the terms of strategy.h's Bounds:
//   1. Old instances that are not healthy count for nothing, so they go
//      first; then healthy old ones while more than min_healthy instances
//      would stay healthy (new ones count once ready). This is the fixpoint
//      of Marathon's "kill healthy - minHealthy, unhealthy first" re-applied
//      after each change, and of Kubernetes' scale-down of old replica sets.
//   2. New instances start while fewer than the target count exist and the
//      instances not being killed stay within max_capacity.
//   3. Marathon's one-extra rule: when min_healthy == max_capacity <=
//      healthy, one more may run, or nothing could ever be killed or started.
// So each new instance that becomes healthy and ready releases one old one.
// Worked examples (10 healthy old instances, Marathon):
//   (1.0, 1.0): kill 0, start 10;  (0.5, 0.2): kill 5, start 7;
//   (0, 0): kill 10, start 10;     (1.0, 0.0): kill 0, start 1 (the extra).
//
// Recreate: every old instance is killed, and new ones start once none
// remains. Canaries: `canaries` new instances start beside the old, and
// nothing more happens until `promoted`.
//
// A rollout that makes no progress for progress_deadline_nanos fails: no
// new instance has become ready since then, nor has the rollout started
// (Kubernetes' progressDeadline). A launch alone is no progress: a version
// that crashes is relaunched under backoff again and again, and must still
// reach its deadline.
// A paused rollout acts on nothing and does not time out; nor does one
// whose canaries are all ready and wait for their promote.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "actors/deployments/strategy.h"

namespace regatta::deployments {

struct ObservedTask {
  std::string task_id;
  bool is_new = false;    // runs the target version
  bool killing = false;   // a kill is under way: it counts for nothing
  bool healthy = false;   // running and passing its health checks (running, with none)
  bool ready = false;     // healthy, and passing its readiness checks
  std::int64_t launched_nanos = 0;
  std::int64_t ready_since_nanos = 0;  // when it last became ready; 0 = not ready
};

struct RolloutInput {
  std::uint32_t instances = 0;  // the target version's count
  Strategy strategy;
  bool promoted = false;        // canaries may give way to the rest
  bool paused = false;
  bool kill_oldest_first = false;  // Marathon's killSelection (default youngest first)
  std::int64_t now_nanos = 0;
  std::int64_t started_nanos = 0;            // when the deployment began
  std::int64_t progress_deadline_nanos = 0;  // 0 = none
  std::vector<ObservedTask> tasks;           // the app's tasks that have not ended
};

enum class Phase : std::uint8_t {
  kProgressing,
  kAwaitingPromotion,  // its canaries are all ready; it waits for promote
  kPaused,
  kComplete,           // only new instances, as many as wanted, all ready
  kFailed,             // its deadline passed without progress
};
const char* PhaseName(Phase phase);

struct Counts {
  std::uint32_t old_active = 0;   // old instances not being killed
  std::uint32_t old_healthy = 0;
  std::uint32_t new_active = 0;
  std::uint32_t new_healthy = 0;
  std::uint32_t new_ready = 0;    // ready for at least min_ready_nanos
  std::uint32_t killing = 0;      // old or new, kills under way
  std::int64_t last_progress_nanos = 0;
};

struct RolloutPlan {
  Phase phase = Phase::kProgressing;
  std::uint32_t launch = 0;        // new instances to start now
  std::vector<std::string> kill;   // tasks to kill now, in order
  Counts counts;                   // as observed, before this plan
  std::string waiting;             // for people: what the rollout waits for
  std::string failure;             // kFailed: why
};

RolloutPlan PlanRollout(const RolloutInput& in);

}  // namespace regatta::deployments

namespace regatta::deployments {

// The steps a rollout would take if every instance it starts became
// healthy and ready at once and every kill ended at once: what a dry run
// shows. Each step: what it starts and kills, and what is left after it.
struct SimulatedStep {
  std::uint32_t launch = 0;
  std::uint32_t kill = 0;
  std::uint32_t old_after = 0;
  std::uint32_t new_after = 0;
};
// At most `max_steps` steps; a rollout that cannot finish (it waits for a
// promote, say) ends where it waits. The input's time and deadline are
// ignored.
std::vector<SimulatedStep> SimulateRollout(RolloutInput in, std::size_t max_steps = 1000);

}  // namespace regatta::deployments

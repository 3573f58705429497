// The planner of the built-in `services` and `jobs` frameworks: which tasks
// of their apps to launch on which of the offers the allocator made them.
// One planner serves both; PlannerInput::kind says which apps it serves.
//
// A pure function: (state, offers, now, ids) -> plan. The framework actor
// turns the plan's accepts into domain::AcceptOffer commands and its declines
// into declines; nothing here sends, waits or reads a clock.
//
// The rules, as Marathon's launch queue applies them:
//   * Apps are served in id order. Each wants its current instance count
//     (HistoryProjection::Current); its live tasks are its non-terminal tasks in the
//     scheduling projection, whoever launched them. It launches the
//     difference, never a negative one.
//   * A service whose deployment runs launches its current version only as
//     its rollout allows (deployments::PlanAppRollout), so old versions
//     retire at the strategy's pace.
//   * A job (kind = job) runs to completion: it wants only the completions
//     it still lacks, and a failed job launches nothing (TargetFor below).
//   * An offer takes tasks while its remaining cpus, memory, disk and gpus
//     cover one more task, it has one free host port per port definition
//     (the lowest free ones, each at most once), and every constraint holds
//     given the app's tasks so far, including those planned earlier in this
//     plan.
//   * Spreading: each task goes to the acceptable offer whose agent runs the
//     fewest tasks of the app (live plus planned), ties by agent id. An app
//     of 3 on three empty agents a1..a3 gets one each; a fourth task goes to
//     a1 again.
//   * An app that cannot place everything says why: the reason most offers
//     gave ("insufficient cpus", "no offer satisfies [\"hostname\",\"UNIQUE\",\"\"]").
//
// Cost: O(T + A log A + O log O + sum over apps of (offers visited +
// placements x log O)), for T live tasks, A apps and O offers. An app visits
// offers in spreading order through a cursor and a heap and stops as soon as
// it has placed its tasks, so 1,000 apps over 10,000 offers stay in the
// milliseconds; only apps that cannot be placed walk every offer.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "actors/placement/backoff.h"
#include "events/domain/app_definition.h"
#include "events/domain/commands.h"
#include "projections/projection_set.h"

namespace regatta::frameworks {

using domain::AppDefinition;

struct PlannerInput {
  // REQUIRES: not null; read only for the duration of PlanLaunches.
  const projections::ProjectionSet* state = nullptr;
  // The apps this framework serves; those of the other kind are left alone
  // (not planned, not reported in Plan::needs).
  schema::WorkloadKind kind = schema::WorkloadKind::SERVICE;
  std::vector<domain::Offer> offers;  // this framework's outstanding offers
  std::string framework_id = "services";
  std::int64_t now_nanos = 0;
  // Apps in launch backoff (backoff.h), keyed by app id; an app listed whose
  // MayLaunch(now_nanos) is false launches nothing. May be null: no backoff.
  const projections::StringMap<placement::BackoffState>* backoff = nullptr;
  // A fresh task id for one task of the app. REQUIRES: set; never returns an
  // id in use (the master rejects the whole accept otherwise).
  std::function<std::string(std::string_view app_id)> new_task_id;
  // A task UNREACHABLE for at least this long no longer counts as live: the
  // app gets a replacement (Marathon's unreachableStrategy). 0 = never.
  std::int64_t unreachable_inactive_nanos = 0;
  // Tasks the framework has accepted offers for that the log does not show
  // yet, by app id: they count as live, or a plan made while they are on
  // their way would launch them twice. May be null: none.
  const projections::StringMap<std::uint32_t>* launching = nullptr;
};

// How many tasks one app wants live, and whether it may launch at all: the
// arithmetic PlanLaunches and ExcessTasks share, so that a job's finished
// tasks are never read as a reason to kill its running ones.
//
// A service wants its instance count, whatever became of earlier tasks.
// A job wants the completions it still lacks, counted for its current
// version only (projections::Completions; a redefined job starts over):
//     instances 5, finished 2 -> wanted 3
//     instances 5, finished 5 -> wanted 0 (done)
//     instances 3, finished 5 -> wanted 0 (scaled down after finishing)
// and it is failed once its failures exceed maxRetries: with maxRetries 3,
// the fourth failure stops it ("job failed: 4 failures, maxRetries 3").
// A failed job launches nothing more; its tasks still running are left to
// end on their own (wanted is unchanged, so ExcessTasks keeps them).
struct AppTarget {
  std::uint32_t wanted = 0;
  std::uint64_t finished = 0;  // jobs: completions of the current version
  std::uint64_t failed = 0;    // jobs: failures of the current version
  std::string stopped;         // not empty: launch nothing, and this is why
};
AppTarget TargetFor(const AppDefinition& app,
                    const projections::StringMap<projections::Completions>& completions);

// Tasks to kill, sorted by task id:
//   * of an app whose deployment runs, those its rollout retires now
//     (deployments::PlanAppRollout: old instances at the strategy's pace,
//     new ones beyond a lowered count);
//   * of every other app, whatever its kind, those beyond its wanted count
//     (TargetFor; a scale-down, a deleted app, or the originals of replaced
//     tasks that came back after a partition): newest first among the
//     reachable ones, tasks not yet RUNNING before running ones.
// Tasks already KILLING are left alone.
struct Excess {
  std::string task_id;
  std::string agent_id;
  std::string reason;  // for the log's audit: why it goes
};
std::vector<Excess> ExcessTasks(const projections::ProjectionSet& state, std::int64_t now_nanos);

// One app's arithmetic, for `why is my app waiting`. Reported for every live
// app, satisfied or not.
struct AppNeed {
  std::string app_id;
  std::uint32_t wanted = 0;
  std::uint32_t live = 0;
  std::uint32_t to_launch = 0;  // max(0, wanted - live); 0 for a failed job
  std::uint32_t planned = 0;    // how many of to_launch the plan places
  // Empty when planned == to_launch, except for a failed job, which says so.
  std::string waiting_reason;
  // A deployment runs and allows no launch now: what its rollout waits for
  // ("3 of 10 new instances ready, ..."). Empty otherwise.
  std::string rollout_waiting;
  std::uint64_t finished = 0;   // jobs: AppTarget::finished
  std::uint64_t failed = 0;     // jobs: AppTarget::failed
};

struct Plan {
  std::vector<domain::AcceptOffer> accepts;  // offers used, by agent id
  std::vector<std::string> declined_offers;  // agent ids of the offers left unused
  std::vector<AppNeed> needs;                // every live app, by id
};

Plan PlanLaunches(const PlannerInput& in);

}  // namespace regatta::frameworks

// The built-in `services` framework's planner: which tasks of the
// long-running apps to launch on which of the offers the allocator made it.
//
// A pure function: (state, offers, now, ids) -> plan. The framework actor
// turns the plan's accepts into master::AcceptOffer commands and its declines
// into declines; nothing here sends, waits or reads a clock.
//
// The rules, as Marathon's launch queue applies them:
//   * Apps are served in id order. Each wants its current instance count
//     (app_definition.h); its live tasks are its non-terminal tasks in the
//     scheduling projection, whoever launched them. It launches the
//     difference, never a negative one.
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

#include "actors/allocator/drf.h"
#include "actors/frameworks/app_definition.h"
#include "actors/master/master_core.h"
#include "actors/scheduling/backoff.h"
#include "projections/projection_set.h"

namespace regatta::frameworks {

struct PlannerInput {
  // REQUIRES: not null; read only for the duration of PlanLaunches.
  const projections::ProjectionSet* state = nullptr;
  std::vector<allocator::Offer> offers;  // this framework's outstanding offers
  std::string framework_id = "services";
  std::int64_t now_nanos = 0;
  // Apps in launch backoff (backoff.h), keyed by app id; an app listed whose
  // MayLaunch(now_nanos) is false launches nothing. May be null: no backoff.
  const projections::StringMap<scheduling::BackoffState>* backoff = nullptr;
  // A fresh task id for one task of the app. REQUIRES: set; never returns an
  // id in use (the master rejects the whole accept otherwise).
  std::function<std::string(std::string_view app_id)> new_task_id;
  // A task UNREACHABLE for at least this long no longer counts as live: the
  // app gets a replacement (Marathon's unreachableStrategy). 0 = never.
  std::int64_t unreachable_inactive_nanos = 0;
};

// Tasks beyond their app's wanted count (a scale-down, a deleted app, or
// the originals of replaced tasks that came back after a partition): which
// to kill, newest first among the reachable ones, tasks not yet RUNNING
// before running ones. Tasks already KILLING are left alone.
struct Excess {
  std::string task_id;
  std::string agent_id;
};
std::vector<Excess> ExcessTasks(const projections::ProjectionSet& state);

// One app's arithmetic, for `why is my app waiting`. Reported for every live
// app, satisfied or not.
struct AppNeed {
  std::string app_id;
  std::uint32_t wanted = 0;
  std::uint32_t live = 0;
  std::uint32_t to_launch = 0;  // max(0, wanted - live)
  std::uint32_t planned = 0;    // how many of to_launch the plan places
  std::string waiting_reason;   // empty when planned == to_launch
};

struct Plan {
  std::vector<master::AcceptOffer> accepts;  // offers used, by agent id
  std::vector<std::string> declined_offers;  // agent ids of the offers left unused
  std::vector<AppNeed> needs;                // every live app, by id
};

Plan PlanLaunches(const PlannerInput& in);

}  // namespace regatta::frameworks

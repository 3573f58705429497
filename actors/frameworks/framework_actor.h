// A built-in framework as an actor: a thin shell around a planner
// (launch_planner.h). It folds the master's committed events into its own
// projections, answers each batch of offers at once (accept with launches,
// decline the rest with a refuse timeout), revives its offers when its
// demand grows, and asks the master to kill its tasks beyond their app's
// count. `services` keeps long-running apps at their instance count;
// `jobs` runs tasks to completion and retries failures.
// CAF: include only from actor code.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "actors/master/master_actor.h"
#include "actors/protocol/wire.h"
#include "projections/projection_set.h"

namespace regatta::frameworks {

struct FrameworkConfig {
  std::string framework_id;
  std::string role = "*";
  schema::WorkloadKind kind = schema::WorkloadKind::SERVICE;
  // A task UNREACHABLE this long is replaced (Marathon's unreachableStrategy).
  std::chrono::milliseconds unreachable_inactive{std::chrono::minutes(5)};
  // What backoff, kill resends and planning read the time from.
  std::shared_ptr<const Clock> clock = SystemClock();
  // How often it revives for apps that time alone made short, and resends
  // kills; zero: never by itself (a test sends the ticks).
  std::chrono::milliseconds tick_period{1000};
};

// services and jobs, in the roles options.framework_roles gives them ("*"
// by default).
std::vector<FrameworkConfig> BuiltInFrameworks(const master::MasterOptions& options);

// `view` is the master's state at the revision from which it will send
// this actor every committed event.
protocol::framework_actor SpawnFramework(caf::actor_system& system, FrameworkConfig config,
                                         protocol::master_actor master, protocol::allocator_actor allocator,
                                         projections::ProjectionSet view);

}  // namespace regatta::frameworks

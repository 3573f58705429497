// The deployment controller as an actor: a thin shell around
// JudgeDeployments (app_rollout.h). It folds the master's committed events
// into its own view, and on every batch and every tick asks the pure core
// which running deployments have ended; each verdict goes to the master
// as an EndDeployment command, which records it (and a revert) in the log.
// It holds no deployment state of its own: a restarted master's controller
// judges the same deployments from the log. The services framework
// launches and kills at the rollout's pace from the same log.
// CAF: include only from actor code.
#pragma once

#include <chrono>
#include <memory>

#include "actors/protocol/wire.h"
#include "events/base/clock.h"
#include "projections/projection_set.h"

namespace regatta::deployments {

struct ControllerConfig {
  std::shared_ptr<const Clock> clock = SystemClock();
  // How often it judges without an event (deadlines, minReadySeconds);
  // zero: never by itself (a test sends the ticks).
  std::chrono::milliseconds tick_period{500};
};

// `view` is the master's state at the revision from which it will send
// this actor every committed event.
protocol::controller_actor SpawnDeploymentController(caf::actor_system& system, ControllerConfig config,
                                                     protocol::master_actor master, projections::ProjectionSet view);

}  // namespace regatta::deployments

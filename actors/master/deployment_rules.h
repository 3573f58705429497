// How a write of an app starts its deployment, shared by the app and the
// group decide steps. Internal to the master's core.
//
// Every new version of a service app is a deployment (Marathon's and
// Kubernetes' rule alike): DeploymentStarted goes into the same batch as
// the AppDefined, so no deployment is ever lost between the two. One runs
// per app: a second version while one runs is refused (Conflict, naming
// the running deployment) unless forced, and a forced one cancels it
// (DeploymentCanceled) in the same batch. Jobs run to completion and roll
// nothing: they get no deployment.
#pragma once

#include <string>

#include "actors/master/emitter.h"
#include "events/base/status.h"
#include "projections/projection_set.h"

namespace regatta::master {

// Conflict (field id) when a deployment of the app runs and !force.
[[nodiscard]] Status CheckDeploymentLock(const projections::ProjectionSet& state, const std::string& app_id,
                                         bool force);

// Emits DeploymentCanceled for a running deployment of the app (but not
// for `revert_of`, which has just failed), then DeploymentStarted for
// `spec` at `version`. `revert_of`: the failed deployment this one
// reverts, or empty. Decided on the state before the batch: call it after
// emitting the AppDefined. Emits nothing for a job.
void EmitDeploymentStart(const projections::ProjectionSet& state, schema::AppSpec::Reader spec,
                         const std::string& version, const std::string& revert_of, const CommandContext& context,
                         Emitter& emit);

}  // namespace regatta::master

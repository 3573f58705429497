// Deployments as Marathon's API shows them, from the history projection's
// records (the deployment engine's, actors/deployments/): the plan in
// /v2/deployments and in events, the id a write answers with, and the
// rollout's progress (a Regatta extension, GET /v2/deployments/{id}). Pure.
//
// Apps that change without a deployment of the engine (a scale, a
// deletion) still show the tracker's convergence (tracker.h) alongside.
#pragma once

#include <optional>
#include <string>

#include "api/marathon/app_json.h"
#include "projections/projection_set.h"

namespace regatta::marathon {

// Marathon's DeploymentPlan: id, version, original, target, steps.
Json EncodeDeploymentPlan(const projections::ProjectionSet& view, const std::string& id,
                          const projections::DeploymentRecord& d);

// One entry of GET /v2/deployments: id, version, affectedApps, steps,
// currentActions, currentStep, totalSteps (only keys python3-marathon knows).
Json EncodeRunningDeployment(const projections::ProjectionSet& view, const std::string& id,
                             const projections::DeploymentRecord& d);

// GET /v2/deployments/{id}: the entry above for a running one (or the
// plan for an ended one) with regattaOutcome, regattaMessage, regattaRevertedTo,
// regattaStartedAt, regattaEndedAt, and, while it runs, regattaRollout:
// the rollout planner's counts (old, new, healthy, ready, killing), phase,
// what it waits for, and the seconds left before its progress deadline.
Json EncodeDeploymentDetail(const projections::ProjectionSet& view, const std::string& id,
                            const projections::DeploymentRecord& d, std::int64_t now_nanos);

// PUT /v2/apps/{id}?dryRun=true: what the write would do, writing nothing.
// "diff": each top-level field the new definition changes, with its value
// before and after ("from" absent for a new app); "kind": create, scale
// (only the instance count changes), deploy or none; "steps": for a
// deploy, the rollout's steps if every new instance became ready at once
// (deployments::SimulateRollout), for a scale its one step.
Json EncodeDryRun(const projections::ProjectionSet& view, const domain::AppDefinition* current,
                  schema::AppSpec::Reader spec);

// The deployment a write at `revision` started, if it started one (its
// last event is the DeploymentStarted).
std::optional<std::string> DeploymentStartedAt(const projections::ProjectionSet& view, Revision revision);

}  // namespace regatta::marathon

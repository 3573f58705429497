// One app's running deployment as the log stands now: the rollout
// planner's input gathered from the projections, and the verdict the
// deployment controller records. Pure: the caller passes the time.
//
// Who acts on what:
//   * the services framework launches the plan's new instances (it holds
//     the offers) and kills the plan's tasks (it resends lost kills);
//   * the deployment controller records the outcome (JudgeDeployments):
//     succeeded once the plan is complete, failed at its progress deadline,
//     canceled when the app is gone or was redefined past it.
// Both read the same log through the same function, so neither needs the
// other's memory, and a master restarted mid-deployment plans the same
// next step.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "actors/deployments/rollout.h"
#include "projections/projection_set.h"

namespace regatta::deployments {

// The rollout of `app` toward its current version, when a deployment runs
// for it; nullopt when none does (the app then keeps whatever tasks it has
// at its instance count, as before any deployment).
std::optional<RolloutPlan> PlanAppRollout(const projections::ProjectionSet& state,
                                          const domain::AppDefinition& app, std::int64_t now_nanos);

// The plan of one running deployment: PlanRollout's, unless an app the
// app depends on (its dependencies, its groups') is still deploying; then
// nothing moves and no deadline runs until it is done (Marathon's group
// order: dependees start or scale first).
RolloutPlan PlanDeployment(const projections::ProjectionSet& state, const domain::AppDefinition& app,
                           const projections::DeploymentRecord& deployment, std::int64_t now_nanos);

// Empty, or what the app's rollout waits for among its dependees.
std::string WaitingForDependees(const projections::ProjectionSet& state, const domain::AppDefinition& app);

// Empty, or what the stop of a deleted app waits for: another deleted app
// that depended on it (by its last definition, and its groups' last) and
// still has tasks. Apps stop in reverse dependency order, as Marathon's
// group deletions do: the dependents' tasks are gone before the dependee's
// are killed.
std::string WaitingForDependents(const projections::ProjectionSet& state, const std::string& deleted_app_id);

// The planner's input for it (exposed for tests and `regatta deploy show`).
RolloutInput RolloutInputFor(const projections::ProjectionSet& state, const domain::AppDefinition& app,
                             const projections::DeploymentRecord& deployment, std::int64_t now_nanos);

// kPromote: not an end, the autoPromote of a deployment whose canaries are
// all ready.
enum class Verdict : std::uint8_t { kSucceeded, kFailed, kCanceled, kPromote };

struct DeploymentVerdict {
  std::string deployment_id;
  Verdict verdict = Verdict::kSucceeded;
  std::string message;  // failed, canceled: why
};

// Every running deployment that has reached an end, by deployment id.
std::vector<DeploymentVerdict> JudgeDeployments(const projections::ProjectionSet& state, std::int64_t now_nanos);

}  // namespace regatta::deployments

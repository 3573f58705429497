#include "actors/deployments/app_rollout.h"

#include <algorithm>
#include <map>

#include "actors/deployments/observe.h"
#include "actors/deployments/spec_strategy.h"
#include "events/domain/group_paths.h"

namespace regatta::deployments {
namespace {

// Whether the agents report health for tasks of that version: it has
// health or readiness checks. Versions are few; each spec is decoded once.
class HealthCheckedVersions {
 public:
  HealthCheckedVersions(const projections::HistoryProjection& history, const domain::AppDefinition& app)
      : history_(history), app_(app) {}

  bool operator()(std::string_view version) {
    auto it = known_.find(version);
    if (it == known_.end()) it = known_.emplace(std::string(version), Checked(version)).first;
    return it->second;
  }

 private:
  bool Checked(std::string_view version) const {
    if (version == app_.version) return HasChecks(app_.spec->root());
    const projections::AppChange* change = history_.DefinedVersion(app_.id, version);
    if (change == nullptr) return false;
    auto spec = domain::FlatSpec::FromBytes(change->spec);
    return spec.ok() && HasChecks((*spec)->root());
  }
  static bool HasChecks(schema::AppSpec::Reader spec) {
    return spec.getHealthChecks().size() > 0 || spec.getReadinessChecks().size() > 0;
  }

  const projections::HistoryProjection& history_;
  const domain::AppDefinition& app_;
  std::map<std::string, bool, std::less<>> known_;
};

SpecRollout SpecOf(const domain::AppDefinition& app) {
  auto rollout = RolloutOf(app.spec->root(), app.instances);
  if (rollout.ok()) return *rollout;
  // CheckAppSpec refused such specs before they reached the log; one from
  // an older log rolls with Marathon's defaults rather than not at all.
  SpecRollout fallback;
  fallback.strategy.bounds = MarathonBounds(app.instances, 1.0, 1.0);
  return fallback;
}

// What the app depends on, as absolute ids: its own dependencies, and
// those of every explicit group it lies in (Marathon's rule).
std::vector<std::string> DependenciesOf(const projections::HistoryProjection& history, const domain::AppDefinition& app) {
  std::vector<std::string> out;
  const std::string parent = domain::ParentPath(app.id);
  for (auto dependency : app.spec->root().getDependencies()) {
    if (auto resolved = domain::ResolvePath(parent, dependency.cStr())) out.push_back(*resolved);
  }
  for (std::string group = parent; group != "/"; group = domain::ParentPath(group)) {
    if (const projections::GroupChange* g = history.CurrentGroup(group)) {
      out.insert(out.end(), g->dependencies.begin(), g->dependencies.end());
    }
  }
  return out;
}

// What a deleted app depended on when it was last defined: its own
// dependencies and those of the groups it lay in, as they last were.
std::vector<std::string> LastDependenciesOf(const projections::HistoryProjection& history, const std::string& app_id) {
  std::vector<std::string> out;
  auto app = history.apps().find(app_id);
  if (app == history.apps().end()) return out;
  const std::string parent = domain::ParentPath(app_id);
  for (auto change = app->second.changes.rbegin(); change != app->second.changes.rend(); ++change) {
    if (change->kind != projections::ChangeKind::kDefined) continue;
    auto spec = domain::FlatSpec::FromBytes(change->spec);
    if (!spec.ok()) break;
    for (auto dependency : (*spec)->root().getDependencies()) {
      if (auto resolved = domain::ResolvePath(parent, dependency.cStr())) out.push_back(*resolved);
    }
    break;
  }
  for (std::string group = parent; group != "/"; group = domain::ParentPath(group)) {
    auto g = history.groups().find(group);
    if (g == history.groups().end()) continue;
    for (auto change = g->second.changes.rbegin(); change != g->second.changes.rend(); ++change) {
      if (change->deleted) continue;
      out.insert(out.end(), change->dependencies.begin(), change->dependencies.end());
      break;
    }
  }
  return out;
}

}  // namespace

std::string WaitingForDependents(const projections::ProjectionSet& state, const std::string& deleted_app_id) {
  for (const auto& [other, history] : state.history().apps()) {
    if (other == deleted_app_id || !history.deleted || state.scheduling().TaskIdsOf(other).empty()) continue;
    for (const std::string& dependency : LastDependenciesOf(state.history(), other)) {
      if (domain::IsUnder(deleted_app_id, dependency)) return "waiting for " + other + " (which depends on it) to stop";
    }
  }
  return "";
}

std::string WaitingForDependees(const projections::ProjectionSet& state, const domain::AppDefinition& app) {
  const std::vector<std::string> dependencies = DependenciesOf(state.history(), app);
  if (dependencies.empty()) return "";
  for (const auto& [other, deployment] : state.history().running_deployments()) {
    if (other == app.id) continue;
    for (const std::string& dependency : dependencies) {
      if (domain::IsUnder(other, dependency)) return "waiting for " + other + " (a dependency) to finish deploying";
    }
  }
  return "";
}

RolloutInput RolloutInputFor(const projections::ProjectionSet& state, const domain::AppDefinition& app,
                             const projections::DeploymentRecord& deployment, std::int64_t now_nanos) {
  const SpecRollout spec = SpecOf(app);
  RolloutInput in;
  in.instances = app.instances;
  in.strategy = spec.strategy;
  in.kill_oldest_first = app.spec->root().getKillSelection() == schema::KillSelection::OLDEST_FIRST;
  in.now_nanos = now_nanos;
  in.started_nanos = deployment.started.time_nanos;
  in.paused = deployment.paused;
  in.promoted = deployment.promoted;
  in.progress_deadline_nanos = spec.progress_deadline_nanos;
  HealthCheckedVersions checked(state.history(), app);
  in.tasks = ObserveTasks(state.scheduling(), app.id, app.version,
                          [&checked](std::string_view version) { return checked(version); });
  return in;
}

std::optional<RolloutPlan> PlanAppRollout(const projections::ProjectionSet& state,
                                          const domain::AppDefinition& app, std::int64_t now_nanos) {
  const std::string* id = state.history().RunningDeployment(app.id);
  if (id == nullptr) return std::nullopt;
  const projections::DeploymentRecord& deployment = state.history().deployments().find(*id)->second;
  if (deployment.to_version != app.version) return std::nullopt;  // superseded: JudgeDeployments cancels it
  return PlanDeployment(state, app, deployment, now_nanos);
}

RolloutPlan PlanDeployment(const projections::ProjectionSet& state, const domain::AppDefinition& app,
                           const projections::DeploymentRecord& deployment, std::int64_t now_nanos) {
  RolloutInput in = RolloutInputFor(state, app, deployment, now_nanos);
  if (std::string waiting = WaitingForDependees(state, app); !waiting.empty()) {
    // Nothing moves, and no deadline runs, until the dependees are ready.
    in.paused = true;
    RolloutPlan held = PlanRollout(in);
    if (held.phase == Phase::kComplete) return held;
    held.phase = Phase::kProgressing;
    held.waiting = std::move(waiting);
    return held;
  }
  return PlanRollout(in);
}

std::vector<DeploymentVerdict> JudgeDeployments(const projections::ProjectionSet& state, std::int64_t now_nanos) {
  std::map<std::string, DeploymentVerdict> out;  // one verdict per deployment, in id order
  for (const auto& [app_id, deployment_id] : state.history().running_deployments()) {
    if (out.count(deployment_id)) continue;
    const domain::AppDefinition* app = state.history().Current(app_id);
    const projections::DeploymentRecord& d = state.history().deployments().find(deployment_id)->second;
    DeploymentVerdict v{deployment_id, Verdict::kCanceled, ""};
    if (app == nullptr) {
      v.message = "app " + app_id + " was deleted";
    } else if (app->version != d.to_version) {
      v.message = "app " + app_id + " was redefined at version " + app->version;
    } else {
      const RolloutPlan plan = PlanDeployment(state, *app, d, now_nanos);
      if (plan.phase == Phase::kComplete) {
        v.verdict = Verdict::kSucceeded;
      } else if (plan.phase == Phase::kFailed) {
        v.verdict = Verdict::kFailed;
        v.message = plan.failure;
      } else if (plan.phase == Phase::kAwaitingPromotion && SpecOf(*app).auto_promote) {
        v.verdict = Verdict::kPromote;
        v.message = "autoPromote: every canary is ready";
      } else {
        continue;
      }
    }
    out.emplace(deployment_id, std::move(v));
  }
  std::vector<DeploymentVerdict> verdicts;
  for (auto& [id, v] : out) verdicts.push_back(std::move(v));
  return verdicts;
}

}  // namespace regatta::deployments

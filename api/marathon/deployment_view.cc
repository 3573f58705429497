#include "api/marathon/deployment_view.h"

#include <algorithm>
#include <set>

#include "actors/deployments/app_rollout.h"
#include "actors/deployments/observe.h"
#include "actors/deployments/spec_strategy.h"
#include "api/marathon/views.h"

namespace regatta::marathon {
namespace {

using projections::DeploymentRecord;

std::string ActionOf(const DeploymentRecord& d) {
  return d.from_version.empty() ? "StartApplication" : "RestartApplication";
}

Json Steps(const DeploymentRecord& d) {
  Json actions = Json::array();
  for (const std::string& app : d.apps) actions.push_back({{"action", ActionOf(d)}, {"app", app}});
  return Json::array({{{"actions", std::move(actions)}}});
}

Json GroupOf(const projections::ProjectionSet& view, const DeploymentRecord& d, const std::string& version) {
  Json apps = Json::array();
  for (const std::string& id : d.apps) {
    const projections::AppChange* change = view.history().DefinedVersion(id, version);
    if (change == nullptr) continue;
    auto spec = domain::FlatSpec::FromBytes(change->spec);
    if (spec.ok()) apps.push_back(EncodeApp((*spec)->root(), version));
  }
  return {{"id", "/"}, {"apps", std::move(apps)}, {"groups", Json::array()}, {"dependencies", Json::array()},
          {"version", Timestamp(d.started.time_nanos)}};
}

Json Rollout(const projections::ProjectionSet& view, const DeploymentRecord& d, std::int64_t now) {
  if (d.apps.size() != 1) return nullptr;
  const domain::AppDefinition* app = view.history().Current(d.apps.front());
  if (app == nullptr || app->version != d.to_version) return nullptr;
  const deployments::RolloutInput in = deployments::RolloutInputFor(view, *app, d, now);
  const deployments::RolloutPlan plan = deployments::PlanDeployment(view, *app, d, now);
  const deployments::Counts& c = plan.counts;
  Json out = {{"phase", deployments::PhaseName(plan.phase)}, {"instances", in.instances},
              {"old", c.old_active}, {"oldHealthy", c.old_healthy}, {"new", c.new_active},
              {"newHealthy", c.new_healthy}, {"newReady", c.new_ready}, {"killing", c.killing},
              {"waiting", plan.waiting}};
  if (in.progress_deadline_nanos > 0) {
    const std::int64_t left = c.last_progress_nanos + in.progress_deadline_nanos - now;
    out["deadlineSecondsLeft"] = std::max<std::int64_t>(0, left) / 1'000'000'000;
  }
  return out;
}

Json Diff(const Json& before, const Json& after) {
  Json out = Json::array();
  std::set<std::string> keys;
  for (const auto& [k, v] : before.items()) keys.insert(k);
  for (const auto& [k, v] : after.items()) keys.insert(k);
  for (const std::string& key : keys) {
    if (key == "version") continue;
    const bool was = before.contains(key);
    const bool is = after.contains(key);
    if (was && is && before[key] == after[key]) continue;
    Json change = {{"field", key}};
    if (was) change["from"] = before[key];
    if (is) change["to"] = after[key];
    out.push_back(std::move(change));
  }
  return out;
}

Json Steps(const std::vector<deployments::SimulatedStep>& steps) {
  Json out = Json::array();
  for (const auto& s : steps) {
    out.push_back({{"start", s.launch}, {"kill", s.kill}, {"oldAfter", s.old_after}, {"newAfter", s.new_after}});
  }
  return out;
}

}  // namespace

Json EncodeDryRun(const projections::ProjectionSet& view, const domain::AppDefinition* current,
                  schema::AppSpec::Reader spec) {
  const std::string id = spec.getId();
  const Json after = EncodeApp(spec, "");
  const Json before = current != nullptr ? EncodeApp(current->spec->root(), "") : Json::object();
  Json out = {{"dryRun", true}, {"id", id}, {"diff", Diff(before, after)}};
  if (current == nullptr) {
    out["kind"] = "create";
    out["steps"] = Json::array({{{"start", spec.getInstances()}, {"kill", 0}, {"oldAfter", 0}, {"newAfter", spec.getInstances()}}});
    return out;
  }
  Json without_count_before = before, without_count_after = after;
  without_count_before.erase("instances");
  without_count_after.erase("instances");
  if (without_count_before == without_count_after) {
    const std::uint32_t from = current->instances, to = spec.getInstances();
    out["kind"] = from == to ? "none" : "scale";
    out["steps"] = from == to ? Json::array()
                              : Json::array({{{"start", to > from ? to - from : 0}, {"kill", from > to ? from - to : 0},
                                              {"oldAfter", 0}, {"newAfter", to}}});
    return out;
  }
  out["kind"] = "deploy";
  auto rollout = deployments::RolloutOf(spec);
  deployments::RolloutInput in;
  in.instances = spec.getInstances();
  if (rollout.ok()) in.strategy = rollout->strategy;
  const bool checked = current->spec->root().getHealthChecks().size() > 0 || current->spec->root().getReadinessChecks().size() > 0;
  in.tasks = deployments::ObserveTasks(view.scheduling(), id, "", [checked](std::string_view) { return checked; });
  out["steps"] = Steps(deployments::SimulateRollout(in));
  return out;
}

Json EncodeDeploymentPlan(const projections::ProjectionSet& view, const std::string& id, const DeploymentRecord& d) {
  return {{"id", id}, {"version", d.to_version}, {"original", GroupOf(view, d, d.from_version)},
          {"target", GroupOf(view, d, d.to_version)}, {"steps", Steps(d)}};
}

Json EncodeRunningDeployment(const projections::ProjectionSet&, const std::string& id, const DeploymentRecord& d) {
  Json current = Json::array();
  for (const std::string& app : d.apps) {
    current.push_back({{"action", ActionOf(d)}, {"app", app}, {"readinessCheckResults", Json::array()}});
  }
  const std::size_t done = d.steps_completed.size();
  return {{"id", id}, {"version", d.to_version}, {"affectedApps", d.apps}, {"affectedPods", Json::array()},
          {"steps", Steps(d)}, {"currentActions", std::move(current)},
          {"currentStep", std::min<std::size_t>(done + 1, std::max<std::uint32_t>(d.total_steps, 1))},
          {"totalSteps", std::max<std::uint32_t>(d.total_steps, 1)}};
}

Json EncodeDeploymentDetail(const projections::ProjectionSet& view, const std::string& id, const DeploymentRecord& d,
                            std::int64_t now_nanos) {
  Json out = EncodeRunningDeployment(view, id, d);
  out["regattaOutcome"] = projections::DeploymentOutcomeName(d.outcome);
  out["regattaFromVersion"] = d.from_version;
  out["regattaStartedAt"] = Timestamp(d.started.time_nanos);
  out["regattaPrincipal"] = d.started.principal;
  if (!d.revert_of.empty()) out["regattaRevertOf"] = d.revert_of;
  out["regattaPaused"] = d.paused;
  out["regattaPromoted"] = d.promoted;
  if (d.outcome == projections::DeploymentOutcome::kRunning) {
    out["regattaRollout"] = Rollout(view, d, now_nanos);
  } else {
    out["regattaEndedAt"] = Timestamp(d.ended.time_nanos);
    out["regattaMessage"] = d.message;
    if (!d.reverted_to.empty()) out["regattaRevertedTo"] = d.reverted_to;
  }
  return out;
}

std::optional<std::string> DeploymentStartedAt(const projections::ProjectionSet& view, Revision revision) {
  const auto& all = view.history().deployments();
  for (const auto& [app, id] : view.history().running_deployments()) {
    if (all.find(id)->second.started.revision == revision) return id;
  }
  for (const auto& [id, d] : all) {  // ended already (an app of 0 instances)
    if (d.started.revision == revision) return id;
  }
  return std::nullopt;
}

}  // namespace regatta::marathon

#include "api/marathon/views.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "api/marathon/deployment_view.h"
#include "api/marathon/json_text.h"
#include "events/base/time_format.h"
#include "events/domain/task_state.h"

namespace regatta::marathon {
namespace {

std::string HostOf(const std::string& address) {
  const std::size_t colon = address.rfind(':');
  return colon == std::string::npos ? address : address.substr(0, colon);
}

struct Counts {
  std::uint32_t staged = 0, running = 0, healthy = 0, unhealthy = 0;
};

Counts CountTasks(const ProjectionSet& view, const Tracker& tracker, const domain::AppDefinition& app) {
  Counts c;
  const bool checked = app.spec->root().getHealthChecks().size() > 0;
  for (const std::string& id : tracker.TasksOf(app.id)) {
    auto task = view.scheduling().tasks().find(id);
    if (task == view.scheduling().tasks().end()) continue;
    const auto state = task->second.state;
    if (state == schema::TaskState::STAGING || state == schema::TaskState::STARTING) ++c.staged;
    if (state != schema::TaskState::RUNNING) continue;
    ++c.running;
    if (!checked) continue;
    if (task->second.healthy) ++c.healthy;
    else ++c.unhealthy;
  }
  return c;
}

// Marathon's versionInfo: the last scaling and the last change of definition.
Json VersionInfo(const ProjectionSet& view, const std::string& app_id) {
  auto history = view.history().apps().find(app_id);
  std::int64_t scaled = 0, configured = 0;
  if (history != view.history().apps().end()) {
    for (const auto& change : history->second.changes) {
      if (change.kind == projections::ChangeKind::kDefined) configured = scaled = change.audit.time_nanos;
      if (change.kind == projections::ChangeKind::kScaled) scaled = change.audit.time_nanos;
    }
  }
  return {{"lastScalingAt", Timestamp(scaled)}, {"lastConfigChangeAt", Timestamp(configured)}};
}

Json LastFailure(const TaskFailure& f) {
  return {{"appId", f.app_id}, {"host", f.host}, {"message", f.message},
          {"state", domain::TaskStateName(f.state)}, {"taskId", f.task_id}, {"timestamp", Timestamp(f.time_nanos)},
          {"version", f.version}, {"slaveId", f.agent_id}};
}

Json TaskStats(const ProjectionSet& view, const Tracker& tracker, const domain::AppDefinition& app,
               std::int64_t now_nanos) {
  const Counts c = CountTasks(view, tracker, app);
  std::vector<double> lifetimes;
  for (const std::string& id : tracker.TasksOf(app.id)) {
    auto task = view.scheduling().tasks().find(id);
    if (task == view.scheduling().tasks().end() || task->second.started_nanos == 0) continue;
    lifetimes.push_back(static_cast<double>(now_nanos - task->second.started_nanos) / 1e9);
  }
  Json stats = {{"counts", {{"staged", c.staged}, {"running", c.running}, {"healthy", c.healthy},
                            {"unhealthy", c.unhealthy}}}};
  if (!lifetimes.empty()) {
    std::sort(lifetimes.begin(), lifetimes.end());
    double sum = 0;
    for (double l : lifetimes) sum += l;
    stats["lifeTime"] = {{"averageSeconds", sum / static_cast<double>(lifetimes.size())},
                         {"medianSeconds", lifetimes[lifetimes.size() / 2]}};
  }
  return {{"totalSummary", {{"stats", std::move(stats)}}}};
}

Json Group(const ProjectionSet& view, const std::string& app_id) {
  Json apps = Json::array();
  if (const domain::AppDefinition* app = view.history().Current(app_id)) {
    apps.push_back(EncodeApp(app->spec->root(), app->version));
  }
  return {{"id", "/"}, {"apps", std::move(apps)}, {"groups", Json::array()}, {"dependencies", Json::array()},
          {"version", Timestamp(view.last_time_nanos())}};
}

}  // namespace

std::string Timestamp(std::int64_t nanos) { return FormatRfc3339(nanos); }

std::string EmbedKey(const Embed& e) {
  std::string key;
  for (bool flag : {e.tasks, e.counts, e.deployments, e.last_task_failure, e.task_stats, e.readiness}) {
    key += flag ? '1' : '0';
  }
  return key;
}

Embed ParseEmbed(const std::vector<std::string>& values, Embed e) {
  for (std::string v : values) {
    if (v.rfind("apps.", 0) == 0) v = v.substr(5);
    else if (v.rfind("app.", 0) == 0) v = v.substr(4);
    if (v == "tasks") e.tasks = e.deployments = true;
    else if (v == "counts") e.counts = true;
    else if (v == "deployments") e.deployments = true;
    else if (v == "lastTaskFailure") e.last_task_failure = true;
    else if (v == "failures") e.tasks = e.last_task_failure = e.deployments = true;
    else if (v == "taskStats") e.task_stats = true;
    else if (v == "readiness") e.readiness = true;
  }
  return e;
}

void WriteTask(std::string& out, const ProjectionSet& view, const std::string& task_id,
               const projections::TaskInfo& task, bool with_service_ports) {
  const domain::AppDefinition* app = view.history().Current(task.app_id);
  std::string ip = "127.0.0.1";
  auto agent = view.scheduling().agents().find(task.agent_id);
  if (agent != view.scheduling().agents().end() && !agent->second.address.empty()) ip = HostOf(agent->second.address);
  JsonText t(out);
  t.Open('{').Key("id").String(task_id).Key("appId").String(task.app_id).Key("host").String(task.hostname);
  t.Key("slaveId").String(task.agent_id).Key("ports").Open('[');
  for (std::uint32_t port : task.host_ports) t.Number(port);
  t.Close(']').Key("servicePorts").Open('[');
  if (with_service_ports && app != nullptr) {
    for (auto p : app->spec->root().getPortDefinitions()) t.Number(p.getPort());
    for (auto m : app->spec->root().getPortMappings()) t.Number(m.getServicePort());
  }
  t.Close(']').Key("stagedAt").String(Timestamp(task.launched_nanos)).Key("version").String(task.app_version);
  t.Key("state").String(domain::TaskStateName(task.state));
  t.Key("ipAddresses").Open('[').Open('{').Key("ipAddress").String(ip).Key("protocol").String("IPv4").Close('}');
  t.Close(']').Key("localVolumes").Open('[').Close(']').Key("role").String(task.role.empty() ? "*" : task.role);
  if (task.started_nanos != 0) t.Key("startedAt").String(Timestamp(task.started_nanos));
  if (app != nullptr && app->spec->root().getHealthChecks().size() > 0 && task.state == schema::TaskState::RUNNING) {
    t.Key("healthCheckResults").Open('[').Open('{').Key("alive").Bool(task.healthy);
    t.Key("consecutiveFailures").Number(task.healthy ? 0 : 1).Key("taskId").String(task_id);
    if (!task.healthy && !task.message.empty()) t.Key("lastFailureCause").String(task.message);
    t.Close('}').Close(']');
  }
  t.Close('}');
}

Json EncodeTask(const ProjectionSet& view, const std::string& task_id, const projections::TaskInfo& task,
                bool with_service_ports) {
  std::string text;
  WriteTask(text, view, task_id, task, with_service_ports);
  return Json::parse(text);
}

Json EncodeAppInfo(const ProjectionSet& view, const Tracker& tracker, const domain::AppDefinition& app,
                   const Embed& embed) {
  Json out = EncodeApp(app.spec->root(), app.version);
  out["instances"] = app.instances;  // after scaling, which writes no new spec
  out["versionInfo"] = VersionInfo(view, app.id);
  if (embed.counts) {
    const Counts c = CountTasks(view, tracker, app);
    out["tasksStaged"] = c.staged;
    out["tasksRunning"] = c.running;
    out["tasksHealthy"] = c.healthy;
    out["tasksUnhealthy"] = c.unhealthy;
  }
  if (embed.deployments) {
    Json deployments = Json::array();
    if (const std::string* running = view.history().RunningDeployment(app.id)) {
      deployments.push_back({{"id", *running}});
    } else if (auto it = tracker.converging().find(app.id); it != tracker.converging().end()) {
      deployments.push_back({{"id", DeploymentId(it->second.since)}});
    }
    out["deployments"] = std::move(deployments);
  }
  if (embed.tasks) {
    Json tasks = Json::array();
    for (const std::string& id : tracker.TasksOf(app.id)) {
      auto task = view.scheduling().tasks().find(id);
      if (task != view.scheduling().tasks().end()) tasks.push_back(EncodeTask(view, id, task->second, false));
    }
    out["tasks"] = std::move(tasks);
  }
  if (embed.last_task_failure) {
    if (const TaskFailure* f = tracker.LastFailure(app.id)) out["lastTaskFailure"] = LastFailure(*f);
  }
  if (embed.task_stats) out["taskStats"] = TaskStats(view, tracker, app, view.last_time_nanos());
  if (embed.readiness) out["readinessCheckResults"] = Json::array();
  // Only when there is something to say: python3-marathon 0.13 fails on
  // keys it does not know. The app's revision is its ETag header.
  if (!app.notes.empty()) out["regattaNotes"] = app.notes;
  return out;
}

Json EncodeVersions(const ProjectionSet& view, const std::string& app_id) {
  Json versions = Json::array();
  Json audit = Json::array();
  auto history = view.history().apps().find(app_id);
  if (history != view.history().apps().end()) {
    for (const auto& change : history->second.changes) {
      if (change.kind != projections::ChangeKind::kDefined) continue;
      // An automatic revert defines a version again: listed once.
      if (std::find(versions.begin(), versions.end(), change.version) == versions.end()) {
        versions.push_back(change.version);
      }
      audit.push_back({{"version", change.version}, {"revision", change.audit.revision},
                       {"principal", change.audit.principal}, {"reason", change.audit.reason},
                       {"time", Timestamp(change.audit.time_nanos)}});
    }
  }
  return {{"versions", std::move(versions)}, {"regattaVersions", std::move(audit)}};
}

std::optional<Json> EncodeVersion(const ProjectionSet& view, const std::string& app_id, const std::string& version) {
  auto history = view.history().apps().find(app_id);
  if (history == view.history().apps().end()) return std::nullopt;
  for (const auto& change : history->second.changes) {
    if (change.kind != projections::ChangeKind::kDefined || change.version != version) continue;
    auto spec = domain::FlatSpec::FromBytes(change.spec);
    if (!spec.ok()) return std::nullopt;
    Json app = EncodeApp((*spec)->root(), change.version);
    app["regattaRevision"] = change.audit.revision;
    app["regattaPrincipal"] = change.audit.principal;
    app["regattaReason"] = change.audit.reason;
    return app;
  }
  return std::nullopt;
}

Json EncodeQueue(const ProjectionSet& view, const Tracker& tracker, std::int64_t now_nanos) {
  Json queue = Json::array();
  for (const domain::AppDefinition* app : projections::LiveApps(view.history())) {
    std::uint32_t live = 0;
    for (const std::string& id : tracker.TasksOf(app->id)) live += view.scheduling().tasks().count(id) ? 1 : 0;
    if (live >= app->instances) continue;
    const placement::BackoffState* backoff = tracker.Backoff(app->id);
    const std::int64_t wait = backoff == nullptr ? 0 : std::max<std::int64_t>(0, backoff->next_launch_nanos() - now_nanos);
    Json summary = {{"processedOffersCount", 0}, {"unusedOffersCount", 0}};
    auto converging = tracker.converging().find(app->id);
    const std::int64_t since = converging != tracker.converging().end() ? converging->second.since_nanos : now_nanos;
    Json item = {{"app", EncodeAppInfo(view, tracker, *app, Embed{false, true, true, true, false, false})},
                 {"count", app->instances - live},
                 {"delay", {{"timeLeftSeconds", static_cast<std::int64_t>(std::ceil(static_cast<double>(wait) / 1e9))},
                            {"overdue", wait == 0}}},
                 {"since", Timestamp(since)},
                 {"processedOffersSummary", std::move(summary)}};
    queue.push_back(std::move(item));
  }
  return {{"queue", std::move(queue)}};
}

Json EncodePlan(const ProjectionSet& view, const Convergence& c) {
  const domain::AppDefinition* app = view.history().Current(c.app_id);
  Json step = {{"actions", Json::array({{{"action", c.action}, {"app", c.app_id}}})}};
  return {{"id", DeploymentId(c.since)}, {"version", app ? app->version : Timestamp(c.since_nanos)},
          {"original", Group(view, c.app_id)}, {"target", Group(view, c.app_id)},
          {"steps", Json::array({step})}};
}

Json EncodeDeployments(const ProjectionSet& view, const Tracker& tracker) {
  Json out = Json::array();
  std::set<std::string> shown;
  for (const auto& [app_id, id] : view.history().running_deployments()) {
    if (shown.insert(id).second) out.push_back(EncodeRunningDeployment(view, id, view.history().deployments().find(id)->second));
  }
  for (const auto& [app_id, c] : tracker.converging()) {
    if (view.history().RunningDeployment(app_id) != nullptr) continue;
    const domain::AppDefinition* app = view.history().Current(app_id);
    Json action = {{"action", c.action}, {"app", app_id}};
    Json current = action;
    current["readinessCheckResults"] = Json::array();
    out.push_back({{"id", DeploymentId(c.since)}, {"version", app ? app->version : Timestamp(c.since_nanos)},
                   {"affectedApps", Json::array({app_id})}, {"affectedPods", Json::array()},
                   {"steps", Json::array({{{"actions", Json::array({action})}}})},
                   {"currentActions", Json::array({current})}, {"currentStep", 1}, {"totalSteps", 1}});
  }
  return out;
}

Json DeploymentResult(const std::string& deployment_id, std::int64_t time_nanos) {
  return {{"version", Timestamp(time_nanos)}, {"deploymentId", deployment_id}};
}

}  // namespace regatta::marathon

#include "api/marathon/event_json.h"

#include "api/marathon/deployment_view.h"
#include "api/marathon/views.h"
#include "events/domain/task_state.h"

namespace regatta::marathon {
namespace {

std::string Text(capnp::Text::Reader t) { return {t.cStr(), t.size()}; }

MarathonEvent Make(const std::string& type, std::int64_t at, Json fields) {
  fields["eventType"] = type;
  fields["timestamp"] = Timestamp(at);
  return {type, std::move(fields)};
}

// Marathon's instance conditions, by task state.
const char* Condition(schema::TaskState state) {
  switch (state) {
    case schema::TaskState::STAGING: return "Staging";
    case schema::TaskState::STARTING: return "Starting";
    case schema::TaskState::RUNNING: return "Running";
    case schema::TaskState::KILLING: return "Killing";
    case schema::TaskState::FINISHED: return "Finished";
    case schema::TaskState::FAILED: return "Failed";
    case schema::TaskState::KILLED: return "Killed";
    case schema::TaskState::ERROR: return "Error";
    case schema::TaskState::DROPPED: return "Dropped";
    case schema::TaskState::LOST: return "Gone";
    case schema::TaskState::UNREACHABLE: return "Unreachable";
    case schema::TaskState::GONE: return "Gone";
    case schema::TaskState::UNKNOWN: return "Unknown";
  }
  return "Unknown";
}

Json IpAddresses(const projections::ProjectionSet& view, const std::string& agent_id) {
  std::string ip = "127.0.0.1";
  auto agent = view.scheduling().agents().find(agent_id);
  if (agent != view.scheduling().agents().end()) {
    const std::string& a = agent->second.address;
    ip = a.substr(0, a.rfind(':'));
  }
  return Json::array({{{"ipAddress", ip}, {"protocol", "IPv4"}}});
}

std::vector<MarathonEvent> StatusEvents(const std::string& task_id, const std::string& app_id,
                                        const std::string& agent_id, const std::string& host,
                                        const std::vector<std::uint32_t>& ports, const std::string& version,
                                        schema::TaskState state, const std::string& message, std::int64_t at,
                                        const projections::ProjectionSet& view) {
  std::vector<MarathonEvent> out;
  out.push_back(Make("status_update_event", at,
                     {{"slaveId", agent_id}, {"taskId", task_id}, {"taskStatus", domain::TaskStateName(state)},
                      {"message", message}, {"appId", app_id}, {"host", host},
                      {"ipAddresses", IpAddresses(view, agent_id)}, {"ports", ports}, {"version", version}}));
  out.push_back(Make("instance_changed_event", at,
                     {{"instanceId", task_id}, {"condition", Condition(state)}, {"runSpecId", app_id},
                      {"agentId", agent_id}, {"host", host}, {"runSpecVersion", version}}));
  return out;
}

// The check that failed, as the app's JSON shows it (null if its version
// is gone from the history).
Json HealthCheckOf(const projections::ProjectionSet& view, const projections::TaskInfo& task, std::uint32_t index) {
  const projections::AppChange* change = view.history().DefinedVersion(task.app_id, task.app_version);
  if (change == nullptr) return nullptr;
  auto spec = domain::FlatSpec::FromBytes(change->spec);
  if (!spec.ok()) return nullptr;
  const Json app = EncodeApp((*spec)->root(), task.app_version);
  if (!app.contains("healthChecks") || index >= app["healthChecks"].size()) return nullptr;
  return app["healthChecks"][index];
}

std::vector<MarathonEvent> AppEvents(const Event& event, const projections::ProjectionSet& before) {
  auto e = event.envelope.getEvent();
  const std::int64_t at = event.envelope.getTimeNanos();
  std::vector<MarathonEvent> out;
  std::string app_id;
  std::string action = "ScaleApplication";
  std::string version;
  if (e.isAppDefined()) {
    auto defined = e.getAppDefined();
    app_id = Text(defined.getSpec().getId());
    version = Text(defined.getVersion());
    action = before.history().Current(app_id) == nullptr ? "StartApplication" : "RestartApplication";
    out.push_back(Make("api_post_event", at,
                       {{"clientIp", Text(event.envelope.getPrincipal())}, {"uri", "/v2/apps" + app_id},
                        {"appDefinition", EncodeApp(defined.getSpec(), version)}}));
  } else if (e.isAppScaled()) {
    app_id = Text(e.getAppScaled().getAppId());
  } else {
    app_id = Text(e.getAppDeleted().getAppId());
    action = "StopApplication";
    out.push_back(Make("app_terminated_event", at, {{"appId", app_id}}));
  }
  if (version.empty()) {
    const domain::AppDefinition* app = before.history().Current(app_id);
    version = app != nullptr ? app->version : Timestamp(at);
  }
  Json step = {{"actions", Json::array({{{"action", action}, {"app", app_id}}})}};
  Json group = {{"id", "/"}, {"apps", Json::array()}, {"groups", Json::array()}, {"dependencies", Json::array()},
                {"version", Timestamp(at)}};
  Json plan = {{"id", DeploymentId(event.revision)}, {"version", version}, {"original", group},
               {"target", group}, {"steps", Json::array({step})}};
  out.push_back(Make("group_change_success", at, {{"groupId", "/"}, {"version", Timestamp(at)}}));
  // A service's new version has the engine's deployment, whose
  // DeploymentStarted (next in the batch) says deployment_info.
  const bool engine_deploys = e.isAppDefined() && e.getAppDefined().getSpec().getKind() == schema::WorkloadKind::SERVICE;
  if (!engine_deploys) {
    out.push_back(Make("deployment_info", at, {{"plan", std::move(plan)}, {"currentStep", std::move(step)}}));
  }
  return out;
}

// The engine's deployment events, with Marathon's plan.
std::vector<MarathonEvent> DeploymentEvents(const Event& event, const projections::ProjectionSet& before) {
  auto e = event.envelope.getEvent();
  const std::int64_t at = event.envelope.getTimeNanos();
  if (e.isDeploymentStarted()) {
    auto s = e.getDeploymentStarted();
    projections::DeploymentRecord d;
    for (auto app : s.getAffectedApps()) d.apps.push_back(Text(app));
    d.from_version = Text(s.getFromVersion());
    d.to_version = Text(s.getToVersion());
    d.total_steps = s.getSteps().size();
    d.started.time_nanos = at;
    Json plan = EncodeDeploymentPlan(before, Text(s.getDeploymentId()), d);
    Json step = plan["steps"][0];
    return {Make("deployment_info", at, {{"plan", std::move(plan)}, {"currentStep", std::move(step)}})};
  }
  std::string id;
  if (e.isDeploymentStepCompleted()) id = Text(e.getDeploymentStepCompleted().getDeploymentId());
  else if (e.isDeploymentSucceeded()) id = Text(e.getDeploymentSucceeded().getDeploymentId());
  else if (e.isDeploymentFailed()) id = Text(e.getDeploymentFailed().getDeploymentId());
  else if (e.isDeploymentCanceled()) id = Text(e.getDeploymentCanceled().getDeploymentId());
  else return {};
  const auto found = before.history().deployments().find(id);
  if (found == before.history().deployments().end()) return {};
  const projections::DeploymentRecord& d = found->second;
  if (d.outcome != projections::DeploymentOutcome::kRunning) return {};  // a late verdict changes nothing
  Json plan = EncodeDeploymentPlan(before, id, d);
  if (e.isDeploymentStepCompleted()) {
    const std::uint32_t index = e.getDeploymentStepCompleted().getStepIndex();
    Json step = index < plan["steps"].size() ? plan["steps"][index] : Json::object();
    return {Make("deployment_step_success", at, {{"plan", std::move(plan)}, {"currentStep", std::move(step)}})};
  }
  if (e.isDeploymentSucceeded()) return {Make("deployment_success", at, {{"id", id}, {"plan", std::move(plan)}})};
  // Failed or canceled: Marathon says deployment_failed for both, and a
  // failure says first which step failed: the first not completed.
  const std::string why = e.isDeploymentFailed() ? Text(e.getDeploymentFailed().getMessage())
                                                 : Text(e.getDeploymentCanceled().getMessage());
  std::vector<MarathonEvent> out;
  if (e.isDeploymentFailed()) {
    const std::size_t index = std::min(d.steps_completed.size(), plan["steps"].size() - 1);
    Json step = plan["steps"].empty() ? Json::object() : plan["steps"][index];
    out.push_back(Make("deployment_step_failure", at,
                       {{"plan", plan}, {"currentStep", std::move(step)}, {"regattaMessage", why}}));
  }
  out.push_back(Make("deployment_failed", at, {{"id", id}, {"plan", std::move(plan)}, {"regattaMessage", why}}));
  return out;
}

}  // namespace

std::vector<MarathonEvent> ToMarathonEvents(const Event& event, const projections::ProjectionSet& before) {
  auto e = event.envelope.getEvent();
  const std::int64_t at = event.envelope.getTimeNanos();
  if (e.isAppDefined() || e.isAppScaled() || e.isAppDeleted()) return AppEvents(event, before);
  if (e.isDeploymentStarted() || e.isDeploymentStepCompleted() || e.isDeploymentSucceeded() ||
      e.isDeploymentFailed() || e.isDeploymentCanceled()) {
    return DeploymentEvents(event, before);
  }
  if (e.isGroupDefined()) {
    auto g = e.getGroupDefined();
    return {Make("group_change_success", at, {{"groupId", Text(g.getGroupId())}, {"version", Text(g.getVersion())}})};
  }
  if (e.isGroupDeleted()) {
    return {Make("group_change_success", at, {{"groupId", Text(e.getGroupDeleted().getGroupId())}, {"version", Timestamp(at)}})};
  }
  if (e.isTaskLaunched()) {
    auto l = e.getTaskLaunched();
    std::vector<std::uint32_t> ports;
    for (std::uint32_t port : l.getHostPorts()) ports.push_back(port);
    return StatusEvents(Text(l.getTaskId()), Text(l.getAppId()), Text(l.getAgentId()), Text(l.getHostname()), ports,
                        Text(l.getAppVersion()), schema::TaskState::STAGING, "", at, before);
  }
  if (e.isTaskStatusChanged()) {
    auto s = e.getTaskStatusChanged();
    auto task = before.scheduling().tasks().find(s.getTaskId().cStr());
    if (task == before.scheduling().tasks().end()) return {};
    const projections::TaskInfo& t = task->second;
    auto out = StatusEvents(Text(s.getTaskId()), t.app_id, t.agent_id, t.hostname, t.host_ports, t.app_version,
                            s.getState(), Text(s.getMessage()), at, before);
    if (s.getState() == schema::TaskState::KILLING && Text(s.getReason()) == "REASON_TASK_UNHEALTHY") {
      out.push_back(Make("unhealthy_instance_kill_event", at,
                         {{"appId", t.app_id}, {"taskId", Text(s.getTaskId())}, {"instanceId", Text(s.getTaskId())},
                          {"version", t.app_version}, {"reason", Text(s.getMessage())}, {"host", t.hostname},
                          {"slaveId", t.agent_id}}));
    }
    return out;
  }
  if (e.isTaskHealthChanged()) {
    auto h = e.getTaskHealthChanged();
    auto task = before.scheduling().tasks().find(h.getTaskId().cStr());
    if (task == before.scheduling().tasks().end()) return {};
    const projections::TaskInfo& t = task->second;
    std::vector<MarathonEvent> out;
    // A change of readiness alone has no Marathon event; an unhealthy
    // report is a failed check even when the task was never healthy.
    if (t.healthy != h.getHealthy()) {
      out.push_back(Make("health_status_changed_event", at,
                         {{"appId", t.app_id}, {"instanceId", Text(h.getTaskId())}, {"version", t.app_version},
                          {"alive", h.getHealthy()}}));
      out.push_back(Make("instance_health_changed_event", at,
                         {{"instanceId", Text(h.getTaskId())}, {"runSpecId", t.app_id}, {"healthy", h.getHealthy()},
                          {"runSpecVersion", t.app_version}}));
    }
    if (!h.getHealthy()) {
      out.push_back(Make("failed_health_check_event", at,
                         {{"appId", t.app_id}, {"taskId", Text(h.getTaskId())}, {"instanceId", Text(h.getTaskId())},
                          {"healthCheck", HealthCheckOf(before, t, h.getCheckIndex())}}));
    }
    return out;
  }
  return {};
}

std::vector<MarathonEvent> ConvergedEvents(const Convergence& c, const projections::ProjectionSet& after) {
  const Json plan = EncodePlan(after, c);
  const std::int64_t at = after.last_time_nanos();
  return {Make("deployment_step_success", at, {{"plan", plan}, {"currentStep", plan["steps"][0]}}),
          Make("deployment_success", at, {{"id", plan["id"]}, {"plan", plan}})};
}

MarathonEvent StreamAttached(const std::string& remote_address, std::int64_t now_nanos) {
  return Make("event_stream_attached", now_nanos, {{"remoteAddress", remote_address}});
}

}  // namespace regatta::marathon

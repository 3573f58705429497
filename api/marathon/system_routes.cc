// /v2/deployments, /v2/queue, /v2/info, /v2/leader, /ping, /v2/events.
#include "api/marathon/routes.h"

namespace regatta::marathon {
namespace {

// What /v2/info's marathon_config shows: the keys python3-marathon knows,
// with Regatta's values where it has one and Marathon's defaults elsewhere.
Json MarathonConfig(const std::string& advertised) {
  const std::string host = advertised.substr(0, advertised.rfind(':'));
  return {{"checkpoint", true}, {"decline_offer_duration", 120000}, {"default_network_name", nullptr},
          {"env_vars_prefix", nullptr}, {"executor", "//cmd"}, {"failover_timeout", 604800}, {"features", Json::array()},
          {"framework_name", "regatta"}, {"ha", false}, {"hostname", host}, {"launch_token", 100},
          {"launch_token_refresh_interval", 30000}, {"leader_proxy_connection_timeout_ms", 5000},
          {"leader_proxy_read_timeout_ms", 10000}, {"local_port_max", 20000}, {"local_port_min", 10000},
          {"master", "regatta://" + host + ":5050"}, {"max_instances_per_offer", 5},
          {"mesos_bridge_name", "mesos-bridge"}, {"mesos_heartbeat_failure_threshold", 5},
          {"mesos_heartbeat_interval", 15000}, {"mesos_leader_ui_url", "http://" + host + ":5050/"},
          {"mesos_role", "*"}, {"mesos_user", "root"}, {"min_revive_offers_interval", 5000},
          {"offer_matching_timeout", 3000}, {"on_elected_prepare_timeout", 180000},
          {"reconciliation_initial_delay", 15000}, {"reconciliation_interval", 600000},
          {"scale_apps_initial_delay", 15000}, {"scale_apps_interval", 300000}, {"store_cache", true},
          {"task_launch_confirm_timeout", 300000}, {"task_launch_timeout", 300000},
          {"task_lost_expunge_initial_delay", 300000}, {"task_lost_expunge_interval", 30000},
          {"task_reservation_timeout", 20000}, {"webui_url", nullptr}, {"maintenance_mode", false}};
}

}  // namespace

void MarathonApi::Impl::Deployments(const http::Request& r, const ExchangePtr& ex) {
  if (r.segments.size() == 2) {
    if (r.method != "GET") return Message(ex, 405, "/v2/deployments takes GET");
    return Reply(ex, 200, EncodeDeployments(view(), tracker));
  }
  if (r.segments.size() == 4) return ControlDeployment(r, ex, r.segments[2], r.segments[3]);
  if (r.segments.size() != 3) return Message(ex, 404, "URI not found");
  const std::string& id = r.segments[2];
  if (EngineDeployment(r, ex, id)) return;
  if (r.method != "DELETE") return Message(ex, 405, "a deployment takes DELETE");
  const Convergence* c = tracker.FindDeployment(id);
  if (c == nullptr) return Message(ex, 404, "DeploymentPlan " + id + " does not exist");
  const std::string app_id = c->app_id;
  WriteMeta meta = MetaOf(r);
  if (meta.reason.empty()) meta.reason = "deployment " + id + " canceled";
  const domain::AppDefinition* app = view().history().Current(app_id);
  std::uint32_t live = 0;
  for (const std::string& task : tracker.TasksOf(app_id)) live += view().scheduling().tasks().count(task) ? 1 : 0;
  if (r.Flag("force", false)) {
    // Stop where it is: the app keeps the tasks it has now, launches and
    // kills no more (Marathon's forced cancel, which does not roll back).
    if (app == nullptr) return Message(ex, 409, "App '" + app_id + "' was deleted: its deployment cannot stop");
    return Write(ex, meta,
                 [&](auto command) {
                   auto scale = command.initScaleApp();
                   scale.setAppId(app_id);
                   scale.setInstances(live);
                 },
                 [this, ex](Revision) { ReplyText(ex, 202, "", ""); });
  }
  // Roll back: the app as it was before the change the deployment carries.
  auto history = view().history().apps().find(app_id);
  const projections::AppChange* before = nullptr;
  if (history != view().history().apps().end()) {
    for (const auto& change : history->second.changes) {
      if (change.audit.revision >= c->since) break;
      before = &change;
    }
  }
  auto done = [this, ex](Revision revision) { DeploymentReply(ex, 200, revision); };
  if (before == nullptr || before->kind == projections::ChangeKind::kDeleted) {
    return Write(ex, meta, [&](auto command) { command.setDeleteApp(app_id); }, done);  // undo a creation
  }
  if (c->action == "ScaleApplication" && app != nullptr) {
    const std::uint32_t instances = before->instances;
    return Write(ex, meta,
                 [&](auto command) {
                   auto scale = command.initScaleApp();
                   scale.setAppId(app_id);
                   scale.setInstances(instances);
                 },
                 done);
  }
  // The last definition before the change, with the instance count it had.
  std::string spec_bytes;
  std::uint32_t instances = 0;
  for (const auto& change : history->second.changes) {
    if (change.audit.revision >= c->since) break;
    if (change.kind == projections::ChangeKind::kDefined) spec_bytes = change.spec;
    if (change.kind != projections::ChangeKind::kDeleted) instances = change.instances;
  }
  auto spec = domain::FlatSpec::FromBytes(spec_bytes);
  if (!spec.ok()) return Fail(ex, spec.status());
  capnp::MallocMessageBuilder copy;
  copy.setRoot((*spec)->root());
  copy.getRoot<schema::AppSpec>().setInstances(instances);
  Write(ex, meta, [&](auto command) { command.setDefineApp(copy.getRoot<schema::AppSpec>().asReader()); }, done);
}

void MarathonApi::Impl::Queue(const http::Request& r, const ExchangePtr& ex) {
  if (r.segments.size() == 2) {
    if (r.method != "GET") return Message(ex, 405, "/v2/queue takes GET");
    return Reply(ex, 200, EncodeQueue(view(), tracker, Now()));
  }
  AppPath path = SplitAppPath(r.segments, 2);
  if (path.rest != std::vector<std::string>{"delay"}) return Message(ex, 404, "URI not found");
  if (r.method != "DELETE") return Message(ex, 405, "a queued app's delay takes DELETE");
  const Json queue = EncodeQueue(view(), tracker, Now());
  bool queued = false;
  for (const Json& item : queue["queue"]) queued = queued || item["app"]["id"] == path.id;
  if (!queued) return Message(ex, 404, "Application " + path.id + " not found in tasks queue.");
  const std::string id = path.id;
  Write(ex, MetaOf(r), [&](auto command) { command.setResetLaunchDelay(id); },
        [this, ex](Revision) { ReplyText(ex, 204, "", ""); });
}

void MarathonApi::Impl::Info(const http::Request& r, const ExchangePtr& ex) {
  if (r.method != "GET") return Message(ex, 405, "/v2/info takes GET");
  const std::string port = options.advertised.substr(options.advertised.rfind(':') + 1);
  Reply(ex, 200,
        {{"name", "regatta"}, {"version", "1.11.0"}, {"buildref", "regatta"}, {"elected", true},
         {"leader", options.advertised}, {"frameworkId", "services"},
         {"marathon_config", MarathonConfig(options.advertised)},
         {"zookeeper_config", {{"zk", nullptr}, {"zk_compression", false}, {"zk_compression_threshold", 65536},
                               {"zk_connection_timeout", 10000}, {"zk_max_node_size", 1024000},
                               {"zk_max_versions", 0}, {"zk_session_timeout", 10000}, {"zk_timeout", 10000}}},
         {"http_config", {{"http_port", std::stoi(port)}, {"https_port", 8443}}}});
}

void MarathonApi::Impl::Leader(const http::Request& r, const ExchangePtr& ex) {
  if (r.method == "GET") return Reply(ex, 200, {{"leader", options.advertised}});
  if (r.method == "DELETE") {
    // One master holds the log's writer lock; handing it over needs the HA
    // masters of issue 14.
    return Message(ex, 409, "Leadership cannot be abdicated: this cluster runs one master (no standby to take over)");
  }
  Message(ex, 405, "/v2/leader takes GET and DELETE");
}

void MarathonApi::Impl::Ping(const http::Request& r, const ExchangePtr& ex) {
  const std::string accept = r.Header("accept");
  if (accept.find("application/json") != std::string::npos) return ReplyText(ex, 200, "application/json", "\"pong\"");
  ReplyText(ex, 200, "text/plain", "pong");
}

namespace {

// Mesos' resource object: scalars, and ports as "[31000-32000, ...]".
Json MesosResources(const projections::ResourceVector& r, const std::vector<domain::PortRange>& ports) {
  Json out = {{"cpus", r.cpus.value()}, {"mem", r.mem_mb.value()}, {"disk", r.disk_mb.value()}};
  if (!ports.empty()) {
    std::string text = "[";
    for (const auto& range : ports) {
      text += (text.size() > 1 ? ", " : "") + std::to_string(range.begin) + "-" + std::to_string(range.end);
    }
    out["ports"] = text + "]";
  }
  return out;
}

}  // namespace

// Mesos' operator endpoint /master/slaves, in its shape (the Mesos API of
// issue 17 serves the rest of /master/*), with Regatta's agent status beside
// Mesos' `active`.
void MarathonApi::Impl::Agents(const http::Request& r, const ExchangePtr& ex) {
  if (r.method != "GET") return Message(ex, 405, "/master/slaves takes GET");
  Json slaves = Json::array();
  for (const auto* item : projections::Sorted(view().scheduling().agents())) {
    const projections::AgentInfo& a = item->second;
    Json attributes = Json::object();
    for (const auto& [key, value] : a.attributes) attributes[key] = value;
    slaves.push_back({{"id", item->first},
                      {"hostname", a.hostname},
                      {"active", a.status == projections::AgentStatus::kActive},
                      {"resources", MesosResources(a.total, a.port_ranges)},
                      {"used_resources", MesosResources(a.used, {})},
                      {"attributes", std::move(attributes)},
                      {"regatta_status", projections::AgentStatusName(a.status)},
                      {"regatta_task_count", a.task_count}});
  }
  Reply(ex, 200, {{"slaves", std::move(slaves)}});
}

void MarathonApi::Impl::Events(const http::Request& r, const ExchangePtr& ex) {
  if (r.method != "GET") return Message(ex, 405, "/v2/events takes GET");
  std::set<std::string> types;
  for (const std::string& t : r.QueryAll("event_type")) types.insert(t);
  std::optional<Revision> after;
  const std::string last = r.Header("last-event-id");
  if (!last.empty()) {
    if (last.find_first_not_of("0123456789") != std::string::npos || last.size() > 19) {
      return Fail(ex, Status::InvalidField("Last-Event-ID", "must be a revision (a whole number), not " + last));
    }
    after = std::stoull(last);
  }
  auto stream = ex->StartStream(200, "text/event-stream;charset=UTF-8",
                                {{"X-Regatta-Revision", std::to_string(model.applied())}, {"Cache-Control", "no-cache"}});
  if (stream == nullptr) return;
  hub.Subscribe(std::move(stream), std::move(types), after, StreamAttached(r.peer, Now()));
}

}  // namespace regatta::marathon

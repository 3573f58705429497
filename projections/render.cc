#include "projections/render.h"

#include "events/domain/text.h"

#include <capnp/compat/json.h>
#include <capnp/serialize.h>
#include <kj/exception.h>

#include <nlohmann/json.hpp>
#include <vector>

namespace regatta::projections {
namespace {

using nlohmann::ordered_json;

ordered_json Resources(const ResourceVector& r) {
  return {{"cpus", r.cpus.value()}, {"memMb", r.mem_mb.value()}, {"diskMb", r.disk_mb.value()},
          {"gpus", r.gpus.value()}};
}

ordered_json Pairs(const std::vector<std::pair<std::string, std::string>>& kvs) {
  ordered_json out = ordered_json::object();
  for (const auto& [k, v] : kvs) out[k] = v;
  return out;
}

ordered_json RenderScheduling(const SchedulingProjection& s) {
  ordered_json agents = ordered_json::object();
  for (const auto* item : Sorted(s.agents())) {
    const AgentInfo& a = item->second;
    ordered_json ports = ordered_json::array();
    for (const auto& r : a.port_ranges) ports.push_back(std::to_string(r.begin) + "-" + std::to_string(r.end));
    agents[item->first] = {{"hostname", a.hostname}, {"address", a.address},
                           {"status", AgentStatusName(a.status)}, {"total", Resources(a.total)},
                           {"used", Resources(a.used)}, {"ports", ports},
                           {"attributes", Pairs(a.attributes)}, {"tasks", a.task_count}};
  }
  ordered_json tasks = ordered_json::object();
  for (const auto* item : Sorted(s.tasks())) {
    const TaskInfo& t = item->second;
    tasks[item->first] = {{"appId", t.app_id}, {"version", t.app_version},
                          {"framework", t.framework_id}, {"agent", t.agent_id},
                          {"host", t.hostname}, {"role", t.role},
                          {"state", domain::TaskStateName(t.state)}, {"resources", Resources(t.resources)},
                          {"ports", t.host_ports}, {"healthy", t.healthy}, {"ready", t.ready}};
  }
  auto usage = [](const StringMap<Usage>& by) {
    ordered_json out = ordered_json::object();
    for (const auto* item : Sorted(by)) {
      out[item->first] = {{"allocated", Resources(item->second.allocated)},
                          {"tasks", item->second.tasks}};
    }
    return out;
  };
  ordered_json frameworks = ordered_json::object();
  for (const auto* item : Sorted(s.frameworks())) {
    frameworks[item->first] = {{"name", item->second.name}, {"role", item->second.role},
                               {"active", item->second.active}};
  }
  return {{"agents", agents}, {"tasks", tasks}, {"frameworks", frameworks},
          {"usageByFramework", usage(s.usage_by_framework())},
          {"usageByRole", usage(s.usage_by_role())}};
}

ordered_json Endpoints(const std::vector<Endpoint>& endpoints) {
  ordered_json out = ordered_json::array();
  for (const Endpoint& e : endpoints) {
    out.push_back({{"task", e.task_id}, {"host", e.host}, {"ports", e.ports},
                   {"healthy", e.healthy}, {"ready", e.ready}});
  }
  return out;
}

ordered_json RenderDiscovery(const DiscoveryProjection& d) {
  ordered_json apps = ordered_json::object();
  for (const std::string& id : d.AppIds()) {
    auto [a, srv] = d.AppDnsNames(id);
    apps[id] = {{"a", a}, {"srv", srv}, {"endpoints", Endpoints(d.AppEndpoints(id))}};
  }
  ordered_json services = ordered_json::object();
  for (const auto* item : Sorted(d.services())) {
    auto [a, srv] = d.ServiceDnsNames(item->first);  // srv: one name per named port
    ordered_json ports = ordered_json::object();
    for (const auto& [name, port] : item->second.ports) ports[name] = port;
    services[item->first] = {{"a", a}, {"srv", srv}, {"selector", Pairs(item->second.selector)},
                             {"ports", ports}, {"endpoints", Endpoints(d.ServiceEndpoints(item->first))}};
  }
  return {{"domain", d.domain()}, {"apps", apps}, {"services", services}};
}

ordered_json AuditJson(const Audit& a) {
  return {{"revision", a.revision}, {"timeNanos", a.time_nanos}, {"principal", a.principal},
          {"reason", a.reason}, {"correlationId", a.correlation_id}};
}

ordered_json SpecJson(const std::string& flat) {
  if (flat.empty()) return nullptr;
  auto spec = domain::FlatSpec::FromBytes(flat);
  if (!spec.ok()) return {{"error", "undecodable spec: " + spec.status().message()}};
  try {
    capnp::JsonCodec codec;
    auto text = codec.encode((*spec)->root());
    // Any bytes a stored text holds come out as U+FFFD, so the JSON parses.
    return ordered_json::parse(domain::ReplaceInvalidUtf8(std::string_view(text.cStr(), text.size())));
  } catch (const kj::Exception& e) {
    return {{"error", std::string("undecodable spec: ") + e.getDescription().cStr()}};
  } catch (const nlohmann::json::exception& e) {
    return {{"error", std::string("unrenderable spec: ") + e.what()}};
  }
}

ordered_json RenderHistory(const HistoryProjection& h) {
  ordered_json apps = ordered_json::object();
  for (const auto* item : Sorted(h.apps())) {
    ordered_json changes = ordered_json::array();
    for (const AppChange& c : item->second.changes) {
      changes.push_back({{"change", ChangeKindName(c.kind)}, {"version", c.version},
                         {"instances", c.instances}, {"audit", AuditJson(c.audit)},
                         {"spec", SpecJson(c.spec)}});
    }
    apps[item->first] = {{"deleted", item->second.deleted}, {"changes", changes}};
  }
  ordered_json deployments = ordered_json::object();
  for (const auto* item : Sorted(h.deployments())) {
    const DeploymentRecord& d = item->second;
    ordered_json steps = ordered_json::array();
    for (const auto& s : d.steps_completed) steps.push_back({{"step", s.index}, {"audit", AuditJson(s.audit)}});
    deployments[item->first] = {{"apps", d.apps}, {"from", d.from_version}, {"to", d.to_version},
                                {"outcome", DeploymentOutcomeName(d.outcome)},
                                {"message", d.message}, {"revertedTo", d.reverted_to},
                                {"totalSteps", d.total_steps}, {"stepsCompleted", steps},
                                {"started", AuditJson(d.started)},
                                {"ended", d.outcome == DeploymentOutcome::kRunning
                                              ? ordered_json(nullptr) : AuditJson(d.ended)}};
  }
  return {{"apps", apps}, {"deployments", deployments}};
}

}  // namespace

Result<std::string> RenderProjection(const ProjectionSet& set, std::string_view name) {
  ordered_json body;
  if (name == "scheduling") body = RenderScheduling(set.scheduling());
  else if (name == "discovery") body = RenderDiscovery(set.discovery());
  else if (name == "history") body = RenderHistory(set.history());
  else {
    return Status::InvalidArgument("--projection: unknown projection '" + std::string(name) +
                                   "'; expected one of " + std::string(kProjectionNames));
  }
  ordered_json out = {{"projection", name}, {"nextRevision", set.next_revision()},
                      {"eventsApplied", set.events_applied()},
                      {"unknownEvents", set.unknown_events()}, {"state", body}};
  // Text from the log may be any bytes: shown as U+FFFD, never a throw.
  return out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace regatta::projections

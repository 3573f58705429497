#include "projections/state_records.h"

#include <capnp/message.h>
#include <capnp/serialize.h>

#include <algorithm>
#include <cstring>

#include "events/codec.h"
#include "regatta/state.capnp.h"

namespace regatta::projections {
namespace {

using Which = schema::Envelope::Event::Which;

std::string Flatten(capnp::MessageBuilder& message) {
  auto words = capnp::messageToFlatArray(message);
  auto bytes = words.asBytes();
  return std::string(reinterpret_cast<const char*>(bytes.begin()), bytes.size());
}

std::optional<std::string> AppValue(const ProjectionSet& set, const std::string& id, Revision* rev) {
  const domain::AppDefinition* current = set.history().Current(id);
  if (current == nullptr) return std::nullopt;  // deleted, or scaled but never defined
  const AppChange& last = set.history().apps().find(id)->second.changes.back();
  *rev = last.audit.revision;
  capnp::MallocMessageBuilder message;
  auto app = message.initRoot<schema::AppState>();
  app.setSpec(current->spec->root());
  app.setVersion(current->version);
  app.setInstances(current->instances);
  app.setRevision(last.audit.revision);
  app.setPrincipal(last.audit.principal);
  app.setTimeNanos(last.audit.time_nanos);
  return Flatten(message);
}

std::optional<std::string> DiscoveryValue(const ProjectionSet& set, const std::string& id, Revision rev) {
  const DiscoveryProjection& d = set.discovery();
  const bool is_app = !id.empty() && id[0] == '/';
  std::string a;
  std::vector<std::string> srv;
  std::vector<Endpoint> endpoints;
  if (is_app) {
    const auto ids = d.AppIds();
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) return std::nullopt;
    auto names = d.AppDnsNames(id);
    a = names.first;
    srv = {names.second};
    endpoints = d.AppEndpoints(id);
  } else {
    if (!d.services().count(id)) return std::nullopt;
    std::tie(a, srv) = d.ServiceDnsNames(id);
    endpoints = d.ServiceEndpoints(id);
  }
  capnp::MallocMessageBuilder message;
  auto s = message.initRoot<schema::ServiceState>();
  s.setKind(is_app ? schema::ServiceState::Kind::APP : schema::ServiceState::Kind::SERVICE);
  s.setId(id);
  s.setDnsA(a);
  auto srv_list = s.initDnsSrv(static_cast<unsigned>(srv.size()));
  for (unsigned i = 0; i < srv.size(); ++i) srv_list.set(i, srv[i]);
  auto list = s.initEndpoints(static_cast<unsigned>(endpoints.size()));
  for (unsigned i = 0; i < endpoints.size(); ++i) {
    list[i].setTaskId(endpoints[i].task_id);
    list[i].setHost(endpoints[i].host);
    auto ports = list[i].initPorts(static_cast<unsigned>(endpoints[i].ports.size()));
    for (unsigned p = 0; p < endpoints[i].ports.size(); ++p) ports.set(p, endpoints[i].ports[p]);
    list[i].setHealthy(endpoints[i].healthy);
    list[i].setReady(endpoints[i].ready);
  }
  s.setRevision(rev);
  return Flatten(message);
}

std::optional<std::string> AgentValue(const ProjectionSet& set, const std::string& id, Revision rev) {
  auto it = set.scheduling().agents().find(id);
  if (it == set.scheduling().agents().end()) return std::nullopt;
  const AgentInfo& info = it->second;
  capnp::MallocMessageBuilder message;
  auto agent = message.initRoot<schema::AgentState>();
  agent.setAgentId(id);
  agent.setHostname(info.hostname);
  agent.setStatus(AgentStatusName(info.status));
  domain::ToSchema(agent.initTotal(), info.total);
  domain::ToSchema(agent.initUsed(), info.used);
  domain::ToSchema(agent.initAttributes(static_cast<unsigned>(info.attributes.size())), info.attributes);
  agent.setTasks(info.task_count);
  agent.setRevision(rev);
  return Flatten(message);
}

StateRecord Record(const ProjectionSet& set, const StateKey& key) {
  StateRecord record{key.first, key.second, std::nullopt, set.next_revision() - 1};
  switch (key.first) {
    case StateTopic::kApps: {
      Revision rev = record.revision;
      record.value = AppValue(set, key.second, &rev);
      break;
    }
    case StateTopic::kServices: record.value = DiscoveryValue(set, key.second, record.revision); break;
    case StateTopic::kAgents: record.value = AgentValue(set, key.second, record.revision); break;
  }
  return record;
}

// The task's app, agent and labels as the state knew them, or from the event.
void AddTaskKeys(const ProjectionSet& before, std::string_view task_id, std::set<StateKey>& keys) {
  const auto& tasks = before.discovery().tasks();
  auto it = tasks.find(task_id);
  if (it == tasks.end()) return;
  keys.insert({StateTopic::kServices, it->second.app_id});
  keys.insert({StateTopic::kAgents, it->second.endpoint.agent_id});
  for (const auto& [service_key, service] : before.discovery().services()) {
    bool selects = !service.selector.empty();
    for (const auto& wanted : service.selector) {
      const auto& labels = it->second.labels;
      selects = selects && std::find(labels.begin(), labels.end(), wanted) != labels.end();
    }
    if (selects) keys.insert({StateTopic::kServices, service_key});
  }
}

}  // namespace

const char* StateTopicSuffix(StateTopic topic) {
  switch (topic) {
    case StateTopic::kApps: return "state.apps";
    case StateTopic::kServices: return "state.services";
    case StateTopic::kAgents: return "state.agents";
  }
  return "state.unknown";
}

std::set<StateKey> AffectedBy(const ProjectionSet& before, const Event& event) {
  std::set<StateKey> keys;
  const auto e = event.envelope.getEvent();
  const std::string key = AggregateKey(event.envelope);
  switch (e.which()) {
    case Which::AGENT_REGISTERED: case Which::AGENT_REREGISTERED: case Which::AGENT_RESOURCES_UPDATED:
    case Which::AGENT_UNREACHABLE: case Which::AGENT_GONE:
      keys.insert({StateTopic::kAgents, key});
      break;
    case Which::APP_DEFINED: case Which::APP_SCALED: case Which::APP_DELETED:
      keys.insert({StateTopic::kApps, key});
      keys.insert({StateTopic::kServices, key});
      break;
    case Which::SERVICE_DEFINED: case Which::SERVICE_DELETED:
      keys.insert({StateTopic::kServices, key});
      break;
    case Which::TASK_LAUNCHED: {
      auto l = e.getTaskLaunched();
      keys.insert({StateTopic::kAgents, l.getAgentId()});
      keys.insert({StateTopic::kServices, l.getAppId()});
      AddTaskKeys(before, key, keys);  // a relaunch leaves its old placement
      break;
    }
    case Which::TASK_STATUS_CHANGED: case Which::TASK_HEALTH_CHANGED:
      AddTaskKeys(before, key, keys);
      break;
    default:
      break;
  }
  return keys;
}

std::vector<StateRecord> RecordsFor(const ProjectionSet& after, const std::set<StateKey>& keys) {
  std::vector<StateRecord> records;
  for (const StateKey& key : keys) records.push_back(Record(after, key));
  return records;
}

std::vector<StateRecord> AllRecords(const ProjectionSet& set) {
  std::set<StateKey> keys;
  for (const auto& [id, app] : set.history().apps()) keys.insert({StateTopic::kApps, id});
  for (const std::string& id : set.discovery().AppIds()) keys.insert({StateTopic::kServices, id});
  for (const auto& [id, service] : set.discovery().services()) keys.insert({StateTopic::kServices, id});
  for (const auto& [id, agent] : set.scheduling().agents()) keys.insert({StateTopic::kAgents, id});
  return RecordsFor(set, keys);
}

}  // namespace regatta::projections

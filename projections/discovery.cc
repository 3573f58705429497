#include "projections/discovery.h"

#include <algorithm>

#include "projections/scheduling.h"

namespace regatta::projections {

using Which = schema::Envelope::Event::Which;

std::string DnsLabelForApp(std::string_view app_id) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (start <= app_id.size()) {
    const std::size_t slash = std::min(app_id.find('/', start), app_id.size());
    if (slash > start) parts.push_back(app_id.substr(start, slash - start));
    start = slash + 1;
  }
  std::string label;
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
    if (!label.empty()) label += '-';
    label += *it;
  }
  return label;
}

void DiscoveryProjection::Apply(const Event& event) {
  const auto e = event.envelope.getEvent();
  switch (e.which()) {
    case Which::TASK_LAUNCHED: {
      auto l = e.getTaskLaunched();
      DiscoveryTask& task = tasks_[std::string(View(l.getTaskId()))];
      task = DiscoveryTask{};
      task.app_id = View(l.getAppId());
      task.framework_id = View(l.getFrameworkId());
      for (auto kv : l.getLabels()) task.labels.emplace_back(kv.getKey(), kv.getValue());
      task.endpoint.task_id = View(l.getTaskId());
      task.endpoint.agent_id = View(l.getAgentId());
      task.endpoint.host = l.getIpAddress().size() ? View(l.getIpAddress()) : View(l.getHostname());
      for (auto port : l.getHostPorts()) task.endpoint.ports.push_back(port);
      app_frameworks_[task.app_id] = task.framework_id;
      break;
    }
    case Which::TASK_STATUS_CHANGED: {
      auto s = e.getTaskStatusChanged();
      auto it = tasks_.find(View(s.getTaskId()));
      if (it == tasks_.end()) break;
      if (domain::IsTerminal(s.getState())) {
        tasks_.erase(it);
      } else {
        it->second.endpoint.running = s.getState() == schema::TaskState::RUNNING;
      }
      break;
    }
    case Which::TASK_HEALTH_CHANGED: {
      auto h = e.getTaskHealthChanged();
      if (auto it = tasks_.find(View(h.getTaskId())); it != tasks_.end()) {
        it->second.endpoint.healthy = h.getHealthy();
        it->second.endpoint.ready = h.getReady();
      }
      break;
    }
    case Which::APP_DEFINED:
      // Apps are run by the built-in "services" framework until a task says otherwise.
      app_frameworks_.try_emplace(std::string(View(e.getAppDefined().getSpec().getId())), "services");
      break;
    case Which::APP_DELETED:
      app_frameworks_.erase(std::string(View(e.getAppDeleted().getAppId())));
      break;
    case Which::SERVICE_DEFINED: {
      auto spec = e.getServiceDefined().getSpec();
      const std::string ns = spec.getNamespace().size() ? spec.getNamespace().cStr() : "default";
      DiscoveryService& service = services_[ns + "/" + spec.getName().cStr()];
      service = DiscoveryService{};
      for (auto kv : spec.getSelector()) service.selector.emplace_back(kv.getKey(), kv.getValue());
      for (auto p : spec.getPorts()) service.ports.emplace_back(p.getName(), p.getPort());
      service.type = View(spec.getType());
      service.cluster_ip = View(spec.getClusterIp());
      break;
    }
    case Which::SERVICE_DELETED: {
      auto d = e.getServiceDeleted();
      const std::string ns = d.getNamespace().size() ? d.getNamespace().cStr() : "default";
      services_.erase(ns + "/" + d.getName().cStr());
      break;
    }
    default:
      break;
  }
}

namespace {

bool Selects(const DiscoveryService& service, const DiscoveryTask& task) {
  if (service.selector.empty()) return false;  // Kubernetes: no selector, no endpoints
  for (const auto& wanted : service.selector) {
    if (std::find(task.labels.begin(), task.labels.end(), wanted) == task.labels.end()) return false;
  }
  return true;
}

template <class Pred>
std::vector<Endpoint> RunningWhere(const StringMap<DiscoveryTask>& tasks, Pred&& pred) {
  std::vector<Endpoint> out;
  for (const auto* item : Sorted(tasks)) {
    if (item->second.endpoint.running && pred(item->second)) out.push_back(item->second.endpoint);
  }
  return out;
}

}  // namespace

std::vector<Endpoint> DiscoveryProjection::AppEndpoints(std::string_view app_id) const {
  return RunningWhere(tasks_, [&](const DiscoveryTask& t) { return t.app_id == app_id; });
}

std::vector<Endpoint> DiscoveryProjection::ServiceEndpoints(std::string_view key) const {
  auto it = services_.find(key);
  if (it == services_.end()) return {};
  return RunningWhere(tasks_, [&](const DiscoveryTask& t) { return Selects(it->second, t); });
}

std::pair<std::string, std::string> DiscoveryProjection::AppDnsNames(std::string_view app_id) const {
  auto it = app_frameworks_.find(app_id);
  const std::string framework = it == app_frameworks_.end() ? "services" : it->second;
  const std::string label = DnsLabelForApp(app_id);
  return {label + "." + framework + "." + domain_, "_" + label + "._tcp." + framework + "." + domain_};
}

std::pair<std::string, std::vector<std::string>> DiscoveryProjection::ServiceDnsNames(
    std::string_view key) const {
  const std::size_t slash = key.find('/');
  const std::string ns = slash == std::string_view::npos ? "default" : std::string(key.substr(0, slash));
  const std::string name(slash == std::string_view::npos ? key : key.substr(slash + 1));
  const std::string a = name + "." + ns + ".svc." + domain_;
  std::vector<std::string> srv;
  if (auto it = services_.find(key); it != services_.end()) {
    for (const auto& [port_name, port] : it->second.ports) {
      srv.push_back("_" + (port_name.empty() ? std::to_string(port) : port_name) + "._tcp." + a);
    }
  }
  return {a, srv};
}

std::vector<std::string> DiscoveryProjection::AppIds() const {
  std::vector<std::string> ids;
  for (const auto* item : Sorted(app_frameworks_)) ids.push_back(item->first);
  return ids;
}

namespace {

using Labels = std::vector<std::pair<std::string, std::string>>;

void WriteLabels(StateWriter& w, const Labels& labels) {
  w.List(labels, [](StateWriter& w, const auto& kv) { w.Str(kv.first); w.Str(kv.second); });
}

void ReadLabels(StateReader& r, Labels& labels) {
  for (std::uint64_t n = r.Count(); n > 0 && !r.failed(); --n) {
    std::string key = r.Str();
    labels.emplace_back(std::move(key), r.Str());
  }
}

}  // namespace

void DiscoveryProjection::Serialize(StateWriter& w) const {
  w.U64(tasks_.size());
  for (const auto* item : Sorted(tasks_)) {
    const DiscoveryTask& t = item->second;
    w.Str(item->first);
    w.Str(t.app_id);
    w.Str(t.framework_id);
    WriteLabels(w, t.labels);
    w.Str(t.endpoint.agent_id);
    w.Str(t.endpoint.host);
    w.List(t.endpoint.ports, [](StateWriter& w, std::uint32_t p) { w.U64(p); });
    w.Bool(t.endpoint.running);
    w.Bool(t.endpoint.healthy);
    w.Bool(t.endpoint.ready);
  }
  w.U64(services_.size());
  for (const auto* item : Sorted(services_)) {
    const DiscoveryService& s = item->second;
    w.Str(item->first);
    WriteLabels(w, s.selector);
    w.List(s.ports, [](StateWriter& w, const auto& p) { w.Str(p.first); w.U64(p.second); });
    w.Str(s.type);
    w.Str(s.cluster_ip);
  }
  w.U64(app_frameworks_.size());
  for (const auto* item : Sorted(app_frameworks_)) {
    w.Str(item->first);
    w.Str(item->second);
  }
}

bool DiscoveryProjection::Deserialize(StateReader& r) {
  for (std::uint64_t n = r.Count(); n > 0 && !r.failed(); --n) {
    const std::string id = r.Str();
    DiscoveryTask& t = tasks_[id];
    t.app_id = r.Str();
    t.framework_id = r.Str();
    ReadLabels(r, t.labels);
    t.endpoint.task_id = id;
    t.endpoint.agent_id = r.Str();
    t.endpoint.host = r.Str();
    for (std::uint64_t k = r.Count(); k > 0 && !r.failed(); --k) {
      t.endpoint.ports.push_back(static_cast<std::uint32_t>(r.U64()));
    }
    t.endpoint.running = r.Bool();
    t.endpoint.healthy = r.Bool();
    t.endpoint.ready = r.Bool();
  }
  for (std::uint64_t n = r.Count(); n > 0 && !r.failed(); --n) {
    DiscoveryService& s = services_[r.Str()];
    ReadLabels(r, s.selector);
    for (std::uint64_t k = r.Count(); k > 0 && !r.failed(); --k) {
      std::string name = r.Str();
      s.ports.emplace_back(std::move(name), static_cast<std::uint32_t>(r.U64()));
    }
    s.type = r.Str();
    s.cluster_ip = r.Str();
  }
  for (std::uint64_t n = r.Count(); n > 0 && !r.failed(); --n) {
    std::string app = r.Str();
    app_frameworks_[app] = r.Str();
  }
  return !r.failed();
}

}  // namespace regatta::projections

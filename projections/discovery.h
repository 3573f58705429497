// The service discovery projection: for each app and each Service, the
// endpoints that serve it (host, ports, health), and the DNS names they
// answer to.
//
// Names follow Mesos-DNS for apps and Kubernetes for Services:
//   app /prod/web run by framework "services", domain "regatta":
//     A    web-prod.services.regatta           -> each task's host
//     SRV  _web-prod._tcp.services.regatta     -> host:port of each task
//   Service default/web:
//     A    web.default.svc.regatta
//     SRV  _<port name>._tcp.web.default.svc.regatta, one per port
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "events/event.h"
#include "projections/state_codec.h"
#include "projections/string_map.h"

namespace regatta::projections {

struct Endpoint {
  std::string task_id;
  std::string agent_id;
  std::string host;
  std::vector<std::uint32_t> ports;
  bool running = false;  // only running tasks serve traffic
  bool healthy = false;
  bool ready = false;
  bool operator==(const Endpoint&) const = default;
};

struct DiscoveryTask {
  std::string app_id;
  std::string framework_id;
  std::vector<std::pair<std::string, std::string>> labels;
  Endpoint endpoint;
};

struct DiscoveryService {
  std::vector<std::pair<std::string, std::string>> selector;
  std::vector<std::pair<std::string, std::uint32_t>> ports;  // name, port
  std::string type;
  std::string cluster_ip;
};

// Mesos-DNS's name for an app: path segments reversed, joined by '-'.
// "/prod/web" -> "web-prod".
std::string DnsLabelForApp(std::string_view app_id);

class DiscoveryProjection {
 public:
  explicit DiscoveryProjection(std::string domain = "regatta") : domain_(std::move(domain)) {}

  void Apply(const Event& event);

  // Running endpoints, ordered by task id.
  std::vector<Endpoint> AppEndpoints(std::string_view app_id) const;
  std::vector<Endpoint> ServiceEndpoints(std::string_view service_key) const;
  // A and SRV names of an app's tasks.
  std::pair<std::string, std::string> AppDnsNames(std::string_view app_id) const;
  // The A name and one SRV name per port ("_http._tcp.web.default.svc...");
  // an unnamed port is listed by its number, as "_80._tcp...".
  std::pair<std::string, std::vector<std::string>> ServiceDnsNames(std::string_view service_key) const;

  const StringMap<DiscoveryTask>& tasks() const { return tasks_; }
  const StringMap<DiscoveryService>& services() const { return services_; }
  // Apps that have ever had a task and still exist; the key set for output.
  std::vector<std::string> AppIds() const;
  const std::string& domain() const { return domain_; }

  void Serialize(StateWriter& out) const;
  bool Deserialize(StateReader& in);

 private:
  std::string domain_;
  StringMap<DiscoveryTask> tasks_;  // live (non-terminal) tasks
  StringMap<DiscoveryService> services_;
  StringMap<std::string> app_frameworks_;  // app id -> framework of its tasks
};

}  // namespace regatta::projections

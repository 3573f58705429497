// regatta master | api | agent
#include <sys/statvfs.h>
#include <sys/sysinfo.h>

#include <cstdio>
#include <iostream>
#include <thread>

#include "actors/master/master_actor.h"
#include "actors/master/master_spawn.h"
#include "agents/agent/agent_actor.h"
#include "api/cli/commands.h"
#include "api/server/api_server.h"
#include "events/log_uri.h"

namespace regatta::cli {
namespace {

using domain::Quantity;

Result<std::vector<domain::PortRange>> ParsePorts(const std::string& text) {
  std::vector<domain::PortRange> ranges;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    const std::string item = text.substr(start, comma - start);
    unsigned begin = 0, end = 0;
    char tail = 0;
    if (std::sscanf(item.c_str(), "%u-%u%c", &begin, &end, &tail) != 2 || begin == 0 || begin > end || end > 65535) {
      return Status::InvalidArgument("--ports: '" + item + "' is not a range like 31000-32000");
    }
    ranges.push_back({begin, end});
    start = comma + 1;
  }
  return ranges;
}

// What this machine has, for resources not given on the command line.
domain::ResourceVector DetectResources(const std::string& work_dir) {
  struct sysinfo info {};
  ::sysinfo(&info);
  struct statvfs disk {};
  ::statvfs(work_dir.c_str(), &disk);
  const double mem_mb = static_cast<double>(info.totalram) * info.mem_unit / (1 << 20);
  const double disk_mb = static_cast<double>(disk.f_bavail) * disk.f_frsize / (1 << 20);
  return {Quantity::FromDouble(std::thread::hardware_concurrency()), Quantity::FromDouble(mem_mb),
          Quantity::FromDouble(disk_mb), {}};
}



// --kube-http HOST:PORT, or off.
Status SetKubeAddress(const char* flag, const std::string& value, api::ApiOptions& options) {
  if (value == "off") return Status::Ok();
  auto address = ParseHostPort(flag, value);
  if (!address.ok()) return address.status();
  options.kube_host = address->first;
  options.kube_port = address->second;
  return Status::Ok();
}

}  // namespace

int Master(const GlobalOptions& global, const MasterCommandOptions& options) {
  auto listen = ParseHostPort("--listen", options.listen);
  if (!listen.ok()) return Fail(listen.status());
  master::MasterOptions run;
  run.log_uri = global.LogUri();
  run.snapshot_dir = global.SnapshotDir();
  run.listen_host = listen->first;
  run.listen_port = listen->second;
  run.heartbeat_timeout = std::chrono::milliseconds(static_cast<long>(options.heartbeat_timeout_seconds * 1000));
  run.unreachable_inactive = std::chrono::milliseconds(static_cast<long>(options.unreachable_inactive_seconds * 1000));
  if (Status s = ApplyRoleFlags(options.roles, run); !s.ok()) return Fail(s);
  master::Sidecar http;
  if (options.http != "off") {
    auto address = ParseHostPort("--http", options.http);
    if (!address.ok()) return Fail(address.status());
    api::ApiOptions api_options;
    api_options.host = address->first;
    api_options.port = address->second;
    if (Status s = SetKubeAddress("--kube-http", options.kube_http, api_options); !s.ok()) return Fail(s);
    http = [api_options](caf::actor_system& system, protocol::master_actor master,
                         std::shared_ptr<EventLog> log) -> Result<std::shared_ptr<void>> {
      auto server = api::ApiServer::Start(system, std::move(master), std::move(log), api_options);
      if (!server.ok()) return server.status();
      return std::shared_ptr<void>(std::move(*server));
    };
  }
  if (Status s = master::RunMaster(run, http); !s.ok()) return Fail(s);
  return 0;
}

int Api(const GlobalOptions& global, const ApiCommandOptions& options) {
  auto master = ParseHostPort("--master", options.master);
  if (!master.ok()) return Fail(master.status());
  auto http = ParseHostPort("--http", options.http);
  if (!http.ok()) return Fail(http.status());
  api::StandaloneApiOptions run;
  run.log_uri = global.LogUri();
  run.master_host = master->first;
  run.master_port = master->second;
  run.api.host = http->first;
  run.api.port = http->second;
  if (Status s = SetKubeAddress("--kube-http", options.kube_http, run.api); !s.ok()) return Fail(s);
  if (Status s = api::RunStandaloneApi(run); !s.ok()) return Fail(s);
  return 0;
}

int Agent(const AgentCommandOptions& options) {
  auto master_address = ParseHostPort("--master", options.master);
  if (!master_address.ok()) return Fail(master_address.status());
  agent::AgentOptions run;
  run.master_host = master_address->first;
  run.master_port = master_address->second;
  run.work_dir = options.work_dir;
  run.hostname = options.hostname;
  run.resources = DetectResources(".");
  if (options.cpus > 0) run.resources.cpus = Quantity::FromDouble(options.cpus);
  if (options.mem > 0) run.resources.mem_mb = Quantity::FromDouble(options.mem);
  if (options.disk > 0) run.resources.disk_mb = Quantity::FromDouble(options.disk);
  auto ports = ParsePorts(options.ports);
  if (!ports.ok()) return Fail(ports.status());
  run.ports = *ports;
  for (const std::string& attribute : options.attributes) {
    const std::size_t colon = attribute.find(':');
    if (colon == std::string::npos || colon == 0) {
      return Fail(Status::InvalidArgument("--attribute: '" + attribute + "' is not KEY:VALUE"));
    }
    run.attributes.emplace_back(attribute.substr(0, colon), attribute.substr(colon + 1));
  }
  run.heartbeat_interval = std::chrono::milliseconds(static_cast<long>(options.heartbeat_seconds * 1000));
  run.executor_path = options.executor;
  run.enable_cgroups = !options.no_cgroups;
  run.isolate_namespaces = options.namespaces;
  if (Status s = agent::RunAgent(run, options.simulate); !s.ok()) return Fail(s);
  return 0;
}

}  // namespace regatta::cli

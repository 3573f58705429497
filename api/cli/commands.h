// The subcommands of `regatta`. Each returns the process exit code.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "api/cli/cli.h"
#include "api/cli/role_options.h"

namespace regatta::cli {

struct AppendOptions {
  std::string file;  // JSON Lines, "-" for stdin
  std::string principal;
  std::string reason;
};
int EventsAppend(const GlobalOptions& global, const AppendOptions& options);

struct DumpOptions {
  std::string from;  // revision; empty = the start
  std::string to;    // revision, inclusive; empty = the end
  bool json = false;
};
int EventsDump(const GlobalOptions& global, const DumpOptions& options);

struct TailOptions {
  std::string from;         // empty = the current end
  bool json = false;
  std::uint64_t limit = 0;  // stop after this many events; 0 = never
  double idle_exit_seconds = 0;  // stop after this long without events; 0 = never
};
int EventsTail(const GlobalOptions& global, const TailOptions& options);

// Who changed the app, what, when and why (api/cli/audit.h), from the log.
int Audit(const GlobalOptions& global, const std::string& app_id);

struct ReplayOptions {
  std::string at;  // revision or RFC 3339 time; empty = the end
  std::string projection;
  bool no_snapshots = false;
};
int Replay(const GlobalOptions& global, const ReplayOptions& options);

int SnapshotCreate(const GlobalOptions& global);

struct MasterCommandOptions {
  std::string listen = "127.0.0.1:5050";
  std::string http = "127.0.0.1:8080";  // "off": no HTTP API in this process
  std::string kube_http = "127.0.0.1:6443";  // the Kubernetes API; "off": none
  double heartbeat_timeout_seconds = 5;
  double unreachable_inactive_seconds = 300;
  RoleFlags roles;
};
int Master(const GlobalOptions& global, const MasterCommandOptions& options);

struct ApiCommandOptions {
  std::string master = "127.0.0.1:5050";
  std::string http = "127.0.0.1:8080";
  std::string kube_http = "off";  // beside a master that serves 6443 itself
};
int Api(const GlobalOptions& global, const ApiCommandOptions& options);

struct AgentCommandOptions {
  std::string master = "127.0.0.1:5050";
  std::string work_dir = "./regatta-agent";
  std::string hostname;
  double cpus = 0, mem = 0, disk = 0;  // 0: detect
  std::string ports = "31000-32000";
  std::vector<std::string> attributes;
  double heartbeat_seconds = 1;
  std::string executor = REGATTA_DEFAULT_EXECUTOR;
  bool no_cgroups = false;
  bool namespaces = false;    // PID, mount, UTS and IPC namespaces per task
  std::uint32_t simulate = 0;  // > 0: that many simulated agents, no processes
};
int Agent(const AgentCommandOptions& options);

// The cluster commands: over the HTTP API at global.api (api_client.h).
struct RunOptions {
  std::string id;  // default: from the command
  bool id_given = false;  // --id was on the command line (so an empty one is an error, not "use the default")
  std::uint32_t instances = 1;
  double cpus = 0.1;
  double mem = 32;
  std::uint32_t ports = 0;  // host ports per task ($PORT0...)
  std::vector<std::uint32_t> host_ports;  // instead of `ports`: these exact ones (requirePorts)
  std::vector<std::string> constraints;  // FIELD:OPERATOR[:VALUE]
  bool job = false;                // run to completion (instances = completions)
  std::uint32_t max_retries = 3;   // with job: failures the job survives
  bool force = false;              // override a deployment that holds the app
  std::string reason;               // why, for the log's audit trail
  std::vector<std::string> command;
};
int Run(const GlobalOptions& global, const RunOptions& options);

struct ScaleOptions {
  std::string app_id;
  std::uint32_t instances = 0;
  bool force = false;
  std::string reason;
};
int Scale(const GlobalOptions& global, const ScaleOptions& options);

struct KillOptions {
  std::string task_id;
  std::string reason;
};
int Kill(const GlobalOptions& global, const KillOptions& options);
int Tasks(const GlobalOptions& global);

// Deployments (deploy_commands.cc). A deployment is named by its id, or by
// an app ("/web") for the deployment running for it.
int DeployList(const GlobalOptions& global);
int DeployShow(const GlobalOptions& global, const std::string& id_or_app);
// Draws the rollout's progress until it ends: 0 when it succeeded, 1 when
// it failed, was reverted or canceled (as `kubectl rollout status`).
int DeployWatch(const GlobalOptions& global, const std::string& id_or_app, double interval_seconds);
// action: pause, resume or promote.
int DeployControl(const GlobalOptions& global, const std::string& id_or_app, const std::string& action,
                  const std::string& reason);
int DeployCancel(const GlobalOptions& global, const std::string& id_or_app, bool force, const std::string& reason);

struct RollbackOptions {
  std::string app_id;
  std::string to;  // a version (RFC 3339), or a log revision: the version the app had then
  bool force = false;
  std::string reason;
};
int Rollback(const GlobalOptions& global, const RollbackOptions& options);
int Agents(const GlobalOptions& global);

struct UpOptions {
  int agents = 3;
  std::string listen = "127.0.0.1:5050";
  std::string http = "127.0.0.1:8080";  // the master's HTTP API
  std::string kube_http = "127.0.0.1:6443";  // its Kubernetes API; kubeconfig in the data dir
  double cpus_per_agent = 2;
  double mem_per_agent = 2048;
  RoleFlags roles;  // handed to the master as they are
};
int Up(const GlobalOptions& global, const UpOptions& options);

struct PublishOptions {
  bool follow = false;
  double idle_exit_seconds = 0;
};
int PublishStateTopics(const GlobalOptions& global, const PublishOptions& options);
int LogVerify(const GlobalOptions& global);

}  // namespace regatta::cli

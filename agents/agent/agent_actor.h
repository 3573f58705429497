// The agent process: a CAF actor that registers with the master, sends
// heartbeats, reregisters when the master forgets it (a master restart, a
// partition it was declared unreachable in), and keeps its id across its
// own restarts in <work_dir>/agent_id.
//
// It runs the master's tasks with the process containerizer and reports
// every change of state at least once: an update is resent on every tick
// until the master acknowledges it, and only then is the task's checkpoint
// dropped. Restarted on the same work dir, it recovers its running tasks
// (they were never its children: see containerizer.h) and reports them when
// it reregisters.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "events/domain/commands.h"
#include "events/base/status.h"

namespace regatta::agent {

struct AgentOptions {
  std::string master_host = "127.0.0.1";
  std::uint16_t master_port = 5050;
  std::string work_dir = "./regatta-agent";
  std::string hostname;  // default: the machine's
  domain::ResourceVector resources;
  std::vector<domain::PortRange> ports;
  domain::Attributes attributes;
  std::chrono::milliseconds heartbeat_interval{1000};
  std::string executor_path;  // the regatta-executor binary
  bool enable_cgroups = true;
  bool isolate_namespaces = false;  // each task in new PID, mount, UTS and IPC namespaces
  bool persist_id = true;           // keep the agent id in <work_dir>/agent_id
  bool simulated = false;           // a simulated agent: no processes (simulated_runner.h)
  bool quiet = false;               // no per-task log lines (thousands of simulated agents)
};

// Runs the agent until SIGINT/SIGTERM. With `simulate` > 0, runs that many
// simulated agents in this process instead (hostnames <hostname>-sim-<i>,
// each with the resources given), which start no processes.
Status RunAgent(const AgentOptions& options, std::uint32_t simulate = 0);

// The options of simulated agent `index` made from `base`.
AgentOptions SimulatedAgentOptions(const AgentOptions& base, std::uint32_t index);

}  // namespace regatta::agent

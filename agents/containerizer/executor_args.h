// The command line of regatta-executor, encoded by the agent and decoded by
// the executor with the same code, so the two cannot drift apart.
//
//   regatta-executor --task-id ID --app-id ID --kill-grace-ms N
//                    [--cgroup DIR]... [--isolate [--hostname NAME]]
//                    -- COMMAND ARG...
//
// The executor's own environment is the task's environment: it passes it on
// to the command unchanged.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "events/base/status.h"

namespace regatta::agent {

struct ExecutorConfig {
  std::string task_id;
  std::string app_id;
  std::chrono::milliseconds kill_grace{0};
  std::vector<std::string> cgroups;  // the command joins each before exec
  bool isolate_namespaces = false;   // new PID, mount, UTS and IPC namespaces
  std::string hostname;              // set inside the UTS namespace if given
  std::vector<std::string> command;  // argv; command[0] is looked up in PATH
};

// Arguments after argv[0].
std::vector<std::string> EncodeExecutorArgs(const ExecutorConfig& config);
// InvalidArgument naming the bad flag; `args` excludes argv[0].
Result<ExecutorConfig> DecodeExecutorArgs(const std::vector<std::string>& args);

}  // namespace regatta::agent

// What the agent asks the containerizer to run, and the pure rules over it:
// validation, the command line, and the task's environment.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "events/base/status.h"

namespace regatta::agent {

using EnvVars = std::vector<std::pair<std::string, std::string>>;

struct LaunchSpec {
  std::string task_id;  // [A-Za-z0-9._:@+-], at most 200 bytes: it names dirs
  std::string app_id;
  std::string cmd;                // run as `/bin/sh -c cmd` when set ...
  std::vector<std::string> argv;  // ... else exec'd directly (argv[0] via PATH)
  EnvVars env;                    // the app's own variables
  std::vector<std::uint32_t> host_ports;
  std::vector<std::string> port_names;  // parallel to host_ports; "" = unnamed
  std::string hostname;                 // HOST, and the UTS name when isolated
  double cpus = 0;                      // 0 = no cpu limit
  std::uint64_t mem_mb = 0;             // 0 = no memory limit
  std::chrono::milliseconds kill_grace{3000};
  bool isolate_namespaces = false;      // PID, mount, UTS and IPC namespaces
  // An OCI image the task should run in. This containerizer runs processes
  // only, so a task with an image is refused, naming it.
  std::string container_image;
};

// Where a task's command runs and with which environment: a COMMAND health
// check of the task runs the same way.
struct TaskShell {
  std::vector<std::string> env;  // "KEY=VALUE", as BuildTaskEnvironment
  std::string cwd;               // the sandbox
};

// InvalidArgument naming the first bad field.
Status ValidateLaunchSpec(const LaunchSpec& spec);

// ["/bin/sh", "-c", cmd] or argv. REQUIRES: ValidateLaunchSpec(spec).ok().
std::vector<std::string> CommandLine(const LaunchSpec& spec);

// "http-api" -> "PORT_HTTP_API": uppercase, every non-alphanumeric -> '_'.
std::string PortVariableName(const std::string& port_name);

// Agent variables a task inherits; the rest of the agent's env stays out.
inline constexpr const char* kInheritedVariables[] = {"PATH", "HOME", "LANG", "LC_ALL",
                                                      "TZ", "TMPDIR", "USER", "LOGNAME"};

// The task's environment as sorted "KEY=VALUE" strings. Later layers win:
//   1. `inherited` (already filtered to kInheritedVariables), PATH defaulted
//   2. PORT0..PORTn, PORT (= PORT0), PORT_<NAME>, HOST
//   3. the app's env (an app may override a port variable if it insists)
//   4. REGATTA_TASK_ID, REGATTA_APP_ID, REGATTA_SANDBOX: always ours,
//      because the agent's recovery and the task's logs rely on them.
std::vector<std::string> BuildTaskEnvironment(const LaunchSpec& spec, const std::string& sandbox,
                                              const EnvVars& inherited);

}  // namespace regatta::agent

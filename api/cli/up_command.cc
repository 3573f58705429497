// regatta up: a whole cluster on this machine, one process each for the
// master and N agents, supervised by this one until SIGINT or SIGTERM.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <thread>
#include <vector>

#include "actors/runtime/signals.h"
#include "api/cli/commands.h"

namespace regatta::cli {
namespace {

std::string SelfPath() {
  char path[4096] = {};
  const ssize_t n = ::readlink("/proc/self/exe", path, sizeof path - 1);
  return n > 0 ? std::string(path, static_cast<std::size_t>(n)) : "regatta";
}

pid_t Spawn(const std::vector<std::string>& args) {
  const pid_t pid = ::fork();
  if (pid != 0) return pid;
  // The child must not inherit the blocked stop signals.
  sigset_t none;
  sigemptyset(&none);
  pthread_sigmask(SIG_SETMASK, &none, nullptr);
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  ::execv(argv[0], argv.data());
  ::_exit(127);
}

}  // namespace

int Up(const GlobalOptions& global, const UpOptions& options) {
  if (options.agents < 1 || options.agents > 64) {
    return Fail(Status::InvalidArgument("--agents: must be between 1 and 64"));
  }
  runtime::BlockStopSignals();
  const std::string self = SelfPath();
  // The master would refuse a bad role flag once started; refuse it here,
  // before anything starts.
  master::MasterOptions checked;
  if (Status s = ApplyRoleFlags(options.roles, checked); !s.ok()) return Fail(s);
  std::vector<std::string> master = {self, "--data-dir", global.data_dir, "master", "--listen", options.listen};
  if (!global.log.empty()) master.insert(master.begin() + 1, {"--log", global.log});
  const auto hand_on = [&](const char* flag, const std::vector<std::string>& items) {
    for (const std::string& item : items) master.insert(master.end(), {flag, item});
  };
  hand_on("--framework-role", options.roles.framework_roles);
  hand_on("--role-weight", options.roles.weights);
  hand_on("--role-quota", options.roles.quotas);
  std::vector<pid_t> children = {Spawn(master)};
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // let it listen first
  for (int i = 0; i < options.agents; ++i) {
    // One machine: every agent gets its own slice of ports, or tasks collide.
    // The slices share Mesos' 31000 up to where Linux's ephemeral ports
    // begin (32768): a task must not find its port taken by a connection.
    const int slice = std::min(1000, (32768 - 31000) / options.agents);
    const int first = 31000 + i * slice;
    children.push_back(Spawn({self, "agent", "--master", options.listen, "--work-dir",
                              global.data_dir + "/agents/agent-" + std::to_string(i), "--hostname", "127.0.0.1",
                              "--attribute", "agent:agent-" + std::to_string(i), "--ports",
                              std::to_string(first) + "-" + std::to_string(first + slice - 1), "--cpus",
                              std::to_string(options.cpus_per_agent), "--mem", std::to_string(options.mem_per_agent)}));
  }
  std::cout << "regatta up: master on " << options.listen << ", " << options.agents << " agent(s), data in "
            << global.data_dir << "\n"
            << "  try: regatta run --master " << options.listen
            << " --instances 2 --ports 1 -- 'python3 -m http.server $PORT0'\n"
            << "       regatta --data-dir " << global.data_dir << " tasks\n"
            << "Ctrl-C stops the cluster (tasks keep running, and agents recover them when they come back).\n"
            << std::flush;
  runtime::WaitForStopSignal();
  for (pid_t child : children) ::kill(child, SIGTERM);
  for (pid_t child : children) ::waitpid(child, nullptr, 0);
  std::cout << "regatta up: stopped\n";
  return 0;
}

}  // namespace regatta::cli

// regatta up: a whole cluster on this machine, one process each for the
// master and N agents, supervised by this one until SIGINT or SIGTERM. A
// process that dies is started again with the same arguments: the master
// rebuilds its state from the log and the agents reregister; an agent
// recovers the tasks still running from its work dir.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <filesystem>
#include <fstream>
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

// One supervised process.
struct Child {
  Child(std::string n, std::vector<std::string> a) : name(std::move(n)), argv(std::move(a)) {}
  std::string name;  // "the master", "agent-0", ...
  std::vector<std::string> argv;
  pid_t pid = -1;  // -1: waiting to be started again
  std::chrono::steady_clock::time_point started;
  int quick_deaths = 0;  // in a row, each within kQuickDeath of its start
};

using Clock = std::chrono::steady_clock;
// A process that dies this soon after its start did not get going (a port in
// use, a bad flag): it is started again after kRestartDelay, and after
// kMaxQuickDeaths such deaths in a row the cluster stops.
constexpr auto kQuickDeath = std::chrono::seconds(2);
constexpr auto kRestartDelay = std::chrono::seconds(1);
constexpr int kMaxQuickDeaths = 5;

void Start(Child& child) {
  child.pid = Spawn(child.argv);
  child.started = Clock::now();
}

std::string DescribeEnd(int status) {
  if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
  return "exited with status " + std::to_string(WEXITSTATUS(status));
}

// Reaps the children that ended and starts again those due. False when one
// keeps dying at once, and the cluster should stop.
bool Supervise(std::vector<Child>& children) {
  int status = 0;
  for (pid_t pid; (pid = ::waitpid(-1, &status, WNOHANG)) > 0;) {
    for (Child& child : children) {
      if (child.pid != pid) continue;
      child.pid = -1;
      child.quick_deaths = Clock::now() - child.started < kQuickDeath ? child.quick_deaths + 1 : 0;
      std::cerr << "regatta up: " << child.name << " (pid " << pid << ") " << DescribeEnd(status);
      if (child.quick_deaths >= kMaxQuickDeaths) {
        std::cerr << ", the " << kMaxQuickDeaths << "th time in a row right after starting; stopping the cluster\n";
        return false;
      }
      std::cerr << "; starting it again\n";
    }
  }
  for (Child& child : children) {
    if (child.pid == -1 && Clock::now() - child.started >= kRestartDelay) Start(child);
  }
  return true;
}


// kubectl's way in: one cluster, one context, namespace default. Plain
// HTTP on loopback, where kubectl sends no credentials.
Status WriteKubeconfig(const std::string& path, const std::string& address) {
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  std::ofstream out(path, std::ios::trunc);
  out << "apiVersion: v1\nkind: Config\nclusters:\n- name: regatta\n  cluster:\n    server: http://" << address
      << "\ncontexts:\n- name: regatta\n  context:\n    cluster: regatta\n    user: regatta\n    namespace: default\n"
      << "current-context: regatta\nusers:\n- name: regatta\n  user: {}\n";
  out.close();
  if (!out) return Status::IoError("cannot write " + path);
  return Status::Ok();
}

std::string AbsolutePath(const std::string& path) {
  std::error_code ec;
  auto absolute = std::filesystem::absolute(path, ec);
  return ec ? path : absolute.string();
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
  std::vector<std::string> master = {self, "--data-dir", global.data_dir, "master", "--listen", options.listen,
                                     "--http", options.http, "--kube-http", options.kube_http};
  const std::string kubeconfig = global.data_dir + "/kubeconfig";
  if (options.kube_http != "off") {
    if (Status s = WriteKubeconfig(kubeconfig, options.kube_http); !s.ok()) return Fail(s);
  }
  if (!global.log.empty()) master.insert(master.begin() + 1, {"--log", global.log});
  const auto hand_on = [&](const char* flag, const std::vector<std::string>& items) {
    for (const std::string& item : items) master.insert(master.end(), {flag, item});
  };
  hand_on("--framework-role", options.roles.framework_roles);
  hand_on("--role-weight", options.roles.weights);
  hand_on("--role-quota", options.roles.quotas);
  std::vector<Child> children;
  children.emplace_back("the master", master);
  Start(children.back());
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // let it listen first
  for (int i = 0; i < options.agents; ++i) {
    // One machine: every agent gets its own slice of ports, or tasks collide.
    // The slices share Mesos' 31000 up to where Linux's ephemeral ports
    // begin (32768): a task must not find its port taken by a connection.
    const int slice = std::min(1000, (32768 - 31000) / options.agents);
    const int first = 31000 + i * slice;
    const std::string name = "agent-" + std::to_string(i);
    children.emplace_back(name, std::vector<std::string>{
                                    self, "agent", "--master", options.listen, "--work-dir",
                                    global.data_dir + "/agents/" + name, "--hostname", "127.0.0.1", "--attribute",
                                    "agent:" + name, "--ports",
                                    std::to_string(first) + "-" + std::to_string(first + slice - 1), "--cpus",
                                    std::to_string(options.cpus_per_agent), "--mem",
                                    std::to_string(options.mem_per_agent)});
    Start(children.back());
  }
  std::cout << "regatta up: master on " << options.listen << ", " << options.agents << " agent(s), data in "
            << global.data_dir << "\n"
            << "  the Marathon API on http://" << options.http << " (curl http://" << options.http << "/v2/apps)\n"
            << "  try: regatta" << (options.http == "127.0.0.1:8080" ? "" : " --api http://" + options.http)
            << " run --instances 2 --ports 1 -- 'python3 -m http.server $PORT0'\n"
            << "       regatta" << (options.http == "127.0.0.1:8080" ? "" : " --api http://" + options.http) << " tasks\n"
            << (options.kube_http == "off" ? std::string()
                                           : "  the Kubernetes API on http://" + options.kube_http + ": export KUBECONFIG=" +
                                                 AbsolutePath(kubeconfig) + " (kubectl get pods)\n")
            << "A process that dies is started again. Ctrl-C stops the cluster (tasks keep running, and agents\n"
            << "recover them when they come back).\n"
            << std::flush;
  bool healthy = true;
  while (healthy && runtime::WaitForStopSignalFor(std::chrono::milliseconds(200)) == 0) healthy = Supervise(children);
  for (const Child& child : children) {
    if (child.pid > 0) ::kill(child.pid, SIGTERM);
  }
  for (const Child& child : children) {
    if (child.pid > 0) ::waitpid(child.pid, nullptr, 0);
  }
  std::cout << "regatta up: stopped\n";
  return healthy ? 0 : 1;
}

}  // namespace regatta::cli

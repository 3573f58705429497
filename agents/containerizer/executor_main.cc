// regatta-executor: supervises one task command so that the agent may die
// and come back without losing it. See containerizer.h for the design.
//
// The agent starts us in a new session with cwd = the sandbox, stdout and
// stderr = the sandbox's files, the task's environment, and a handshake pipe
// on fd 3. We:
//   1. fork the command; the child makes its own process group, joins the
//      task cgroups and (optionally) new namespaces, reports "ready" (or
//      why it could not) on one pipe, then WAITS on another;
//   2. write <sandbox>/checkpoint with both pids and start times;
//   3. release the child, which execs, and answer "ok" on fd 3;
//   4. wait for it, SIGKILL what is left of its process group (the leader
//      is still a zombie then, so its pgid cannot have been reused), and
//      write <sandbox>/exit_status.
// Step order is what makes recovery sound: a command never runs without a
// checkpoint naming it, and exit_status is written only after it is reaped.
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "agents/containerizer/checkpoint.h"
#include "agents/containerizer/executor_args.h"
#include "agents/containerizer/process.h"

namespace regatta::agent {
namespace {

void Answer(const std::string& line) {
  std::string text = line + "\n";
  (void)!::write(kHandshakeFd, text.data(), text.size());
  ::close(kHandshakeFd);
}

int FailLaunch(const std::string& message) {
  std::fprintf(stderr, "regatta-executor: %s\n", message.c_str());
  Answer("error " + message);
  return 2;
}

// The child's end of the "ready" pipe until it reported ready; then -1.
int g_ready_fd = -1;

// Explains a failure of the command child in its stderr, and to the
// executor while it still waits for "ready" (so Launch fails with it).
[[noreturn]] void ChildFail(const std::string& what) {
  std::string message = what + ": " + std::strerror(errno);
  std::fprintf(stderr, "regatta-executor: %s\n", message.c_str());
  if (g_ready_fd >= 0) (void)!::write(g_ready_fd, message.data(), message.size());
  ::_exit(127);
}

void JoinCgroups(const std::vector<std::string>& dirs) {
  for (const std::string& dir : dirs) {
    std::string procs = dir + "/cgroup.procs";
    int fd = ::open(procs.c_str(), O_WRONLY | O_CLOEXEC);
    // "0" means "the writing process" in v1 and v2, and in any pid namespace.
    if (fd < 0 || ::write(fd, "0", 1) != 1) ChildFail("joining cgroup " + dir);
    ::close(fd);
  }
}

// Runs as pid 1 of the new PID namespace the executor unshared before fork.
void EnterNamespaces(const std::string& hostname) {
  if (::unshare(CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC) != 0) ChildFail("unshare");
  // Keep our /proc mount from propagating back to the host's mount table.
  if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
    ChildFail("making / private");
  }
  if (::mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0) {
    ChildFail("mounting /proc");
  }
  if (!hostname.empty() && ::sethostname(hostname.data(), hostname.size()) != 0) {
    ChildFail("sethostname");
  }
}

[[noreturn]] void RunCommand(const ExecutorConfig& config, int ready_fd, int go_fd) {
  g_ready_fd = ready_fd;
  ::setpgid(0, 0);
  JoinCgroups(config.cgroups);
  if (config.isolate_namespaces) EnterNamespaces(config.hostname);
  (void)!::write(ready_fd, "r", 1);
  ::close(ready_fd);
  g_ready_fd = -1;
  char go = 0;
  while (::read(go_fd, &go, 1) < 0 && errno == EINTR) {
  }
  if (go != 'g') ::_exit(127);  // the executor died before checkpointing us
  ::close(go_fd);
  ::close(kHandshakeFd);  // the command must not hold the agent's pipe open
  ::signal(SIGPIPE, SIG_DFL);
  std::vector<char*> argv;
  for (const std::string& arg : config.command) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  ::execvp(argv[0], argv.data());
  ChildFail("exec " + config.command[0]);
}

Checkpoint MakeCheckpoint(const ExecutorConfig& config, pid_t child) {
  Checkpoint c;
  c.task_id = config.task_id;
  c.app_id = config.app_id;
  c.kill_grace = config.kill_grace;
  c.cgroups = config.cgroups;
  c.executor_pid = ::getpid();
  if (auto self = ReadProcStat(c.executor_pid)) c.executor_start = self->start_time;
  c.pid = child;
  c.pgid = child;
  if (auto stat = ReadProcStat(child)) c.start_time = stat->start_time;
  return c;
}

// Waits for the command without reaping it, kills its leftovers while the
// zombie still pins the pgid, then reaps it.
int WaitForCommand(pid_t child) {
  siginfo_t info{};
  while (::waitid(P_PID, static_cast<id_t>(child), &info, WEXITED | WNOWAIT) < 0 &&
         errno == EINTR) {
  }
  ::kill(-child, SIGKILL);
  int wait_status = 0;
  while (::waitpid(child, &wait_status, 0) < 0 && errno == EINTR) {
  }
  return wait_status;
}

// "" once the child said "r"eady; else its reason (EOF: it died silently).
std::string AwaitReady(int fd) {
  std::string said;
  char buf[512];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    said.append(buf, static_cast<size_t>(n));
    if (said == "r") return "";
  }
  return said.empty() ? "the command exited before it was ready" : said;
}

int Run(const ExecutorConfig& config) {
  if (config.isolate_namespaces && ::unshare(CLONE_NEWPID) != 0) {
    return FailLaunch(std::string("unshare(CLONE_NEWPID): ") + std::strerror(errno));
  }
  int ready[2], go[2];
  if (::pipe2(ready, O_CLOEXEC) != 0 || ::pipe2(go, O_CLOEXEC) != 0) {
    return FailLaunch("pipe2: " + std::string(std::strerror(errno)));
  }
  pid_t child = ::fork();
  if (child < 0) return FailLaunch("fork: " + std::string(std::strerror(errno)));
  if (child == 0) {
    ::close(ready[0]);
    ::close(go[1]);
    RunCommand(config, ready[1], go[0]);
  }
  ::close(ready[1]);
  ::close(go[0]);
  std::string not_ready = AwaitReady(ready[0]);
  ::close(ready[0]);
  if (!not_ready.empty()) {
    ::waitpid(child, nullptr, 0);  // it exits on its own after failing
    return FailLaunch("setting up the command: " + not_ready);
  }
  ::setpgid(child, child);  // also here, so it holds before we checkpoint
  // Paths are relative: the agent started us with cwd = the sandbox.
  Status written = WriteFileAtomically(kCheckpointFile,
                                       SerializeCheckpoint(MakeCheckpoint(config, child)));
  if (!written.ok()) {
    ::kill(child, SIGKILL);
    ::waitpid(child, nullptr, 0);
    return FailLaunch("checkpoint: " + written.ToString());
  }
  (void)!::write(go[1], "g", 1);
  ::close(go[1]);
  Answer("ok");
  int wait_status = WaitForCommand(child);
  Status saved = WriteFileAtomically(kExitStatusFile, SerializeExitStatus(wait_status));
  if (!saved.ok()) {
    std::fprintf(stderr, "regatta-executor: exit_status: %s\n", saved.ToString().c_str());
    return 1;
  }
  return 0;
}

}  // namespace
}  // namespace regatta::agent

int main(int argc, char** argv) {
  // The agent may be gone when we answer; EPIPE must not kill us.
  ::signal(SIGPIPE, SIG_IGN);
  std::vector<std::string> args(argv + 1, argv + argc);
  regatta::Result<regatta::agent::ExecutorConfig> config =
      regatta::agent::DecodeExecutorArgs(args);
  if (!config.ok()) return regatta::agent::FailLaunch(config.status().ToString());
  return regatta::agent::Run(*config);
}

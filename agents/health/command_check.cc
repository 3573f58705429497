#include "agents/health/command_check.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <utility>
#include <vector>

namespace regatta::health {
namespace {

int PidfdOpen(pid_t pid) { return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)); }

void CloseIfOpen(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

std::vector<char*> Pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (std::string& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

}  // namespace

Result<CheckProcess> CheckProcess::Start(const Probe& probe) {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) return Status::FromErrno("pipe2 for a COMMAND check", errno);
  posix_spawn_file_actions_t files;
  posix_spawn_file_actions_init(&files);
  posix_spawn_file_actions_addopen(&files, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&files, pipe_fds[1], 1);
  posix_spawn_file_actions_adddup2(&files, pipe_fds[1], 2);
  if (!probe.shell.cwd.empty()) posix_spawn_file_actions_addchdir_np(&files, probe.shell.cwd.c_str());
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  // Its own group, so a timeout kills what the command started too; and
  // the default signal dispositions and an empty mask, whatever the
  // agent's thread had.
  sigset_t none, defaults;
  sigemptyset(&none);
  sigfillset(&defaults);
  posix_spawnattr_setpgroup(&attributes, 0);
  posix_spawnattr_setsigmask(&attributes, &none);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  std::vector<std::string> argv{"/bin/sh", "-c", probe.command};
  std::vector<std::string> env = probe.shell.env;
  std::vector<char*> argv_pointers = Pointers(argv);
  std::vector<char*> env_pointers = Pointers(env);
  pid_t pid = -1;
  const int spawned = ::posix_spawn(&pid, "/bin/sh", &files, &attributes, argv_pointers.data(), env_pointers.data());
  posix_spawn_file_actions_destroy(&files);
  posix_spawnattr_destroy(&attributes);
  ::close(pipe_fds[1]);
  if (spawned != 0) {
    ::close(pipe_fds[0]);
    return Status::FromErrno("starting the COMMAND check (cwd " + probe.shell.cwd + ")", spawned);
  }
  const int pidfd = PidfdOpen(pid);
  if (pidfd < 0) {
    const int error = errno;
    ::kill(-pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    ::close(pipe_fds[0]);
    return Status::FromErrno("pidfd_open for a COMMAND check", error);
  }
  return CheckProcess(pid, pidfd, pipe_fds[0]);
}

CheckProcess::CheckProcess(CheckProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      pidfd_(std::exchange(other.pidfd_, -1)),
      output_fd_(std::exchange(other.output_fd_, -1)) {}

CheckProcess::~CheckProcess() {
  if (pid_ > 0) {
    ::kill(-pid_, SIGKILL);
    while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
    }
  }
  CloseIfOpen(pidfd_);
  CloseIfOpen(output_fd_);
}

int CheckProcess::Reap() {
  // What the command left running in its group goes with it, as at a
  // timeout: a check is one short-lived command. Before the reap, while
  // the zombie still holds the group's id, so no other group is hit.
  ::kill(-pid_, SIGKILL);
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
  return status;
}

std::string DescribeCheckExit(int wait_status, const std::string& output) {
  std::string text = WIFEXITED(wait_status)     ? "exit " + std::to_string(WEXITSTATUS(wait_status))
                     : WIFSIGNALED(wait_status) ? "killed by signal " + std::to_string(WTERMSIG(wait_status))
                                                : "ended with wait status " + std::to_string(wait_status);
  std::string line = output.substr(0, output.find('\n'));
  while (!line.empty() && (line.back() == ' ' || line.back() == '\r' || line.back() == '\t')) line.pop_back();
  if (!line.empty()) text += ": " + line;
  return text;
}

}  // namespace regatta::health

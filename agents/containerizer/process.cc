#include "agents/containerizer/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>

#include "agents/containerizer/checkpoint.h"

namespace regatta::agent {
namespace {

// Owns one file descriptor.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& o) noexcept : fd_(o.release()) {}
  Fd& operator=(Fd&& o) noexcept { reset(o.release()); return *this; }
  ~Fd() { reset(-1); }
  int get() const { return fd_; }
  int release() { int fd = fd_; fd_ = -1; return fd; }
  void reset(int fd) { if (fd_ >= 0) ::close(fd_); fd_ = fd; }

 private:
  int fd_ = -1;
};

// Moves `fd` to 10 or above, so that the child's dup2 onto 0..3 can never
// clobber a descriptor it has yet to duplicate.
Result<Fd> Lifted(int fd, const std::string& what) {
  if (fd < 0) return Status::FromErrno(what, errno);
  int high = ::fcntl(fd, F_DUPFD_CLOEXEC, 10);
  int err = errno;
  ::close(fd);
  if (high < 0) return Status::FromErrno("fcntl(" + what + ")", err);
  return Fd(high);
}

Result<Fd> OpenLifted(const std::string& path, int flags) {
  return Lifted(::open(path.c_str(), flags | O_CLOEXEC, 0644), "open(" + path + ")");
}

// Everything the child needs, prepared before fork: after fork it may only
// make async-signal-safe calls, so no allocation there.
struct ChildPlan {
  const char* path;
  char* const* argv;
  char* const* envp;
  const char* sandbox;
  int null_fd, out_fd, err_fd, pipe_fd;
};

[[noreturn]] void ReportErrnoAndExit(int fd, int err) {
  char buf[32] = "exec-errno ";
  auto [end, ec] = std::to_chars(buf + 11, buf + sizeof buf - 1, err);
  *end++ = '\n';
  (void)!::write(fd, buf, static_cast<size_t>(end - buf));
  ::_exit(127);
}

[[noreturn]] void RunChild(const ChildPlan& p) {
  ::setsid();
  sigset_t none;
  ::sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  // Ignored signals stay ignored across exec; the task must start clean.
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; ++sig) ::sigaction(sig, &dfl, nullptr);
  // dup2 clears FD_CLOEXEC on the targets; sources are all >= 10.
  if (::dup2(p.null_fd, 0) < 0 || ::dup2(p.out_fd, 1) < 0 || ::dup2(p.err_fd, 2) < 0 ||
      ::dup2(p.pipe_fd, kHandshakeFd) < 0) {
    ReportErrnoAndExit(p.pipe_fd, errno);
  }
  ::close_range(kHandshakeFd + 1, ~0U, 0);
  if (::chdir(p.sandbox) != 0) ReportErrnoAndExit(kHandshakeFd, errno);
  ::execve(p.path, p.argv, p.envp);
  ReportErrnoAndExit(kHandshakeFd, errno);
}

std::vector<char*> CStrings(const std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (const std::string& s : strings) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

// Reads the executor's one-line answer; "" when it closed the pipe silently.
Result<std::string> ReadHandshake(int fd, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string line;
  while (line.find('\n') == std::string::npos) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return Status::Unavailable("executor did not answer in time");
    pollfd pfd{fd, POLLIN, 0};
    int ready = ::poll(&pfd, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) return Status::FromErrno("poll(executor handshake)", errno);
    if (ready == 0) continue;
    char buf[512];
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::FromErrno("read(executor handshake)", errno);
    if (n == 0) break;
    line.append(buf, static_cast<size_t>(n));
  }
  return line.substr(0, line.find('\n'));
}

Status HandshakeError(const std::string& path, const std::string& line) {
  if (line.rfind("exec-errno ", 0) == 0) {
    int err = std::atoi(line.c_str() + 11);
    return Status::FromErrno("starting executor " + path, err);
  }
  if (line.empty()) return Status::IoError("executor " + path + " exited without a handshake");
  // The executor answers "error <reason>".
  return Status::IoError("executor " + path + ": " + line.substr(line.find(' ') + 1));
}

}  // namespace

std::optional<ProcStat> ParseProcStat(std::string_view line) {
  size_t paren = line.rfind(')');
  if (paren == std::string_view::npos) return std::nullopt;
  std::string_view rest = line.substr(paren + 1);
  // Fields after ')' start at field 3; field 22 is the 20th of them.
  ProcStat stat;
  int field = 2;
  while (!rest.empty() && field < 22) {
    size_t start = rest.find_first_not_of(' ');
    if (start == std::string_view::npos) break;
    rest.remove_prefix(start);
    size_t end = rest.find(' ');
    std::string_view token = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end);
    ++field;
    if (field == 3) stat.state = token.empty() ? '?' : token[0];
    if (field == 22) {
      auto [ptr, ec] = std::from_chars(token.data(), token.data() + token.size(), stat.start_time);
      if (ec != std::errc() || ptr != token.data() + token.size()) return std::nullopt;
      return stat;
    }
  }
  return std::nullopt;
}

std::optional<ProcStat> ReadProcStat(pid_t pid) {
  if (pid <= 0) return std::nullopt;
  Result<std::string> text = ReadWholeFile("/proc/" + std::to_string(pid) + "/stat");
  if (!text.ok()) return std::nullopt;
  return ParseProcStat(*text);
}

bool SameProcess(pid_t pid, std::uint64_t start_time) {
  std::optional<ProcStat> stat = ReadProcStat(pid);
  return stat && stat->start_time == start_time;
}

bool IsRunning(pid_t pid, std::uint64_t start_time) {
  std::optional<ProcStat> stat = ReadProcStat(pid);
  return stat && stat->start_time == start_time && stat->state != 'Z' && stat->state != 'X';
}

Result<pid_t> StartExecutor(const ExecutorCommand& command, std::chrono::milliseconds timeout) {
  const int out_flags = O_WRONLY | O_CREAT | O_APPEND;
  Result<Fd> null_fd = OpenLifted("/dev/null", O_RDONLY);
  Result<Fd> out_fd = OpenLifted(command.sandbox + "/stdout", out_flags);
  Result<Fd> err_fd = OpenLifted(command.sandbox + "/stderr", out_flags);
  for (const Status* s : {&null_fd.status(), &out_fd.status(), &err_fd.status()}) {
    if (!s->ok()) return *s;
  }
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) return Status::FromErrno("pipe2", errno);
  Fd read_end(pipe_fds[0]);
  Result<Fd> write_end = Lifted(pipe_fds[1], "pipe");
  if (!write_end.ok()) return write_end.status();

  std::vector<char*> argv = CStrings(command.argv);
  std::vector<char*> envp = CStrings(command.env);
  ChildPlan plan{command.path.c_str(), argv.data(), envp.data(), command.sandbox.c_str(),
                 null_fd->get(), out_fd->get(), err_fd->get(), write_end->get()};
  pid_t pid = ::fork();
  if (pid < 0) return Status::FromErrno("fork", errno);
  if (pid == 0) RunChild(plan);
  write_end->reset(-1);  // so EOF means "the executor is gone"

  Result<std::string> line = ReadHandshake(read_end.get(), timeout);
  if (line.ok() && *line == "ok") return pid;
  if (!line.ok()) ::kill(pid, SIGKILL);
  int wait_status = 0;
  while (::waitpid(pid, &wait_status, 0) < 0 && errno == EINTR) {
  }
  return line.ok() ? HandshakeError(command.path, *line) : line.status();
}

}  // namespace regatta::agent

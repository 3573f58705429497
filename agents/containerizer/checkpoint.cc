#include "agents/containerizer/checkpoint.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <map>

namespace regatta::agent {
namespace {

using Fields = std::multimap<std::string, std::string, std::less<>>;

Fields SplitLines(std::string_view text) {
  Fields fields;
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    size_t eq = line.find('=');
    if (eq == std::string_view::npos) continue;  // blank or foreign line
    fields.emplace(std::string(line.substr(0, eq)), std::string(line.substr(eq + 1)));
  }
  return fields;
}

Result<std::string> Field(const Fields& fields, std::string_view key) {
  auto it = fields.find(key);
  if (it == fields.end()) return Status::Corruption("missing key '" + std::string(key) + "'");
  return it->second;
}

template <class Int>
Result<Int> NumberField(const Fields& fields, std::string_view key) {
  Result<std::string> text = Field(fields, key);
  if (!text.ok()) return text.status();
  Int value{};
  const char* end = text->data() + text->size();
  auto [ptr, ec] = std::from_chars(text->data(), end, value);
  if (ec != std::errc() || ptr != end || text->empty()) {
    return Status::Corruption("key '" + std::string(key) + "': not a number: '" + *text + "'");
  }
  return value;
}

Status WriteAll(int fd, std::string_view content) {
  while (!content.empty()) {
    ssize_t n = ::write(fd, content.data(), content.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::FromErrno("write", errno);
    content.remove_prefix(static_cast<size_t>(n));
  }
  return Status::Ok();
}

}  // namespace

std::string SerializeCheckpoint(const Checkpoint& c) {
  std::string out;
  out += "task_id=" + c.task_id + "\n";
  out += "app_id=" + c.app_id + "\n";
  out += "kill_grace_ms=" + std::to_string(c.kill_grace.count()) + "\n";
  for (const std::string& dir : c.cgroups) out += "cgroup=" + dir + "\n";
  out += "executor_pid=" + std::to_string(c.executor_pid) + "\n";
  out += "executor_start=" + std::to_string(c.executor_start) + "\n";
  out += "pid=" + std::to_string(c.pid) + "\n";
  out += "pgid=" + std::to_string(c.pgid) + "\n";
  out += "start_time=" + std::to_string(c.start_time) + "\n";
  return out;
}

Result<Checkpoint> ParseCheckpoint(std::string_view text) {
  Fields f = SplitLines(text);
  Checkpoint c;
  Result<std::string> task_id = Field(f, "task_id");
  Result<std::string> app_id = Field(f, "app_id");
  Result<std::int64_t> grace = NumberField<std::int64_t>(f, "kill_grace_ms");
  Result<pid_t> executor_pid = NumberField<pid_t>(f, "executor_pid");
  Result<std::uint64_t> executor_start = NumberField<std::uint64_t>(f, "executor_start");
  Result<pid_t> pid = NumberField<pid_t>(f, "pid");
  Result<pid_t> pgid = NumberField<pid_t>(f, "pgid");
  Result<std::uint64_t> start = NumberField<std::uint64_t>(f, "start_time");
  for (const Status* s : {&task_id.status(), &app_id.status(), &grace.status(),
                          &executor_pid.status(), &executor_start.status(), &pid.status(),
                          &pgid.status(), &start.status()}) {
    if (!s->ok()) return *s;
  }
  if (*pid <= 0 || *pgid <= 0 || *executor_pid <= 0) {
    return Status::Corruption("checkpoint names a non-positive pid");
  }
  c.task_id = *task_id;
  c.app_id = *app_id;
  c.kill_grace = std::chrono::milliseconds(*grace);
  auto [first, last] = f.equal_range("cgroup");
  for (auto it = first; it != last; ++it) c.cgroups.push_back(it->second);
  c.executor_pid = *executor_pid;
  c.executor_start = *executor_start;
  c.pid = *pid;
  c.pgid = *pgid;
  c.start_time = *start;
  return c;
}

std::string SerializeExitStatus(int wait_status) {
  return "wait_status=" + std::to_string(wait_status) + "\n";
}

Result<int> ParseExitStatus(std::string_view text) {
  return NumberField<int>(SplitLines(text), "wait_status");
}

std::string SerializeKillRequest(std::chrono::milliseconds grace) {
  return "kill_grace_ms=" + std::to_string(grace.count()) + "\n";
}

Result<std::chrono::milliseconds> ParseKillRequest(std::string_view text) {
  Result<std::int64_t> ms = NumberField<std::int64_t>(SplitLines(text), "kill_grace_ms");
  if (!ms.ok()) return ms.status();
  return std::chrono::milliseconds(*ms);
}

Status WriteFileAtomically(const std::string& path, std::string_view content) {
  std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::FromErrno("open(" + tmp + ")", errno);
  Status s = WriteAll(fd, content);
  if (s.ok() && ::fsync(fd) != 0) s = Status::FromErrno("fsync(" + tmp + ")", errno);
  ::close(fd);
  if (s.ok() && ::rename(tmp.c_str(), path.c_str()) != 0) {
    s = Status::FromErrno("rename(" + tmp + ")", errno);
  }
  if (!s.ok()) ::unlink(tmp.c_str());
  return s;
}

Result<std::string> ReadWholeFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) return Status::NotFound(path + ": no such file");
  if (fd < 0) return Status::FromErrno("open(" + path + ")", errno);
  std::string out;
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      return Status::FromErrno("read(" + path + ")", err);
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

}  // namespace regatta::agent

#include "agents/containerizer/cgroups.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <sstream>

#include "agents/containerizer/checkpoint.h"

namespace regatta::agent {
namespace {

constexpr std::int64_t kCfsPeriodUs = 100000;
constexpr std::int64_t kMinCfsQuotaUs = 1000;

std::vector<std::string> Split(std::string_view text, char sep) {
  std::vector<std::string> out;
  std::stringstream stream{std::string(text)};
  for (std::string item; std::getline(stream, item, sep);) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

bool Has(const std::vector<std::string>& items, std::string_view item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

// "<mount_point>" + own path relative to the mounted root + "/<parent>".
std::string RootDir(const CgroupMount& mount, std::string own, const std::string& parent) {
  if (mount.root != "/" && own.rfind(mount.root, 0) == 0) own = own.substr(mount.root.size());
  if (own.empty() || own[0] != '/') own = "/" + own;
  if (own.back() != '/') own += "/";
  return mount.mount_point + own + parent;
}

Status WriteCgroupFile(const std::string& path, const std::string& value) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return Status::FromErrno("open(" + path + ")", errno);
  ssize_t n = ::write(fd, value.data(), value.size());
  int err = errno;
  ::close(fd);
  if (n != static_cast<ssize_t>(value.size())) {
    return Status::FromErrno("write(" + path + ", " + value + ")", n < 0 ? err : EIO);
  }
  return Status::Ok();
}

Status MakeDir(const std::string& dir) {
  if (::mkdir(dir.c_str(), 0755) == 0 || errno == EEXIST) return Status::Ok();
  return Status::FromErrno("mkdir(" + dir + ")", errno);
}

// v2 only hands a controller to children that the parent enables in
// cgroup.subtree_control, at every level from the agent's cgroup down.
Status EnableV2Controllers(const CgroupRoot& root) {
  std::string value = root.memory && root.cpu ? "+memory +cpu" : root.memory ? "+memory" : "+cpu";
  std::string own = root.dir.substr(0, root.dir.rfind('/'));
  REGATTA_RETURN_IF_ERROR(WriteCgroupFile(own + "/cgroup.subtree_control", value));
  return WriteCgroupFile(root.dir + "/cgroup.subtree_control", value);
}

void AddV2Root(const std::vector<CgroupMount>& mounts,
               const std::map<std::string, std::string>& own, const std::string& parent,
               bool need_memory, bool need_cpu, std::vector<CgroupRoot>& roots) {
  for (const CgroupMount& m : mounts) {
    if (!m.v2) continue;
    auto it = own.find("");
    CgroupRoot root{RootDir(m, it == own.end() ? "/" : it->second, parent), true, false, false};
    std::string own_dir = root.dir.substr(0, root.dir.rfind('/'));
    Result<std::string> available = ReadWholeFile(own_dir + "/cgroup.controllers");
    if (!available.ok()) continue;
    std::vector<std::string> names = Split(*available, ' ');
    for (std::string& n : names) n.erase(std::remove(n.begin(), n.end(), '\n'), n.end());
    root.memory = need_memory && Has(names, "memory");
    root.cpu = need_cpu && Has(names, "cpu");
    if (root.memory || root.cpu) roots.push_back(root);
    return;  // one cgroup2 hierarchy per machine
  }
}

std::vector<CgroupRoot> CandidateRoots(const std::vector<CgroupMount>& mounts,
                                       const std::map<std::string, std::string>& own,
                                       const std::string& parent) {
  std::vector<CgroupRoot> roots;
  bool memory = false, cpu = false;
  for (const CgroupMount& m : mounts) {
    if (m.v2) continue;
    bool m_memory = !memory && Has(m.options, "memory");
    bool m_cpu = !cpu && Has(m.options, "cpu");
    if (!m_memory && !m_cpu) continue;
    auto it = own.find(m_memory ? "memory" : "cpu");
    roots.push_back({RootDir(m, it == own.end() ? "/" : it->second, parent), false, m_memory, m_cpu});
    memory = memory || m_memory;
    cpu = cpu || m_cpu;
  }
  if (!memory || !cpu) AddV2Root(mounts, own, parent, !memory, !cpu, roots);
  return roots;
}

}  // namespace

std::vector<CgroupMount> ParseCgroupMounts(std::string_view mountinfo) {
  std::vector<CgroupMount> mounts;
  for (const std::string& line : Split(mountinfo, '\n')) {
    std::vector<std::string> f = Split(line, ' ');
    auto dash = std::find(f.begin(), f.end(), "-");
    if (f.size() < 5 || dash == f.end() || f.end() - dash < 4) continue;
    const std::string& fstype = *(dash + 1);
    if (fstype != "cgroup" && fstype != "cgroup2") continue;
    mounts.push_back({f[4], f[3], fstype == "cgroup2", Split(*(dash + 3), ',')});
  }
  return mounts;
}

std::map<std::string, std::string> ParseProcCgroup(std::string_view text) {
  std::map<std::string, std::string> paths;
  for (const std::string& line : Split(text, '\n')) {
    size_t first = line.find(':');
    size_t second = first == std::string::npos ? first : line.find(':', first + 1);
    if (second == std::string::npos) continue;
    std::string path = line.substr(second + 1);
    std::string controllers = line.substr(first + 1, second - first - 1);
    if (controllers.empty()) paths[""] = path;
    for (const std::string& c : Split(controllers, ',')) paths[c] = path;
  }
  return paths;
}

std::vector<std::pair<std::string, std::string>> CgroupLimitFiles(const CgroupRoot& root,
                                                                  double cpus,
                                                                  std::uint64_t mem_mb) {
  std::vector<std::pair<std::string, std::string>> files;
  if (root.cpu && cpus > 0) {
    auto quota = std::max(kMinCfsQuotaUs, static_cast<std::int64_t>(std::llround(cpus * kCfsPeriodUs)));
    if (root.v2) {
      files.emplace_back("cpu.max", std::to_string(quota) + " " + std::to_string(kCfsPeriodUs));
    } else {
      files.emplace_back("cpu.cfs_period_us", std::to_string(kCfsPeriodUs));
      files.emplace_back("cpu.cfs_quota_us", std::to_string(quota));
    }
  }
  if (root.memory && mem_mb > 0) {
    std::string bytes = std::to_string(mem_mb << 20);
    files.emplace_back(root.v2 ? "memory.max" : "memory.limit_in_bytes", bytes);
  }
  return files;
}

Cgroups Cgroups::Disabled(std::string reason) {
  Cgroups c;
  c.reason_ = std::move(reason);
  return c;
}

Cgroups Cgroups::Detect(const std::string& parent_name) {
  Result<std::string> mountinfo = ReadWholeFile("/proc/self/mountinfo");
  Result<std::string> own = ReadWholeFile("/proc/self/cgroup");
  if (!mountinfo.ok()) return Disabled(mountinfo.status().ToString());
  if (!own.ok()) return Disabled(own.status().ToString());
  Cgroups c;
  for (const CgroupRoot& root :
       CandidateRoots(ParseCgroupMounts(*mountinfo), ParseProcCgroup(*own), parent_name)) {
    Status s = MakeDir(root.dir);
    if (s.ok() && root.v2) s = EnableV2Controllers(root);
    if (s.ok()) {
      c.roots_.push_back(root);
    } else {
      c.reason_ += (c.reason_.empty() ? "" : "; ") + s.ToString();
    }
  }
  if (c.roots_.empty() && c.reason_.empty()) c.reason_ = "no memory or cpu cgroup controller is mounted";
  return c;
}

Result<std::vector<std::string>> Cgroups::CreateTaskCgroups(const std::string& task_id,
                                                            double cpus,
                                                            std::uint64_t mem_mb) const {
  std::vector<std::string> dirs;
  for (const CgroupRoot& root : roots_) {
    std::string dir = root.dir + "/" + task_id;
    Status s = MakeDir(dir);
    for (const auto& [file, value] : CgroupLimitFiles(root, cpus, mem_mb)) {
      if (s.ok()) s = WriteCgroupFile(dir + "/" + file, value);
    }
    if (!s.ok()) {
      ::rmdir(dir.c_str());
      for (const std::string& made : dirs) ::rmdir(made.c_str());
      return s;
    }
    dirs.push_back(dir);
  }
  return dirs;
}

Status DestroyCgroup(const std::string& dir) {
  Result<std::string> procs = ReadWholeFile(dir + "/cgroup.procs");
  if (!procs.ok() && procs.status().code() == StatusCode::kNotFound) return Status::Ok();
  if (procs.ok()) {
    for (const std::string& text : Split(*procs, '\n')) {
      pid_t pid = 0;
      std::from_chars(text.data(), text.data() + text.size(), pid);
      if (pid > 0) ::kill(pid, SIGKILL);  // never 0 or -1: those mean "us" and "everyone"
    }
  }
  if (::rmdir(dir.c_str()) == 0 || errno == ENOENT) return Status::Ok();
  if (errno == EBUSY) return Status::Unavailable("cgroup " + dir + " still has processes");
  return Status::FromErrno("rmdir(" + dir + ")", errno);
}

}  // namespace regatta::agent

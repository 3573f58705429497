// Per-task cgroups for memory and cpu limits, on cgroup v1 or v2, whichever
// this machine mounts (hybrid machines mount both; per controller, v1 wins,
// because a controller bound to a v1 hierarchy is absent from v2).
//
// Where: task cgroups go under "<mount><the agent's own cgroup>/<parent>/",
// not under the mount root, so the limits the agent itself runs under still
// bound its tasks, and two agents on one machine stay apart when they have
// distinct parents.
//
// cgroup v2 caveat: its "no internal processes" rule means controllers can
// only be enabled below the agent's cgroup when that cgroup is the root or
// holds no processes. Otherwise Detect reports cgroups unusable and why.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "events/base/status.h"

namespace regatta::agent {

// One line of /proc/self/mountinfo that mounts a cgroup hierarchy.
struct CgroupMount {
  std::string mount_point;  // /sys/fs/cgroup/memory
  std::string root;         // the hierarchy path mounted there, usually "/"
  bool v2 = false;
  std::vector<std::string> options;  // super options: "rw", "memory", ...
};

// Pure: the cgroup and cgroup2 mounts in a /proc/self/mountinfo text.
std::vector<CgroupMount> ParseCgroupMounts(std::string_view mountinfo);

// Pure: /proc/self/cgroup as controller -> path. "4:cpu,cpuacct:/a" gives
// {"cpu": "/a", "cpuacct": "/a"}; the v2 line "0::/b" gives {"": "/b"}.
std::map<std::string, std::string> ParseProcCgroup(std::string_view text);

// A directory under which task cgroups are made, and what it can limit.
struct CgroupRoot {
  std::string dir;  // <mount><agent's cgroup>/<parent>
  bool v2 = false;
  bool memory = false;
  bool cpu = false;
};

// Pure: the limit files to write in a task cgroup, in order. Worked example:
// cpus 0.5, mem_mb 64 on v1 gives cpu.cfs_period_us=100000,
// cpu.cfs_quota_us=50000 (0.5 x the period) and memory.limit_in_bytes=
// 67108864 (64 x 2^20); on v2, cpu.max="50000 100000" and memory.max=
// 67108864. The quota has a floor of 1000 us, the kernel's minimum.
// cpus 0 or mem_mb 0 leaves that resource unlimited.
std::vector<std::pair<std::string, std::string>> CgroupLimitFiles(const CgroupRoot& root,
                                                                  double cpus,
                                                                  std::uint64_t mem_mb);

// The usable hierarchies on this machine, found once at agent start.
class Cgroups {
 public:
  // Reads /proc/self/mountinfo and /proc/self/cgroup, and creates the
  // parent directory in each hierarchy. Never fails: when nothing is usable,
  // enabled() is false and disabled_reason() says why.
  static Cgroups Detect(const std::string& parent_name);
  static Cgroups Disabled(std::string reason);

  bool enabled() const { return !roots_.empty(); }
  const std::string& disabled_reason() const { return reason_; }
  const std::vector<CgroupRoot>& roots() const { return roots_; }

  // Makes <root>/<task_id> in each hierarchy and writes the limits. Returns
  // the directories the task must join. On failure removes what it made.
  Result<std::vector<std::string>> CreateTaskCgroups(const std::string& task_id, double cpus,
                                                     std::uint64_t mem_mb) const;

 private:
  std::vector<CgroupRoot> roots_;
  std::string reason_;
};

// SIGKILLs whatever is still in `dir` and removes it. Ok when it is gone
// already; Unavailable while processes are still dying (retry later).
Status DestroyCgroup(const std::string& dir);

}  // namespace regatta::agent

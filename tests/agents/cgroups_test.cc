// Finding cgroup hierarchies and computing limit files, from text alone.
#include "agents/containerizer/cgroups.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace regatta::agent {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

// A hybrid machine (this project's test machines): v1 controllers plus an
// empty cgroup2 at /sys/fs/cgroup/unified.
constexpr char kHybridMountinfo[] =
    "22 1 8:1 / / rw,relatime - ext4 /dev/vda rw\n"
    "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
    "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
    "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
    "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";

// A pure v2 machine inside a cgroup namespace, with optional fields.
constexpr char kV2Mountinfo[] =
    "30 24 0:26 /lxc/c1 /sys/fs/cgroup rw,nosuid shared:9 - cgroup2 cgroup2 rw,nsdelegate\n";

TEST(CgroupsTest, ParsesV1AndV2MountsAndIgnoresOthers) {
  std::vector<CgroupMount> mounts = ParseCgroupMounts(kHybridMountinfo);
  ASSERT_EQ(mounts.size(), 3u);
  EXPECT_EQ(mounts[0].mount_point, "/sys/fs/cgroup/cpu");
  EXPECT_FALSE(mounts[0].v2);
  EXPECT_THAT(mounts[0].options, ElementsAre("rw", "cpu"));
  EXPECT_EQ(mounts[2].mount_point, "/sys/fs/cgroup/unified");
  EXPECT_TRUE(mounts[2].v2);

  mounts = ParseCgroupMounts(kV2Mountinfo);
  ASSERT_EQ(mounts.size(), 1u);
  EXPECT_EQ(mounts[0].root, "/lxc/c1");
  EXPECT_TRUE(mounts[0].v2);
  EXPECT_TRUE(ParseCgroupMounts("garbage\n\n- -\n").empty());
}

TEST(CgroupsTest, ParsesProcSelfCgroupPerController) {
  auto paths = ParseProcCgroup("4:memory:/process_api/x\n2:cpu,cpuacct:/\n0::/user.slice\n");
  EXPECT_THAT(paths, ElementsAre(Pair("", "/user.slice"), Pair("cpu", "/"), Pair("cpuacct", "/"),
                                 Pair("memory", "/process_api/x")));
  EXPECT_TRUE(ParseProcCgroup("nonsense").empty());
}

TEST(CgroupsTest, LimitFilesFollowTheWorkedExample) {
  CgroupRoot v1{"/x", false, true, true};
  EXPECT_THAT(CgroupLimitFiles(v1, 0.5, 64),
              ElementsAre(Pair("cpu.cfs_period_us", "100000"), Pair("cpu.cfs_quota_us", "50000"),
                          Pair("memory.limit_in_bytes", "67108864")));
  CgroupRoot v2{"/x", true, true, true};
  EXPECT_THAT(CgroupLimitFiles(v2, 2, 1),
              ElementsAre(Pair("cpu.max", "200000 100000"), Pair("memory.max", "1048576")));
}

TEST(CgroupsTest, ZeroMeansUnlimitedAndTinyCpuHitsTheFloor) {
  CgroupRoot v1{"/x", false, true, true};
  EXPECT_TRUE(CgroupLimitFiles(v1, 0, 0).empty());
  EXPECT_THAT(CgroupLimitFiles(v1, 0.001, 0),
              ElementsAre(Pair("cpu.cfs_period_us", "100000"), Pair("cpu.cfs_quota_us", "1000")));
  CgroupRoot memory_only{"/x", false, true, false};
  EXPECT_THAT(CgroupLimitFiles(memory_only, 4, 1), ElementsAre(Pair("memory.limit_in_bytes", "1048576")));
}

}  // namespace
}  // namespace regatta::agent

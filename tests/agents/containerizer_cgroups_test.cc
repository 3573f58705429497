// Cgroup limits with real processes. Skipped, saying why, on machines where
// the cgroup tree is not writable.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "tests/agents/containerizer_fixture.h"

namespace regatta::agent {
namespace {

using ::testing::HasSubstr;

bool Exists(const std::string& path) { return ::access(path.c_str(), F_OK) == 0; }

bool Limits(const ProcessContainerizer& c, bool CgroupRoot::*resource) {
  const auto& roots = c.cgroups().roots();
  return std::any_of(roots.begin(), roots.end(), [&](const CgroupRoot& r) { return r.*resource; });
}

// Checks one task cgroup directory, v1 or v2; returns what it limited.
void ExpectLimits(const std::string& dir, bool& memory, bool& cpu) {
  if (Exists(dir + "/memory.limit_in_bytes")) {
    memory = true;
    EXPECT_EQ(Slurp(dir + "/memory.limit_in_bytes"), "67108864\n");  // 64 MiB
  }
  if (Exists(dir + "/memory.max")) {
    memory = true;
    EXPECT_EQ(Slurp(dir + "/memory.max"), "67108864\n");
  }
  if (Exists(dir + "/cpu.cfs_quota_us")) {
    cpu = true;
    EXPECT_EQ(Slurp(dir + "/cpu.cfs_period_us"), "100000\n");
    EXPECT_EQ(Slurp(dir + "/cpu.cfs_quota_us"), "50000\n");  // 0.5 cpus
  }
  if (Exists(dir + "/cpu.max")) {
    cpu = true;
    EXPECT_EQ(Slurp(dir + "/cpu.max"), "50000 100000\n");
  }
}

TEST_F(ContainerizerTest, LimitsAreWrittenAndTheCommandRunsInsideFromItsFirstInstruction) {
  if (!c_->cgroups().enabled()) {
    GTEST_SKIP() << "cgroups are not writable here: " << c_->cgroups().disabled_reason();
  }
  LaunchSpec spec = Shell("limited-1", "cat /proc/self/cgroup; sleep 1000");
  spec.mem_mb = 64;
  spec.cpus = 0.5;
  ASSERT_TRUE(c_->Launch(spec).ok());
  Result<TaskInfo> info = c_->Describe("limited-1");
  ASSERT_TRUE(info.ok());
  ASSERT_FALSE(info->cgroups.empty()) << ::testing::PrintToString(warnings_);
  bool memory = false, cpu = false;
  for (const std::string& dir : info->cgroups) {
    ExpectLimits(dir, memory, cpu);
    EXPECT_THAT(Slurp(dir + "/cgroup.procs"), HasSubstr(std::to_string(info->pid) + "\n")) << dir;
  }
  EXPECT_EQ(memory, Limits(*c_, &CgroupRoot::memory));
  EXPECT_EQ(cpu, Limits(*c_, &CgroupRoot::cpu));
  // The shell's first command already ran in the task cgroups.
  ASSERT_TRUE(WaitUntil([&] { return Slurp(SandboxFile("limited-1", "stdout")).ends_with("\n"); }));
  EXPECT_THAT(Slurp(SandboxFile("limited-1", "stdout")),
              HasSubstr("/" + Options().cgroup_parent + "/limited-1\n"));

  ASSERT_TRUE(c_->Kill("limited-1", Clock::now(), milliseconds(0)).ok());
  ASSERT_TRUE(WaitForExit("limited-1"));
  for (const std::string& dir : info->cgroups) {
    EXPECT_TRUE(WaitUntil([&] {
      c_->Poll(Clock::now());
      return !Exists(dir);
    })) << dir << " was not removed";
  }
}

TEST_F(ContainerizerTest, MemoryLimitIsEnforcedByTheKernel) {
  if (!Limits(*c_, &CgroupRoot::memory)) {
    GTEST_SKIP() << "no writable memory cgroup here: " << c_->cgroups().disabled_reason();
  }
  std::string swaps = Slurp("/proc/swaps");
  if (std::count(swaps.begin(), swaps.end(), '\n') > 1) {
    GTEST_SKIP() << "swap is on: it would absorb the overrun instead of the OOM killer";
  }
  // tail buffers the one 300 MB "line" from /dev/zero; the limit is 32 MiB.
  LaunchSpec spec = Shell("hog-1", "head -c 300000000 /dev/zero | tail");
  spec.mem_mb = 32;
  ASSERT_TRUE(c_->Launch(spec).ok());
  std::optional<TaskExit> exit = WaitForExit("hog-1", milliseconds(30000));
  ASSERT_TRUE(exit);
  EXPECT_EQ(exit->state, schema::TaskState::FAILED);
  EXPECT_EQ(exit->exit_code, 128 + SIGKILL) << "tail should die of the OOM killer";
}

TEST_F(ContainerizerTest, WithCgroupsDisabledTasksRunUnlimitedAndNothingWarns) {
  ContainerizerOptions options = Options();
  options.enable_cgroups = false;
  auto c = ProcessContainerizer::Create(dir_.Sub("nocg"), options);
  ASSERT_TRUE(c.ok());
  LaunchSpec spec = Shell("free-1", "true");
  spec.mem_mb = 64;
  ASSERT_TRUE((*c)->Launch(spec).ok());
  EXPECT_TRUE((*c)->Describe("free-1")->cgroups.empty());
  c_ = std::move(*c);
  std::optional<TaskExit> exit = WaitForExit("free-1");
  ASSERT_TRUE(exit);
  EXPECT_EQ(exit->state, schema::TaskState::FINISHED);
  EXPECT_TRUE(warnings_.empty()) << warnings_.front();
}

}  // namespace
}  // namespace regatta::agent

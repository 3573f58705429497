// The pure mapping from how a command ended to its terminal TaskState.
#include "agents/containerizer/task_exit.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

namespace regatta::agent {
namespace {

struct Case {
  const char* name;
  std::optional<int> wait_status;
  bool kill_requested;
  schema::TaskState state;
  int exit_code;
};

TEST(TaskExitTest, EveryEndingMapsToOneState) {
  const Case cases[] = {
      {"exit 0", W_EXITCODE(0, 0), false, schema::TaskState::FINISHED, 0},
      {"exit 3", W_EXITCODE(3, 0), false, schema::TaskState::FAILED, 3},
      {"OOM-killed", W_EXITCODE(0, SIGKILL), false, schema::TaskState::FAILED, 137},
      {"segfault", W_EXITCODE(0, SIGSEGV), false, schema::TaskState::FAILED, 139},
      {"SIGTERM after kill", W_EXITCODE(0, SIGTERM), true, schema::TaskState::KILLED, 143},
      {"SIGKILL after grace", W_EXITCODE(0, SIGKILL), true, schema::TaskState::KILLED, 137},
      {"clean shutdown on kill", W_EXITCODE(0, 0), true, schema::TaskState::KILLED, 0},
      {"exit 143 on kill", W_EXITCODE(143, 0), true, schema::TaskState::KILLED, 143},
      {"no status", std::nullopt, false, schema::TaskState::LOST, -1},
      {"no status after kill", std::nullopt, true, schema::TaskState::KILLED, -1},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(TaskStateForExit(c.wait_status, c.kill_requested), c.state) << c.name;
    EXPECT_EQ(ExitCodeFor(c.wait_status), c.exit_code) << c.name;
  }
}

TEST(TaskExitTest, DescriptionsNameTheCodeOrTheSignal) {
  EXPECT_EQ(DescribeExit(W_EXITCODE(3, 0)), "exited with status 3");
  EXPECT_EQ(DescribeExit(W_EXITCODE(0, SIGKILL)), "killed by signal 9 (Killed)");
  EXPECT_EQ(DescribeExit(std::nullopt), "the executor vanished without recording an exit status");
}

}  // namespace
}  // namespace regatta::agent

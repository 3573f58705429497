// An agent that dies and comes back on the same work dir gets its tasks
// back: running ones adopted, ended ones reported with their status.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include "tests/agents/containerizer_fixture.h"

namespace regatta::agent {
namespace {

bool HasExitStatus(const std::string& sandbox) {
  return ReadWholeFile(sandbox + "/" + kExitStatusFile).ok();
}

TEST_F(ContainerizerTest, RecoverAfterTheObjectIsDestroyedWithoutKilling) {
  ASSERT_TRUE(c_->Launch(Shell("long-1", "sleep 1000")).ok());
  ASSERT_TRUE(c_->Launch(Shell("gated-1", "while [ ! -e go ]; do sleep 0.05; done; exit 4")).ok());
  pid_t long_pid = c_->Describe("long-1")->pid;
  std::string gated = c_->SandboxPath("gated-1");

  c_.reset();  // the agent dies: nothing is killed
  EXPECT_FALSE(IsDead(long_pid));
  std::ofstream(gated + "/go") << "";  // gated-1 ends while no agent runs
  ASSERT_TRUE(WaitUntil([&] { return HasExitStatus(gated); }));

  c_ = Make();
  Result<std::vector<RecoveredTask>> recovered = c_->Recover(Clock::now());
  ASSERT_TRUE(recovered.ok()) << recovered.status().ToString();
  ASSERT_EQ(recovered->size(), 2u);
  const RecoveredTask& ended = (*recovered)[0];
  const RecoveredTask& running = (*recovered)[1];
  EXPECT_EQ(ended.info.task_id, "gated-1");
  ASSERT_FALSE(ended.running());
  EXPECT_EQ(ended.exit->state, schema::TaskState::FAILED);
  EXPECT_EQ(ended.exit->exit_code, 4);
  EXPECT_EQ(running.info.task_id, "long-1");
  EXPECT_TRUE(running.running());
  EXPECT_EQ(running.info.pid, long_pid);
  EXPECT_EQ(running.info.app_id, "/test/app");
  EXPECT_EQ(c_->Running(), std::vector<std::string>{"long-1"});
  EXPECT_TRUE(c_->Poll(Clock::now()).empty());

  ASSERT_TRUE(c_->Kill("long-1", Clock::now(), milliseconds(5000)).ok());
  std::optional<TaskExit> exit = WaitForExit("long-1");
  ASSERT_TRUE(exit);
  EXPECT_EQ(exit->state, schema::TaskState::KILLED);

  // Until acknowledged, a restart reports ended tasks again (at least once).
  ASSERT_TRUE(c_->Acknowledge("gated-1").ok());
  c_ = Make();
  recovered = c_->Recover(Clock::now());
  ASSERT_TRUE(recovered.ok());
  ASSERT_EQ(recovered->size(), 1u);
  EXPECT_EQ((*recovered)[0].info.task_id, "long-1");
  ASSERT_TRUE(c_->Acknowledge("long-1").ok());
  c_ = Make();
  EXPECT_TRUE(c_->Recover(Clock::now())->empty());
  EXPECT_EQ(c_->Acknowledge("never-ran").code(), StatusCode::kNotFound);
}

// A real agent process that exits without cleaning up: the executors are
// then no longer children of whoever recovers them.
TEST_F(ContainerizerTest, RecoverAfterTheAgentProcessDies) {
  std::string work = dir_.Sub("work");
  c_.reset();
  pid_t agent = ::fork();
  ASSERT_GE(agent, 0);
  if (agent == 0) {
    auto c = ProcessContainerizer::Create(work, Options());
    bool ok = c.ok() && (*c)->Launch(Shell("long-2", "sleep 1000")).ok() &&
              (*c)->Launch(Shell("quick-2", "exit 0")).ok();
    ::_exit(ok ? 0 : 1);  // no destructors, like a crash
  }
  int status = 0;
  ASSERT_EQ(::waitpid(agent, &status, 0), agent);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "the agent failed to launch";

  c_ = Make();
  ASSERT_TRUE(WaitUntil([&] { return HasExitStatus(c_->SandboxPath("quick-2")); }));
  Result<std::vector<RecoveredTask>> recovered = c_->Recover(Clock::now());
  ASSERT_TRUE(recovered.ok()) << recovered.status().ToString();
  ASSERT_EQ(recovered->size(), 2u);
  EXPECT_EQ((*recovered)[0].info.task_id, "long-2");
  EXPECT_TRUE((*recovered)[0].running());
  EXPECT_EQ((*recovered)[1].info.task_id, "quick-2");
  ASSERT_FALSE((*recovered)[1].running());
  EXPECT_EQ((*recovered)[1].exit->state, schema::TaskState::FINISHED);

  std::this_thread::sleep_for(milliseconds(100));
  EXPECT_TRUE(c_->Poll(Clock::now()).empty()) << "an adopted task must stay running";
  ASSERT_TRUE(c_->Kill("long-2", Clock::now(), milliseconds(5000)).ok());
  std::optional<TaskExit> exit = WaitForExit("long-2");
  ASSERT_TRUE(exit);
  EXPECT_EQ(exit->state, schema::TaskState::KILLED);
}

// The kill marker survives the restart: the new agent finishes the kill
// (SIGKILL after a fresh grace period) and still reports KILLED.
TEST_F(ContainerizerTest, KillInProgressSurvivesARestart) {
  ASSERT_TRUE(c_->Launch(Shell("stubborn-3", "trap '' TERM; echo trapped; sleep 1000")).ok());
  // Until the shell ran `trap`, SIGTERM would still kill it.
  ASSERT_TRUE(WaitUntil([&] { return Slurp(SandboxFile("stubborn-3", "stdout")) == "trapped\n"; }));
  ASSERT_TRUE(c_->Kill("stubborn-3", Clock::now(), milliseconds(60000)).ok());
  c_.reset();

  c_ = Make();
  Clock::time_point t1 = Clock::now();
  Result<std::vector<RecoveredTask>> recovered = c_->Recover(t1);
  ASSERT_TRUE(recovered.ok());
  ASSERT_EQ(recovered->size(), 1u);
  EXPECT_TRUE((*recovered)[0].running());
  EXPECT_TRUE((*recovered)[0].info.kill_requested);
  std::this_thread::sleep_for(milliseconds(100));
  std::vector<TaskExit> early = c_->Poll(t1 + milliseconds(59999));
  ASSERT_TRUE(early.empty()) << early[0].message << "; stderr: "
                             << Slurp(early[0].sandbox + "/stderr");
  c_->Poll(t1 + milliseconds(60000));  // the deadline: SIGKILL
  std::optional<TaskExit> exit = WaitForExit("stubborn-3");
  ASSERT_TRUE(exit);
  EXPECT_EQ(exit->state, schema::TaskState::KILLED);
  EXPECT_EQ(exit->exit_code, 128 + SIGKILL);
}

}  // namespace
}  // namespace regatta::agent

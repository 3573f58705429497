// The process containerizer with real processes: exits, environment, kills,
// namespaces and bad input. Cgroups and recovery are in their own files.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "tests/agents/containerizer_fixture.h"

namespace regatta::agent {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST_F(ContainerizerTest, ExitZeroIsFinishedWithOutputInTheSandbox) {
  ASSERT_TRUE(c_->Launch(Shell("ok-1", "echo hello; echo oops >&2")).ok());
  EXPECT_EQ(c_->Running(), std::vector<std::string>{"ok-1"});
  std::optional<TaskExit> exit = WaitForExit("ok-1");
  ASSERT_TRUE(exit);
  EXPECT_EQ(exit->state, schema::TaskState::FINISHED);
  EXPECT_EQ(exit->exit_code, 0);
  EXPECT_EQ(exit->app_id, "/test/app");
  EXPECT_EQ(Slurp(SandboxFile("ok-1", "stdout")), "hello\n");
  EXPECT_EQ(Slurp(SandboxFile("ok-1", "stderr")), "oops\n");
  EXPECT_TRUE(c_->Running().empty());
}

TEST_F(ContainerizerTest, NonzeroExitIsFailedWithItsCode) {
  ASSERT_TRUE(c_->Launch(Shell("exit-3", "exit 3")).ok());
  std::optional<TaskExit> exit = WaitForExit("exit-3");
  ASSERT_TRUE(exit);
  EXPECT_EQ(exit->state, schema::TaskState::FAILED);
  EXPECT_EQ(exit->exit_code, 3);
  EXPECT_EQ(exit->message, "exited with status 3");
}

TEST_F(ContainerizerTest, ArgvIsExecutedWithoutAShell) {
  LaunchSpec spec = Shell("argv-1", "");
  spec.argv = {"printf", "%s|%s", "a b", "$HOME"};
  ASSERT_TRUE(c_->Launch(spec).ok());
  ASSERT_TRUE(WaitForExit("argv-1"));
  EXPECT_EQ(Slurp(SandboxFile("argv-1", "stdout")), "a b|$HOME");
}

TEST_F(ContainerizerTest, CommandThatCannotExecFailsWith127AndSaysWhy) {
  LaunchSpec spec = Shell("noexec-1", "");
  spec.argv = {"/nonexistent/binary"};
  ASSERT_TRUE(c_->Launch(spec).ok());
  std::optional<TaskExit> exit = WaitForExit("noexec-1");
  ASSERT_TRUE(exit);
  EXPECT_EQ(exit->state, schema::TaskState::FAILED);
  EXPECT_EQ(exit->exit_code, 127);
  EXPECT_THAT(Slurp(SandboxFile("noexec-1", "stderr")), HasSubstr("/nonexistent/binary"));
}

TEST_F(ContainerizerTest, EnvironmentCarriesPortsIdsAndAppEnvButNotTheAgentsSecrets) {
  ::setenv("REGATTA_TEST_AGENT_SECRET", "hunter2", 1);
  c_ = Make();  // reads the agent's environment at Create
  ::unsetenv("REGATTA_TEST_AGENT_SECRET");
  LaunchSpec spec = Shell("env-1", "env");
  spec.host_ports = {31000, 31001};
  spec.port_names = {"http", "admin-api"};
  spec.hostname = "agent-7.example";
  spec.env = {{"FOO", "bar"}};
  ASSERT_TRUE(c_->Launch(spec).ok());
  ASSERT_TRUE(WaitForExit("env-1"));
  std::string env = Slurp(SandboxFile("env-1", "stdout"));
  for (const std::string& line : std::vector<std::string>{"PORT0=31000", "PORT1=31001", "PORT=31000", "PORT_HTTP=31000", "PORT_ADMIN_API=31001",
        "HOST=agent-7.example", "FOO=bar", "REGATTA_TASK_ID=env-1", "REGATTA_APP_ID=/test/app",
        "REGATTA_SANDBOX=" + c_->SandboxPath("env-1")}) {
    EXPECT_THAT(env, HasSubstr(line + "\n"));
  }
  EXPECT_THAT(env, HasSubstr("PATH="));
  EXPECT_THAT(env, Not(HasSubstr("REGATTA_TEST_AGENT_SECRET")));
}

// The task and its child both ignore SIGTERM; only the SIGKILL at the end of
// the grace period (driven by the `now` we pass) stops them.
TEST_F(ContainerizerTest, KillEscalatesToSigkillAfterGraceAndKillsTheWholeGroup) {
  ASSERT_TRUE(c_->Launch(Shell("stubborn-1", "trap '' TERM; sleep 1000 & echo $! > child.pid; wait")).ok());
  ASSERT_TRUE(WaitUntil([&] { return Slurp(SandboxFile("stubborn-1", "child.pid")).ends_with("\n"); }));
  pid_t child = std::atoi(Slurp(SandboxFile("stubborn-1", "child.pid")).c_str());
  pid_t leader = c_->Describe("stubborn-1")->pid;

  Clock::time_point t0 = Clock::now();
  ASSERT_TRUE(c_->Kill("stubborn-1", t0, milliseconds(300)).ok());
  EXPECT_TRUE(c_->Poll(t0 + milliseconds(100)).empty());
  std::this_thread::sleep_for(milliseconds(200));  // SIGTERM had time to act
  EXPECT_TRUE(c_->Poll(t0 + milliseconds(299)).empty());
  EXPECT_FALSE(IsDead(leader));
  EXPECT_FALSE(IsDead(child));

  c_->Poll(t0 + milliseconds(300));  // the deadline: sends SIGKILL
  std::optional<TaskExit> exit = WaitForExit("stubborn-1");
  ASSERT_TRUE(exit);
  EXPECT_EQ(exit->state, schema::TaskState::KILLED);
  ASSERT_TRUE(exit->wait_status);
  EXPECT_TRUE(WIFSIGNALED(*exit->wait_status));
  EXPECT_EQ(WTERMSIG(*exit->wait_status), SIGKILL);
  EXPECT_TRUE(WaitUntil([&] { return IsDead(child); })) << "child " << child << " survived";
}

TEST_F(ContainerizerTest, KillOfAnOrdinaryTaskEndsItWithSigtermBeforeTheGrace) {
  ASSERT_TRUE(c_->Launch(Shell("sleeper-1", "sleep 1000")).ok());
  ASSERT_TRUE(c_->Kill("sleeper-1", Clock::now(), milliseconds(60000)).ok());
  std::optional<TaskExit> exit = WaitForExit("sleeper-1", milliseconds(5000));
  ASSERT_TRUE(exit);
  EXPECT_EQ(exit->state, schema::TaskState::KILLED);
  EXPECT_EQ(exit->exit_code, 128 + SIGTERM);
}

TEST_F(ContainerizerTest, IsolatedTaskIsPid1WithItsOwnHostnameAndStillKillable) {
  LaunchSpec spec = Shell("ns-1", "echo pid=$$; hostname; head -c 7 /proc/1/cmdline");
  spec.isolate_namespaces = true;
  spec.hostname = "regatta-ns-test";
  ASSERT_TRUE(c_->Launch(spec).ok());
  std::optional<TaskExit> exit = WaitForExit("ns-1");
  ASSERT_TRUE(exit);
  EXPECT_EQ(exit->state, schema::TaskState::FINISHED) << Slurp(SandboxFile("ns-1", "stderr"));
  // Its own /proc shows its own pid 1: the shell, not the machine's init.
  EXPECT_EQ(Slurp(SandboxFile("ns-1", "stdout")), "pid=1\nregatta-ns-test\n/bin/sh");
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  EXPECT_STRNE(host, "regatta-ns-test");

  // As pid 1 the command ignores SIGTERM, so a kill ends by SIGKILL.
  spec = Shell("ns-2", "sleep 1000");
  spec.isolate_namespaces = true;
  ASSERT_TRUE(c_->Launch(spec).ok());
  Clock::time_point t0 = Clock::now();
  ASSERT_TRUE(c_->Kill("ns-2", t0, milliseconds(100)).ok());
  c_->Poll(t0 + milliseconds(100));
  exit = WaitForExit("ns-2");
  ASSERT_TRUE(exit);
  EXPECT_EQ(exit->state, schema::TaskState::KILLED);
}

// Setup inside the command child (here: a hostname the kernel refuses)
// fails the launch itself, with the reason, instead of a task that ran.
TEST_F(ContainerizerTest, CommandSetupFailureFailsTheLaunchWithTheReason) {
  LaunchSpec spec = Shell("badhost-1", "true");
  spec.isolate_namespaces = true;
  spec.hostname = std::string(300, 'h');  // over HOST_NAME_MAX
  Status launched = c_->Launch(spec);
  EXPECT_EQ(launched.code(), StatusCode::kIoError);
  EXPECT_THAT(launched.message(), HasSubstr("sethostname")) << launched.ToString();
  EXPECT_TRUE(c_->Running().empty());
  EXPECT_THAT(Slurp(SandboxFile("badhost-1", "stderr")), HasSubstr("sethostname"));
}

TEST_F(ContainerizerTest, ExecutorDeathWithoutStatusIsLostAndItsGroupIsKilled) {
  ASSERT_TRUE(c_->Launch(Shell("orphan-1", "sleep 1000")).ok());
  Result<Checkpoint> checkpoint = ParseCheckpoint(Slurp(SandboxFile("orphan-1", kCheckpointFile)));
  ASSERT_TRUE(checkpoint.ok()) << checkpoint.status().ToString();
  ASSERT_EQ(::kill(checkpoint->executor_pid, SIGKILL), 0);
  std::optional<TaskExit> exit = WaitForExit("orphan-1");
  ASSERT_TRUE(exit);
  EXPECT_EQ(exit->state, schema::TaskState::LOST);
  EXPECT_FALSE(exit->wait_status);
  EXPECT_TRUE(WaitUntil([&] { return IsDead(checkpoint->pid); }));
  for (const std::string& dir : checkpoint->cgroups) {
    EXPECT_TRUE(WaitUntil([&] {
      c_->Poll(Clock::now());
      return ::access(dir.c_str(), F_OK) != 0;
    })) << dir << " outlived its task";
  }
}

TEST_F(ContainerizerTest, BadInputGivesClearErrors) {
  EXPECT_EQ(c_->Launch(Shell("../escape", "true")).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(c_->Launch(Shell("", "true")).code(), StatusCode::kInvalidArgument);
  LaunchSpec both = Shell("both-1", "true");
  both.argv = {"true"};
  EXPECT_EQ(c_->Launch(both).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(c_->Kill("nope", Clock::now()).code(), StatusCode::kNotFound);

  ASSERT_TRUE(c_->Launch(Shell("dup-1", "sleep 1000")).ok());
  EXPECT_EQ(c_->Launch(Shell("dup-1", "true")).code(), StatusCode::kConflict);
  EXPECT_EQ(c_->Acknowledge("dup-1").code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(c_->Kill("dup-1", Clock::now(), milliseconds(0)).ok());
  ASSERT_TRUE(WaitForExit("dup-1"));
  Status reused = c_->Launch(Shell("dup-1", "true"));  // ended, but ids are never reused
  EXPECT_EQ(reused.code(), StatusCode::kConflict);
  EXPECT_THAT(reused.message(), HasSubstr("dup-1"));
}

TEST_F(ContainerizerTest, CreateNamesTheBadWorkDirOrExecutor) {
  std::ofstream(dir_.Sub("plain-file")) << "x";
  std::string bad = dir_.Sub("plain-file") + "/work";
  auto c = ProcessContainerizer::Create(bad, Options());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), StatusCode::kIoError);
  EXPECT_THAT(c.status().message(), HasSubstr(bad));

  ContainerizerOptions options = Options();
  options.executor_path = dir_.Sub("no-such-executor");
  c = ProcessContainerizer::Create(dir_.Sub("work2"), options);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(c.status().message(), HasSubstr("no-such-executor"));
}

}  // namespace
}  // namespace regatta::agent

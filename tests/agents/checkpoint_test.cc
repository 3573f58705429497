// The sandbox files, /proc/<pid>/stat parsing and the executor's flags.
#include "agents/containerizer/checkpoint.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "agents/containerizer/executor_args.h"
#include "agents/containerizer/process.h"

namespace regatta::agent {
namespace {

Checkpoint Sample() {
  Checkpoint c;
  c.task_id = "web.1";
  c.app_id = "/prod/web";
  c.kill_grace = std::chrono::milliseconds(2500);
  c.cgroups = {"/sys/fs/cgroup/memory/regatta/web.1", "/sys/fs/cgroup/cpu/regatta/web.1"};
  c.executor_pid = 100;
  c.executor_start = 5000;
  c.pid = 101;
  c.pgid = 101;
  c.start_time = 5001;
  return c;
}

TEST(CheckpointTest, RoundTrips) {
  Result<Checkpoint> back = ParseCheckpoint(SerializeCheckpoint(Sample()));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(SerializeCheckpoint(*back), SerializeCheckpoint(Sample()));
  EXPECT_EQ(back->cgroups.size(), 2u);
  EXPECT_EQ(*ParseExitStatus(SerializeExitStatus(768)), 768);
  EXPECT_EQ(ParseKillRequest(SerializeKillRequest(std::chrono::milliseconds(7)))->count(), 7);
}

TEST(CheckpointTest, DamagedFilesAreCorruptionNotCrashes) {
  std::string text = SerializeCheckpoint(Sample());
  EXPECT_EQ(ParseCheckpoint("").status().code(), StatusCode::kCorruption);
  EXPECT_EQ(ParseCheckpoint(text.substr(0, text.find("pid="))).status().code(), StatusCode::kCorruption);
  std::string bad_pid = text;
  bad_pid.replace(bad_pid.find("\npid=101"), 8, "\npid=1x1");
  EXPECT_EQ(ParseCheckpoint(bad_pid).status().code(), StatusCode::kCorruption);
  std::string zero_pid = text;
  zero_pid.replace(zero_pid.find("\npid=101"), 8, "\npid=0");
  EXPECT_EQ(ParseCheckpoint(zero_pid).status().code(), StatusCode::kCorruption);
  EXPECT_EQ(ParseExitStatus("wait_status=").status().code(), StatusCode::kCorruption);
}

TEST(CheckpointTest, ProcStatCountsFieldsFromTheLastParenthesis) {
  std::string tail = " 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 424242 99 0";
  std::optional<ProcStat> stat = ParseProcStat("77 (a) (b c) S 1" + tail);
  ASSERT_TRUE(stat);
  EXPECT_EQ(stat->state, 'S');
  EXPECT_EQ(stat->start_time, 424242u);
  EXPECT_FALSE(ParseProcStat("77 (a) S 1 2"));
  EXPECT_FALSE(ParseProcStat("no parenthesis"));
  ASSERT_TRUE(ReadProcStat(::getpid()));
  EXPECT_TRUE(SameProcess(::getpid(), ReadProcStat(::getpid())->start_time));
  EXPECT_FALSE(SameProcess(::getpid(), ReadProcStat(::getpid())->start_time + 1));
}

TEST(ExecutorArgsTest, RoundTripsAndRejectsBadFlags) {
  ExecutorConfig config;
  config.task_id = "t";
  config.app_id = "/a";
  config.kill_grace = std::chrono::milliseconds(10);
  config.cgroups = {"/c1", "/c2"};
  config.isolate_namespaces = true;
  config.hostname = "h";
  config.command = {"sh", "-c", "echo -- --isolate"};
  Result<ExecutorConfig> back = DecodeExecutorArgs(EncodeExecutorArgs(config));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(EncodeExecutorArgs(*back), EncodeExecutorArgs(config));
  EXPECT_EQ(back->command, config.command);

  for (std::vector<std::string> bad : std::vector<std::vector<std::string>>{
           {}, {"--task-id", "t"}, {"--task-id", "t", "--"}, {"--bogus", "x", "--", "true"},
           {"--kill-grace-ms", "-5", "--task-id", "t", "--", "true"}, {"--task-id"},
           {"--", "true"}}) {
    EXPECT_EQ(DecodeExecutorArgs(bad).status().code(), StatusCode::kInvalidArgument);
  }
}

}  // namespace
}  // namespace regatta::agent

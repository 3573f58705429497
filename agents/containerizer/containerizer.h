// The agent's process containerizer: runs tasks as plain processes, each in
// its own process group, sandbox directory and (where writable) cgroups,
// and gets them back after an agent restart. No CAF: the agent actor wraps
// this, calling Poll on a timer.
//
// DESIGN
//
// Process tree. The agent never runs a command itself. It forks+execs
// `regatta-executor` (executor_main.cc) in a NEW SESSION, and the executor
// forks the command into the command's OWN PROCESS GROUP:
//
//   agent ── regatta-executor (own session) ── command (own pgid) ── children
//
// Signals for the task go to the command's group, never to the executor, so
// the executor outlives the command and records how it ended.
//
// Files. <work_dir>/sandboxes/<task_id>/ holds `stdout`, `stderr` and the
// files of checkpoint.h: `checkpoint` (pids, pgid, /proc start times,
// cgroups), `exit_status` (the raw wait status) and `kill_requested`.
//
// Launch. The agent makes the sandbox and the task cgroups, then starts
// the executor and waits for its handshake on a pipe. The executor forks
// the command, which sets its pgid, joins the cgroups (so limits hold
// before exec), optionally unshares namespaces, reports ready, and blocks.
// The executor writes the checkpoint, releases the command to exec, and
// answers "ok". So every command that runs has a checkpoint naming it, and
// when Launch returns the command is already inside its cgroups.
//
// End. The executor waits for the command, SIGKILLs what is left of its
// group, and writes `exit_status`. Poll sees that file; the executor being
// gone without it means LOST. Poll also reaps executors that are our
// children, and removes the task's cgroups (killing stragglers first).
//
// Recovery. A restarted agent is no longer the executors' parent, so it
// cannot wait(2) for them; it reads files instead. Recover scans the
// sandboxes with a checkpoint: `exit_status` present -> the task ended
// while we were down, reported with its status; executor alive with the
// same start time -> running, adopted (Poll watches it like any other);
// neither -> LOST. Start times defeat pid reuse: a pid names our process
// only while /proc/<pid>/stat field 22 matches the checkpoint.
//
// Delivery is at least once: Poll and Recover report an ended task until
// Acknowledge(task_id) removes its checkpoint, which the agent calls after
// the terminal status is durably in the event log. Sandboxes are never
// deleted here (log retention is a separate policy).
//
// Kills never block. Kill sends SIGTERM to the group and records a
// deadline; the Poll at or after that deadline sends SIGKILL.
//
// Namespaces (LaunchSpec::isolate_namespaces): the executor unshares a PID
// namespace before forking, so the command is pid 1 there; the command
// then unshares mount, UTS and IPC, mounts its own /proc and sets the
// hostname. As pid 1 it ignores SIGTERM unless it installs a handler, so
// such a kill usually ends by SIGKILL after the grace period.
//
// THREADING: not thread-safe; one owner (the agent actor) calls everything.
// LIFETIME: destroying the containerizer leaves tasks running; that is what
// lets the next agent recover them. Kill them first to stop them.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "agents/containerizer/cgroups.h"
#include "agents/containerizer/checkpoint.h"
#include "agents/containerizer/launch_spec.h"
#include "agents/containerizer/task_exit.h"
#include "agents/containerizer/task_runner.h"
#include "events/base/status.h"

namespace regatta::agent {

struct ContainerizerOptions {
  std::string executor_path;  // the regatta-executor binary
  bool enable_cgroups = true;
  std::string cgroup_parent = "regatta";  // under the agent's own cgroup
  std::chrono::milliseconds launch_timeout{10000};
  // Where warnings go ("cgroups unusable: ..."); stderr when empty.
  std::function<void(const std::string&)> warn;
};

// A task the containerizer watches.
struct TaskInfo {
  std::string task_id;
  std::string app_id;
  std::string sandbox;
  pid_t pid = 0;   // the command, which leads process group `pgid`
  pid_t pgid = 0;
  std::vector<std::string> cgroups;
  bool kill_requested = false;
};

// One sandbox found by Recover: still running (exit empty) or ended while
// the agent was down.
struct RecoveredTask {
  TaskInfo info;
  std::optional<TaskExit> exit;
  bool running() const { return !exit.has_value(); }
};

class ProcessContainerizer final : public TaskRunner {
 public:

  // Makes <work_dir>/sandboxes (IoError naming work_dir if it cannot),
  // checks the executor (NotFound naming it), and detects cgroups (warning
  // once if unusable). Does not touch existing tasks: call Recover.
  static Result<std::unique_ptr<ProcessContainerizer>> Create(const std::string& work_dir,
                                                              ContainerizerOptions options);
  ~ProcessContainerizer() override = default;
  ProcessContainerizer(const ProcessContainerizer&) = delete;
  ProcessContainerizer& operator=(const ProcessContainerizer&) = delete;

  // Starts the task and returns once it runs (its checkpoint is written).
  // InvalidArgument for a bad spec; Conflict when the task id is running or
  // its sandbox exists (task ids are never reused); IoError when the
  // executor could not start or could not set the command up (joining its
  // cgroups, entering namespaces), with the reason. The sandbox of a failed
  // launch stays, for its stderr. A command that cannot be exec'd is not a
  // launch error: the task ends FAILED with exit code 127 and says why in
  // its stderr, as a shell would.
  Status Launch(const LaunchSpec& spec) override;

  // SIGTERM to the task's process group now; SIGKILL from the first Poll at
  // or after now + grace (default: the spec's kill_grace). NotFound if the
  // task is not running here. Repeating a kill keeps the earlier deadline.
  Status Kill(const std::string& task_id, Clock::time_point now,
              std::optional<std::chrono::milliseconds> grace = std::nullopt) override;

  // Escalates due kills and returns the tasks that ended since the last
  // call (each once per containerizer), then forgets them.
  std::vector<TaskExit> Poll(Clock::time_point now) override;

  // Scans the work dir for tasks launched by an earlier agent; adopts the
  // running ones. Tasks this object already watches are skipped. A kill
  // that was in progress continues with a fresh grace period from `now`.
  Result<std::vector<RecoveredTask>> Recover(Clock::time_point now);

  // The agent has durably recorded the task's end: stop reporting it on
  // recovery. FailedPrecondition while it runs; NotFound without sandbox.
  Status Acknowledge(const std::string& task_id) override;

  std::vector<std::string> Running() const override;
  bool Runs(const std::string& task_id) const override { return tasks_.count(task_id) > 0; }
  std::optional<TaskShell> ShellOf(const LaunchSpec& spec) const override;
  // True while an ended task's cgroup still awaits removal (its processes
  // were still dying); each Poll retries. For a graceful agent shutdown.
  bool CleanupPending() const { return !dying_cgroups_.empty(); }
  Result<TaskInfo> Describe(const std::string& task_id) const;
  const Cgroups& cgroups() const { return cgroups_; }
  std::string SandboxPath(const std::string& task_id) const;

 private:
  struct Task {
    Task(Checkpoint c, std::string dir) : checkpoint(std::move(c)), sandbox(std::move(dir)) {}
    Checkpoint checkpoint;
    std::string sandbox;
    bool kill_requested = false;
    std::optional<Clock::time_point> kill_deadline;
    bool escalated = false;
  };
  // Whether the task ended, and with which wait status if it did.
  struct Observation {
    bool ended = false;
    std::optional<int> wait_status;
  };

  ProcessContainerizer(std::string work_dir, ContainerizerOptions options, Cgroups cgroups,
                       EnvVars inherited);

  std::vector<std::string> MakeTaskCgroups(const LaunchSpec& spec);
  Observation Observe(const Task& task);
  bool ExecutorAlive(const Checkpoint& c);
  void SignalGroup(const Task& task, int sig) const;
  TaskExit Finish(const Task& task, std::optional<int> wait_status);
  void ReapExecutors();
  void RetryCgroupCleanups();
  std::optional<RecoveredTask> RecoverOne(const std::string& task_id, Clock::time_point now);
  TaskInfo InfoOf(const Task& task) const;
  void Warn(const std::string& message) const;

  std::string work_dir_;
  ContainerizerOptions options_;
  Cgroups cgroups_;
  EnvVars inherited_env_;
  bool warned_cgroup_launch_ = false;
  std::map<std::string, Task> tasks_;
  // Executors whose task ended but that may not have exited yet.
  std::vector<std::pair<pid_t, std::uint64_t>> unreaped_;
  // Task cgroups that still held dying processes at the last try.
  std::vector<std::string> dying_cgroups_;
};

}  // namespace regatta::agent

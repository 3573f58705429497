// What an agent needs from whatever runs its tasks: the process
// containerizer on a real agent, a simulation for scale tests and
// benchmarks (agents/agent/simulated_runner.h). No CAF.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "agents/containerizer/launch_spec.h"
#include "events/base/status.h"
#include "regatta/events.capnp.h"

namespace regatta::agent {

// A task that ended. `state` is TaskStateForExit(wait_status, kill_requested).
struct TaskExit {
  std::string task_id;
  std::string app_id;
  std::string sandbox;
  std::optional<int> wait_status;  // nullopt: LOST, no status was recorded
  bool kill_requested = false;
  schema::TaskState state = schema::TaskState::UNKNOWN;
  int exit_code = -1;  // ExitCodeFor(wait_status)
  std::string message;  // DescribeExit(wait_status)
};


class TaskRunner {
 public:
  using Clock = std::chrono::steady_clock;
  virtual ~TaskRunner() = default;

  // Starts the task; once this returns OK the task runs.
  virtual Status Launch(const LaunchSpec& spec) = 0;
  // True when Launch does work worth reporting as TASK_STARTING before it
  // (a sandbox, cgroups, an executor and its handshake). A runner that
  // starts nothing goes from STAGING straight to RUNNING, as Mesos allows.
  virtual bool HasStartingPhase() const { return true; }
  // Starts killing it: it ends (KILLED) by a later Poll, within the grace
  // period. NotFound if it is not running here.
  virtual Status Kill(const std::string& task_id, Clock::time_point now,
                      std::optional<std::chrono::milliseconds> grace) = 0;
  // The tasks that ended since the last call, each once.
  virtual std::vector<TaskExit> Poll(Clock::time_point now) = 0;
  // The master has recorded the task's end: forget it.
  virtual Status Acknowledge(const std::string& task_id) = 0;
  virtual std::vector<std::string> Running() const = 0;
  // Whether `task_id` runs here now (launched, its end not yet polled).
  virtual bool Runs(const std::string& task_id) const = 0;
  // The environment and working directory `spec`'s command runs with, for
  // the COMMAND health checks run beside it. None where tasks have neither
  // (a simulation).
  virtual std::optional<TaskShell> ShellOf(const LaunchSpec&) const { return std::nullopt; }
};

}  // namespace regatta::agent

// A TaskRunner that starts nothing: a launch is RUNNING at once and stays
// so until killed. Scale tests and benchmarks run thousands of such agents
// in one process (`regatta agent --simulate N`), so the master, allocator
// and frameworks are measured without the cost of real processes.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "agents/containerizer/task_runner.h"

namespace regatta::agent {

class SimulatedRunner final : public TaskRunner {
 public:
  // Conflict when the task id is already running here, as the process
  // containerizer says (task ids are never reused).
  Status Launch(const LaunchSpec& spec) override;
  bool HasStartingPhase() const override { return false; }  // nothing to start
  // The task ends KILLED on the next Poll: a simulated task obeys SIGTERM.
  Status Kill(const std::string& task_id, Clock::time_point now,
              std::optional<std::chrono::milliseconds> grace) override;
  std::vector<TaskExit> Poll(Clock::time_point now) override;
  Status Acknowledge(const std::string& task_id) override;
  std::vector<std::string> Running() const override;
  bool Runs(const std::string& task_id) const override { return running_.count(task_id) > 0; }

 private:
  std::set<std::string> running_;
  std::vector<TaskExit> ended_;
};

}  // namespace regatta::agent

#include "agents/containerizer/simulated_runner.h"

#include <utility>

namespace regatta::agent {

Status SimulatedRunner::Launch(const LaunchSpec& spec) {
  if (!running_.insert(spec.task_id).second) return Status::Conflict("task " + spec.task_id + " is already running");
  return Status::Ok();
}

Status SimulatedRunner::Kill(const std::string& task_id, Clock::time_point, std::optional<std::chrono::milliseconds>) {
  if (running_.erase(task_id) == 0) return Status::NotFound("task " + task_id + " is not running here");
  TaskExit exit;
  exit.task_id = task_id;
  exit.kill_requested = true;
  exit.state = schema::TaskState::KILLED;
  exit.exit_code = 143;
  exit.message = "killed (simulated)";
  ended_.push_back(std::move(exit));
  return Status::Ok();
}

std::vector<TaskExit> SimulatedRunner::Poll(Clock::time_point) { return std::exchange(ended_, {}); }

Status SimulatedRunner::Acknowledge(const std::string&) { return Status::Ok(); }

std::vector<std::string> SimulatedRunner::Running() const { return {running_.begin(), running_.end()}; }

}  // namespace regatta::agent

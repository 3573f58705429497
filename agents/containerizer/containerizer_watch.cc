// ProcessContainerizer: noticing that tasks ended, escalating kills,
// cleaning up after tasks, and recovering tasks after an agent restart.
#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <filesystem>

#include "agents/containerizer/containerizer.h"
#include "agents/containerizer/process.h"

namespace regatta::agent {

bool ProcessContainerizer::ExecutorAlive(const Checkpoint& c) {
  if (!SameProcess(c.executor_pid, c.executor_start)) return false;
  // Our child (we launched it, in this process): reap it if it exited.
  int wait_status = 0;
  pid_t reaped = ::waitpid(c.executor_pid, &wait_status, WNOHANG);
  if (reaped == c.executor_pid) return false;
  if (reaped == 0) return true;
  // Not our child (launched by an earlier agent): init reaps it.
  return IsRunning(c.executor_pid, c.executor_start);
}

ProcessContainerizer::Observation ProcessContainerizer::Observe(const Task& task) {
  auto read_status = [&]() -> std::optional<Observation> {
    Result<std::string> text = ReadWholeFile(task.sandbox + "/" + kExitStatusFile);
    if (!text.ok()) {
      if (text.status().code() != StatusCode::kNotFound) Warn(text.status().ToString());
      return std::nullopt;
    }
    Result<int> wait_status = ParseExitStatus(*text);
    if (!wait_status.ok()) {
      Warn("task " + task.checkpoint.task_id + ": exit_status: " + wait_status.status().ToString());
      return Observation{true, std::nullopt};
    }
    return Observation{true, *wait_status};
  };
  if (std::optional<Observation> seen = read_status()) return *seen;
  if (ExecutorAlive(task.checkpoint)) return Observation{};
  // The executor may have written the file just before it exited.
  if (std::optional<Observation> seen = read_status()) return *seen;
  return Observation{true, std::nullopt};
}

TaskExit ProcessContainerizer::Finish(const Task& task, std::optional<int> wait_status) {
  const Checkpoint& c = task.checkpoint;
  // Without a status the executor died first: nobody supervises the group.
  if (!wait_status) SignalGroup(task, SIGKILL);
  for (const std::string& dir : c.cgroups) {
    Status s = DestroyCgroup(dir);
    if (s.code() == StatusCode::kUnavailable) {
      dying_cgroups_.push_back(dir);
    } else if (!s.ok()) {
      Warn("task " + c.task_id + ": " + s.ToString());
    }
  }
  if (SameProcess(c.executor_pid, c.executor_start)) {
    unreaped_.emplace_back(c.executor_pid, c.executor_start);
  }
  TaskExit exit;
  exit.task_id = c.task_id;
  exit.app_id = c.app_id;
  exit.sandbox = task.sandbox;
  exit.wait_status = wait_status;
  exit.kill_requested = task.kill_requested;
  exit.state = TaskStateForExit(wait_status, task.kill_requested);
  exit.exit_code = ExitCodeFor(wait_status);
  exit.message = DescribeExit(wait_status);
  return exit;
}

std::vector<TaskExit> ProcessContainerizer::Poll(Clock::time_point now) {
  std::vector<TaskExit> ended;
  for (auto it = tasks_.begin(); it != tasks_.end();) {
    Task& task = it->second;
    Observation seen = Observe(task);
    if (seen.ended) {
      ended.push_back(Finish(task, seen.wait_status));
      it = tasks_.erase(it);
      continue;
    }
    if (task.kill_deadline && now >= *task.kill_deadline && !task.escalated) {
      SignalGroup(task, SIGKILL);
      task.escalated = true;
    }
    ++it;
  }
  ReapExecutors();
  RetryCgroupCleanups();
  return ended;
}

// An executor writes exit_status a moment before it exits; when it is our
// child, its zombie is reaped on a later Poll instead of blocking now.
void ProcessContainerizer::ReapExecutors() {
  std::erase_if(unreaped_, [](const std::pair<pid_t, std::uint64_t>& executor) {
    if (!SameProcess(executor.first, executor.second)) return true;
    int wait_status = 0;
    return ::waitpid(executor.first, &wait_status, WNOHANG) != 0;  // reaped, or not ours
  });
}

void ProcessContainerizer::RetryCgroupCleanups() {
  std::erase_if(dying_cgroups_, [this](const std::string& dir) {
    Status s = DestroyCgroup(dir);
    if (s.code() == StatusCode::kUnavailable) return false;
    if (!s.ok()) Warn(s.ToString());
    return true;
  });
}

std::optional<RecoveredTask> ProcessContainerizer::RecoverOne(const std::string& task_id,
                                                              Clock::time_point now) {
  std::string sandbox = SandboxPath(task_id);
  Result<std::string> text = ReadWholeFile(sandbox + "/" + kCheckpointFile);
  if (!text.ok()) {
    // No checkpoint: acknowledged, or the executor never got its command going.
    if (text.status().code() != StatusCode::kNotFound) Warn(text.status().ToString());
    return std::nullopt;
  }
  Result<Checkpoint> checkpoint = ParseCheckpoint(*text);
  if (!checkpoint.ok() || checkpoint->task_id != task_id) {
    Warn("sandbox " + sandbox + ": unusable checkpoint: " +
         (checkpoint.ok() ? "it names task " + checkpoint->task_id
                          : checkpoint.status().ToString()));
    return std::nullopt;
  }
  Task task(*checkpoint, sandbox);
  Result<std::string> marker = ReadWholeFile(sandbox + "/" + kKillRequestedFile);
  if (marker.ok()) {
    Result<std::chrono::milliseconds> grace = ParseKillRequest(*marker);
    task.kill_requested = true;
    task.kill_deadline = now + (grace.ok() ? *grace : checkpoint->kill_grace);
  }
  Observation seen = Observe(task);
  if (seen.ended) return RecoveredTask{InfoOf(task), Finish(task, seen.wait_status)};
  tasks_.insert_or_assign(task_id, task);
  return RecoveredTask{InfoOf(task), std::nullopt};
}

Result<std::vector<RecoveredTask>> ProcessContainerizer::Recover(Clock::time_point now) {
  std::string root = work_dir_ + "/sandboxes";
  std::error_code ec;
  std::vector<std::string> ids;
  for (std::filesystem::directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code type_ec;  // a vanished entry is simply skipped
    if (it->is_directory(type_ec)) ids.push_back(it->path().filename().string());
  }
  if (ec) return Status::IoError("recover: listing " + root + ": " + ec.message());
  std::sort(ids.begin(), ids.end());
  std::vector<RecoveredTask> recovered;
  for (const std::string& id : ids) {
    if (tasks_.count(id)) continue;
    if (std::optional<RecoveredTask> task = RecoverOne(id, now)) {
      recovered.push_back(std::move(*task));
    }
  }
  return recovered;
}

}  // namespace regatta::agent

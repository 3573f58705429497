#include "api/marathon/tracker.h"

#include <cstdio>

#include "events/domain/task_state.h"

namespace regatta::marathon {
namespace {

const std::set<std::string>& NoTasks() {
  static const std::set<std::string> none;
  return none;
}

std::string ActionFor(const projections::ProjectionSet& before, const std::string& app_id, bool defined,
                      bool deleted) {
  if (deleted) return "StopApplication";
  if (!defined) return "ScaleApplication";
  return before.history().Current(app_id) == nullptr ? "StartApplication" : "RestartApplication";
}

}  // namespace

std::string DeploymentId(Revision revision) {
  char id[40];
  std::snprintf(id, sizeof id, "00000000-0000-4000-8000-%012llx", static_cast<unsigned long long>(revision));
  return id;
}

bool Converged(const projections::ProjectionSet& view, const std::string& app_id, const std::set<std::string>& tasks) {
  const domain::AppDefinition* app = view.history().Current(app_id);
  std::uint32_t current = 0;
  for (const std::string& id : tasks) {
    auto task = view.scheduling().tasks().find(id);
    if (task == view.scheduling().tasks().end()) continue;
    // Tasks of an older version count: replacing them is the deployment
    // engine's (issue 11); until it lands, a new version applies to the
    // tasks launched after it.
    if (app == nullptr || task->second.state != schema::TaskState::RUNNING) return false;
    ++current;
  }
  if (app == nullptr) return current == 0;
  // A job that finished its completions wants no more tasks.
  if (app->kind == schema::WorkloadKind::JOB) return current == 0 || current == app->instances;
  return current == app->instances;
}

void Tracker::Observe(const Event& event, const projections::ProjectionSet& before) {
  auto e = event.envelope.getEvent();
  const std::int64_t at = event.envelope.getTimeNanos();
  auto begin = [&](const std::string& app_id, bool defined, bool deleted) {
    converging_[app_id] = {app_id, event.revision, at, ActionFor(before, app_id, defined, deleted)};
    touched_.insert(app_id);
  };
  if (e.isAppDefined()) {
    const std::string id = e.getAppDefined().getSpec().getId();
    // A service's new version comes with the engine's deployment
    // (DeploymentStarted, next in its batch), which the API shows instead.
    if (e.getAppDefined().getSpec().getKind() == schema::WorkloadKind::SERVICE) {
      converging_.erase(id);
    } else {
      begin(id, true, false);
    }
    backoff_.erase(id);  // a new version owes nothing to the old one's failures
  } else if (e.isAppScaled()) {
    const std::string id = e.getAppScaled().getAppId();
    if (before.history().RunningDeployment(id) == nullptr) begin(id, false, false);  // else that rollout scales
  } else if (e.isAppDeleted()) {
    const std::string id = e.getAppDeleted().getAppId();
    begin(id, false, true);
    backoff_.erase(id);
    failures_.erase(id);
  } else if (e.isAppLaunchDelayReset()) {
    backoff_.erase(e.getAppLaunchDelayReset().getAppId());
  } else if (e.isTaskLaunched()) {
    auto launched = e.getTaskLaunched();
    tasks_[launched.getAppId()].insert(launched.getTaskId());
    touched_.insert(launched.getAppId());
  } else if (e.isTaskStatusChanged()) {
    auto status = e.getTaskStatusChanged();
    auto task = before.scheduling().tasks().find(status.getTaskId().cStr());
    if (task == before.scheduling().tasks().end()) return;
    touched_.insert(task->second.app_id);
    if (domain::IsTerminal(status.getState())) OnTaskEnd(task->second, status, at, before);
  }
}

void Tracker::OnTaskEnd(const projections::TaskInfo& task, schema::TaskStatusChanged::Reader status,
                        std::int64_t at, const projections::ProjectionSet& before) {
  auto by_app = tasks_.find(task.app_id);
  if (by_app != tasks_.end()) {
    by_app->second.erase(status.getTaskId().cStr());
    if (by_app->second.empty()) tasks_.erase(by_app);
  }
  const schema::TaskState state = status.getState();
  if (state == schema::TaskState::FINISHED || state == schema::TaskState::KILLED) return;
  failures_[task.app_id] = {task.app_id, status.getTaskId(), task.agent_id, task.hostname, status.getMessage(),
                            task.app_version, state, at};
  if (!placement::CountsTowardBackoff(state)) return;
  const domain::AppDefinition* app = before.history().Current(task.app_id);
  if (app != nullptr) backoff_[task.app_id].RecordFailure(app->backoff, at);
}

Tracker::Settled Tracker::Settle(const projections::ProjectionSet& after) {
  Settled out;
  // The framework forgives on its clock; the view does as the log's time
  // passes, so /v2/queue stops showing a delay the framework no longer keeps.
  // Only failing apps' own tasks are read (tasks_), not every task.
  for (auto& [app_id, backoff] : backoff_) {
    if (backoff.consecutive_failures() == 0) continue;
    const domain::AppDefinition* app = after.history().Current(app_id);
    if (app == nullptr) continue;
    for (const std::string& id : TasksOf(app_id)) {
      const auto task = after.scheduling().tasks().find(id);
      if (task != after.scheduling().tasks().end()) {
        placement::NoteRunning(backoff, *app, task->second, after.last_time_nanos());
      }
    }
  }
  for (const std::string& app_id : touched_) {
    auto it = converging_.find(app_id);
    if (it == converging_.end()) {
      // Tasks died or came back without a change of definition: Marathon
      // would scale the app back up without a deployment, and so does this.
      continue;
    }
    if (Converged(after, app_id, TasksOf(app_id))) {
      out.converged.push_back(it->second);
      converging_.erase(it);
    }
  }
  touched_.clear();
  return out;
}

const TaskFailure* Tracker::LastFailure(const std::string& app_id) const {
  auto it = failures_.find(app_id);
  return it == failures_.end() ? nullptr : &it->second;
}

const placement::BackoffState* Tracker::Backoff(const std::string& app_id) const {
  auto it = backoff_.find(app_id);
  return it == backoff_.end() ? nullptr : &it->second;
}

const std::set<std::string>& Tracker::TasksOf(const std::string& app_id) const {
  auto it = tasks_.find(app_id);
  return it == tasks_.end() ? NoTasks() : it->second;
}

const Convergence* Tracker::FindDeployment(const std::string& deployment_id) const {
  for (const auto& [app, c] : converging_) {
    if (DeploymentId(c.since) == deployment_id) return &c;
  }
  return nullptr;
}

}  // namespace regatta::marathon

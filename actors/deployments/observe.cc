#include "actors/deployments/observe.h"

#include "events/domain/task_state.h"

namespace regatta::deployments {

std::vector<ObservedTask> ObserveTasks(const projections::SchedulingProjection& cluster, std::string_view app_id,
                                       std::string_view target_version,
                                       const std::function<bool(std::string_view version)>& checks_health) {
  std::vector<ObservedTask> out;
  for (const std::string& id : cluster.TaskIdsOf(app_id)) {
    const projections::TaskInfo& task = cluster.tasks().find(id)->second;
    if (domain::IsTerminal(task.state)) continue;
    ObservedTask t;
    t.task_id = id;
    t.is_new = task.app_version == target_version;
    t.killing = task.state == schema::TaskState::KILLING;
    t.launched_nanos = task.launched_nanos;
    const bool running = task.state == schema::TaskState::RUNNING;
    if (checks_health(task.app_version)) {
      t.healthy = running && task.healthy;
      t.ready = running && task.ready;
      t.ready_since_nanos = t.ready ? task.ready_since_nanos : 0;
    } else {
      t.healthy = t.ready = running;
      t.ready_since_nanos = running ? task.started_nanos : 0;
    }
    out.push_back(std::move(t));
  }
  return out;  // in task id order (the index is sorted), so a plan never depends on a hash
}

}  // namespace regatta::deployments

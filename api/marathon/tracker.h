// What Marathon's API shows that the projections do not keep: each app's
// last task failure, its launch backoff, its tasks (an index), and whether
// it is converging on its definition (Marathon calls that a deployment
// until the deployment engine records real ones). Folded from the same
// events as the view, on the loop thread; pure: time comes from the events.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>

#include "actors/placement/backoff.h"
#include "events/event.h"
#include "projections/projection_set.h"

namespace regatta::marathon {

struct TaskFailure {
  std::string app_id;
  std::string task_id;
  std::string agent_id;
  std::string host;
  std::string message;
  std::string version;
  schema::TaskState state = schema::TaskState::FAILED;
  std::int64_t time_nanos = 0;
};

// An app not yet where its definition wants it after a change that has no
// deployment of the engine's (a scale, a deletion, a job's new version):
// fewer or more live tasks than instances, or some not yet running.
// Marathon shows it as a deployment; its id derives from the revision of
// the app's last change, so the write that caused it answers with the
// same id.
struct Convergence {
  std::string app_id;
  Revision since = 0;           // the change it converges on
  std::int64_t since_nanos = 0;
  std::string action;           // StartApplication, ScaleApplication, RestartApplication, StopApplication
};

class Tracker {
 public:
  // Folds one event, given the view just before it.
  void Observe(const Event& event, const projections::ProjectionSet& before);
  // After a batch: which apps converged (returned, and forgotten) and
  // which started converging, by the view after it.
  struct Settled {
    std::vector<Convergence> converged;
  };
  Settled Settle(const projections::ProjectionSet& after);

  const TaskFailure* LastFailure(const std::string& app_id) const;
  const placement::BackoffState* Backoff(const std::string& app_id) const;
  const std::set<std::string>& TasksOf(const std::string& app_id) const;
  const std::map<std::string, Convergence>& converging() const { return converging_; }
  // The convergence whose id is `deployment_id`, or null.
  const Convergence* FindDeployment(const std::string& deployment_id) const;

 private:
  void OnTaskEnd(const projections::TaskInfo& task, schema::TaskStatusChanged::Reader status, std::int64_t at,
                 const projections::ProjectionSet& before);

  std::map<std::string, TaskFailure> failures_;
  std::map<std::string, placement::BackoffState> backoff_;
  std::map<std::string, std::set<std::string>> tasks_;
  std::map<std::string, Convergence> converging_;
  std::set<std::string> touched_;  // apps whose state may have moved in this batch
};

// "00000000-0000-4000-8000-00000000002a" for revision 42: a UUID in shape,
// as Marathon clients expect, that names the change it came from.
std::string DeploymentId(Revision revision);

// Whether the app's live tasks are what its definition wants.
bool Converged(const projections::ProjectionSet& view, const std::string& app_id, const std::set<std::string>& tasks);

}  // namespace regatta::marathon

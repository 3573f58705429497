// The scheduling projection: what the allocator and the scheduler read.
// Agents with their total and used resources and attributes; tasks with
// their state and placement; resource usage per framework and per role;
// how each app's tasks ended (completions, for jobs).
//
// A pure fold: Apply reads only the event. It holds no business rules: it
// records what the events say happened (decide() in the master made sure
// they could).
#pragma once

#include <cstdint>
#include <string>
#include <set>
#include <utility>
#include <vector>

#include "events/domain/labels.h"
#include "events/domain/resources.h"
#include "events/domain/task_state.h"
#include "events/event.h"
#include "projections/state_codec.h"
#include "projections/string_map.h"

namespace regatta::projections {

using domain::Quantity;
using domain::ResourceVector;

enum class AgentStatus : std::uint8_t { kActive, kUnreachable, kGone };
const char* AgentStatusName(AgentStatus s);

struct AgentInfo {
  std::string hostname;
  std::string address;
  AgentStatus status = AgentStatus::kActive;
  ResourceVector total;
  ResourceVector used;
  std::vector<domain::PortRange> port_ranges;
  domain::Attributes attributes;
  std::uint64_t task_count = 0;
  std::int64_t updated_nanos = 0;
};

struct TaskInfo {
  std::string app_id;
  std::string app_version;
  std::string framework_id;
  std::string agent_id;
  std::string hostname;
  std::string role;
  schema::TaskState state = schema::TaskState::STAGING;
  ResourceVector resources;
  std::vector<std::uint32_t> host_ports;
  bool healthy = false;
  bool ready = false;
  // Whether a TaskHealthChanged named it yet: until then its health is
  // unknown, and a first report that it is unhealthy is news.
  bool health_reported = false;
  std::string message;
  std::int64_t launched_nanos = 0;
  std::int64_t updated_nanos = 0;
  std::int64_t started_nanos = 0;  // when it first was RUNNING; 0 before
  // When a TaskHealthChanged last made it ready (the rollout planner's
  // minReadySeconds and progress deadline count from it); 0 while not ready.
  std::int64_t ready_since_nanos = 0;
};

struct FrameworkInfo {
  std::string name;
  std::string role;
  bool active = true;
};

struct Usage {
  ResourceVector allocated;
  std::uint64_t tasks = 0;
  bool operator==(const Usage&) const = default;
};

// How the tasks of one app version ended: what a job needs to know to
// decide whether it is done (instances finished) or failed (more than
// maxRetries failed). Kept for every app; services just never read it.
//
// Which endings count: FINISHED is a completion; FAILED, ERROR, LOST,
// DROPPED and GONE are failures (the work did not get done, whoever is to
// blame); KILLED is neither, since a kill is the operator's or the
// scheduler's decision, not the task's outcome.
//
// Invariant: the counts are for `app_version` only. An AppDefined starts
// them over at the new version; a task of any other version ending later (a
// straggler of an older definition) is not counted, so it cannot undo the
// new version's progress. An app with no AppDefined in view starts counting
// at the version of its first task to end.
struct Completions {
  std::string app_version;
  std::uint64_t finished = 0;
  std::uint64_t failed = 0;
  bool operator==(const Completions&) const = default;
};

class SchedulingProjection {
 public:
  void Apply(const Event& event);

  const StringMap<AgentInfo>& agents() const { return agents_; }
  const StringMap<TaskInfo>& tasks() const { return tasks_; }  // non-terminal tasks only
  // The ids of the live tasks placed on `agent_id`, sorted (empty if none).
  std::vector<std::string> TasksOn(std::string_view agent_id) const;
  // The same without a copy: valid until the next Apply.
  const std::set<std::string>& TaskIdsOn(std::string_view agent_id) const;
  // The ids of the app's live tasks, sorted (empty if none); valid until
  // the next Apply. A rollout reads one app's tasks without a scan of all.
  const std::set<std::string>& TaskIdsOf(std::string_view app_id) const;
  const StringMap<FrameworkInfo>& frameworks() const { return frameworks_; }
  const StringMap<Usage>& usage_by_framework() const { return by_framework_; }
  const StringMap<Usage>& usage_by_role() const { return by_role_; }
  // By app id; an app absent has had no task of its counted version end.
  const StringMap<Completions>& completions() const { return completions_; }

  void Serialize(StateWriter& out) const;
  bool Deserialize(StateReader& in);

 private:
  void UpsertAgent(std::string_view id, std::string_view hostname, std::string_view address,
                   schema::Resources::Reader resources,
                   capnp::List<schema::KeyValue>::Reader attributes, std::int64_t t);
  void OnTaskLaunched(schema::TaskLaunched::Reader launched, std::int64_t t);
  void OnTaskStatus(schema::TaskStatusChanged::Reader status, std::int64_t t);
  // Charges (+1) or releases (-1) what task `id` holds, and keeps the
  // per-agent index in step.
  void Hold(const std::string& id, const TaskInfo& task, int sign);
  // Counts task `task` ending in terminal `state` toward its app.
  void CountEnding(const TaskInfo& task, schema::TaskState state);

  StringMap<AgentInfo> agents_;
  StringMap<TaskInfo> tasks_;
  // Derived from tasks_ (not serialized; rebuilt on load): reregistration
  // and partitions need an agent's tasks without a scan of every task.
  StringMap<std::set<std::string>> tasks_by_agent_;
  StringMap<std::set<std::string>> tasks_by_app_;  // likewise, by app id
  StringMap<FrameworkInfo> frameworks_;
  StringMap<Usage> by_framework_;
  StringMap<Usage> by_role_;
  StringMap<Completions> completions_;
};

}  // namespace regatta::projections

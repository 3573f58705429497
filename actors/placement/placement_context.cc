// PlacementContext: where one app's tasks run, counted per constrained
// field. See constraints.h for the invariants.
#include "actors/placement/constraints.h"

#include <algorithm>
#include <string>

namespace regatta::placement {

using projections::AgentInfo;
using projections::AgentStatus;
using projections::SchedulingProjection;
using projections::StringMap;
using projections::TaskInfo;

namespace {

// Operators whose answer depends on where the app's tasks already run.
bool CountsTasks(const Constraint& c) {
  switch (c.op) {
    case ConstraintOperator::kUnique:
    case ConstraintOperator::kGroupBy:
    case ConstraintOperator::kMaxPer:
      return true;
    case ConstraintOperator::kCluster:
      return c.value.empty();  // CLUSTER v compares with v alone
    default:
      return false;
  }
}

}  // namespace

PlacementContext::PlacementContext(std::span<const Constraint> constraints) {
  for (const Constraint& c : constraints) {
    if (!CountsTasks(c)) continue;
    auto tally = std::find_if(fields_.begin(), fields_.end(),
                              [&](const FieldTally& t) { return t.field == c.field; });
    if (tally == fields_.end()) {
      tally = fields_.emplace(fields_.end());
      tally->field = c.field;
    }
    tally->tracks_groups |= c.op == ConstraintOperator::kGroupBy;
  }
}

PlacementContext PlacementContext::ForApp(const SchedulingProjection& cluster,
                                          std::string_view app_id,
                                          std::span<const Constraint> constraints) {
  PlacementContext context(constraints);
  if (context.fields_.empty()) return context;  // nothing to count: skip the scan
  context.AddGroups(cluster.agents());
  for (const auto& [id, task] : cluster.tasks()) {
    if (task.app_id == app_id && !domain::IsTerminal(task.state)) {
      context.RecordTask(task, cluster.agents());
    }
  }
  return context;
}

PlacementContext PlacementContext::ForTasks(const StringMap<AgentInfo>& agents,
                                            std::span<const TaskInfo* const> app_tasks,
                                            std::span<const Constraint> constraints) {
  PlacementContext context(constraints);
  if (context.fields_.empty()) return context;
  context.AddGroups(agents);
  for (const TaskInfo* task : app_tasks) context.RecordTask(*task, agents);
  return context;
}

// Groups are the values active agents offer: a zone whose agents are all
// unreachable or gone cannot take a task, and counting it as an empty group
// would hold every other zone back until it returned.
// REQUIRES: no task recorded yet (every group starts at zero tasks).
void PlacementContext::AddGroups(const StringMap<AgentInfo>& agents) {
  for (FieldTally& tally : fields_) {
    if (!tally.tracks_groups) continue;
    for (const auto& [id, agent] : agents) {
      if (agent.status != AgentStatus::kActive) continue;
      const auto value = FieldValue(agent, tally.field);
      if (!value) continue;
      auto it = tally.by_value.find(*value);
      if (it == tally.by_value.end()) it = tally.by_value.emplace(std::string(*value), ValueTally{}).first;
      if (!it->second.is_group) {
        it->second.is_group = true;
        ++tally.groups;
      }
    }
    tally.groups_holding.assign(1, tally.groups);
  }
}

// A task whose agent the projection no longer knows still has its hostname.
void PlacementContext::RecordTask(const TaskInfo& task, const StringMap<AgentInfo>& agents) {
  const auto agent = agents.find(task.agent_id);
  if (agent != agents.end()) return Record(agent->second);
  for (FieldTally& tally : fields_) {
    if (tally.field == "hostname" && !task.hostname.empty()) Count(tally, task.hostname);
  }
}

void PlacementContext::Record(const AgentInfo& agent) {
  for (FieldTally& tally : fields_) {
    if (const auto value = FieldValue(agent, tally.field)) Count(tally, *value);
  }
}

void PlacementContext::Count(FieldTally& tally, std::string_view value) {
  auto it = tally.by_value.find(value);
  if (it == tally.by_value.end()) it = tally.by_value.emplace(std::string(value), ValueTally{}).first;
  ValueTally& counted = it->second;
  ++tally.tasks_with_field;
  if (!counted.is_group) {
    ++counted.tasks;
    return;
  }
  // Move this group from "holds c tasks" to "holds c + 1". If it was the
  // last group at the minimum, the minimum is now c + 1, where it just went.
  --tally.groups_holding[counted.tasks];
  ++counted.tasks;
  if (tally.groups_holding.size() <= counted.tasks) tally.groups_holding.resize(counted.tasks + 1, 0);
  ++tally.groups_holding[counted.tasks];
  if (tally.groups_holding[tally.min_group_tasks] == 0) ++tally.min_group_tasks;
}

const PlacementContext::FieldTally* PlacementContext::Find(std::string_view field) const {
  for (const FieldTally& tally : fields_) {
    if (tally.field == field) return &tally;
  }
  return nullptr;
}

std::uint32_t PlacementContext::TasksOn(std::string_view field, std::string_view value) const {
  const FieldTally* tally = Find(field);
  if (tally == nullptr) return 0;
  const auto it = tally->by_value.find(value);
  return it == tally->by_value.end() ? 0 : it->second.tasks;
}

std::uint32_t PlacementContext::TasksWithField(std::string_view field) const {
  const FieldTally* tally = Find(field);
  return tally == nullptr ? 0 : tally->tasks_with_field;
}

std::uint32_t PlacementContext::Groups(std::string_view field) const {
  const FieldTally* tally = Find(field);
  return tally == nullptr ? 0 : tally->groups;
}

std::uint32_t PlacementContext::MinGroupTasks(std::string_view field) const {
  const FieldTally* tally = Find(field);
  return tally == nullptr ? 0 : tally->min_group_tasks;
}

}  // namespace regatta::placement

// Marathon placement constraints, evaluated purely.
//
// An app's constraints are parsed and checked once, when it is defined
// (events/domain/constraint.h); Satisfies then answers "may one more task of
// this app go to this agent?" in O(1) plus, for LIKE and UNLIKE, one regex
// match.
//
// Semantics (Marathon's, with the choices Marathon leaves open written down):
//   UNIQUE        at most one task per distinct value of the field.
//   CLUSTER v     every task on an agent whose field equals v.
//   CLUSTER       (no value) every task on one value: the one the app's tasks
//                 already use; any value while the app has none placed.
//   GROUP_BY [n]  spread evenly: a candidate is acceptable when its value has
//                 the fewest of the app's tasks among the values offered by
//                 active agents. n is the number of groups the user expects;
//                 while fewer than n values exist, the missing groups count as
//                 empty, so each value takes at most its first task (Marathon:
//                 "only new groups until there are n").
//   LIKE re       the field fully matches re (ECMAScript).
//   UNLIKE re     the field does not fully match re.
//   MAX_PER n     at most n tasks per distinct value.
//   IS v          the field equals v.
// An agent that lacks the field satisfies only UNLIKE: it cannot be shown to
// match anything, and it certainly does not match the excluded pattern.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <regex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "events/domain/constraint.h"
#include "projections/scheduling.h"

namespace regatta::placement {

using domain::Constraint;
using domain::ConstraintOperator;

// The agent's value for `field`: its hostname for "hostname", otherwise the
// attribute with that key. nullopt when the agent has no such attribute.
// The view points into `agent`.
std::optional<std::string_view> FieldValue(const projections::AgentInfo& agent,
                                           std::string_view field);

// Where one app's tasks run, counted per value of every field its
// constraints count by (UNIQUE, CLUSTER, GROUP_BY, MAX_PER).
//
// Built once per scheduling cycle from the projection, then kept current by
// Record() as the cycle places tasks, so the projection need not change
// between placements. Each query and each Record is O(number of counted
// fields), which is one or two in practice.
//
// Invariant, for fields with a GROUP_BY: `min_group_tasks` is the smallest
// task count among the values carried by active agents (the groups). Record
// only ever adds one task to one value, so the minimum can only rise, and by
// at most one: a histogram of "how many groups hold c tasks" keeps it O(1).
class PlacementContext {
 public:
  // Counts the app's non-terminal tasks in `cluster`: O(all tasks + agents x
  // GROUP_BY fields). Tasks of other apps are skipped, not counted.
  static PlacementContext ForApp(const projections::SchedulingProjection& cluster,
                                 std::string_view app_id, std::span<const Constraint> constraints);
  // The same from the app's tasks alone, for a caller that has grouped tasks
  // by app once per cycle: O(app_tasks + agents x GROUP_BY fields).
  // REQUIRES: every task belongs to the app and is not terminal.
  static PlacementContext ForTasks(const projections::StringMap<projections::AgentInfo>& agents,
                                   std::span<const projections::TaskInfo* const> app_tasks,
                                   std::span<const Constraint> constraints);

  // One more task of the app now runs on `agent`.
  void Record(const projections::AgentInfo& agent);

  // The app's tasks on agents whose `field` equals `value`. 0 for a field no
  // constraint counts by.
  std::uint32_t TasksOn(std::string_view field, std::string_view value) const;
  // The app's tasks on agents that have `field` at all.
  std::uint32_t TasksWithField(std::string_view field) const;
  // GROUP_BY: the distinct values of `field` among active agents, and the
  // fewest tasks any of them holds (0 when there are none).
  std::uint32_t Groups(std::string_view field) const;
  std::uint32_t MinGroupTasks(std::string_view field) const;

 private:
  struct ValueTally {
    std::uint32_t tasks = 0;
    bool is_group = false;  // carried by an active agent
  };
  struct FieldTally {
    std::string field;
    bool tracks_groups = false;
    projections::StringMap<ValueTally> by_value;
    std::uint32_t tasks_with_field = 0;
    std::uint32_t groups = 0;
    std::vector<std::uint32_t> groups_holding;  // [c] = groups holding c tasks
    std::uint32_t min_group_tasks = 0;
  };

  explicit PlacementContext(std::span<const Constraint> constraints);
  void AddGroups(const projections::StringMap<projections::AgentInfo>& agents);
  void RecordTask(const projections::TaskInfo& task,
                  const projections::StringMap<projections::AgentInfo>& agents);
  static void Count(FieldTally& tally, std::string_view value);
  const FieldTally* Find(std::string_view field) const;

  std::vector<FieldTally> fields_;
};

// May one more task of the app run on `candidate`, given where its tasks
// run now? REQUIRES: `context` was built from a constraint list holding
// `constraint` (otherwise counting operators see zero tasks everywhere).
bool Satisfies(const Constraint& constraint, const projections::AgentInfo& candidate,
               const PlacementContext& context);
// The first constraint `candidate` violates, or nullptr: for "why is my app
// waiting" reports as much as for the yes/no answer.
const Constraint* FirstViolated(std::span<const Constraint> constraints,
                                const projections::AgentInfo& candidate,
                                const PlacementContext& context);
inline bool SatisfiesAll(std::span<const Constraint> constraints,
                         const projections::AgentInfo& candidate,
                         const PlacementContext& context) {
  return FirstViolated(constraints, candidate, context) == nullptr;
}

}  // namespace regatta::placement

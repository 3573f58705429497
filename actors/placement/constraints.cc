#include "actors/placement/constraints.h"

#include <charconv>
#include <utility>

namespace regatta::placement {

using projections::AgentInfo;

std::optional<std::string_view> FieldValue(const AgentInfo& agent, std::string_view field) {
  if (field == "hostname") return std::string_view(agent.hostname);
  for (const auto& [key, value] : agent.attributes) {
    if (key == field) return std::string_view(value);
  }
  return std::nullopt;
}

// ------------------------------------------------------------------ Satisfies

namespace {

// CLUSTER without a value follows the app's tasks. If they already sit on
// several values (the constraint was added later), any of those values is
// acceptable: insisting on one would leave the app unplaceable.
bool JoinsCluster(const Constraint& c, std::string_view value, const PlacementContext& context) {
  return context.TasksWithField(c.field) == 0 || context.TasksOn(c.field, value) > 0;
}

// GROUP_BY n with fewer than n groups in sight: the unseen groups hold zero
// tasks, so only a value still without tasks is acceptable.
bool IsLeastLoadedGroup(const Constraint& c, std::string_view value,
                        const PlacementContext& context) {
  const std::uint32_t least =
      context.Groups(c.field) < c.limit ? 0 : context.MinGroupTasks(c.field);
  return context.TasksOn(c.field, value) <= least;
}

}  // namespace

bool Satisfies(const Constraint& c, const AgentInfo& candidate, const PlacementContext& context) {
  const auto value = FieldValue(candidate, c.field);
  if (!value) return c.op == ConstraintOperator::kUnlike;
  switch (c.op) {
    case ConstraintOperator::kUnique: return context.TasksOn(c.field, *value) == 0;
    case ConstraintOperator::kCluster:
      return c.value.empty() ? JoinsCluster(c, *value, context) : *value == c.value;
    case ConstraintOperator::kGroupBy: return IsLeastLoadedGroup(c, *value, context);
    case ConstraintOperator::kLike: return FullyMatches(c, *value);
    case ConstraintOperator::kUnlike: return !FullyMatches(c, *value);
    case ConstraintOperator::kMaxPer: return context.TasksOn(c.field, *value) < c.limit;
    case ConstraintOperator::kIs: return *value == c.value;
  }
  return false;
}

const Constraint* FirstViolated(std::span<const Constraint> constraints,
                                const AgentInfo& candidate, const PlacementContext& context) {
  for (const Constraint& c : constraints) {
    if (!Satisfies(c, candidate, context)) return &c;
  }
  return nullptr;
}

}  // namespace regatta::placement

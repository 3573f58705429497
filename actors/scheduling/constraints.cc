#include "actors/scheduling/constraints.h"

#include <charconv>
#include <utility>

namespace regatta::scheduling {

using projections::AgentInfo;

namespace {

struct OperatorSpelling {
  std::string_view name;
  ConstraintOperator op;
};
constexpr OperatorSpelling kOperators[] = {
    {"UNIQUE", ConstraintOperator::kUnique}, {"CLUSTER", ConstraintOperator::kCluster},
    {"GROUP_BY", ConstraintOperator::kGroupBy}, {"LIKE", ConstraintOperator::kLike},
    {"UNLIKE", ConstraintOperator::kUnlike}, {"MAX_PER", ConstraintOperator::kMaxPer},
    {"IS", ConstraintOperator::kIs},
};

// Exact spelling, as Marathon's JSON reader demands: "unique" is a typo the
// user should hear about, not something to guess at.
std::optional<ConstraintOperator> LookupOperator(std::string_view name) {
  for (const auto& spelling : kOperators) {
    if (spelling.name == name) return spelling.op;
  }
  return std::nullopt;
}

std::string Quote(std::string_view field, std::string_view op, std::string_view value) {
  std::string out = "[\"";
  out.append(field).append("\",\"").append(op).append("\"");
  if (!value.empty()) out.append(",\"").append(value).append("\"");
  return out + "]";
}

// A decimal count with no sign and no spaces, at least `min`.
Status ParseCount(std::string_view text, std::uint32_t min, std::uint32_t& out) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, out);
  if (ec == std::errc::result_out_of_range) return Status::InvalidArgument("the number is too large");
  if (ec != std::errc() || ptr != end) {
    return Status::InvalidArgument("\"" + std::string(text) + "\" is not a whole number");
  }
  if (out < min) {
    return Status::InvalidArgument("the number must be at least " + std::to_string(min));
  }
  return Status::Ok();
}

Status CompilePattern(Constraint& c) {
  if (c.value.empty()) return Status::InvalidArgument("a regular expression is required");
  try {
    c.pattern = std::make_shared<const std::regex>(c.value, std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    return Status::InvalidArgument(std::string("not a valid regular expression: ") + e.what());
  }
  return Status::Ok();
}

// Checks the value against what the operator needs, and fills in the
// parsed forms (limit, pattern).
Status CompleteValue(Constraint& c) {
  switch (c.op) {
    case ConstraintOperator::kUnique:
      return c.value.empty() ? Status::Ok() : Status::InvalidArgument("UNIQUE takes no value");
    case ConstraintOperator::kCluster:
      return Status::Ok();
    case ConstraintOperator::kGroupBy:
      return c.value.empty() ? Status::Ok() : ParseCount(c.value, 0, c.limit);
    case ConstraintOperator::kMaxPer:
      // MAX_PER 0 would make the app unplaceable forever: surely a mistake.
      if (c.value.empty()) return Status::InvalidArgument("MAX_PER needs a number of tasks");
      return ParseCount(c.value, 1, c.limit);
    case ConstraintOperator::kIs:
      return c.value.empty() ? Status::InvalidArgument("IS needs a value to compare with")
                             : Status::Ok();
    case ConstraintOperator::kLike:
    case ConstraintOperator::kUnlike:
      return CompilePattern(c);
  }
  return Status::InvalidArgument("unhandled operator");
}

bool FullyMatches(const Constraint& c, std::string_view value) {
  return std::regex_match(value.begin(), value.end(), *c.pattern);
}

}  // namespace

const char* ConstraintOperatorName(ConstraintOperator op) {
  for (const auto& spelling : kOperators) {
    if (spelling.op == op) return spelling.name.data();  // literals: NUL-terminated
  }
  return "UNKNOWN";
}

Result<Constraint> ParseConstraint(std::string_view field, std::string_view op,
                                   std::string_view value) {
  const std::string where = "constraint " + Quote(field, op, value) + ": ";
  if (field.empty()) {
    return Status::InvalidArgument(where + "the field is empty; use \"hostname\" or an attribute key");
  }
  const auto parsed_op = LookupOperator(op);
  if (!parsed_op) {
    return Status::InvalidArgument(where + "unknown operator \"" + std::string(op) +
                                   "\"; expected UNIQUE, CLUSTER, GROUP_BY, LIKE, UNLIKE, MAX_PER or IS");
  }
  Constraint c{std::string(field), *parsed_op, std::string(value), 0, nullptr};
  if (Status s = CompleteValue(c); !s.ok()) return Status::InvalidArgument(where + s.message());
  return c;
}

Result<std::vector<Constraint>> ParseConstraints(
    capnp::List<schema::Constraint>::Reader constraints) {
  std::vector<Constraint> out;
  out.reserve(constraints.size());
  for (auto c : constraints) {
    auto parsed = ParseConstraint(projections::View(c.getField()), projections::View(c.getOperator()),
                                  projections::View(c.getValue()));
    if (!parsed.ok()) return parsed.status();
    out.push_back(std::move(*parsed));
  }
  return out;
}

std::string Describe(const Constraint& constraint) {
  return Quote(constraint.field, ConstraintOperatorName(constraint.op), constraint.value);
}

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

}  // namespace regatta::scheduling

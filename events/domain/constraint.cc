#include "events/domain/constraint.h"

#include <charconv>
#include <optional>
#include <utility>

namespace regatta::domain {

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

std::string_view View(capnp::Text::Reader text) { return {text.cStr(), text.size()}; }

}  // namespace

bool FullyMatches(const Constraint& c, std::string_view value) {
  return std::regex_match(value.begin(), value.end(), *c.pattern);
}

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
  for (unsigned i = 0; i < constraints.size(); ++i) {
    auto c = constraints[i];
    auto parsed = ParseConstraint(View(c.getField()), View(c.getOperator()), View(c.getValue()));
    if (!parsed.ok()) {
      // "constraints[1]: [\"rack\",\"NEAR\"]: unknown operator ...": the path
      // says it is a constraint already.
      std::string reason = parsed.status().message();
      if (reason.rfind("constraint ", 0) == 0) reason.erase(0, std::string("constraint ").size());
      return Status::InvalidField("constraints[" + std::to_string(i) + "]", reason);
    }
    out.push_back(std::move(*parsed));
  }
  return out;
}

std::string Describe(const Constraint& constraint) {
  return Quote(constraint.field, ConstraintOperatorName(constraint.op), constraint.value);
}

}  // namespace regatta::domain

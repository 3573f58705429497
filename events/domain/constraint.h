// Marathon placement constraints, as an app writes them and as they are
// checked once, when the app is defined: [field, operator, value] triples,
// e.g. ["rack", "GROUP_BY", "3"]. The field is "hostname" (the agent's
// hostname) or the key of an agent attribute. Where a task may go under
// them is actors/placement/constraints.h's business.
//
// Semantics (Marathon's, with the choices Marathon leaves open written down):
//   UNIQUE        at most one task per distinct value of the field.
//   CLUSTER v     every task on an agent whose field equals v.
//   CLUSTER       (no value) every task on one value: the one the app's tasks
//                 already use; any value while the app has none placed.
//   GROUP_BY [n]  spread evenly over the values; n, if given, is the number
//                 of groups the user expects (a whole number).
//   LIKE re       the field fully matches re (ECMAScript).
//   UNLIKE re     the field does not fully match re.
//   MAX_PER n     at most n tasks per distinct value (n >= 1).
//   IS v          the field equals v.
#pragma once

#include <cstdint>
#include <memory>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "events/base/status.h"
#include "regatta/events.capnp.h"

namespace regatta::domain {

enum class ConstraintOperator : std::uint8_t {
  kUnique, kCluster, kGroupBy, kLike, kUnlike, kMaxPer, kIs,
};
// "UNIQUE", "GROUP_BY", ...: the spelling Marathon's JSON uses.
const char* ConstraintOperatorName(ConstraintOperator op);

// A checked constraint. Immutable after parsing and cheap to copy: the
// compiled regex is shared, and matching against a const std::regex is safe
// from several threads.
struct Constraint {
  std::string field;
  ConstraintOperator op = ConstraintOperator::kUnique;
  std::string value;                          // as written, for messages
  std::uint32_t limit = 0;                    // MAX_PER: >= 1; GROUP_BY: 0 = not given
  std::shared_ptr<const std::regex> pattern;  // LIKE and UNLIKE only
};

// InvalidArgument names the constraint and what is wrong with it: an empty
// field, an unknown operator, a value an operator needs or does not take, a
// number that is not one, or a regex that does not compile.
[[nodiscard]] Result<Constraint> ParseConstraint(std::string_view field, std::string_view op,
                                                 std::string_view value);
// All of an app's constraints; the first bad one is the error, its field
// "constraints[i]".
[[nodiscard]] Result<std::vector<Constraint>> ParseConstraints(
    capnp::List<schema::Constraint>::Reader constraints);

// ["rack","GROUP_BY","3"], as a user wrote it.
std::string Describe(const Constraint& constraint);

// Whether `c` fully matches `value` (LIKE, UNLIKE). REQUIRES: c.pattern.
bool FullyMatches(const Constraint& c, std::string_view value);

}  // namespace regatta::domain

// Marathon's label selector (GET /v2/apps?label=...): terms joined by
// commas, all of which must hold:
//   key           the label is set
//   key==value    it has this value      key!=value   it does not
//   key in (a,b)  one of these values    key notin (a,b)  none of them
// A backslash escapes the next character (a comma or parenthesis in a value).
#pragma once

#include <string>
#include <vector>

#include "events/base/status.h"
#include "events/domain/labels.h"

namespace regatta::marathon {

class LabelSelector {
 public:
  bool Matches(const domain::Attributes& labels) const;

  enum class Op { kExists, kEquals, kNotEquals, kIn, kNotIn };
  struct Term {
    std::string key;
    Op op = Op::kExists;
    std::vector<std::string> values;
  };
  std::vector<Term> terms;
};

// InvalidArgument naming the field "label" for text that is no selector.
[[nodiscard]] Result<LabelSelector> ParseLabelSelector(const std::string& text);

}  // namespace regatta::marathon

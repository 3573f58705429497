// Key-value pairs: an agent's attributes (rack, zone), an app's and a task's
// labels. Kept in the order written, as the schema keeps them.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "regatta/events.capnp.h"

namespace regatta::domain {

using Attributes = std::vector<std::pair<std::string, std::string>>;

Attributes PairsOf(capnp::List<schema::KeyValue>::Reader pairs);
// Into a list initialized to their size: ToSchema(x.initLabels(n), labels).
void ToSchema(capnp::List<schema::KeyValue>::Builder out, const Attributes& pairs);

}  // namespace regatta::domain

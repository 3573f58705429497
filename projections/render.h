// JSON views of the projections, for `regatta replay` and, later, the API.
// Keys are sorted, so the same state always renders to the same text.
#pragma once

#include <string>
#include <string_view>

#include "events/base/status.h"
#include "projections/projection_set.h"

namespace regatta::projections {

// The projection names a user may ask for.
inline constexpr std::string_view kProjectionNames = "scheduling, discovery, history";

// InvalidArgument naming the choices when `name` is not one of them.
Result<std::string> RenderProjection(const ProjectionSet& set, std::string_view name);

}  // namespace regatta::projections

// Marathon's group JSON (/v2/groups) into the schema's GroupSpec. Pure;
// fuzzed with the app decoder (tests/fuzz/fuzz_marathon_app.cc).
//
// Ids resolve as Marathon resolves them: a group's id against the group the
// route names, a nested group's and an app's against the group they are in,
// an app's dependencies against its group and a group's against the group
// itself, so "../db" is a sibling either way (domain/group_paths.h).
// What a PUT leaves out stays: "apps", "groups" and "dependencies" replace
// only when present. Refusals are InvalidArgument with the JSON pointer
// into the body ("/groups/0/apps/1/cmd").
#pragma once

#include <string>

#include "api/marathon/app_json.h"

namespace regatta::marathon {

// `base` is the group the route names ("/" for POST /v2/groups). With
// `route_is_id` (PUT /v2/groups/{id}) the group is `base` itself, and a body
// id must name it too; otherwise the body's id, resolved against `base`,
// names the group, and without one the group is `base`.
[[nodiscard]] Status DecodeGroup(const Json& json, schema::GroupSpec::Builder group, const std::string& base,
                                 bool route_is_id);

}  // namespace regatta::marathon

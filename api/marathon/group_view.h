// Marathon's group tree, read from the history projection: now, or as it
// stood at any revision (GET /v2/groups/{id}/versions/{version}). Pure.
//
// The tree holds the explicit groups (GroupDefined) and the groups app ids
// imply (/prod for /prod/web), so an app posted alone to /v2/apps shows in
// its group, as in Marathon. A group's version is the last of its own
// definitions and of its apps' versions.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "api/marathon/app_json.h"
#include "projections/projection_set.h"

namespace regatta::marathon {

// One app as the tree shows it, encoded by the caller.
using AppEncoder = std::function<Json(const std::string& app_id)>;

// The group and everything under it in Marathon's shape, from the live
// state; nullopt when there is no such group.
std::optional<Json> EncodeGroupNow(const projections::ProjectionSet& view, const std::string& group_id,
                                   const AppEncoder& encode_app);

// Every version of the group, oldest first: its own definitions and those
// of the apps under it, as Marathon lists them, and beside them the same
// with revision, principal and reason (regattaVersions). nullopt when the
// log never had the group.
std::optional<Json> EncodeGroupVersions(const projections::ProjectionSet& view, const std::string& group_id);

// The group as it stood when `version` was made: the apps with the specs
// and instance counts they had then. nullopt when the group had no such
// version.
std::optional<Json> EncodeGroupAt(const projections::ProjectionSet& view, const std::string& group_id,
                                  const std::string& version);

}  // namespace regatta::marathon

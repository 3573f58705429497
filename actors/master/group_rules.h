// The rules a write must keep for the tree of groups and apps, shared by
// the app and the group decide steps. Internal to the master's core.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "events/base/status.h"
#include "events/domain/group_paths.h"
#include "projections/projection_set.h"

namespace regatta::master {

// An app at `app_id` must not sit where a group is, nor inside an app.
// InvalidArgument on `field`.
[[nodiscard]] Status CheckAppPlace(const projections::ProjectionSet& state, const std::string& app_id,
                                   const std::string& field = "id");

// True when the app or an explicit group it is in names a dependency: its
// definition must then be decided alone, against everything (commit_batch.h).
bool HasDependencies(const projections::ProjectionSet& state, schema::AppSpec::Reader spec);

// Defining `spec` must leave every dependency it or its groups name
// resolvable and close no cycle (domain/group_paths.h). Cheap when neither
// the app nor any explicit group it is in has a dependency.
[[nodiscard]] Status CheckAppDependencies(const projections::ProjectionSet& state, schema::AppSpec::Reader spec);

// The apps and explicit groups live now, as the dependency check sees them.
domain::DependencyWorld WorldOf(const projections::ProjectionSet& state);

// The live apps at or under `group_id`, sorted.
std::vector<std::string> AppsUnder(const projections::ProjectionSet& state, const std::string& group_id);

// The live explicit groups at or under `group_id`, sorted.
std::vector<std::string> ExplicitGroupsUnder(const projections::ProjectionSet& state, const std::string& group_id);

// The groups directly in `group_id` that exist now, explicit or implied.
std::set<std::string> ChildGroups(const projections::ProjectionSet& state, const std::string& group_id);

}  // namespace regatta::master

// Marathon's group paths, and the dependency graph between apps and groups
// that a write must leave well-formed. Pure.
//
// An app /prod/web/api is in group /prod/web, which is in /prod, which is in
// the root group /. A dependency names an app or a group; depending on a
// group means depending on every app under it, and a group's dependencies
// are every app under it's too (Marathon's rules). Relative ids resolve
// against a group: "db" against /prod is /prod/db, "../db" is /db.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "events/base/status.h"

namespace regatta::domain {

// "/prod/web" -> "/prod"; "/web" -> "/"; "/" -> "/".
std::string ParentPath(std::string_view id);

// True when `id` is `group` or lies under it; everything lies under "/".
bool IsUnder(std::string_view id, std::string_view group);

// `path` resolved against the group `base`: absolute paths stay as they are,
// "." segments drop and ".." climbs; repeated slashes collapse. nullopt when
// ".." would climb above "/".
std::optional<std::string> ResolvePath(std::string_view base, std::string_view path);

struct DependencyNode {
  std::string id;
  std::vector<std::string> dependencies;  // absolute ids
};

// Every live app and every explicit group, as a write would leave them.
struct DependencyWorld {
  std::vector<DependencyNode> apps;
  std::vector<DependencyNode> groups;
};

// InvalidArgument, field "dependencies", when one of the `changed` apps or
// groups depends on what is neither an app nor a group ("/prod/web depends
// on /prod/db, which is neither an app nor a group"), or when the write
// closes a cycle through an app it changed, named in order
// ("a cycle: /a -> /b -> /a"). What was already there is not checked again:
// a dependency left dangling by a deletion does not block other writes.
[[nodiscard]] Status CheckDependencies(const DependencyWorld& world, const std::set<std::string>& changed);

}  // namespace regatta::domain

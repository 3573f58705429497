#include "actors/master/group_rules.h"

#include <algorithm>

namespace regatta::master {

using domain::IsUnder;
using domain::ParentPath;
using projections::ProjectionSet;

namespace {

std::vector<std::string> Strings(capnp::List<capnp::Text>::Reader list) {
  std::vector<std::string> out;
  for (auto text : list) out.emplace_back(text.cStr(), text.size());
  return out;
}

}  // namespace

bool HasDependencies(const ProjectionSet& state, schema::AppSpec::Reader spec) {
  if (spec.getDependencies().size() > 0) return true;
  for (std::string group = ParentPath(spec.getId().cStr());; group = ParentPath(group)) {
    const projections::GroupChange* explicit_group = state.history().CurrentGroup(group);
    if (explicit_group != nullptr && !explicit_group->dependencies.empty()) return true;
    if (group == "/") return false;
  }
}

Status CheckAppPlace(const ProjectionSet& state, const std::string& app_id, const std::string& field) {
  if (state.history().GroupExists(app_id)) {
    return Status::InvalidField(field, app_id + " is a group, so it cannot be an app too");
  }
  for (std::string group = ParentPath(app_id); group != "/"; group = ParentPath(group)) {
    if (state.history().Current(group) != nullptr) {
      return Status::InvalidField(field, group + " is an app, so nothing can be in it");
    }
  }
  return Status::Ok();
}

Status CheckAppDependencies(const ProjectionSet& state, schema::AppSpec::Reader spec) {
  if (!HasDependencies(state, spec)) return Status::Ok();
  domain::DependencyWorld world = WorldOf(state);
  const std::string id = spec.getId().cStr();
  auto& apps = world.apps;
  apps.erase(std::remove_if(apps.begin(), apps.end(), [&](const auto& n) { return n.id == id; }), apps.end());
  apps.push_back({id, Strings(spec.getDependencies())});
  return domain::CheckDependencies(world, {id});
}

domain::DependencyWorld WorldOf(const ProjectionSet& state) {
  domain::DependencyWorld world;
  for (const domain::AppDefinition* app : projections::LiveApps(state.history())) {
    world.apps.push_back({app->id, Strings(app->spec->root().getDependencies())});
  }
  for (const std::string& id : ExplicitGroupsUnder(state, "/")) {
    world.groups.push_back({id, state.history().CurrentGroup(id)->dependencies});
  }
  return world;
}

std::vector<std::string> AppsUnder(const ProjectionSet& state, const std::string& group_id) {
  std::vector<std::string> out;
  for (const auto& [id, app] : state.history().current()) {
    if (IsUnder(id, group_id)) out.push_back(id);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> ExplicitGroupsUnder(const ProjectionSet& state, const std::string& group_id) {
  std::vector<std::string> out;
  for (const auto& [id, group] : state.history().groups()) {
    if (IsUnder(id, group_id) && state.history().CurrentGroup(id) != nullptr) out.push_back(id);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::set<std::string> ChildGroups(const ProjectionSet& state, const std::string& group_id) {
  const std::string prefix = group_id == "/" ? "/" : group_id + "/";
  std::set<std::string> out;
  auto add = [&](const std::string& id, bool is_group) {
    if (id.size() <= prefix.size() || id.compare(0, prefix.size(), prefix) != 0) return;
    const std::size_t slash = id.find('/', prefix.size());
    if (slash != std::string::npos) {
      out.insert(id.substr(0, slash));
    } else if (is_group) {
      out.insert(id);
    }
  };
  for (const auto& [id, app] : state.history().current()) add(id, false);
  for (const std::string& id : ExplicitGroupsUnder(state, group_id)) add(id, true);
  return out;
}

}  // namespace regatta::master

// Marathon's group writes, decided: a group tree in, one atomic batch of
// group and app events out (master_core.h).
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <capnp/message.h>

#include "actors/master/deployment_rules.h"
#include "actors/master/emitter.h"
#include "actors/master/group_rules.h"
#include "actors/master/master_core.h"
#include "events/domain/app_spec_check.h"

namespace regatta::master {
namespace {

using domain::ParentPath;
using GroupReader = schema::GroupSpec::Reader;

std::string Text(capnp::Text::Reader text) { return {text.cStr(), text.size()}; }

std::vector<std::string> Strings(capnp::List<capnp::Text>::Reader list) {
  std::vector<std::string> out;
  for (auto text : list) out.push_back(Text(text));
  return out;
}

std::string Index(const std::string& at, const char* list, unsigned i) {
  return at + list + "[" + std::to_string(i) + "]";
}

// The tree's own shape: ids, the apps' specs, no id twice.
Status CheckTree(GroupReader group, const std::string& at, bool root) {
  const std::string id = Text(group.getId());
  REGATTA_RETURN_IF_ERROR(domain::CheckPath(at + "id", id, root));
  const auto dependencies = group.getDependencies();
  for (unsigned i = 0; i < dependencies.size(); ++i) {
    REGATTA_RETURN_IF_ERROR(domain::CheckPath(Index(at, "dependencies", i), Text(dependencies[i])));
  }
  std::set<std::string> seen;
  const auto apps = group.getApps();
  for (unsigned i = 0; i < apps.size(); ++i) {
    const std::string where = Index(at, "apps", i);
    if (Status s = domain::CheckAppSpec(apps[i]); !s.ok()) return Status::Field(s.code(), where + "." + s.field(), s.reason());
    const std::string app = Text(apps[i].getId());
    if (ParentPath(app) != id) return Status::InvalidField(where + ".id", app + " is not directly in group " + id);
    if (!seen.insert(app).second) return Status::InvalidField(where + ".id", app + " appears twice in group " + id);
  }
  const auto groups = group.getGroups();
  for (unsigned i = 0; i < groups.size(); ++i) {
    const std::string where = Index(at, "groups", i) + ".";
    const std::string child = Text(groups[i].getId());
    REGATTA_RETURN_IF_ERROR(CheckTree(groups[i], where, false));
    if (ParentPath(child) != id) return Status::InvalidField(where + "id", child + " is not directly in group " + id);
    if (!seen.insert(child).second) return Status::InvalidField(where + "id", child + " appears twice in group " + id);
  }
  return Status::Ok();
}

// What the write leaves: each group of the tree as it will be, the apps it
// writes, and what it removes.
struct GroupPlan {
  struct Group {
    std::string id;
    std::vector<std::string> dependencies, apps, groups;
  };
  std::vector<Group> groups;  // parents first
  std::vector<std::pair<std::string, schema::AppSpec::Reader>> apps;
  std::set<std::string> deleted_apps;
  std::set<std::string> deleted_groups;  // explicit ones
};

void RemoveSubtree(const ProjectionSet& state, const std::string& group_id, GroupPlan& plan) {
  for (std::string& app : AppsUnder(state, group_id)) plan.deleted_apps.insert(std::move(app));
  for (std::string& group : ExplicitGroupsUnder(state, group_id)) plan.deleted_groups.insert(std::move(group));
}

void Plan(const ProjectionSet& state, GroupReader group, GroupPlan& plan) {
  GroupPlan::Group out{Text(group.getId()), {}, {}, {}};
  const projections::GroupChange* current = state.history().CurrentGroup(out.id);
  if (group.getHasDependencies()) {
    out.dependencies = Strings(group.getDependencies());
  } else if (current != nullptr) {
    out.dependencies = current->dependencies;
  }
  std::set<std::string> listed;
  for (auto app : group.getApps()) {
    listed.insert(Text(app.getId()));
    plan.apps.emplace_back(Text(app.getId()), app);
  }
  for (auto child : group.getGroups()) listed.insert(Text(child.getId()));
  for (const std::string& app : AppsUnder(state, out.id)) {
    if (ParentPath(app) != out.id) continue;
    if (group.getHasApps() && !listed.count(app)) plan.deleted_apps.insert(app);
    if (!group.getHasApps()) listed.insert(app);
  }
  for (const std::string& child : ChildGroups(state, out.id)) {
    if (group.getHasGroups() && !listed.count(child)) RemoveSubtree(state, child, plan);
    if (!group.getHasGroups()) listed.insert(child);
  }
  for (const std::string& id : listed) {
    const bool is_app = state.history().Current(id) != nullptr || std::any_of(plan.apps.begin(), plan.apps.end(),
                                                                             [&](const auto& a) { return a.first == id; });
    (is_app && !plan.deleted_apps.count(id) ? out.apps : out.groups).push_back(id);
  }
  plan.groups.push_back(std::move(out));
  for (auto child : group.getGroups()) Plan(state, child, plan);
}

// The world as the plan leaves it, for the dependency check.
domain::DependencyWorld WorldAfter(const ProjectionSet& state, const GroupPlan& plan) {
  domain::DependencyWorld world = WorldOf(state);
  std::set<std::string> replaced(plan.deleted_apps.begin(), plan.deleted_apps.end());
  for (const auto& [id, spec] : plan.apps) replaced.insert(id);
  std::erase_if(world.apps, [&](const domain::DependencyNode& n) { return replaced.count(n.id) > 0; });
  for (const auto& [id, spec] : plan.apps) world.apps.push_back({id, Strings(spec.getDependencies())});
  std::set<std::string> regrouped(plan.deleted_groups.begin(), plan.deleted_groups.end());
  for (const auto& g : plan.groups) regrouped.insert(g.id);
  std::erase_if(world.groups, [&](const domain::DependencyNode& n) { return regrouped.count(n.id) > 0; });
  for (const auto& g : plan.groups) world.groups.push_back({g.id, g.dependencies});
  return world;
}

// An app may not stand where a group stays, nor a group where an app stays.
Status CheckPlaces(const ProjectionSet& state, const GroupPlan& plan) {
  std::set<std::string> group_ids;
  for (const auto& g : plan.groups) group_ids.insert(g.id);
  for (const auto& [id, spec] : plan.apps) {
    if (group_ids.count(id)) return Status::InvalidField("id", id + " is both an app and a group");
    if (state.history().Current(id) == nullptr) REGATTA_RETURN_IF_ERROR(CheckAppPlace(state, id, "id"));
  }
  for (const auto& g : plan.groups) {
    if (state.history().Current(g.id) != nullptr && !plan.deleted_apps.count(g.id)) {
      return Status::InvalidField("id", g.id + " is an app, so it cannot be a group too");
    }
  }
  return Status::Ok();
}

enum class SpecChange { kNone, kScaleOnly, kNewVersion };

// Compares canonical forms, so a group PUT that repeats an app as it is
// writes no new version of it.
SpecChange Compare(const domain::AppDefinition* current, schema::AppSpec::Reader wanted) {
  if (current == nullptr) return SpecChange::kNewVersion;
  capnp::MallocMessageBuilder copy;
  copy.setRoot(wanted);
  auto normalized = copy.getRoot<schema::AppSpec>();
  normalized.setInstances(current->spec->root().getInstances());
  auto a = capnp::canonicalize(normalized.asReader());
  auto b = capnp::canonicalize(current->spec->root());
  if (a.asBytes() != b.asBytes()) return SpecChange::kNewVersion;
  return wanted.getInstances() == current->instances ? SpecChange::kNone : SpecChange::kScaleOnly;
}

template <class List>
void SetStrings(List list, const std::vector<std::string>& values) {
  for (unsigned i = 0; i < values.size(); ++i) list.set(i, values[i]);
}

// A new version of an app running a deployment needs force (deployment_rules.h).
Status CheckLocks(const ProjectionSet& state, const GroupPlan& plan, bool force) {
  for (const auto& [id, spec] : plan.apps) {
    if (Compare(state.history().Current(id), spec) != SpecChange::kNewVersion) continue;
    REGATTA_RETURN_IF_ERROR(CheckDeploymentLock(state, id, force));
  }
  return Status::Ok();
}

void EmitPlan(const ProjectionSet& state, const GroupPlan& plan, const std::string& version,
              const CommandContext& emit_context, Emitter& emit) {
  for (const std::string& app : plan.deleted_apps) emit.Emit([&](auto e) { e.initAppDeleted().setAppId(app); });
  for (const std::string& group : plan.deleted_groups) emit.Emit([&](auto e) { e.initGroupDeleted().setGroupId(group); });
  for (const GroupPlan::Group& g : plan.groups) {
    emit.Emit([&](auto e) {
      auto defined = e.initGroupDefined();
      defined.setGroupId(g.id);
      defined.setVersion(version);
      SetStrings(defined.initApps(static_cast<unsigned>(g.apps.size())), g.apps);
      SetStrings(defined.initGroups(static_cast<unsigned>(g.groups.size())), g.groups);
      SetStrings(defined.initDependencies(static_cast<unsigned>(g.dependencies.size())), g.dependencies);
    });
  }
  for (const auto& app : plan.apps) {
    const std::string& id = app.first;  // named, not bound: clang 14 lambdas cannot capture a binding
    const schema::AppSpec::Reader spec = app.second;
    const domain::AppDefinition* current = state.history().Current(id);
    switch (Compare(current, spec)) {
      case SpecChange::kNone: break;
      case SpecChange::kScaleOnly:
        emit.Emit([&](auto e) {
          auto scaled = e.initAppScaled();
          scaled.setAppId(id);
          scaled.setInstances(spec.getInstances());
          scaled.setPreviousInstances(current->instances);
        });
        break;
      case SpecChange::kNewVersion:
        emit.Emit([&](auto e) {
          auto defined = e.initAppDefined();
          defined.setSpec(spec);
          defined.setVersion(version);
        });
        EmitDeploymentStart(state, spec, version, "", emit_context, emit);
        break;
    }
  }
}

Status GroupNotFound(const std::string& group_id) {
  return Status::Field(StatusCode::kNotFound, "groupId", "Group '" + group_id + "' does not exist");
}

}  // namespace

Result<Outcome> DecideDefineGroup(const ProjectionSet& state, schema::GroupSpec::Reader group,
                                  const std::string& version, const CommandContext& context,
                                  const AppPreconditions& preconditions) {
  REGATTA_RETURN_IF_ERROR(CheckTree(group, "", true));
  const std::string id = Text(group.getId());
  if (preconditions.create_only && state.history().GroupExists(id)) {
    return Status::Field(StatusCode::kConflict, "id", "Group " + id + " is already created. Use PUT to change this group.");
  }
  if (state.history().Current(id) != nullptr) {
    return Status::InvalidField("id", id + " is an app, so it cannot be a group too");
  }
  GroupPlan plan;
  Plan(state, group, plan);
  REGATTA_RETURN_IF_ERROR(CheckPlaces(state, plan));
  std::set<std::string> changed;
  for (const auto& [app, spec] : plan.apps) changed.insert(app);
  for (const auto& g : plan.groups) changed.insert(g.id);
  REGATTA_RETURN_IF_ERROR(domain::CheckDependencies(WorldAfter(state, plan), changed));
  REGATTA_RETURN_IF_ERROR(CheckLocks(state, plan, preconditions.force));
  Outcome out;
  Emitter emit(context, &out);
  EmitPlan(state, plan, version, context, emit);
  return out;
}

Result<Outcome> DecideDeleteGroup(const ProjectionSet& state, const std::string& group_id, const CommandContext& context) {
  if (!state.history().GroupExists(group_id)) return GroupNotFound(group_id);
  Outcome out;
  Emitter emit(context, &out);
  for (const std::string& app : AppsUnder(state, group_id)) emit.Emit([&](auto e) { e.initAppDeleted().setAppId(app); });
  for (const std::string& group : ExplicitGroupsUnder(state, group_id)) {
    emit.Emit([&](auto e) { e.initGroupDeleted().setGroupId(group); });
  }
  return out;
}

Result<Outcome> DecideScaleGroup(const ProjectionSet& state, const std::string& group_id, double factor,
                                 const CommandContext& context) {
  if (!std::isfinite(factor) || factor < 0 || factor > 1e6) {
    return Status::InvalidField("scaleBy", "must be a number from 0 to 1000000, not " + std::to_string(factor));
  }
  if (!state.history().GroupExists(group_id)) return GroupNotFound(group_id);
  Outcome out;
  Emitter emit(context, &out);
  for (const std::string& id : AppsUnder(state, group_id)) {
    const std::uint32_t previous = state.history().Current(id)->instances;
    const double scaled = std::ceil(previous * factor);
    const auto instances = static_cast<std::uint32_t>(std::min(scaled, 1e6));
    if (instances == previous) continue;
    emit.Emit([&](auto e) {
      auto s = e.initAppScaled();
      s.setAppId(id);
      s.setInstances(instances);
      s.setPreviousInstances(previous);
    });
  }
  return out;
}

}  // namespace regatta::master

#include "api/marathon/group_view.h"

#include <map>
#include <set>

#include "api/marathon/views.h"
#include "events/domain/group_paths.h"

namespace regatta::marathon {
namespace {

using domain::IsUnder;
using domain::ParentPath;
using projections::HistoryProjection;

// The tree's content, from whichever moment.
struct TreeInput {
  std::vector<std::string> apps;  // live app ids
  std::map<std::string, const projections::GroupChange*> explicit_groups;
  std::map<std::string, std::string> versions;  // group id -> its version
};

struct Node {
  std::vector<std::string> apps;
  std::set<std::string> children;
};

std::map<std::string, Node> BuildTree(const TreeInput& input) {
  std::map<std::string, Node> nodes;
  nodes["/"];
  auto add_path = [&nodes](const std::string& group) {
    nodes[group];
    for (std::string child = group; child != "/"; child = ParentPath(child)) nodes[ParentPath(child)].children.insert(child);
  };
  for (const std::string& app : input.apps) {
    add_path(ParentPath(app));
    nodes[ParentPath(app)].apps.push_back(app);
  }
  for (const auto& [id, group] : input.explicit_groups) add_path(id);
  return nodes;
}

Json Render(const std::string& id, const std::map<std::string, Node>& nodes, const TreeInput& input,
            const AppEncoder& encode_app) {
  const Node& node = nodes.at(id);
  Json apps = Json::array(), groups = Json::array(), dependencies = Json::array();
  for (const std::string& app : node.apps) apps.push_back(encode_app(app));
  for (const std::string& child : node.children) groups.push_back(Render(child, nodes, input, encode_app));
  if (auto g = input.explicit_groups.find(id); g != input.explicit_groups.end()) {
    for (const std::string& d : g->second->dependencies) dependencies.push_back(d);
  }
  auto version = input.versions.find(id);
  return Json{{"id", id}, {"apps", std::move(apps)}, {"groups", std::move(groups)},
              {"pods", Json::array()}, {"dependencies", std::move(dependencies)},
              {"version", version == input.versions.end() ? "" : version->second}};
}

// A version of the group: one of its definitions or one of its apps'.
struct VersionMark {
  std::string version;
  projections::Audit audit;
};

std::vector<VersionMark> VersionsOf(const HistoryProjection& history, const std::string& group_id) {
  std::map<Revision, VersionMark> marks;
  if (auto g = history.groups().find(group_id); g != history.groups().end()) {
    for (const auto& change : g->second.changes) {
      if (!change.deleted) marks[change.audit.revision] = {change.version, change.audit};
    }
  }
  for (const auto& [id, app] : history.apps()) {
    if (!IsUnder(id, group_id) || id == group_id) continue;
    for (const auto& change : app.changes) {
      if (change.kind == projections::ChangeKind::kDefined) marks[change.audit.revision] = {change.version, change.audit};
    }
  }
  // One batch writes a version's group and app events at several
  // revisions: the version stands for the last of them.
  std::vector<VersionMark> out;
  for (auto& [revision, mark] : marks) {
    if (!out.empty() && out.back().version == mark.version) out.pop_back();
    out.push_back(std::move(mark));
  }
  return out;
}

// Every group's version in the tree: its last own or app version at or
// before `at` (the whole log when nullopt).
void FillVersions(const HistoryProjection& history, const std::map<std::string, Node>& nodes, TreeInput& input,
                  std::optional<Revision> at) {
  for (const auto& [id, node] : nodes) {
    std::string version;
    for (const VersionMark& mark : VersionsOf(history, id)) {
      if (!at || mark.audit.revision <= *at) version = mark.version;
    }
    input.versions[id] = version;
  }
}

}  // namespace

std::optional<Json> EncodeGroupNow(const projections::ProjectionSet& view, const std::string& group_id,
                                   const AppEncoder& encode_app) {
  if (!view.history().GroupExists(group_id)) return std::nullopt;
  TreeInput input;
  for (const domain::AppDefinition* app : projections::LiveApps(view.history())) {
    if (IsUnder(app->id, group_id)) input.apps.push_back(app->id);
  }
  for (const auto& [id, group] : view.history().groups()) {
    const projections::GroupChange* current = view.history().CurrentGroup(id);
    if (current != nullptr && IsUnder(id, group_id)) input.explicit_groups[id] = current;
  }
  auto nodes = BuildTree(input);
  nodes[group_id];
  FillVersions(view.history(), nodes, input, std::nullopt);
  return Render(group_id, nodes, input, encode_app);
}

std::optional<Json> EncodeGroupVersions(const projections::ProjectionSet& view, const std::string& group_id) {
  const std::vector<VersionMark> marks = VersionsOf(view.history(), group_id);
  if (marks.empty() && !view.history().GroupExists(group_id)) return std::nullopt;
  Json versions = Json::array(), audit = Json::array();
  for (const VersionMark& mark : marks) {
    versions.push_back(mark.version);
    audit.push_back({{"version", mark.version}, {"revision", mark.audit.revision},
                     {"principal", mark.audit.principal}, {"reason", mark.audit.reason},
                     {"time", Timestamp(mark.audit.time_nanos)}});
  }
  return Json{{"versions", std::move(versions)}, {"regattaVersions", std::move(audit)}};
}

std::optional<Json> EncodeGroupAt(const projections::ProjectionSet& view, const std::string& group_id,
                                  const std::string& version) {
  const HistoryProjection& history = view.history();
  std::optional<Revision> at;
  for (const VersionMark& mark : VersionsOf(history, group_id)) {
    if (mark.version == version) at = mark.audit.revision;
  }
  if (!at) return std::nullopt;
  // Each app under the group as it stood at `at`: its last definition, and
  // the instance count of its last change, unless that was its deletion.
  std::map<std::string, std::pair<const projections::AppChange*, std::uint32_t>> apps;
  for (const auto& [id, app] : history.apps()) {
    if (!IsUnder(id, group_id)) continue;
    const projections::AppChange* defined = nullptr;
    const projections::AppChange* last = nullptr;
    for (const auto& change : app.changes) {
      if (change.audit.revision > *at) break;
      last = &change;
      if (change.kind == projections::ChangeKind::kDefined) defined = &change;
    }
    if (defined != nullptr && last->kind != projections::ChangeKind::kDeleted) apps[id] = {defined, last->instances};
  }
  TreeInput input;
  for (const auto& [id, app] : apps) input.apps.push_back(id);
  for (const auto& [id, group] : history.groups()) {
    if (!IsUnder(id, group_id)) continue;
    const projections::GroupChange* last = nullptr;
    for (const auto& change : group.changes) {
      if (change.audit.revision <= *at) last = &change;
    }
    if (last != nullptr && !last->deleted) input.explicit_groups[id] = last;
  }
  auto nodes = BuildTree(input);
  nodes[group_id];
  FillVersions(history, nodes, input, at);
  return Render(group_id, nodes, input, [&apps](const std::string& id) {
    const auto& [defined, instances] = apps.at(id);
    auto spec = domain::FlatSpec::FromBytes(defined->spec);
    if (!spec.ok()) return Json{{"id", id}, {"regattaNotes", Json::array({spec.status().ToString()})}};
    Json app = EncodeApp((*spec)->root(), defined->version);
    app["instances"] = instances;
    return app;
  });
}

}  // namespace regatta::marathon

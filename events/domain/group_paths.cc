#include "events/domain/group_paths.h"

#include <algorithm>
#include <map>

namespace regatta::domain {

std::string ParentPath(std::string_view id) {
  const std::size_t slash = id.rfind('/');
  if (slash == 0 || slash == std::string_view::npos) return "/";
  return std::string(id.substr(0, slash));
}

bool IsUnder(std::string_view id, std::string_view group) {
  if (group == "/") return true;
  if (id.substr(0, group.size()) != group) return false;
  return id.size() == group.size() || id[group.size()] == '/';
}

std::optional<std::string> ResolvePath(std::string_view base, std::string_view path) {
  std::vector<std::string_view> segments;
  auto walk = [&segments](std::string_view text) {
    for (std::size_t start = 0; start <= text.size();) {
      const std::size_t slash = std::min(text.find('/', start), text.size());
      const std::string_view segment = text.substr(start, slash - start);
      start = slash + 1;
      if (segment.empty() || segment == ".") continue;
      if (segment != "..") {
        segments.push_back(segment);
      } else if (segments.empty()) {
        return false;
      } else {
        segments.pop_back();
      }
    }
    return true;
  };
  if (path.empty() || path[0] != '/') {
    if (!walk(base)) return std::nullopt;
  }
  if (!walk(path)) return std::nullopt;
  std::string out;
  for (std::string_view segment : segments) out.append("/").append(segment);
  return out.empty() ? "/" : out;
}

namespace {

// The world indexed by id, so that the apps under a group are one range:
// "/a" itself, then "/a/" up to "/a0" ('0' follows '/').
class Graph {
 public:
  explicit Graph(const DependencyWorld& world) {
    for (std::size_t i = 0; i < world.apps.size(); ++i) apps_.emplace(world.apps[i].id, &world.apps[i]);
    for (const DependencyNode& group : world.groups) groups_.emplace(group.id, &group);
  }

  bool Exists(const std::string& id) const { return id == "/" || Has(apps_, id) || Has(groups_, id); }

  // Every app at or under `id`.
  template <typename Visit>
  void AppsUnder(const std::string& id, Visit visit) const {
    if (id == "/") {
      for (const auto& [app, node] : apps_) visit(node);
      return;
    }
    if (auto it = apps_.find(id); it != apps_.end()) visit(it->second);
    for (auto it = apps_.lower_bound(id + "/"); it != apps_.end() && it->first < id + "0"; ++it) visit(it->second);
  }

  // What `app` waits for: its own dependencies and those of every explicit
  // group it is in, each group expanded to its apps.
  std::vector<const DependencyNode*> Needs(const DependencyNode& app) const {
    std::vector<std::string> wanted = app.dependencies;
    for (std::string group = ParentPath(app.id);; group = ParentPath(group)) {
      if (auto it = groups_.find(group); it != groups_.end()) {
        wanted.insert(wanted.end(), it->second->dependencies.begin(), it->second->dependencies.end());
      }
      if (group == "/") break;
    }
    std::vector<const DependencyNode*> out;
    for (const std::string& d : wanted) AppsUnder(d, [&out](const DependencyNode* n) { out.push_back(n); });
    return out;
  }

  // A path from `start` back to itself, as app ids, or empty when none.
  std::vector<std::string> CycleThrough(const DependencyNode* start) const {
    std::map<const DependencyNode*, const DependencyNode*> came_from;  // reached -> from
    std::vector<const DependencyNode*> stack{start};
    while (!stack.empty()) {
      const DependencyNode* at = stack.back();
      stack.pop_back();
      for (const DependencyNode* next : Needs(*at)) {
        if (next == start) return PathBack(came_from, start, at);
        if (came_from.emplace(next, at).second) stack.push_back(next);
      }
    }
    return {};
  }

 private:
  static bool Has(const std::map<std::string, const DependencyNode*>& nodes, const std::string& id) {
    if (nodes.count(id)) return true;
    auto it = nodes.lower_bound(id + "/");
    return it != nodes.end() && it->first < id + "0";
  }

  static std::vector<std::string> PathBack(const std::map<const DependencyNode*, const DependencyNode*>& came_from,
                                           const DependencyNode* start, const DependencyNode* last) {
    std::vector<std::string> path;
    for (const DependencyNode* n = last; n != start; n = came_from.at(n)) path.push_back(n->id);
    path.push_back(start->id);
    std::reverse(path.begin(), path.end());
    path.push_back(start->id);
    return path;
  }

  std::map<std::string, const DependencyNode*> apps_;
  std::map<std::string, const DependencyNode*> groups_;
};

Status CheckKnown(const Graph& graph, const std::vector<DependencyNode>& nodes, const std::set<std::string>& changed) {
  for (const DependencyNode& node : nodes) {
    if (!changed.count(node.id)) continue;
    for (const std::string& d : node.dependencies) {
      if (!graph.Exists(d)) {
        return Status::InvalidField("dependencies", node.id + " depends on " + d + ", which is neither an app nor a group");
      }
    }
  }
  return Status::Ok();
}

}  // namespace

Status CheckDependencies(const DependencyWorld& world, const std::set<std::string>& changed) {
  const Graph graph(world);
  REGATTA_RETURN_IF_ERROR(CheckKnown(graph, world.apps, changed));
  REGATTA_RETURN_IF_ERROR(CheckKnown(graph, world.groups, changed));
  std::set<const DependencyNode*> affected;
  for (const std::string& id : changed) graph.AppsUnder(id, [&](const DependencyNode* n) { affected.insert(n); });
  for (const DependencyNode* app : affected) {
    const std::vector<std::string> cycle = graph.CycleThrough(app);
    if (cycle.empty()) continue;
    std::string text;
    for (const std::string& id : cycle) text += (text.empty() ? "" : " -> ") + id;
    return Status::InvalidField("dependencies", "a cycle: " + text);
  }
  return Status::Ok();
}

}  // namespace regatta::domain

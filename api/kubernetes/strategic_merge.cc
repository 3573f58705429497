#include "api/kubernetes/strategic_merge.h"

namespace regatta::kube {
namespace {

bool EndsWith(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

std::string Join(const std::string& path, const std::string& key) { return path.empty() ? key : path + "." + key; }

Result<Json> Merge(const Json& original, const Json& patch, const std::string& path);

// The item of `list` whose merge key equals `item`'s; -1 when none.
long Find(const Json& list, const std::string& key, const Json& value) {
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (list[i].is_object() && list[i].contains(key) && list[i][key] == value) return static_cast<long>(i);
  }
  return -1;
}

Result<Json> MergeList(const Json& original, const Json& patch, const std::string& path) {
  const std::string key = MergeKeyOf(path);
  if (key.empty()) return patch;  // replaced whole
  Json result = original.is_array() ? original : Json::array();
  // A `{"$patch": "replace"}` item: the list becomes the patch's other items.
  for (const Json& item : patch) {
    if (item.is_object() && item.value("$patch", "") == "replace") {
      Json replaced = Json::array();
      for (const Json& other : patch) {
        if (!(other.is_object() && other.contains("$patch"))) replaced.push_back(other);
      }
      return replaced;
    }
  }
  for (const Json& item : patch) {
    if (!item.is_object() || !item.contains(key)) {
      return Status::InvalidArgument(path + ": every item of this list needs its merge key \"" + key + "\"");
    }
    const long at = Find(result, key, item[key]);
    const std::string directive = item.value("$patch", "");
    if (directive == "delete") {
      if (at >= 0) result.erase(static_cast<std::size_t>(at));
      continue;
    }
    if (!directive.empty()) return Status::InvalidArgument(path + ": unknown $patch directive \"" + directive + "\"");
    if (at < 0) {
      auto merged = Merge(Json::object(), item, path);
      if (!merged.ok()) return merged;
      result.push_back(std::move(*merged));
    } else {
      auto merged = Merge(result[static_cast<std::size_t>(at)], item, path);
      if (!merged.ok()) return merged;
      result[static_cast<std::size_t>(at)] = std::move(*merged);
    }
  }
  return result;
}

Result<Json> Merge(const Json& original, const Json& patch, const std::string& path) {
  if (!patch.is_object()) return patch;
  const std::string directive = patch.value("$patch", "");
  if (directive == "replace") {
    Json replaced = patch;
    replaced.erase("$patch");
    return replaced;
  }
  if (directive == "delete") return Json(nullptr);
  if (!directive.empty()) return Status::InvalidArgument(Join(path, "$patch") + ": unknown directive \"" + directive + "\"");
  Json result = original.is_object() ? original : Json::object();
  for (auto it = patch.begin(); it != patch.end(); ++it) {
    const std::string& k = it.key();
    if (k == "$patch" || k == "$retainKeys" || k.rfind("$setElementOrder/", 0) == 0) continue;
    static const std::string kDeleteFrom = "$deleteFromPrimitiveList/";
    if (k.rfind(kDeleteFrom, 0) == 0) {
      const std::string field = k.substr(kDeleteFrom.size());
      if (!result.contains(field) || !result[field].is_array() || !it->is_array()) continue;
      Json kept = Json::array();
      for (const Json& v : result[field]) {
        bool gone = false;
        for (const Json& d : *it) gone = gone || v == d;
        if (!gone) kept.push_back(v);
      }
      result[field] = std::move(kept);
      continue;
    }
    if (k.rfind("$", 0) == 0) return Status::InvalidArgument(Join(path, k) + ": unknown directive");
    if (it->is_null()) {
      result.erase(k);
      continue;
    }
    Result<Json> merged = it->is_array()   ? MergeList(result.contains(k) ? result[k] : Json(), *it, Join(path, k))
                          : it->is_object() ? Merge(result.contains(k) ? result[k] : Json(), *it, Join(path, k))
                                            : Result<Json>(*it);
    if (!merged.ok()) return merged;
    if (merged->is_null()) result.erase(k);
    else result[k] = std::move(*merged);
  }
  return result;
}

}  // namespace

std::string MergeKeyOf(const std::string& path) {
  if (EndsWith(path, "containers") || EndsWith(path, "initContainers") || EndsWith(path, "ephemeralContainers")) {
    return "name";
  }
  if (EndsWith(path, "containers.ports") || EndsWith(path, "initContainers.ports")) return "containerPort";
  if (path == "spec.ports") return "port";  // a Service's
  if (EndsWith(path, ".env") || EndsWith(path, "volumes") || EndsWith(path, "imagePullSecrets")) return "name";
  if (EndsWith(path, "volumeMounts")) return "mountPath";
  if (EndsWith(path, "hostAliases")) return "ip";
  if (path == "metadata.ownerReferences") return "uid";
  if (EndsWith(path, "conditions")) return "type";
  return "";
}

Result<Json> StrategicMerge(const Json& original, const Json& patch) {
  if (!patch.is_object()) return Status::InvalidArgument("a strategic merge patch must be a JSON object");
  return Merge(original, patch, "");
}

}  // namespace regatta::kube

// Kubernetes objects as their API last wrote them (KubeObjectPut,
// KubeObjectDeleted), by kind, namespace and name: what the Kubernetes API
// serves beyond the workload model, folded into the history projection.
// A Deployment's pods, replicas and versions are still the app's; here are
// its labels, annotations, selector and uid.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "events/event.h"
#include "projections/state_codec.h"
#include "projections/string_map.h"

namespace regatta::projections {

struct KubeObject {
  std::string api_version;
  std::string kind;
  std::string ns;
  std::string name;
  std::string uid;
  std::string object;  // JSON, without status or resourceVersion
  std::string app_id;  // the app it drives; empty if none
  Revision revision = 0;          // its resourceVersion: the last put
  Revision created_revision = 0;  // the put that created it
  std::int64_t created_nanos = 0; // its creationTimestamp
  bool operator==(const KubeObject&) const = default;
};

class KubeObjects {
 public:
  // Folds a KubeObjectPut or KubeObjectDeleted; other events change nothing.
  void Apply(const Event& event);

  // nullptr when there is none. Valid until the next Apply.
  const KubeObject* Find(std::string_view kind, std::string_view ns, std::string_view name) const;
  // The objects of `kind` in `ns` (every namespace when empty), by
  // namespace, then name.
  std::vector<const KubeObject*> List(std::string_view kind, std::string_view ns) const;
  // The object that drives `app_id`; nullptr when none does.
  const KubeObject* DriverOf(std::string_view app_id) const;
  std::size_t size() const { return objects_.size(); }

  void Serialize(StateWriter& w) const;
  bool Deserialize(StateReader& r);

 private:
  static std::string Key(std::string_view kind, std::string_view ns, std::string_view name);
  void Index(const std::string& key, const KubeObject& object, bool add);

  // Keyed "kind\n namespace\n name": ordered, so a kind's objects are
  // contiguous and listed in order, and snapshots are canonical.
  std::map<std::string, KubeObject, std::less<>> objects_;
  StringMap<std::string> by_app_;  // derived: app id -> key
};

}  // namespace regatta::projections

#include "projections/kube_objects.h"

namespace regatta::projections {
namespace {

std::string Text(capnp::Text::Reader text) { return std::string(text.cStr(), text.size()); }

}  // namespace

std::string KubeObjects::Key(std::string_view kind, std::string_view ns, std::string_view name) {
  std::string key(kind);
  key += '\n';
  key += ns;
  key += '\n';
  key += name;
  return key;
}

void KubeObjects::Index(const std::string& key, const KubeObject& object, bool add) {
  if (object.app_id.empty()) return;
  if (add) {
    by_app_[object.app_id] = key;
  } else if (auto it = by_app_.find(object.app_id); it != by_app_.end() && it->second == key) {
    by_app_.erase(it);
  }
}

void KubeObjects::Apply(const Event& event) {
  auto e = event.envelope.getEvent();
  if (e.isKubeObjectPut()) {
    auto put = e.getKubeObjectPut();
    const std::string key = Key(put.getKind().cStr(), put.getNamespace().cStr(), put.getName().cStr());
    auto [it, created] = objects_.try_emplace(key);
    KubeObject& o = it->second;
    if (!created) Index(key, o, false);
    if (created) {
      o.created_revision = event.revision;
      o.created_nanos = event.envelope.getTimeNanos();
    }
    o.api_version = Text(put.getApiVersion());
    o.kind = Text(put.getKind());
    o.ns = Text(put.getNamespace());
    o.name = Text(put.getName());
    o.uid = Text(put.getUid());
    o.object = Text(put.getObject());
    o.app_id = Text(put.getAppId());
    o.revision = event.revision;
    Index(key, o, true);
  } else if (e.isKubeObjectDeleted()) {
    auto deleted = e.getKubeObjectDeleted();
    auto it = objects_.find(Key(deleted.getKind().cStr(), deleted.getNamespace().cStr(), deleted.getName().cStr()));
    if (it == objects_.end()) return;
    Index(it->first, it->second, false);
    objects_.erase(it);
  }
}

const KubeObject* KubeObjects::Find(std::string_view kind, std::string_view ns, std::string_view name) const {
  auto it = objects_.find(Key(kind, ns, name));
  return it == objects_.end() ? nullptr : &it->second;
}

std::vector<const KubeObject*> KubeObjects::List(std::string_view kind, std::string_view ns) const {
  std::string prefix(kind);
  prefix += '\n';
  if (!ns.empty()) {
    prefix += ns;
    prefix += '\n';
  }
  std::vector<const KubeObject*> out;
  for (auto it = objects_.lower_bound(prefix); it != objects_.end() && it->first.compare(0, prefix.size(), prefix) == 0;
       ++it) {
    out.push_back(&it->second);
  }
  return out;
}

const KubeObject* KubeObjects::DriverOf(std::string_view app_id) const {
  auto it = by_app_.find(app_id);
  return it == by_app_.end() ? nullptr : &objects_.find(it->second)->second;
}

void KubeObjects::Serialize(StateWriter& w) const {
  w.U64(objects_.size());
  for (const auto& [key, o] : objects_) {
    w.Str(o.api_version);
    w.Str(o.kind);
    w.Str(o.ns);
    w.Str(o.name);
    w.Str(o.uid);
    w.Str(o.object);
    w.Str(o.app_id);
    w.U64(o.revision);
    w.U64(o.created_revision);
    w.I64(o.created_nanos);
  }
}

bool KubeObjects::Deserialize(StateReader& r) {
  for (std::uint64_t n = r.Count(); n > 0 && !r.failed(); --n) {
    KubeObject o;
    o.api_version = r.Str();
    o.kind = r.Str();
    o.ns = r.Str();
    o.name = r.Str();
    o.uid = r.Str();
    o.object = r.Str();
    o.app_id = r.Str();
    o.revision = r.U64();
    o.created_revision = r.U64();
    o.created_nanos = r.I64();
    const std::string key = Key(o.kind, o.ns, o.name);
    Index(key, o, true);
    objects_.insert_or_assign(key, std::move(o));
  }
  return !r.failed();
}

}  // namespace regatta::projections

#include "api/marathon/group_json.h"

#include "api/marathon/json_reader.h"
#include "events/domain/group_paths.h"

namespace regatta::marathon {
namespace {

// Fields a GET writes that a client may send back: read and ignored.
constexpr const char* kReadOnly[] = {"version", "enforceRole"};

// An app's or a nested group's id: required, resolved against `parent`.
Result<std::string> IdIn(const Json& item, const std::string& where, const std::string& parent) {
  if (!item.is_object()) return Status::InvalidField(where, "expected an object");
  auto id = item.find("id");
  if (id == item.end() || id->is_null()) return Status::InvalidField(where + "/id", "required");
  if (!id->is_string()) return Status::InvalidField(where + "/id", "expected a string");
  std::optional<std::string> resolved = domain::ResolvePath(parent, id->get<std::string>());
  if (!resolved) return Status::InvalidField(where + "/id", id->get<std::string>() + " climbs above the root group");
  return *resolved;
}

Status Prefixed(const std::string& where, const Status& s) {
  return s.ok() ? s : Status::Field(s.code(), where + (s.field() == "/" ? "" : s.field()), s.reason());
}

Status DecodeApps(const Field& f, const std::string& group_id, schema::GroupSpec::Builder group) {
  REGATTA_RETURN_IF_ERROR(f.Expect(Json::value_t::array, "an array of apps"));
  auto apps = group.initApps(static_cast<unsigned>(f.json->size()));
  for (unsigned i = 0; i < f.json->size(); ++i) {
    const Field app = f.At(i);
    auto id = IdIn(*app.json, app.Where(), group_id);
    if (!id.ok()) return id.status();
    REGATTA_RETURN_IF_ERROR(Prefixed(app.Where(), DecodeApp(*app.json, apps[i], *id)));
  }
  return Status::Ok();
}

Status DecodeTree(const Field& f, schema::GroupSpec::Builder group, const std::string& id);

Status DecodeGroups(const Field& f, const std::string& group_id, schema::GroupSpec::Builder group) {
  REGATTA_RETURN_IF_ERROR(f.Expect(Json::value_t::array, "an array of groups"));
  auto groups = group.initGroups(static_cast<unsigned>(f.json->size()));
  for (unsigned i = 0; i < f.json->size(); ++i) {
    const Field child = f.At(i);
    auto id = IdIn(*child.json, child.Where(), group_id);
    if (!id.ok()) return id.status();
    REGATTA_RETURN_IF_ERROR(DecodeTree(child, groups[i], *id));
  }
  return Status::Ok();
}

// One group's fields; its id is decided by the caller.
Status DecodeTree(const Field& f, schema::GroupSpec::Builder group, const std::string& id) {
  ObjectReader o(f);
  REGATTA_RETURN_IF_ERROR(o.status());
  group.setId(id);
  REGATTA_RETURN_IF_ERROR(o.Ignore("id"));
  REGATTA_RETURN_IF_ERROR(o.Any("apps", [&](const Field& apps) {
    group.setHasApps(true);
    return DecodeApps(apps, id, group);
  }));
  REGATTA_RETURN_IF_ERROR(o.Any("groups", [&](const Field& groups) {
    group.setHasGroups(true);
    return DecodeGroups(groups, id, group);
  }));
  REGATTA_RETURN_IF_ERROR(o.Any("dependencies", [&](const Field& d) {
    group.setHasDependencies(true);
    // Against the group itself, as Marathon resolves a group's: "../db".
    return DecodeDependencies(d, id, [&](unsigned n) { return group.initDependencies(n); });
  }));
  REGATTA_RETURN_IF_ERROR(o.Any("pods", [&](const Field& pods) {
    REGATTA_RETURN_IF_ERROR(pods.Expect(Json::value_t::array, "an array"));
    if (!pods.json->empty()) return Status::InvalidField(pods.Where(), "pods are not supported by Regatta");
    return Status::Ok();
  }));
  REGATTA_RETURN_IF_ERROR(o.Any("scaleBy", [&](const Field& s) {
    return Status::InvalidField(s.Where(), "scaleBy scales a whole group on its own: send it without other fields");
  }));
  for (const char* key : kReadOnly) REGATTA_RETURN_IF_ERROR(o.Ignore(key));
  return o.Finish();
}

}  // namespace

Status DecodeGroup(const Json& json, schema::GroupSpec::Builder group, const std::string& base, bool route_is_id) {
  const Field root{"", &json};
  if (!json.is_object()) return Status::InvalidField("/", "expected an object");
  std::string id = base;
  if (auto body_id = json.find("id"); body_id != json.end() && !body_id->is_null()) {
    if (!body_id->is_string()) return Status::InvalidField("/id", "expected a string");
    const std::string written = body_id->get<std::string>();
    std::optional<std::string> resolved =
        domain::ResolvePath(route_is_id ? domain::ParentPath(base) : base, written);
    if (route_is_id && resolved != base && domain::ResolvePath("/", written) != base) {
      return Status::InvalidField("/id", written + " is not the group this PUT names (" + base + ")");
    }
    if (!resolved) return Status::InvalidField("/id", written + " climbs above the root group");
    if (!route_is_id) id = *resolved;
  }
  return DecodeTree(root, group, id);
}

}  // namespace regatta::marathon

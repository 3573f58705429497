#include "api/kubernetes/kube_status.h"

namespace regatta::kube {
namespace {

std::string Qualified(const std::string& kind, const std::string& group) {
  return group.empty() ? kind : kind + "." + group;
}

}  // namespace

Json StatusJson(const Refusal& r) {
  Json details = Json::object();
  if (!r.name.empty()) details["name"] = r.name;
  if (!r.group.empty()) details["group"] = r.group;
  if (!r.kind.empty()) details["kind"] = r.kind;
  if (!r.causes.empty()) {
    Json causes = Json::array();
    for (const Cause& c : r.causes) causes.push_back({{"reason", c.reason}, {"message", c.message}, {"field", c.field}});
    details["causes"] = std::move(causes);
  }
  Json status = {{"kind", "Status"}, {"apiVersion", "v1"}, {"metadata", Json::object()}, {"status", "Failure"},
                 {"message", r.message}, {"reason", r.reason}};
  if (!details.empty()) status["details"] = std::move(details);
  status["code"] = r.code;
  return status;
}

Refusal Invalid(const std::string& kind, const std::string& group, const std::string& name,
                std::vector<Cause> causes) {
  Refusal r{422, "Invalid", "", kind, group, name, std::move(causes)};
  std::string list;
  for (const Cause& c : r.causes) {
    if (!list.empty()) list += ", ";
    list += c.field + ": " + c.message;
  }
  r.message = Qualified(kind, group) + " \"" + name + "\" is invalid: " + (r.causes.size() > 1 ? "[" + list + "]" : list);
  return r;
}

Refusal StrictDecoding(const std::string& kind, const std::string& version, const std::vector<std::string>& unknown) {
  std::string list;
  for (const std::string& field : unknown) {
    if (!list.empty()) list += ", ";
    list += "unknown field \"" + field + "\"";
  }
  return {400, "BadRequest",
          kind + " in version \"" + version + "\" cannot be handled as a " + kind + ": strict decoding error: " + list,
          "", "", "", {}};
}

Refusal BadRequest(const std::string& message) { return {400, "BadRequest", message, "", "", "", {}}; }

Refusal NotFound(const std::string& resource, const std::string& group, const std::string& name) {
  return {404, "NotFound", Qualified(resource, group) + " \"" + name + "\" not found", resource, group, name, {}};
}

Refusal MethodNotAllowed(const std::string& message) { return {405, "MethodNotAllowed", message, "", "", "", {}}; }

Refusal RefusalOf(const Status& status, const std::string& resource, const std::string& group,
                  const std::string& name) {
  switch (status.code()) {
    case StatusCode::kNotFound: return NotFound(resource, group, name);
    case StatusCode::kConflict:
      if (status.field() == "metadata.name") {
        return {409, "AlreadyExists", Qualified(resource, group) + " \"" + name + "\" already exists", resource, group,
                name, {}};
      }
      return {409, "Conflict", status.reason(), resource, group, name, {}};
    case StatusCode::kFailedPrecondition: return {409, "Conflict", status.reason(), resource, group, name, {}};
    case StatusCode::kInvalidArgument:
      return Invalid(resource, group, name, {{status.field().empty() ? "body" : status.field(), status.reason()}});
    case StatusCode::kUnavailable: return {503, "ServiceUnavailable", status.reason(), resource, group, name, {}};
    default: return {500, "InternalError", status.message(), resource, group, name, {}};
  }
}

}  // namespace regatta::kube

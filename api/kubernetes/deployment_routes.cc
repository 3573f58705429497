// apps/v1 Deployments: list, get, create, replace, patch, delete, and the
// scale subresource. A Deployment is its object (KubeObjectPut) and its
// app /<namespace>/<name>: a template change is a new version of the app,
// a replicas change a scale, anything else the object alone.
#include <capnp/message.h>
#include <capnp/serialize.h>

#include "api/kubernetes/deployment_model.h"
#include "api/kubernetes/kube_routes.h"
#include "api/kubernetes/kube_shapes.h"
#include "api/kubernetes/kube_views.h"
#include "events/base/clock.h"
#include "events/domain/app_definition.h"

namespace regatta::kube {
namespace {

constexpr const char* kKind = "Deployment";
constexpr const char* kApiVersion = "apps/v1";

// The object as stored: no status, and none of the metadata the log owns.
Json Stored(Json d, long long generation) {
  d.erase("status");
  Json& m = d["metadata"];
  for (const char* owned : {"uid", "resourceVersion", "creationTimestamp", "managedFields", "selfLink", "namespace",
                            "generateName", "deletionTimestamp"}) {
    m.erase(owned);
  }
  m["generation"] = generation;
  return d;
}

Json WithoutStatus(Json d) {
  d.erase("status");
  return d;
}

std::string Canonical(schema::AppSpec::Reader spec) {
  auto words = capnp::canonicalize(spec);
  auto bytes = words.asBytes();
  return std::string(reinterpret_cast<const char*>(bytes.begin()), bytes.size());
}

// Whether `spec` is the app's current definition but for its instances.
bool SameDefinition(const domain::AppDefinition& app, schema::AppSpec::Reader spec) {
  capnp::MallocMessageBuilder copy;
  copy.setRoot(spec);
  auto root = copy.getRoot<schema::AppSpec>();
  root.setInstances(app.spec->root().getInstances());
  return Canonical(root.asReader()) == Canonical(app.spec->root());
}

std::optional<Revision> RevisionOf(Json d) {  // a copy: a const Json's [] must not miss
  const Json rv = d["metadata"]["resourceVersion"];
  if (!rv.is_string()) return std::nullopt;
  const std::string text = rv.get<std::string>();
  if (text.empty() || text.size() > 19 || text.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  return std::stoull(text);
}

// What a write does to the app besides the object.
enum class AppChange { kNone, kDefine, kScale };

Json ScaleOf(Json d) {  // a copy: a const Json's [] must not miss
  std::string selector;
  for (auto it = d["spec"]["selector"]["matchLabels"].begin(); it != d["spec"]["selector"]["matchLabels"].end(); ++it) {
    if (!selector.empty()) selector += ",";
    selector += it.key() + "=" + (it->is_string() ? it->get<std::string>() : it->dump());
  }
  const Json& m = d["metadata"];
  return {{"kind", "Scale"},
          {"apiVersion", "autoscaling/v1"},
          {"metadata", {{"name", m["name"]}, {"namespace", m["namespace"]}, {"uid", m["uid"]},
                        {"resourceVersion", m["resourceVersion"]}, {"creationTimestamp", m["creationTimestamp"]}}},
          {"spec", {{"replicas", d["spec"].value("replicas", 1)}}},
          {"status", {{"replicas", d["status"].value("replicas", 0)}, {"selector", selector}}}};
}

}  // namespace

void KubeApi::Impl::Deployments(const http::Request& r, const ExchangePtr& ex, const ResourcePath& path) {
  if (path.name.empty()) {
    if (r.method == "GET") return ListDeployments(r, ex, path);
    if (r.method == "POST") {
      if (path.ns.empty()) return Refuse(ex, BadRequest("a Deployment is created in a namespace: POST /apis/apps/v1/namespaces/{namespace}/deployments"));
      auto body = DecodeBody(r.body, r.Header("content-type"));
      if (!body.ok()) return Refuse(ex, BadRequest(body.status().message()));
      return WriteDeployment(r, ex, path, std::move(*body), true);
    }
    return Refuse(ex, MethodNotAllowed("deployments take GET and POST"));
  }
  if (path.ns.empty()) return Refuse(ex, NotFound("deployments", "apps", path.name));
  if (path.sub == "scale") return Scale(r, ex, path);
  if (!path.sub.empty() && path.sub != "status") {
    return Refuse(ex, {404, "NotFound", "deployments have no subresource " + path.sub, "", "", "", {}});
  }
  if (r.method == "GET") return GetDeployment(r, ex, path);
  if (path.sub == "status") return Refuse(ex, MethodNotAllowed("the status of a Deployment is Regatta's to write"));
  if (r.method == "PUT") {
    auto body = DecodeBody(r.body, r.Header("content-type"));
    if (!body.ok()) return Refuse(ex, BadRequest(body.status().message()));
    return WriteDeployment(r, ex, path, std::move(*body), false);
  }
  if (r.method == "PATCH") return PatchDeployment(r, ex, path);
  if (r.method == "DELETE") return DeleteDeployment(r, ex, path);
  Refuse(ex, MethodNotAllowed("a Deployment takes GET, PUT, PATCH and DELETE"));
}

void KubeApi::Impl::ListDeployments(const http::Request& r, const ExchangePtr& ex, const ResourcePath& path) {
  ListFilter filter;
  if (!ListFilterOf(r, ex, "Deployments", filter)) return;
  std::vector<Json> items;
  for (const projections::KubeObject* o : view().history().kube().List(kKind, path.ns)) {
    Json d = RenderDeployment(view(), *o);
    if (!filter.Matches(d)) continue;
    items.push_back(std::move(d));
  }
  ReplyList(r, ex, TableKind::kDeployments, kApiVersion, "DeploymentList", std::move(items));
}

void KubeApi::Impl::GetDeployment(const http::Request& r, const ExchangePtr& ex, const ResourcePath& path) {
  const projections::KubeObject* o = view().history().kube().Find(kKind, path.ns, path.name);
  if (o == nullptr) return Refuse(ex, NotFound("deployments", "apps", path.name));
  ReplyObject(r, ex, TableKind::kDeployments, RenderDeployment(view(), *o));
}

void KubeApi::Impl::WriteDeployment(const http::Request& r, const ExchangePtr& ex, const ResourcePath& path,
                                    Json body, bool create) {
  const WriteOptions options = OptionsOf(r);
  if (!body.is_object()) return Refuse(ex, BadRequest("a Deployment must be a JSON object"));
  const std::string kind = body.value("kind", kKind);
  const std::string api_version = body.value("apiVersion", kApiVersion);
  if (kind != kKind) return Refuse(ex, BadRequest("the kind in the data (" + kind + ") is not Deployment"));
  if (api_version != kApiVersion) {
    return Refuse(ex, BadRequest("the API version in the data (" + api_version + ") does not match the expected API version (apps/v1)"));
  }
  std::vector<std::string> warnings;
  const std::vector<std::string> unknown = UnknownFields(body, KindShape::kDeployment);
  if (!unknown.empty() && options.validation == "Strict") return Refuse(ex, StrictDecoding(kKind, "v1", unknown));
  if (!unknown.empty() && options.validation != "Ignore") {
    for (const std::string& field : unknown) warnings.push_back("unknown field \"" + field + "\"");
  }
  DropUnknownFields(body, KindShape::kDeployment);
  if (!body["metadata"].is_object()) body["metadata"] = Json::object();
  const std::string body_ns = body["metadata"].value("namespace", "");
  if (!body_ns.empty() && body_ns != path.ns) {
    return Refuse(ex, BadRequest("the namespace of the provided object (" + body_ns +
                                 ") does not match the namespace sent on the request (" + path.ns + ")"));
  }
  const std::string name = body["metadata"].value("name", create ? "" : path.name);
  if (!create && name != path.name) {
    return Refuse(ex, BadRequest("the name of the object (" + name + ") does not match the name on the URL (" + path.name + ")"));
  }
  body["metadata"]["name"] = name;
  DeploymentCheck check = CheckDeployment(body);
  if (!check.causes.empty()) return Refuse(ex, Invalid("Deployment", "apps", name, std::move(check.causes)));
  warnings.insert(warnings.end(), check.warnings.begin(), check.warnings.end());

  const projections::KubeObject* existing = view().history().kube().Find(kKind, path.ns, name);
  if (!create && existing == nullptr) return Refuse(ex, NotFound("deployments", "apps", name));
  long long generation = 1;
  if (existing != nullptr) {
    Json old = Json::parse(existing->object, nullptr, false);
    generation = old["metadata"].value("generation", 1);
    if (!old.is_object() || Json(old["spec"]) != body["spec"]) ++generation;
  }
  const std::string app_id = AppIdOf(path.ns, name);
  const std::string hash = TemplateHash(CanonicalTemplate(body));
  auto spec_message = std::make_shared<capnp::MallocMessageBuilder>();
  auto spec = spec_message->initRoot<schema::AppSpec>();
  BuildAppSpec(body, app_id, spec);
  {
    // The pods carry the template's labels and its hash, as a ReplicaSet's do.
    domain::Attributes labels = domain::PairsOf(spec.asReader().getLabels());
    labels.emplace_back("pod-template-hash", hash);
    domain::ToSchema(spec.initLabels(static_cast<unsigned>(labels.size())), labels);
  }
  const domain::AppDefinition* app = view().history().Current(app_id);
  const std::uint32_t replicas = spec.getInstances();
  AppChange change = AppChange::kNone;
  if (app == nullptr || !SameDefinition(*app, spec.asReader())) change = AppChange::kDefine;
  else if (app->instances != replicas) change = AppChange::kScale;

  const Json stored = Stored(body, generation);
  const std::string uid = existing != nullptr ? existing->uid : NewUuid();
  if (options.dry_run) {
    Json preview = stored;
    preview["metadata"]["namespace"] = path.ns;
    preview["metadata"]["uid"] = uid;
    if (existing != nullptr) preview["metadata"]["resourceVersion"] = std::to_string(existing->revision);
    return Reply(ex, create ? 201 : 200, preview, warnings);
  }
  Write(ex, {path.group, path.version, path.ns, "deployments", name, ""}, options, RevisionOf(body), create,
        [&](protocol::KubeWrite::Builder w) {
          auto object = w.initObject();
          object.setApiVersion(kApiVersion);
          object.setKind(kKind);
          object.setNamespace(path.ns);
          object.setName(name);
          object.setUid(uid);
          object.setObject(stored.dump());
          object.setAppId(app_id);
          if (change == AppChange::kDefine) w.getApp().setDefine(spec.asReader());
          else if (change == AppChange::kScale) w.getApp().setScale(replicas);
        },
        [this, ex, ns = path.ns, name, create, warnings, scale = path.sub == "scale"](Revision) {
          const projections::KubeObject* o = view().history().kube().Find(kKind, ns, name);
          if (o == nullptr) return Refuse(ex, NotFound("deployments", "apps", name));
          Json d = RenderDeployment(view(), *o);
          Reply(ex, create ? 201 : 200, scale ? ScaleOf(d) : d, warnings);
        });
}

void KubeApi::Impl::PatchDeployment(const http::Request& r, const ExchangePtr& ex, const ResourcePath& path) {
  const std::string type = r.Header("content-type");
  const projections::KubeObject* o = view().history().kube().Find(kKind, path.ns, path.name);
  if (o == nullptr) {
    // Server-side apply creates what is not there yet.
    if (type.find("apply-patch") == std::string::npos) return Refuse(ex, NotFound("deployments", "apps", path.name));
    auto body = DecodeBody(r.body, type);
    if (!body.ok()) return Refuse(ex, BadRequest(body.status().message()));
    return WriteDeployment(r, ex, path, std::move(*body), true);
  }
  auto patched = ApplyPatch(WithoutStatus(RenderDeployment(view(), *o)), r.body, type);
  if (!patched.ok()) {
    const int code = patched.status().field() == "Content-Type" ? 415 : 400;
    return Refuse(ex, {code, code == 415 ? "UnsupportedMediaType" : "BadRequest", patched.status().message(), "", "", "", {}});
  }
  WriteDeployment(r, ex, path, std::move(*patched), false);
}

void KubeApi::Impl::DeleteDeployment(const http::Request& r, const ExchangePtr& ex, const ResourcePath& path) {
  const projections::KubeObject* o = view().history().kube().Find(kKind, path.ns, path.name);
  if (o == nullptr) return Refuse(ex, NotFound("deployments", "apps", path.name));
  const WriteOptions options = OptionsOf(r);
  Json last = RenderDeployment(view(), *o);
  if (options.dry_run) return Reply(ex, 200, last);
  const std::string app_id = o->app_id;
  Write(ex, path, options, std::nullopt, false,
        [&](protocol::KubeWrite::Builder w) {
          auto object = w.initObject();
          object.setApiVersion(kApiVersion);
          object.setKind(kKind);
          object.setNamespace(path.ns);
          object.setName(path.name);
          object.setAppId(app_id);
          w.setDelete(true);
          w.getApp().setRemove();
        },
        [this, ex, last](Revision) { Reply(ex, 200, last); });
}

void KubeApi::Impl::Scale(const http::Request& r, const ExchangePtr& ex, const ResourcePath& path) {
  const projections::KubeObject* o = view().history().kube().Find(kKind, path.ns, path.name);
  if (o == nullptr) return Refuse(ex, NotFound("deployments", "apps", path.name));
  Json d = RenderDeployment(view(), *o);
  if (r.method == "GET") return Reply(ex, 200, ScaleOf(d));
  if (r.method != "PUT" && r.method != "PATCH") return Refuse(ex, MethodNotAllowed("scale takes GET, PUT and PATCH"));
  Result<Json> scale = r.method == "PUT" ? DecodeBody(r.body, r.Header("content-type"))
                                         : ApplyPatch(ScaleOf(d), r.body, r.Header("content-type"));
  if (!scale.ok()) return Refuse(ex, BadRequest(scale.status().message()));
  const Json& replicas = (*scale)["spec"]["replicas"];
  if (!replicas.is_number_integer() || replicas.get<long long>() < 0) {
    return Refuse(ex, Invalid("Scale", "autoscaling", path.name, {{"spec.replicas", "Invalid value: " + replicas.dump() + ": must be greater than or equal to 0"}}));
  }
  d = WithoutStatus(std::move(d));
  d["spec"]["replicas"] = replicas;
  WriteDeployment(r, ex, path, std::move(d), false);
}

}  // namespace regatta::kube

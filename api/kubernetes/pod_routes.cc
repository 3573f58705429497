// v1 Pods (an app's tasks, read-only here; kubectl delete pod kills the
// task) and v1 Namespaces (app-id prefixes, and those created by name).
#include "api/kubernetes/kube_routes.h"
#include "api/kubernetes/kube_shapes.h"
#include "api/kubernetes/kube_views.h"
#include "actors/protocol/codec.h"

namespace regatta::kube {

void KubeApi::Impl::Pods(const http::Request& r, const ExchangePtr& ex, const ResourcePath& path) {
  if (!path.sub.empty()) {
    return Refuse(ex, {404, "NotFound", "pods/" + path.sub + " is not served yet", "pods", "", path.name, {}});
  }
  if (path.name.empty()) {
    if (r.method != "GET") return Refuse(ex, MethodNotAllowed("pods are made by Deployments: the collection takes GET"));
    ListFilter filter;
    if (!ListFilterOf(r, ex, "pods", filter)) return;
    std::vector<Json> items;
    for (Json& pod : RenderPods(view(), path.ns)) {
      if (filter.Matches(pod)) items.push_back(std::move(pod));
    }
    return ReplyList(r, ex, TableKind::kPods, "v1", "PodList", std::move(items));
  }
  Json pod = RenderPod(view(), path.ns, path.name);
  if (pod.is_null()) return Refuse(ex, NotFound("pods", "", path.name));
  if (r.method == "GET") return ReplyObject(r, ex, TableKind::kPods, std::move(pod));
  if (r.method != "DELETE") return Refuse(ex, MethodNotAllowed("a pod takes GET and DELETE"));
  if (OptionsOf(r).dry_run) return Reply(ex, 200, pod);
  // Its Deployment starts another, as a ReplicaSet would.
  capnp::MallocMessageBuilder message;
  auto command = message.initRoot<protocol::ClientMessage>();
  command.setPrincipal(OptionsOf(r).principal);
  command.setReason("kubectl delete pod");
  command.setKillTask(path.name);
  commander.Send(protocol::Flatten(message), [this, ex, pod, path](api::CommandReply reply) {
    if (ex->done()) return;
    if (!reply.status.ok()) return Refuse(ex, RefusalOf(reply.status, "pods", "", path.name));
    Reply(ex, 200, pod);
  });
}

void KubeApi::Impl::Namespaces(const http::Request& r, const ExchangePtr& ex, const ResourcePath& path) {
  const std::vector<std::string> names = NamespaceNames(view());
  const bool exists = std::find(names.begin(), names.end(), path.name) != names.end();
  if (path.name.empty() && r.method == "GET") {
    std::vector<Json> items;
    for (const std::string& name : names) items.push_back(RenderNamespace(name));
    return ReplyList(r, ex, TableKind::kNamespaces, "v1", "NamespaceList", std::move(items));
  }
  if (!path.name.empty() && r.method == "GET") {
    if (!exists) return Refuse(ex, NotFound("namespaces", "", path.name));
    return ReplyObject(r, ex, TableKind::kNamespaces, RenderNamespace(path.name));
  }
  if (path.name.empty() && r.method == "POST") {
    auto body = DecodeBody(r.body, r.Header("content-type"));
    if (!body.ok()) return Refuse(ex, BadRequest(body.status().message()));
    const WriteOptions options = OptionsOf(r);
    const std::vector<std::string> unknown = UnknownFields(*body, KindShape::kNamespace);
    if (!unknown.empty() && options.validation == "Strict") return Refuse(ex, StrictDecoding("Namespace", "v1", unknown));
    const std::string name = (*body)["metadata"].value("name", "");
    if (name.empty()) return Refuse(ex, Invalid("Namespace", "", name, {{"metadata.name", "Required value", "FieldValueRequired"}}));
    if (exists) return Refuse(ex, {409, "AlreadyExists", "namespaces \"" + name + "\" already exists", "namespaces", "", name, {}});
    if (options.dry_run) return Reply(ex, 201, RenderNamespace(name));
    return Write(ex, {"", "v1", "", "namespaces", name, ""}, options, std::nullopt, true,
                 [&](protocol::KubeWrite::Builder w) {
                   auto object = w.initObject();
                   object.setApiVersion("v1");
                   object.setKind("Namespace");
                   object.setName(name);
                   object.setUid(NewUuid());
                   object.setObject(Json{{"metadata", {{"name", name}}}}.dump());
                 },
                 [this, ex, name](Revision) { Reply(ex, 201, RenderNamespace(name)); });
  }
  Refuse(ex, MethodNotAllowed("namespaces take GET and POST; a namespace goes when its apps do"));
}

}  // namespace regatta::kube

// What kubectl asks before anything else: the version, the groups, the
// resources of each group version, and an OpenAPI v3 document good enough
// for its validation (it then leaves validation to the server, sending
// fieldValidation=Strict). ../shared/ENGINEERING.md records what it sends.
#include "api/kubernetes/kube_routes.h"

namespace regatta::kube {
namespace {

// Bumped when a document below changes, so kubectl's cache refetches it.
constexpr const char* kDocumentHash = "regatta-12a";

Json Resource(const std::string& name, const std::string& singular, bool namespaced, const std::string& kind,
              std::vector<std::string> verbs, std::vector<std::string> short_names = {}, bool in_all = false) {
  Json r = {{"name", name}, {"singularName", singular}, {"namespaced", namespaced}, {"kind", kind}, {"verbs", verbs}};
  if (!short_names.empty()) r["shortNames"] = short_names;
  if (in_all) r["categories"] = {"all"};
  return r;
}

Json CoreResources() {
  return {{"kind", "APIResourceList"},
          {"groupVersion", "v1"},
          {"resources",
           {Resource("namespaces", "namespace", false, "Namespace", {"create", "delete", "get", "list"}, {"ns"}),
            Resource("pods", "pod", true, "Pod", {"get", "list"}, {"po"}, true)}}};
}

Json AppsResources() {
  Json scale = Resource("deployments/scale", "", true, "Scale", {"get", "patch", "update"});
  scale["group"] = "autoscaling";
  scale["version"] = "v1";
  return {{"kind", "APIResourceList"},
          {"groupVersion", "apps/v1"},
          {"resources",
           {Resource("deployments", "deployment", true, "Deployment",
                     {"create", "delete", "get", "list", "patch", "update"}, {"deploy"}, true),
            scale, Resource("deployments/status", "", true, "Deployment", {"get"})}}};
}

Json Group(const std::string& name, const std::string& version) {
  Json gv = {{"groupVersion", name + "/" + version}, {"version", version}};
  return {{"name", name}, {"versions", {gv}}, {"preferredVersion", gv}};
}

// One patch operation per kind: what kubectl's validation looks for.
Json PatchOperation(const std::string& group, const std::string& kind) {
  return {{"patch",
           {{"parameters", {{{"name", "fieldValidation"}, {"in", "query"}, {"schema", {{"type", "string"}}}}}},
            {"responses", {{"200", {{"description", "OK"}}}}},
            {"x-kubernetes-group-version-kind", {{"group", group}, {"version", "v1"}, {"kind", kind}}}}}};
}

Json OpenApiDocument(const Json& paths) {
  return {{"openapi", "3.0.0"},
          {"info", {{"title", "Kubernetes (Regatta)"}, {"version", "v1.32.0"}}},
          {"paths", paths},
          {"components", {{"schemas", Json::object()}}}};
}

}  // namespace

bool KubeApi::Impl::Discovery(const http::Request& r, const ExchangePtr& ex) {
  const std::string& p = r.path;
  if (r.method != "GET" && (p == "/version" || p == "/api" || p == "/apis" || p.rfind("/openapi", 0) == 0)) {
    Refuse(ex, MethodNotAllowed("discovery takes GET"));
    return true;
  }
  if (p == "/version") {
    Reply(ex, 200, {{"major", "1"}, {"minor", "32"}, {"gitVersion", "v1.32.0-regatta"}, {"gitCommit", ""},
                    {"gitTreeState", "clean"}, {"buildDate", "2026-12-01T00:00:00Z"}, {"goVersion", "go1.23"},
                    {"compiler", "gc"}, {"platform", "linux/amd64"}});
  } else if (p == "/api") {
    Reply(ex, 200, {{"kind", "APIVersions"}, {"versions", {"v1"}},
                    {"serverAddressByClientCIDRs", {{{"clientCIDR", "0.0.0.0/0"}, {"serverAddress", options.advertised}}}}});
  } else if (p == "/apis") {
    Reply(ex, 200, {{"kind", "APIGroupList"}, {"apiVersion", "v1"}, {"groups", {Group("apps", "v1")}}});
  } else if (p == "/apis/apps") {
    Json group = Group("apps", "v1");
    group["kind"] = "APIGroup";
    group["apiVersion"] = "v1";
    Reply(ex, 200, group);
  } else if (p == "/api/v1") {
    Reply(ex, 200, CoreResources());
  } else if (p == "/apis/apps/v1") {
    Reply(ex, 200, AppsResources());
  } else if (p == "/openapi/v3") {
    Reply(ex, 200, {{"paths", {{"api/v1", {{"serverRelativeURL", std::string("/openapi/v3/api/v1?hash=") + kDocumentHash}}},
                              {"apis/apps/v1", {{"serverRelativeURL", std::string("/openapi/v3/apis/apps/v1?hash=") + kDocumentHash}}}}}});
  } else if (p == "/openapi/v3/api/v1") {
    Reply(ex, 200, OpenApiDocument({{"/api/v1/namespaces/{name}", PatchOperation("", "Namespace")}}));
  } else if (p == "/openapi/v3/apis/apps/v1") {
    Reply(ex, 200, OpenApiDocument({{"/apis/apps/v1/namespaces/{namespace}/deployments/{name}",
                                     PatchOperation("apps", "Deployment")}}));
  } else {
    return false;
  }
  return true;
}

}  // namespace regatta::kube

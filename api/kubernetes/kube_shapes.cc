#include "api/kubernetes/kube_shapes.h"

#include <map>
#include <memory>

namespace regatta::kube {
namespace {

// A field's shape: any value, an object with these fields, a map of any
// keys (labels), or a list of one shape.
struct Shape {
  enum class Kind { kAny, kObject, kMap, kList } kind = Kind::kAny;
  std::map<std::string, const Shape*> fields;  // kObject
  const Shape* item = nullptr;                 // kList
};

const Shape* Any() {
  static const Shape any;
  return &any;
}
const Shape* Map() {
  static const Shape map{Shape::Kind::kMap, {}, nullptr};
  return &map;
}
const Shape* ListOf(const Shape* item) {
  static std::map<const Shape*, std::unique_ptr<Shape>> lists;
  auto& list = lists[item];
  if (!list) list = std::make_unique<Shape>(Shape{Shape::Kind::kList, {}, item});
  return list.get();
}
const Shape* Object(std::map<std::string, const Shape*> fields) {
  static std::vector<std::unique_ptr<Shape>> objects;
  objects.push_back(std::make_unique<Shape>(Shape{Shape::Kind::kObject, std::move(fields), nullptr}));
  return objects.back().get();
}

const Shape* ObjectMeta() {
  static const Shape* meta = Object({{"name", Any()}, {"namespace", Any()}, {"labels", Map()},
                                     {"annotations", Map()}, {"uid", Any()}, {"resourceVersion", Any()},
                                     {"generation", Any()}, {"creationTimestamp", Any()}, {"generateName", Any()},
                                     {"finalizers", Any()}, {"ownerReferences", Any()}, {"managedFields", Any()},
                                     {"deletionTimestamp", Any()}, {"deletionGracePeriodSeconds", Any()},
                                     {"selfLink", Any()}});
  return meta;
}

const Shape* Probe() {
  static const Shape* probe = Object(
      {{"httpGet", Object({{"path", Any()}, {"port", Any()}, {"host", Any()}, {"scheme", Any()},
                           {"httpHeaders", Any()}})},
       {"tcpSocket", Object({{"port", Any()}, {"host", Any()}})},
       {"exec", Object({{"command", Any()}})},
       {"grpc", Any()},
       {"initialDelaySeconds", Any()},
       {"periodSeconds", Any()},
       {"timeoutSeconds", Any()},
       {"successThreshold", Any()},
       {"failureThreshold", Any()},
       {"terminationGracePeriodSeconds", Any()}});
  return probe;
}

const Shape* Container() {
  static const Shape* container = Object(
      {{"name", Any()},
       {"image", Any()},
       {"command", Any()},
       {"args", Any()},
       {"workingDir", Any()},
       {"env", ListOf(Object({{"name", Any()}, {"value", Any()}, {"valueFrom", Any()}}))},
       {"envFrom", Any()},
       {"ports", ListOf(Object({{"containerPort", Any()}, {"name", Any()}, {"protocol", Any()},
                                {"hostPort", Any()}, {"hostIP", Any()}}))},
       {"resources", Object({{"requests", Map()}, {"limits", Map()}, {"claims", Any()}})},
       {"livenessProbe", Probe()},
       {"readinessProbe", Probe()},
       {"startupProbe", Probe()},
       {"imagePullPolicy", Any()},
       {"volumeMounts", Any()},
       {"terminationMessagePath", Any()},
       {"terminationMessagePolicy", Any()},
       {"securityContext", Any()},
       {"lifecycle", Any()},
       {"stdin", Any()},
       {"tty", Any()}});
  return container;
}

const Shape* PodSpec() {
  static const Shape* pod = Object(
      {{"containers", ListOf(Container())}, {"initContainers", Any()}, {"restartPolicy", Any()},
       {"terminationGracePeriodSeconds", Any()}, {"dnsPolicy", Any()}, {"schedulerName", Any()},
       {"securityContext", Any()}, {"nodeSelector", Map()}, {"volumes", Any()}, {"serviceAccountName", Any()},
       {"serviceAccount", Any()}, {"hostname", Any()}, {"subdomain", Any()}, {"affinity", Any()},
       {"tolerations", Any()}, {"imagePullSecrets", Any()}, {"activeDeadlineSeconds", Any()},
       {"priorityClassName", Any()}, {"hostNetwork", Any()}, {"enableServiceLinks", Any()}});
  return pod;
}

const Shape* DeploymentShape() {
  static const Shape* deployment = Object(
      {{"apiVersion", Any()},
       {"kind", Any()},
       {"metadata", ObjectMeta()},
       {"spec", Object({{"replicas", Any()},
                        {"selector", Object({{"matchLabels", Map()}, {"matchExpressions", Any()}})},
                        {"template", Object({{"metadata", ObjectMeta()}, {"spec", PodSpec()}})},
                        {"strategy", Object({{"type", Any()},
                                             {"rollingUpdate", Object({{"maxSurge", Any()}, {"maxUnavailable", Any()}})}})},
                        {"minReadySeconds", Any()},
                        {"revisionHistoryLimit", Any()},
                        {"paused", Any()},
                        {"progressDeadlineSeconds", Any()}})},
       {"status", Any()}});
  return deployment;
}

const Shape* NamespaceShape() {
  static const Shape* ns = Object({{"apiVersion", Any()}, {"kind", Any()}, {"metadata", ObjectMeta()},
                                   {"spec", Any()}, {"status", Any()}});
  return ns;
}

const Shape* ShapeOf(KindShape kind) {
  switch (kind) {
    case KindShape::kDeployment: return DeploymentShape();
    case KindShape::kNamespace: return NamespaceShape();
  }
  return Any();
}

std::string Join(const std::string& path, const std::string& field) { return path.empty() ? field : path + "." + field; }

// Walks `value` against `shape`, reporting (and with `drop`, removing) what
// the shape does not have.
void Walk(Json& value, const Shape* shape, const std::string& path, bool drop, std::vector<std::string>& unknown) {
  switch (shape->kind) {
    case Shape::Kind::kAny:
    case Shape::Kind::kMap: return;
    case Shape::Kind::kList:
      if (!value.is_array()) return;
      for (std::size_t i = 0; i < value.size(); ++i) {
        Walk(value[i], shape->item, path + "[" + std::to_string(i) + "]", drop, unknown);
      }
      return;
    case Shape::Kind::kObject: {
      if (!value.is_object()) return;
      std::vector<std::string> gone;
      for (auto it = value.begin(); it != value.end(); ++it) {
        auto field = shape->fields.find(it.key());
        if (field == shape->fields.end()) {
          unknown.push_back(Join(path, it.key()));
          gone.push_back(it.key());
          continue;
        }
        Walk(it.value(), field->second, Join(path, it.key()), drop, unknown);
      }
      if (drop) {
        for (const std::string& key : gone) value.erase(key);
      }
      return;
    }
  }
}

}  // namespace

std::vector<std::string> UnknownFields(const Json& object, KindShape kind) {
  std::vector<std::string> unknown;
  Json copy = object;
  Walk(copy, ShapeOf(kind), "", false, unknown);
  return unknown;
}

void DropUnknownFields(Json& object, KindShape kind) {
  std::vector<std::string> unknown;
  Walk(object, ShapeOf(kind), "", true, unknown);
}

}  // namespace regatta::kube

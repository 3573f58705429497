#include "api/kubernetes/kube_views.h"

#include <algorithm>
#include <map>
#include <set>

#include "api/kubernetes/deployment_model.h"
#include "events/base/time_format.h"
#include "events/domain/app_definition.h"
#include "events/domain/task_state.h"

namespace regatta::kube {
namespace {

using projections::ProjectionSet;

std::string Trim(const std::string& s) {
  const auto begin = s.find_first_not_of(' ');
  const auto end = s.find_last_not_of(' ');
  return begin == std::string::npos ? "" : s.substr(begin, end - begin + 1);
}

std::vector<std::string> Split(const std::string& text, char by) {
  std::vector<std::string> out;
  std::string part;
  for (char ch : text) {
    if (ch == by) {
      out.push_back(part);
      part.clear();
    } else {
      part += ch;
    }
  }
  out.push_back(part);
  return out;
}

// "/default/web" -> {"default", "web"}; apps deeper or shallower are no
// namespace's Deployment.
std::optional<std::pair<std::string, std::string>> NamespaceAndName(const std::string& app_id) {
  const auto parts = Split(app_id.substr(app_id.empty() ? 0 : 1), '/');
  if (parts.size() != 2 || parts[0].empty() || parts[1].empty()) return std::nullopt;
  return std::make_pair(parts[0], parts[1]);
}

Json LabelsOf(const domain::Attributes& labels) {
  Json out = Json::object();
  for (const auto& [k, v] : labels) out[k] = v;
  return out;
}

// The labels of one version of an app, as its spec wrote them.
Json VersionLabels(const ProjectionSet& view, const std::string& app_id, const std::string& version) {
  const projections::AppChange* change = view.history().DefinedVersion(app_id, version);
  if (change == nullptr) return Json::object();
  auto spec = domain::FlatSpec::FromBytes(change->spec);
  if (!spec.ok()) return Json::object();
  return LabelsOf(domain::PairsOf((*spec)->root().getLabels()));
}

const projections::DeploymentRecord* LastDeployment(const ProjectionSet& view, const std::string& app_id) {
  const projections::DeploymentRecord* last = nullptr;
  for (const auto& [id, d] : view.history().deployments()) {
    if (std::find(d.apps.begin(), d.apps.end(), app_id) == d.apps.end()) continue;
    if (last == nullptr || d.started.revision > last->started.revision) last = &d;
  }
  return last;
}

Json Condition(const std::string& type, bool status, const std::string& reason, const std::string& message,
               std::int64_t at) {
  return {{"type", type}, {"status", status ? "True" : "False"}, {"lastUpdateTime", KubeTime(at)},
          {"lastTransitionTime", KubeTime(at)}, {"reason", reason}, {"message", message}};
}

Json DeploymentStatus(const ProjectionSet& view, const Json& d, const projections::KubeObject& object) {
  const domain::AppDefinition* app = view.history().Current(object.app_id);
  const long long wanted = d["spec"].value("replicas", 1);
  long long replicas = 0, updated = 0, ready = 0;
  std::int64_t changed = object.created_nanos;
  for (const std::string& id : view.scheduling().TaskIdsOf(object.app_id)) {
    const projections::TaskInfo& t = view.scheduling().tasks().find(id)->second;
    if (t.state == schema::TaskState::KILLING) continue;
    ++replicas;
    if (app != nullptr && t.app_version == app->version) ++updated;
    if (t.ready) ++ready;
    changed = std::max(changed, t.updated_nanos);
  }
  const std::string rs = object.name + "-" + TemplateHash(CanonicalTemplate(d));
  Json conditions = Json::array();
  conditions.push_back(Condition("Available", ready >= wanted, ready >= wanted ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                                 ready >= wanted ? "Deployment has minimum availability." : "Deployment does not have minimum availability.",
                                 changed));
  const projections::DeploymentRecord* last = LastDeployment(view, object.app_id);
  if (last != nullptr && last->outcome == projections::DeploymentOutcome::kFailed) {
    conditions.push_back(Condition("Progressing", false, "ProgressDeadlineExceeded",
                                   "ReplicaSet \"" + rs + "\" has timed out progressing.", last->ended.time_nanos));
  } else if (last != nullptr && last->outcome == projections::DeploymentOutcome::kRunning) {
    conditions.push_back(Condition("Progressing", true, "ReplicaSetUpdated",
                                   "ReplicaSet \"" + rs + "\" is progressing.", changed));
  } else {
    conditions.push_back(Condition("Progressing", true, "NewReplicaSetAvailable",
                                   "ReplicaSet \"" + rs + "\" has successfully progressed.", changed));
  }
  Json status = {{"observedGeneration", d["metadata"].value("generation", 1)},
                 {"replicas", replicas},
                 {"updatedReplicas", updated},
                 {"readyReplicas", ready},
                 {"availableReplicas", ready},
                 {"conditions", std::move(conditions)}};
  if (wanted > ready) status["unavailableReplicas"] = wanted - ready;
  return status;
}

std::string PodPhase(schema::TaskState state) {
  switch (state) {
    case schema::TaskState::STAGING:
    case schema::TaskState::STARTING: return "Pending";
    case schema::TaskState::RUNNING:
    case schema::TaskState::KILLING: return "Running";
    case schema::TaskState::FINISHED: return "Succeeded";
    default: return domain::IsTerminal(state) ? "Failed" : "Unknown";
  }
}

Json PodOf(const ProjectionSet& view, const std::string& task_id, const projections::TaskInfo& t, const std::string& ns,
           const std::string& deployment, Json labels) {
  const projections::KubeObject* driver = view.history().kube().DriverOf(t.app_id);
  std::string container = deployment, image;
  Json owners = Json::array();
  if (driver != nullptr) {
    Json d = Json::parse(driver->object, nullptr, false);
    if (d.is_object()) {
      const Json& c = d["spec"]["template"]["spec"]["containers"][0];
      container = c.value("name", deployment);
      image = c.value("image", "");
    }
    owners.push_back({{"apiVersion", "apps/v1"}, {"kind", "ReplicaSet"},
                      {"name", deployment + "-" + labels.value("pod-template-hash", "")}, {"uid", driver->uid},
                      {"controller", true}, {"blockOwnerDeletion", true}});
  }
  const bool running = t.state == schema::TaskState::RUNNING;
  Json state = running ? Json{{"running", {{"startedAt", KubeTime(t.started_nanos)}}}}
                       : Json{{"waiting", {{"reason", t.state == schema::TaskState::KILLING ? "Terminating" : "ContainerCreating"},
                                           {"message", t.message}}}};
  Json status = {{"phase", PodPhase(t.state)},
                 {"conditions", {{{"type", "PodScheduled"}, {"status", "True"}},
                                 {{"type", "Ready"}, {"status", t.ready ? "True" : "False"}},
                                 {{"type", "ContainersReady"}, {"status", t.ready ? "True" : "False"}}}},
                 {"hostIP", t.hostname},
                 {"podIP", t.hostname},
                 {"startTime", KubeTime(t.launched_nanos)},
                 {"containerStatuses",
                  {{{"name", container}, {"image", image}, {"imageID", ""}, {"ready", t.ready}, {"restartCount", 0},
                    {"started", running}, {"state", std::move(state)}}}}};
  if (t.state == schema::TaskState::KILLING) status["reason"] = "Terminating";
  Json ports = Json::array();
  for (std::uint32_t port : t.host_ports) ports.push_back({{"containerPort", port}, {"hostPort", port}, {"protocol", "TCP"}});
  Json metadata = {{"name", task_id}, {"namespace", ns}, {"uid", task_id},
                   {"creationTimestamp", KubeTime(t.launched_nanos)}, {"labels", std::move(labels)},
                   {"resourceVersion", std::to_string(view.next_revision() == 0 ? 0 : view.next_revision() - 1)}};
  if (!owners.empty()) metadata["ownerReferences"] = std::move(owners);
  return {{"apiVersion", "v1"},
          {"kind", "Pod"},
          {"metadata", std::move(metadata)},
          {"spec", {{"nodeName", t.agent_id}, {"containers", {{{"name", container}, {"image", image}, {"ports", std::move(ports)}}}}}},
          {"status", std::move(status)}};
}

}  // namespace

std::string KubeTime(std::int64_t nanos) {
  std::string text = FormatRfc3339(nanos);
  const auto dot = text.find('.');
  if (dot != std::string::npos) text = text.substr(0, dot) + "Z";
  return text;
}

bool Selector::Matches(const Json& labels) const {
  for (const Term& t : terms) {
    const bool has = labels.is_object() && labels.contains(t.key);
    const std::string value = has && labels[t.key].is_string() ? labels[t.key].get<std::string>() : "";
    switch (t.op) {
      case Term::Op::kEquals:
        if (!has || value != t.value) return false;
        break;
      case Term::Op::kNotEquals:
        if (has && value == t.value) return false;
        break;
      case Term::Op::kExists:
        if (!has) return false;
        break;
      case Term::Op::kAbsent:
        if (has) return false;
        break;
    }
  }
  return true;
}

Result<Selector> ParseSelector(const std::string& text) {
  Selector s;
  if (Trim(text).empty()) return s;
  for (const std::string& raw : Split(text, ',')) {
    const std::string term = Trim(raw);
    Selector::Term t;
    if (term.empty()) return Status::InvalidField("labelSelector", "an empty term in \"" + text + "\"");
    if (const auto ne = term.find("!="); ne != std::string::npos) {
      t = {Trim(term.substr(0, ne)), Selector::Term::Op::kNotEquals, Trim(term.substr(ne + 2))};
    } else if (const auto eq = term.find('='); eq != std::string::npos) {
      const std::size_t skip = term.compare(eq, 2, "==") == 0 ? 2 : 1;
      t = {Trim(term.substr(0, eq)), Selector::Term::Op::kEquals, Trim(term.substr(eq + skip))};
    } else if (term[0] == '!') {
      t = {Trim(term.substr(1)), Selector::Term::Op::kAbsent, ""};
    } else if (term.find(' ') != std::string::npos || term.find('(') != std::string::npos) {
      return Status::InvalidField("labelSelector", "set-based terms (in, notin) are not supported yet: \"" + term + "\"");
    } else {
      t = {term, Selector::Term::Op::kExists, ""};
    }
    if (t.key.empty()) return Status::InvalidField("labelSelector", "a term without a key: \"" + term + "\"");
    s.terms.push_back(std::move(t));
  }
  return s;
}

bool FieldSelector::Matches(const Json& object) const {
  const Json& m = object["metadata"];
  if (!name.empty() && m.value("name", "") != name) return false;
  if (!ns.empty() && m.value("namespace", "") != ns) return false;
  return true;
}

Result<FieldSelector> ParseFieldSelector(const std::string& text) {
  FieldSelector f;
  if (Trim(text).empty()) return f;
  for (const std::string& raw : Split(text, ',')) {
    const std::string term = Trim(raw);
    const auto eq = term.find('=');
    if (eq == std::string::npos) return Status::InvalidField("fieldSelector", "\"" + term + "\" is not field=value");
    const std::string field = Trim(term.substr(0, eq));
    const std::string value = Trim(term.substr(eq + (term.compare(eq, 2, "==") == 0 ? 2 : 1)));
    if (field == "metadata.name") f.name = value;
    else if (field == "metadata.namespace") f.ns = value;
    else return Status::InvalidField("fieldSelector", "\"" + field + "\" is not a field label Regatta selects on");
  }
  return f;
}

Json RenderDeployment(const ProjectionSet& view, const projections::KubeObject& object) {
  Json d = Json::parse(object.object, nullptr, false);
  if (!d.is_object()) d = Json::object();
  d["apiVersion"] = object.api_version;
  d["kind"] = object.kind;
  Json& m = d["metadata"];
  m["name"] = object.name;
  m["namespace"] = object.ns;
  m["uid"] = object.uid;
  m["creationTimestamp"] = KubeTime(object.created_nanos);
  const Revision app_revision = view.history().AppRevision(object.app_id).value_or(0);
  m["resourceVersion"] = std::to_string(std::max(object.revision, app_revision));
  d["status"] = DeploymentStatus(view, d, object);
  return d;
}

std::vector<Json> RenderPods(const ProjectionSet& view, const std::string& ns) {
  std::map<std::string, Json> pods;  // by name
  std::map<std::pair<std::string, std::string>, Json> labels;  // (app, version) -> labels
  for (const auto& [id, t] : view.scheduling().tasks()) {
    const auto owner = NamespaceAndName(t.app_id);
    if (!owner || (!ns.empty() && owner->first != ns)) continue;
    auto key = std::make_pair(t.app_id, t.app_version);
    auto it = labels.find(key);
    if (it == labels.end()) it = labels.emplace(key, VersionLabels(view, t.app_id, t.app_version)).first;
    pods.emplace(id, PodOf(view, id, t, owner->first, owner->second, it->second));
  }
  std::vector<Json> out;
  for (auto& [name, pod] : pods) out.push_back(std::move(pod));
  return out;
}

Json RenderPod(const ProjectionSet& view, const std::string& ns, const std::string& name) {
  auto it = view.scheduling().tasks().find(name);
  if (it == view.scheduling().tasks().end()) return nullptr;
  const auto owner = NamespaceAndName(it->second.app_id);
  if (!owner || owner->first != ns) return nullptr;
  return PodOf(view, name, it->second, ns, owner->second,
               VersionLabels(view, it->second.app_id, it->second.app_version));
}

std::vector<std::string> NamespaceNames(const ProjectionSet& view) {
  std::set<std::string> names{"default"};
  for (const auto& [id, app] : view.history().current()) {
    if (const auto owner = NamespaceAndName(id)) names.insert(owner->first);
  }
  for (const projections::KubeObject* o : view.history().kube().List("Namespace", "")) names.insert(o->name);
  return {names.begin(), names.end()};
}

Json RenderNamespace(const std::string& name) {
  return {{"apiVersion", "v1"},
          {"kind", "Namespace"},
          {"metadata", {{"name", name}, {"labels", {{"kubernetes.io/metadata.name", name}}}}},
          {"spec", {{"finalizers", {"kubernetes"}}}},
          {"status", {{"phase", "Active"}}}};
}

Json ListOf(const std::string& api_version, const std::string& kind, std::vector<Json> items, Revision revision) {
  Json list = Json::array();
  for (Json& item : items) list.push_back(std::move(item));
  return {{"apiVersion", api_version}, {"kind", kind},
          {"metadata", {{"resourceVersion", std::to_string(revision)}}}, {"items", std::move(list)}};
}

}  // namespace regatta::kube

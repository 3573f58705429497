#include "api/kubernetes/kube_tables.h"

#include <ctime>

namespace regatta::kube {
namespace {

Json Column(const std::string& name, const std::string& type, int priority, const std::string& description,
            const std::string& format = "") {
  Json c = {{"name", name}, {"type", type}, {"format", format}, {"description", description}, {"priority", priority}};
  return c;
}

// "2026-12-06T01:00:00Z" -> seconds since the epoch; 0 when unreadable.
std::int64_t ParseKubeTime(const std::string& text) {
  std::tm tm{};
  if (strptime(text.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm) == nullptr) return 0;
  return static_cast<std::int64_t>(timegm(&tm));
}

std::string AgeOf(const Json& object, std::int64_t now_nanos) {
  const std::int64_t created = ParseKubeTime(object["metadata"].value("creationTimestamp", ""));
  if (created == 0) return "<unknown>";
  return HumanAge(now_nanos / 1'000'000'000 - created);
}

Json Metadata(const Json& object) {
  Json m = object["metadata"];
  return {{"kind", "PartialObjectMetadata"}, {"apiVersion", "meta.k8s.io/v1"}, {"metadata", std::move(m)}};
}

std::string Or(const std::string& value, const std::string& none = "<none>") { return value.empty() ? none : value; }

Json DeploymentRow(const Json& d, std::int64_t now) {
  const Json& spec = d["spec"];
  const Json& status = d["status"];
  std::string containers, images, selector;
  for (const Json& c : spec["template"]["spec"].value("containers", Json::array())) {
    containers += (containers.empty() ? "" : ",") + c.value("name", "");
    images += (images.empty() ? "" : ",") + c.value("image", "");
  }
  const Json labels = spec["selector"].value("matchLabels", Json::object());
  for (auto it = labels.begin(); it != labels.end(); ++it) {
    selector += (selector.empty() ? "" : ",") + it.key() + "=" + (it->is_string() ? it->get<std::string>() : it->dump());
  }
  const long long ready = status.value("readyReplicas", 0);
  const long long wanted = spec.value("replicas", 1);
  return {{"cells",
           {d["metadata"].value("name", ""), std::to_string(ready) + "/" + std::to_string(wanted),
            status.value("updatedReplicas", 0), status.value("availableReplicas", 0), AgeOf(d, now), Or(containers),
            Or(images), Or(selector)}},
          {"object", Metadata(d)}};
}

Json PodRow(const Json& p, std::int64_t now) {
  const Json& status = p["status"];
  const Json statuses = status.value("containerStatuses", Json::array());
  int ready = 0;
  for (const Json& s : statuses) ready += s.value("ready", false) ? 1 : 0;
  const std::string phase = status.value("reason", status.value("phase", "Unknown"));
  return {{"cells",
           {p["metadata"].value("name", ""), std::to_string(ready) + "/" + std::to_string(statuses.size()), phase, 0,
            AgeOf(p, now), Or(status.value("podIP", "")), Or(p["spec"].value("nodeName", "")), "<none>", "<none>"}},
          {"object", Metadata(p)}};
}

Json NamespaceRow(const Json& n, std::int64_t now) {
  return {{"cells", {n["metadata"].value("name", ""), n["status"].value("phase", "Active"), AgeOf(n, now)}},
          {"object", Metadata(n)}};
}

}  // namespace

bool WantsTable(const std::string& accept) { return accept.find("as=Table") != std::string::npos; }

std::string HumanAge(std::int64_t s) {
  if (s < 0) return "0s";
  const std::int64_t m = s / 60, h = s / 3600, d = s / 86400;
  if (s < 120) return std::to_string(s) + "s";
  if (m < 10) return std::to_string(m) + "m" + (s % 60 ? std::to_string(s % 60) + "s" : "");
  if (m < 180) return std::to_string(m) + "m";
  if (h < 8) return std::to_string(h) + "h" + (m % 60 ? std::to_string(m % 60) + "m" : "");
  if (h < 48) return std::to_string(h) + "h";
  if (h < 192) return std::to_string(d) + "d" + (h % 24 ? std::to_string(h % 24) + "h" : "");
  if (d < 730) return std::to_string(d) + "d";
  return std::to_string(d / 365) + "y";
}

Json TableOf(TableKind kind, const std::vector<Json>& objects, Revision revision, std::int64_t now_nanos) {
  Json columns = Json::array();
  Json rows = Json::array();
  const Json name = Column("Name", "string", 0, "Name must be unique within a namespace.", "name");
  const Json age = Column("Age", "string", 0, "The time since the object was created.");
  switch (kind) {
    case TableKind::kDeployments:
      columns = {name, Column("Ready", "string", 0, "Number of the pods ready out of those wanted."),
                 Column("Up-to-date", "integer", 0, "Pods at the current template."),
                 Column("Available", "integer", 0, "Pods available to users."), age,
                 Column("Containers", "string", 1, "The containers of the template."),
                 Column("Images", "string", 1, "Their images."),
                 Column("Selector", "string", 1, "The pods it selects.")};
      for (const Json& o : objects) rows.push_back(DeploymentRow(o, now_nanos));
      break;
    case TableKind::kPods:
      columns = {name, Column("Ready", "string", 0, "Ready containers out of all."),
                 Column("Status", "string", 0, "The pod's phase, or why it is not running."),
                 Column("Restarts", "string", 0, "Container restarts."), age,
                 Column("IP", "string", 1, "The pod's address (its host's, for a process)."),
                 Column("Node", "string", 1, "The agent it runs on."),
                 Column("Nominated Node", "string", 1, "Not used."), Column("Readiness Gates", "string", 1, "Not used.")};
      for (const Json& o : objects) rows.push_back(PodRow(o, now_nanos));
      break;
    case TableKind::kNamespaces:
      columns = {name, Column("Status", "string", 0, "The namespace's phase."), age};
      for (const Json& o : objects) rows.push_back(NamespaceRow(o, now_nanos));
      break;
  }
  return {{"kind", "Table"}, {"apiVersion", "meta.k8s.io/v1"},
          {"metadata", {{"resourceVersion", std::to_string(revision)}}},
          {"columnDefinitions", std::move(columns)}, {"rows", std::move(rows)}};
}

}  // namespace regatta::kube

#include "api/kubernetes/deployment_model.h"

#include <cmath>
#include <regex>

namespace regatta::kube {
namespace {

constexpr const char* kAutoRevertAnnotation = "regatta.io/auto-revert";

bool IsDnsLabel(const std::string& s) {
  static const std::regex kLabel("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  return !s.empty() && s.size() <= 63 && std::regex_match(s, kLabel);
}

const Json* Get(const Json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() || it->is_null() ? nullptr : &*it;
}

std::string Str(const Json* value, const std::string& fallback = "") {
  return value != nullptr && value->is_string() ? value->get<std::string>() : fallback;
}

double Num(const Json* value, double fallback) {
  return value != nullptr && value->is_number() ? value->get<double>() : fallback;
}

bool IsWhole(const Json& v) { return v.is_number_integer() || v.is_number_unsigned(); }

// Reports causes as the checks go; fields are dotted paths.
class Checker {
 public:
  void Required(const std::string& field) { causes.push_back({field, "Required value", "FieldValueRequired"}); }
  void Invalid(const std::string& field, const std::string& value, const std::string& why) {
    causes.push_back({field, "Invalid value: " + value + ": " + why, "FieldValueInvalid"});
  }
  void Unsupported(const std::string& field, const std::string& why) {
    causes.push_back({field, "Unsupported value: " + why, "FieldValueNotSupported"});
  }
  void Forbidden(const std::string& field, const std::string& why) {
    causes.push_back({field, "Forbidden: " + why, "FieldValueForbidden"});
  }
  void TooMany(const std::string& field, std::size_t n, const std::string& why) {
    causes.push_back({field, "Too many: " + std::to_string(n) + ": " + why, "FieldValueTooMany"});
  }

  // A whole number >= `min` when present.
  void Whole(const Json& object, const char* key, const std::string& field, long long min) {
    const Json* v = Get(object, key);
    if (v == nullptr) return;
    if (!IsWhole(*v)) return Invalid(field, v->dump(), "must be a whole number");
    if (v->get<long long>() < min) Invalid(field, v->dump(), "must be greater than or equal to " + std::to_string(min));
  }

  std::vector<Cause> causes;
};

std::string Quote(const std::string& s) { return "\"" + s + "\""; }

// An IntOrString that names a port: a number, or a port's name.
void CheckPortReference(Checker& c, const Json* port, const Json& ports, const std::string& field) {
  if (port == nullptr) return c.Required(field);
  if (IsWhole(*port)) {
    const long long n = port->get<long long>();
    if (n < 1 || n > 65535) return c.Invalid(field, port->dump(), "must be between 1 and 65535, inclusive");
    for (const Json& p : ports) {
      if (Get(p, "containerPort") != nullptr && IsWhole(p["containerPort"]) && p["containerPort"].get<long long>() == n) return;
    }
    return c.Invalid(field, port->dump(), "must be one of the container's ports: Regatta probes the host port it gave that port");
  }
  if (port->is_string()) {
    for (const Json& p : ports) {
      if (Str(Get(p, "name")) == port->get<std::string>()) return;
    }
    return c.Invalid(field, port->dump(), "must name one of the container's ports");
  }
  c.Invalid(field, port->dump(), "must be a port number or a port's name");
}

void CheckProbe(Checker& c, const Json& probe, const Json& ports, const std::string& field, bool readiness) {
  const Json* http = Get(probe, "httpGet");
  const Json* tcp = Get(probe, "tcpSocket");
  const Json* exec = Get(probe, "exec");
  const int handlers = (http != nullptr) + (tcp != nullptr) + (exec != nullptr) + (Get(probe, "grpc") != nullptr);
  if (handlers == 0) return c.Required(field + ".httpGet");
  if (handlers > 1) return c.Forbidden(field, "may not specify more than 1 handler type");
  if (Get(probe, "grpc") != nullptr) return c.Unsupported(field + ".grpc", "gRPC probes are not run by Regatta's agents");
  if (readiness && http == nullptr) {
    return c.Unsupported(field, "a readiness probe must be httpGet: the agents run HTTP readiness checks");
  }
  if (http != nullptr) CheckPortReference(c, Get(*http, "port"), ports, field + ".httpGet.port");
  if (tcp != nullptr) CheckPortReference(c, Get(*tcp, "port"), ports, field + ".tcpSocket.port");
  if (exec != nullptr) {
    const Json* command = Get(*exec, "command");
    if (command == nullptr || !command->is_array() || command->empty()) c.Required(field + ".exec.command");
  }
  for (const char* key : {"initialDelaySeconds", "periodSeconds", "timeoutSeconds", "failureThreshold", "successThreshold"}) {
    c.Whole(probe, key, field + "." + key, std::string(key) == "initialDelaySeconds" ? 0 : 1);
  }
}

void CheckContainer(Checker& c, const Json& container, const std::string& field) {
  const std::string name = Str(Get(container, "name"));
  if (name.empty()) c.Required(field + ".name");
  else if (!IsDnsLabel(name)) c.Invalid(field + ".name", Quote(name), "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-'");
  if (Str(Get(container, "image")).empty()) c.Required(field + ".image");
  for (const char* key : {"command", "args"}) {
    const Json* list = Get(container, key);
    if (list == nullptr) continue;
    if (!list->is_array()) {
      c.Invalid(field + "." + key, list->dump(), "must be a list of strings");
      continue;
    }
    for (std::size_t i = 0; i < list->size(); ++i) {
      if (!(*list)[i].is_string()) c.Invalid(field + "." + key + "[" + std::to_string(i) + "]", (*list)[i].dump(), "must be a string");
    }
  }
  if (const Json* env = Get(container, "env")) {
    for (std::size_t i = 0; env->is_array() && i < env->size(); ++i) {
      const std::string at = field + ".env[" + std::to_string(i) + "]";
      if (Str(Get((*env)[i], "name")).empty()) c.Required(at + ".name");
      if (Get((*env)[i], "valueFrom") != nullptr) c.Unsupported(at + ".valueFrom", "Regatta takes env values, not references");
    }
  }
  static const Json kNoPorts = Json::array();
  const Json* ports = Get(container, "ports");
  if (ports != nullptr && !ports->is_array()) c.Invalid(field + ".ports", ports->dump(), "must be a list");
  const Json& port_list = ports != nullptr && ports->is_array() ? *ports : kNoPorts;
  for (std::size_t i = 0; i < port_list.size(); ++i) {
    const std::string at = field + ".ports[" + std::to_string(i) + "]";
    const Json* number = Get(port_list[i], "containerPort");
    if (number == nullptr) c.Required(at + ".containerPort");
    else if (!IsWhole(*number) || number->get<long long>() < 1 || number->get<long long>() > 65535) {
      c.Invalid(at + ".containerPort", number->dump(), "must be between 1 and 65535, inclusive");
    }
    const std::string protocol = Str(Get(port_list[i], "protocol"), "TCP");
    if (protocol != "TCP" && protocol != "UDP") c.Unsupported(at + ".protocol", Quote(protocol) + ": supported values: \"TCP\", \"UDP\"");
  }
  if (const Json* resources = Get(container, "resources")) {
    for (const char* kind : {"requests", "limits"}) {
      const Json* amounts = Get(*resources, kind);
      if (amounts == nullptr) continue;
      if (const Json* cpu = Get(*amounts, "cpu"); cpu != nullptr && !ParseCpu(*cpu)) {
        c.Invalid(field + ".resources." + kind + ".cpu", cpu->dump(), "must be a quantity like 100m or 0.5");
      }
      if (const Json* memory = Get(*amounts, "memory"); memory != nullptr && !ParseMemoryMb(*memory)) {
        c.Invalid(field + ".resources." + kind + ".memory", memory->dump(), "must be a quantity like 64Mi or 1G");
      }
    }
  }
  if (const Json* probe = Get(container, "livenessProbe")) CheckProbe(c, *probe, port_list, field + ".livenessProbe", false);
  if (const Json* probe = Get(container, "readinessProbe")) CheckProbe(c, *probe, port_list, field + ".readinessProbe", true);
  if (const Json* probe = Get(container, "startupProbe")) CheckProbe(c, *probe, port_list, field + ".startupProbe", false);
}

void CheckIntOrPercent(Checker& c, const Json* value, const std::string& field) {
  if (value == nullptr) return;
  static const std::regex kPercent("[0-9]+%");
  if (IsWhole(*value) && value->get<long long>() >= 0) return;
  if (value->is_string() && value->get<std::string>().size() <= 12 && std::regex_match(value->get<std::string>(), kPercent)) return;
  c.Invalid(field, value->dump(), "must be a non-negative integer or a percentage like \"25%\"");
}

bool IsZero(const Json* value) {
  if (value == nullptr) return false;
  return (IsWhole(*value) && value->get<long long>() == 0) || (value->is_string() && value->get<std::string>() == "0%");
}

void CheckStrategy(Checker& c, Json& spec) {
  Json& strategy = spec["strategy"];
  if (!strategy.is_object()) strategy = Json::object();
  const std::string type = Str(Get(strategy, "type"), "RollingUpdate");
  strategy["type"] = type;
  if (type == "Recreate") {
    if (Get(strategy, "rollingUpdate") != nullptr) {
      c.Forbidden("spec.strategy.rollingUpdate", "may not be specified when strategy `type` is 'Recreate'");
    }
    return;
  }
  if (type != "RollingUpdate") {
    return c.Unsupported("spec.strategy.type", Quote(type) + ": supported values: \"Recreate\", \"RollingUpdate\"");
  }
  Json& rolling = strategy["rollingUpdate"];
  if (!rolling.is_object()) rolling = Json::object();
  if (Get(rolling, "maxSurge") == nullptr) rolling["maxSurge"] = "25%";
  if (Get(rolling, "maxUnavailable") == nullptr) rolling["maxUnavailable"] = "25%";
  CheckIntOrPercent(c, Get(rolling, "maxSurge"), "spec.strategy.rollingUpdate.maxSurge");
  CheckIntOrPercent(c, Get(rolling, "maxUnavailable"), "spec.strategy.rollingUpdate.maxUnavailable");
  if (IsZero(Get(rolling, "maxSurge")) && IsZero(Get(rolling, "maxUnavailable"))) {
    c.Invalid("spec.strategy.rollingUpdate.maxUnavailable", "0", "may not be 0 when `maxSurge` is 0");
  }
}

std::string LabelsText(const Json& labels) {
  std::string out = "map[string]string{";
  bool first = true;
  for (auto it = labels.begin(); labels.is_object() && it != labels.end(); ++it) {
    out += (first ? "" : ", ") + Quote(it.key()) + ":" + (it->is_string() ? Quote(it->get<std::string>()) : it->dump());
    first = false;
  }
  return out + "}";
}

void CheckSelector(Checker& c, Json& spec, std::vector<std::string>& warnings) {
  // A copy: an ordered_json object is a vector, so adding the selector
  // below may move the template.
  const Json* found = Get(spec["template"]["metadata"], "labels");
  const std::optional<Json> copied = found != nullptr ? std::optional<Json>(*found) : std::nullopt;
  const Json* labels = copied ? &*copied : nullptr;
  if (Get(spec, "selector") == nullptr) {
    if (labels == nullptr || !labels->is_object() || labels->empty()) return c.Required("spec.selector");
    spec["selector"] = {{"matchLabels", *labels}};
    std::string pairs;
    for (auto it = labels->begin(); it != labels->end(); ++it) {
      pairs += (pairs.empty() ? "" : ",") + it.key() + "=" + (it->is_string() ? it->get<std::string>() : it->dump());
    }
    warnings.push_back("spec.selector was not set, which apps/v1 requires: Regatta set it to the template's labels (" +
                       pairs + ")");
  }
  const Json& selector = spec["selector"];
  if (Get(selector, "matchExpressions") != nullptr) {
    c.Unsupported("spec.selector.matchExpressions", "Regatta selects by matchLabels");
  }
  const Json* match = Get(selector, "matchLabels");
  if (match == nullptr || !match->is_object() || match->empty()) {
    return c.Invalid("spec.selector", selector.dump(), "empty selector is invalid for deployment");
  }
  for (auto it = match->begin(); it != match->end(); ++it) {
    const Json* value = labels != nullptr ? Get(*labels, it.key().c_str()) : nullptr;
    if (value == nullptr || *value != *it) {
      return c.Invalid("spec.template.metadata.labels", labels != nullptr ? LabelsText(*labels) : "map[string]string(nil)",
                       "`selector` does not match template `labels`");
    }
  }
}

// The canonical form: nulls, empty strings, lists and objects dropped.
nlohmann::json Canonical(const Json& value) {
  if (value.is_object()) {
    nlohmann::json out = nlohmann::json::object();
    for (auto it = value.begin(); it != value.end(); ++it) {
      nlohmann::json v = Canonical(*it);
      if (v.is_null() || (v.is_string() && v.get<std::string>().empty()) || (v.is_array() && v.empty()) ||
          (v.is_object() && v.empty())) {
        continue;
      }
      out[it.key()] = std::move(v);
    }
    return out;
  }
  if (value.is_array()) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& item : value) out.push_back(Canonical(item));
    return out;
  }
  return nlohmann::json::parse(value.dump(-1, ' ', false, Json::error_handler_t::replace));
}

// `command` as one shell line, each word quoted: a COMMAND check runs it
// through /bin/sh -c.
std::string ShellLine(const Json& words) {
  std::string line;
  for (const Json& w : words) {
    if (!line.empty()) line += ' ';
    std::string word = w.is_string() ? w.get<std::string>() : w.dump();
    std::string quoted = "'";
    for (char ch : word) quoted += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
    line += quoted + "'";
  }
  return line;
}

std::uint32_t PortIndex(const Json& ports, const Json& reference) {
  for (std::uint32_t i = 0; i < ports.size(); ++i) {
    if (IsWhole(reference) && Get(ports[i], "containerPort") != nullptr &&
        ports[i]["containerPort"].get<long long>() == reference.get<long long>()) {
      return i;
    }
    if (reference.is_string() && Str(Get(ports[i], "name")) == reference.get<std::string>()) return i;
  }
  return 0;
}

std::string PortName(const Json& port) {
  const std::string name = Str(Get(port, "name"));
  return name.empty() ? "port" + std::to_string(port["containerPort"].get<long long>()) : name;
}

void BuildHealthCheck(const Json& probe, const Json& ports, const Json* startup, schema::HealthCheck::Builder h) {
  using P = schema::HealthCheck::Protocol;
  const double delay = Num(Get(probe, "initialDelaySeconds"), 0);
  const double period = Num(Get(probe, "periodSeconds"), 10);
  double grace = delay;
  if (startup != nullptr) grace += Num(Get(*startup, "initialDelaySeconds"), 0) + Num(Get(*startup, "failureThreshold"), 3) * Num(Get(*startup, "periodSeconds"), 10);
  h.setDelaySeconds(delay);
  h.setGracePeriodSeconds(grace);
  h.setIntervalSeconds(period);
  h.setTimeoutSeconds(Num(Get(probe, "timeoutSeconds"), 1));
  h.setMaxConsecutiveFailures(static_cast<std::uint32_t>(Num(Get(probe, "failureThreshold"), 3)));
  if (const Json* http = Get(probe, "httpGet")) {
    h.setProtocol(Str(Get(*http, "scheme")) == "HTTPS" ? P::HTTPS : P::HTTP);
    h.setPath(Str(Get(*http, "path"), "/"));
    h.setPortIndex(PortIndex(ports, (*http)["port"]));
  } else if (const Json* tcp = Get(probe, "tcpSocket")) {
    h.setProtocol(P::TCP);
    h.setPortIndex(PortIndex(ports, (*tcp)["port"]));
  } else if (const Json* exec = Get(probe, "exec")) {
    h.setProtocol(P::COMMAND);
    h.setCommand(ShellLine((*exec)["command"]));
  }
}

void BuildResources(const Json& container, schema::AppSpec::Builder spec) {
  double cpus = 0.1, mem = 64;  // Kubernetes' best effort still needs a share to be offered
  const Json* resources = Get(container, "resources");
  for (const char* kind : {"limits", "requests"}) {  // requests win
    const Json* amounts = resources != nullptr ? Get(*resources, kind) : nullptr;
    if (amounts == nullptr) continue;
    if (const Json* cpu = Get(*amounts, "cpu")) cpus = ParseCpu(*cpu).value_or(cpus);
    if (const Json* memory = Get(*amounts, "memory")) mem = ParseMemoryMb(*memory).value_or(mem);
  }
  spec.setCpus(cpus);
  spec.setMemMb(mem);
}

void BuildStrategy(const Json& deployment, schema::UpgradeStrategy::Builder u) {
  const Json& spec = deployment["spec"];
  const Json& strategy = spec["strategy"];
  if (Str(Get(strategy, "type")) == "Recreate") {
    u.setKind(schema::UpgradeStrategy::Kind::RECREATE);
  } else {
    const Json& rolling = strategy["rollingUpdate"];
    auto text = [](const Json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); };
    u.setMaxSurge(text(rolling["maxSurge"]));
    u.setMaxUnavailable(text(rolling["maxUnavailable"]));
  }
  u.setMinReadySeconds(Num(Get(spec, "minReadySeconds"), 0));
  u.setProgressDeadlineSeconds(Num(Get(spec, "progressDeadlineSeconds"), 600));
  const Json* annotations = Get(deployment["metadata"], "annotations");
  u.setAutoRevert(annotations != nullptr && Str(Get(*annotations, kAutoRevertAnnotation)) == "true");
}

}  // namespace

std::string AppIdOf(const std::string& ns, const std::string& name) { return "/" + ns + "/" + name; }

std::optional<double> ParseCpu(const Json& quantity) {
  if (quantity.is_number()) return quantity.get<double>() >= 0 ? std::optional(quantity.get<double>()) : std::nullopt;
  if (!quantity.is_string()) return std::nullopt;
  static const std::regex kCpu("([0-9]+(\\.[0-9]+)?|\\.[0-9]+)(m?)");
  std::smatch m;
  const std::string text = quantity.get<std::string>();
  if (text.size() > 40 || !std::regex_match(text, m, kCpu)) return std::nullopt;
  const double v = std::stod(m[1].str());
  return m[3].str() == "m" ? v / 1000 : v;
}

std::optional<double> ParseMemoryMb(const Json& quantity) {
  constexpr double kMiB = 1024.0 * 1024.0;
  if (quantity.is_number()) return quantity.get<double>() >= 0 ? std::optional(quantity.get<double>() / kMiB) : std::nullopt;
  if (!quantity.is_string()) return std::nullopt;
  static const std::regex kMemory("([0-9]+(\\.[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|k|K|M|G|T|P|m)?");
  std::smatch m;
  const std::string text = quantity.get<std::string>();
  if (text.size() > 40 || !std::regex_match(text, m, kMemory)) return std::nullopt;
  const double v = std::stod(m[1].str());
  const std::string unit = m[3].str();
  double bytes = v;
  if (unit == "Ki") bytes = v * 1024;
  else if (unit == "Mi") bytes = v * kMiB;
  else if (unit == "Gi") bytes = v * kMiB * 1024;
  else if (unit == "Ti") bytes = v * kMiB * 1024 * 1024;
  else if (unit == "Pi") bytes = v * kMiB * 1024 * 1024 * 1024;
  else if (unit == "k" || unit == "K") bytes = v * 1e3;
  else if (unit == "M") bytes = v * 1e6;
  else if (unit == "G") bytes = v * 1e9;
  else if (unit == "T") bytes = v * 1e12;
  else if (unit == "P") bytes = v * 1e15;
  else if (unit == "m") bytes = v / 1000;
  return bytes / kMiB;
}

DeploymentCheck CheckDeployment(Json& d) {
  Checker c;
  DeploymentCheck out;
  if (!d["metadata"].is_object()) d["metadata"] = Json::object();
  const std::string name = Str(Get(d["metadata"], "name"));
  if (name.empty()) c.Required("metadata.name");
  else if (!IsDnsLabel(name)) {
    c.Invalid("metadata.name", Quote(name), "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character");
  }
  if (!d["spec"].is_object()) d["spec"] = Json::object();
  Json& spec = d["spec"];
  if (Get(spec, "replicas") == nullptr) spec["replicas"] = 1;
  c.Whole(spec, "replicas", "spec.replicas", 0);
  c.Whole(spec, "minReadySeconds", "spec.minReadySeconds", 0);
  c.Whole(spec, "revisionHistoryLimit", "spec.revisionHistoryLimit", 0);
  c.Whole(spec, "progressDeadlineSeconds", "spec.progressDeadlineSeconds", 1);
  if (Get(spec, "progressDeadlineSeconds") != nullptr && IsWhole(spec["progressDeadlineSeconds"]) &&
      Num(Get(spec, "progressDeadlineSeconds"), 600) <= Num(Get(spec, "minReadySeconds"), 0)) {
    c.Invalid("spec.progressDeadlineSeconds", spec["progressDeadlineSeconds"].dump(), "must be greater than minReadySeconds");
  }
  if (const Json* paused = Get(spec, "paused"); paused != nullptr && !paused->is_boolean()) {
    c.Invalid("spec.paused", paused->dump(), "must be true or false");
  }
  if (!spec["template"].is_object()) spec["template"] = Json::object();
  if (!spec["template"]["metadata"].is_object()) spec["template"]["metadata"] = Json::object();
  CheckSelector(c, spec, out.warnings);
  const Json* containers = Get(spec["template"]["spec"], "containers");
  if (containers == nullptr || !containers->is_array() || containers->empty()) {
    c.Required("spec.template.spec.containers");
  } else {
    if (containers->size() > 1) {
      c.TooMany("spec.template.spec.containers", containers->size(),
                "Regatta runs one container per pod until containers come (issue 15)");
    }
    CheckContainer(c, (*containers)[0], "spec.template.spec.containers[0]");
  }
  c.Whole(spec["template"]["spec"], "terminationGracePeriodSeconds", "spec.template.spec.terminationGracePeriodSeconds", 0);
  CheckStrategy(c, spec);
  out.causes = std::move(c.causes);
  return out;
}

void BuildAppSpec(const Json& d, const std::string& app_id, schema::AppSpec::Builder spec) {
  const Json& s = d["spec"];
  const Json& pod = s["template"]["spec"];
  const Json& container = pod["containers"][0];
  spec.setId(app_id);
  spec.setInstances(static_cast<std::uint32_t>(Num(Get(s, "replicas"), 1)));
  const Json* command = Get(container, "command");
  const Json* args = Get(container, "args");
  std::vector<std::string> words;
  for (const Json* list : {command, args}) {
    if (list == nullptr) continue;
    for (const Json& w : *list) words.push_back(w.get<std::string>());
  }
  if (command != nullptr && !words.empty()) {
    auto argv = spec.initArgs(static_cast<unsigned>(words.size()));
    for (unsigned i = 0; i < words.size(); ++i) argv.set(i, words[i]);
  } else {
    // The image's own entrypoint: only a container runtime can run it.
    auto oci = spec.initContainer();
    oci.setKind(schema::ContainerSpec::Kind::OCI);
    oci.setImage(Str(Get(container, "image")));
    if (!words.empty()) {
      auto argv = spec.initArgs(static_cast<unsigned>(words.size()));
      for (unsigned i = 0; i < words.size(); ++i) argv.set(i, words[i]);
    }
  }
  if (const Json* env = Get(container, "env")) {
    auto list = spec.initEnv(static_cast<unsigned>(env->size()));
    for (unsigned i = 0; i < env->size(); ++i) {
      list[i].setKey(Str(Get((*env)[i], "name")));
      list[i].setValue(Str(Get((*env)[i], "value")));
    }
  }
  BuildResources(container, spec);
  static const Json kNone = Json::array();
  const Json* ports_json = Get(container, "ports");
  const Json& ports = ports_json != nullptr ? *ports_json : kNone;
  auto defs = spec.initPortDefinitions(static_cast<unsigned>(ports.size()));
  for (unsigned i = 0; i < ports.size(); ++i) {
    defs[i].setPort(0);
    defs[i].setProtocol(Str(Get(ports[i], "protocol"), "TCP") == "UDP" ? "udp" : "tcp");
    defs[i].setName(PortName(ports[i]));
  }
  const Json* liveness = Get(container, "livenessProbe");
  const Json* startup = Get(container, "startupProbe");
  if (liveness != nullptr) BuildHealthCheck(*liveness, ports, startup, spec.initHealthChecks(1)[0]);
  if (const Json* readiness = Get(container, "readinessProbe")) {
    auto r = spec.initReadinessChecks(1)[0];
    const Json& http = (*readiness)["httpGet"];
    r.setName("readinessProbe");
    r.setPath(Str(Get(http, "path"), "/"));
    r.setPortName(PortName(ports[PortIndex(ports, http["port"])]));
    r.setProtocol(Str(Get(http, "scheme")) == "HTTPS" ? "HTTPS" : "HTTP");
    r.setIntervalSeconds(Num(Get(*readiness, "periodSeconds"), 10));
    r.setTimeoutSeconds(Num(Get(*readiness, "timeoutSeconds"), 1));
    auto codes = r.initHttpStatusCodesForReady(200);  // Kubernetes: 200 <= code < 400
    for (unsigned i = 0; i < 200; ++i) codes.set(i, 200 + i);
  }
  if (const Json* labels = Get(s["template"]["metadata"], "labels")) {
    auto list = spec.initLabels(static_cast<unsigned>(labels->size()));
    unsigned i = 0;
    for (auto it = labels->begin(); it != labels->end(); ++it, ++i) {
      list[i].setKey(it.key());
      list[i].setValue(it->is_string() ? it->get<std::string>() : it->dump());
    }
  }
  spec.setKillGracePeriodSeconds(Num(Get(pod, "terminationGracePeriodSeconds"), 30));
  BuildStrategy(d, spec.initUpgradeStrategy());
}

std::string CanonicalTemplate(const Json& d) {
  const Json* spec = Get(d, "spec");
  const Json* tmpl = spec != nullptr ? Get(*spec, "template") : nullptr;
  return tmpl == nullptr ? "{}" : Canonical(*tmpl).dump();
}

std::string TemplateHash(const std::string& canonical_template) {
  std::uint64_t h = 1469598103934665603ull;  // FNV-1a
  for (unsigned char ch : canonical_template) {
    h ^= ch;
    h *= 1099511628211ull;
  }
  static const char kAlphabet[] = "bcdfghjklmnpqrstvwxz2456789";  // Kubernetes' SafeEncodeString
  std::string out;
  for (int i = 0; i < 10; ++i) {
    out += kAlphabet[h % 27];
    h /= 27;
  }
  return out;
}

}  // namespace regatta::kube

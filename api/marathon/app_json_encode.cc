// Marathon's app JSON from an AppSpec: what GET /v2/apps/{id} shows of a
// definition, every default spelled out (app_json.cc decodes it back).
#include "api/marathon/app_json.h"

#include <cmath>

namespace regatta::marathon {
namespace {

using schema::AppSpec;


std::string Text(capnp::Text::Reader t) { return {t.cStr(), t.size()}; }

Json Labels(capnp::List<schema::KeyValue>::Reader pairs) {
  Json out = Json::object();
  for (auto kv : pairs) out[Text(kv.getKey())] = Text(kv.getValue());
  return out;
}

const char* HealthProtocol(schema::HealthCheck::Protocol p) {
  switch (p) {
    case schema::HealthCheck::Protocol::HTTP: return "HTTP";
    case schema::HealthCheck::Protocol::HTTPS: return "HTTPS";
    case schema::HealthCheck::Protocol::TCP: return "TCP";
    case schema::HealthCheck::Protocol::COMMAND: return "COMMAND";
  }
  return "HTTP";
}

Json PortMappings(capnp::List<schema::PortMapping>::Reader mappings) {
  Json out = Json::array();
  for (auto m : mappings) {
    Json j = {{"containerPort", m.getContainerPort()}, {"hostPort", m.getHostPort()},
              {"servicePort", m.getServicePort()}, {"protocol", m.getProtocol().size() ? Text(m.getProtocol()) : "tcp"}};
    if (m.getName().size()) j["name"] = Text(m.getName());
    out.push_back(std::move(j));
  }
  return out;
}

Json Container(schema::AppSpec::Reader spec) {
  auto c = spec.getContainer();
  Json docker = {{"image", Text(c.getImage())}, {"forcePullImage", c.getForcePullImage()},
                 {"privileged", c.getPrivileged()}, {"parameters", Json::array()}};
  for (auto p : c.getParameters()) docker["parameters"].push_back({{"key", Text(p.getKey())}, {"value", Text(p.getValue())}});
  Json volumes = Json::array();
  for (auto v : spec.getVolumes()) {
    Json j = {{"containerPath", Text(v.getContainerPath())}, {"mode", v.getReadOnly() ? "RO" : "RW"}};
    if (v.getKind() == schema::Volume::Kind::PERSISTENT) {
      j["persistent"] = {{"size", v.getSizeMb()}};
    } else {
      j["hostPath"] = Text(v.getHostPath());
    }
    volumes.push_back(std::move(j));
  }
  Json out = {{"type", c.getApiType().size() ? Text(c.getApiType()) : "DOCKER"}, {"docker", std::move(docker)},
              {"volumes", std::move(volumes)}};
  if (spec.getPortMappings().size()) out["portMappings"] = PortMappings(spec.getPortMappings());
  return out;
}

Json Network(schema::AppSpec::Reader spec) {
  Json n;
  switch (spec.getNetworking()) {
    case schema::NetworkMode::HOST: n = {{"mode", "host"}}; break;
    case schema::NetworkMode::BRIDGE: n = {{"mode", "container/bridge"}}; break;
    case schema::NetworkMode::CONTAINER: n = {{"mode", "container"}}; break;
  }
  if (spec.getNetworkName().size()) n["name"] = Text(spec.getNetworkName());
  return Json::array({std::move(n)});
}

Json HealthChecks(capnp::List<schema::HealthCheck>::Reader checks) {
  Json out = Json::array();
  for (auto h : checks) {
    Json j = {{"protocol", HealthProtocol(h.getProtocol())}, {"gracePeriodSeconds", h.getGracePeriodSeconds()},
              {"intervalSeconds", h.getIntervalSeconds()}, {"timeoutSeconds", h.getTimeoutSeconds()},
              {"maxConsecutiveFailures", h.getMaxConsecutiveFailures()}, {"delaySeconds", h.getDelaySeconds()}};
    if (h.getProtocol() == schema::HealthCheck::Protocol::COMMAND) {
      j["command"] = {{"value", Text(h.getCommand())}};
    } else if (h.getPort() != 0) {
      j["port"] = h.getPort();
    } else {
      j["portIndex"] = h.getPortIndex();
    }
    if (h.getPath().size()) j["path"] = Text(h.getPath());
    if (h.getIgnoreHttp1xx()) j["ignoreHttp1xx"] = true;
    out.push_back(std::move(j));
  }
  return out;
}

Json ReadinessChecks(capnp::List<schema::ReadinessCheck>::Reader checks) {
  Json out = Json::array();
  for (auto r : checks) {
    Json codes = Json::array();
    for (auto c : r.getHttpStatusCodesForReady()) codes.push_back(c);
    out.push_back({{"name", Text(r.getName())}, {"protocol", r.getProtocol().size() ? Text(r.getProtocol()) : "HTTP"},
                   {"path", Text(r.getPath())}, {"portName", Text(r.getPortName())},
                   {"intervalSeconds", r.getIntervalSeconds()}, {"timeoutSeconds", r.getTimeoutSeconds()},
                   {"httpStatusCodesForReady", std::move(codes)}, {"preserveLastResponse", r.getPreserveLastResponse()}});
  }
  return out;
}

template <class List>
Json Strings(List list) {
  Json out = Json::array();
  for (auto s : list) out.push_back(Text(s));
  return out;
}

// Marathon's two fields, and Regatta's extensions only where they differ
// from their defaults: python3-marathon refuses an upgradeStrategy with
// keys it does not know, and a client that never set them never sees them.
Json UpgradeStrategy(schema::UpgradeStrategy::Reader u) {
  Json out = {{"minimumHealthCapacity", u.getMinimumHealthCapacity()},
              {"maximumOverCapacity", u.getMaximumOverCapacity()}};
  if (u.getProgressDeadlineSeconds() != 600.0) out["progressDeadlineSeconds"] = u.getProgressDeadlineSeconds();
  if (!u.getAutoRevert()) out["autoRevert"] = false;
  if (u.getMinReadySeconds() > 0) out["minReadySeconds"] = u.getMinReadySeconds();
  if (u.getCanaries() > 0) out["canaries"] = u.getCanaries();
  if (u.getAutoPromote()) out["autoPromote"] = true;
  return out;
}

}  // namespace

Json EncodeApp(schema::AppSpec::Reader spec, const std::string& version) {
  Json app;
  app["id"] = Text(spec.getId());
  if (spec.getCmd().size()) app["cmd"] = Text(spec.getCmd());
  if (spec.getArgs().size()) app["args"] = Strings(spec.getArgs());
  if (spec.getUser().size()) app["user"] = Text(spec.getUser());
  if (spec.getEnv().size()) app["env"] = Labels(spec.getEnv());
  app["instances"] = spec.getInstances();
  app["cpus"] = spec.getCpus();
  app["mem"] = spec.getMemMb();
  app["disk"] = spec.getDiskMb();
  app["gpus"] = spec.getGpus();
  app["executor"] = Text(spec.getExecutor());
  if (spec.getConstraints().size()) {
    Json constraints = Json::array();
    for (auto c : spec.getConstraints()) {
      Json one = {Text(c.getField()), Text(c.getOperator())};
      if (c.getValue().size()) one.push_back(Text(c.getValue()));
      constraints.push_back(std::move(one));
    }
    app["constraints"] = std::move(constraints);
  }
  if (spec.getAcceptedResourceRoles().size()) app["acceptedResourceRoles"] = Strings(spec.getAcceptedResourceRoles());
  if (spec.getFetch().size()) {
    Json fetch = Json::array();
    for (auto f : spec.getFetch()) {
      Json j = {{"uri", Text(f.getUri())}, {"extract", f.getExtract()}, {"executable", f.getExecutable()},
                {"cache", f.getCache()}};
      if (f.getDestPath().size()) j["destPath"] = Text(f.getDestPath());
      fetch.push_back(std::move(j));
    }
    app["fetch"] = std::move(fetch);
  }
  if (spec.getNetworking() == schema::NetworkMode::HOST) {
    Json ports = Json::array();
    for (auto p : spec.getPortDefinitions()) {
      Json j = {{"port", p.getPort()}, {"protocol", p.getProtocol().size() ? Text(p.getProtocol()) : "tcp"}};
      if (p.getName().size()) j["name"] = Text(p.getName());
      if (p.getLabels().size()) j["labels"] = Labels(p.getLabels());
      ports.push_back(std::move(j));
    }
    app["portDefinitions"] = std::move(ports);
  }
  app["requirePorts"] = spec.getRequirePorts();
  app["backoffSeconds"] = spec.getBackoffSeconds();
  app["backoffFactor"] = spec.getBackoffFactor();
  app["maxLaunchDelaySeconds"] = spec.getMaxLaunchDelaySeconds();
  if (spec.hasContainer() && spec.getContainer().getKind() == schema::ContainerSpec::Kind::OCI) {
    app["container"] = Container(spec);
  }
  if (spec.getHealthChecks().size()) app["healthChecks"] = HealthChecks(spec.getHealthChecks());
  if (spec.getReadinessChecks().size()) app["readinessChecks"] = ReadinessChecks(spec.getReadinessChecks());
  if (spec.getDependencies().size()) app["dependencies"] = Strings(spec.getDependencies());
  app["upgradeStrategy"] = UpgradeStrategy(spec.getUpgradeStrategy());
  app["labels"] = Labels(spec.getLabels());
  app["networks"] = Network(spec);
  app["taskKillGracePeriodSeconds"] = spec.getKillGracePeriodSeconds();
  app["killSelection"] = spec.getKillSelection() == schema::KillSelection::OLDEST_FIRST ? "OLDEST_FIRST" : "YOUNGEST_FIRST";
  auto unreachable = spec.getUnreachableStrategy();
  if (unreachable.getDisabled()) {
    app["unreachableStrategy"] = "disabled";
  } else if (unreachable.getGiven()) {
    app["unreachableStrategy"] = {{"inactiveAfterSeconds", unreachable.getInactiveAfterSeconds()},
                                  {"expungeAfterSeconds", unreachable.getExpungeAfterSeconds()}};
  }
  if (spec.getKind() == schema::WorkloadKind::JOB) {  // Regatta's extension
    app["kind"] = "job";
    app["maxRetries"] = spec.getMaxRetries();
  }
  app["role"] = spec.getRole().size() ? Text(spec.getRole()) : "*";
  app["version"] = version;
  return app;
}

}  // namespace regatta::marathon

#include "api/marathon/app_json.h"

#include <cmath>
#include <functional>
#include <set>

#include "api/marathon/json_reader.h"
#include "events/domain/group_paths.h"

namespace regatta::marathon {
namespace {

using schema::AppSpec;

// Fields a GET adds: a client may send them back; they are not definition.
const std::set<std::string> kReadOnly = {
    "tasks", "tasksRunning", "tasksStaged", "tasksHealthy", "tasksUnhealthy", "deployments", "versionInfo",
    "lastTaskFailure", "taskStats", "tasksStats", "readinessCheckResults", "regattaNotes", "regattaRevision", "version"};

// Marathon fields Regatta does not keep: refused, so nothing vanishes.
const std::set<std::string> kUnsupported = {"secrets", "residency", "ipAddress", "tty", "check", "executorResources",
                                            "resourceLimits", "storeUrls", "taskRateLimit"};

Status DecodeEnv(const Field& f, AppSpec::Builder spec) {
  if (f.json->is_null()) return Status::Ok();
  REGATTA_RETURN_IF_ERROR(f.Expect(Json::value_t::object, "an object of names to values"));
  auto env = spec.initEnv(static_cast<unsigned>(f.json->size()));
  unsigned i = 0;
  for (const auto& [name, value] : f.json->items()) {
    const Field v = f.Child(name, value);
    if (value.is_object()) return Status::InvalidField(v.path, "secrets are not supported by Regatta");
    REGATTA_RETURN_IF_ERROR(v.Expect(Json::value_t::string, "a string"));
    env[i].setKey(name);
    env[i].setValue(value.get<std::string>());
    ++i;
  }
  return Status::Ok();
}

Status DecodeLabels(const Field& f, capnp::List<schema::KeyValue>::Builder (*init)(void*, unsigned), void* target) {
  if (f.json->is_null()) return Status::Ok();
  REGATTA_RETURN_IF_ERROR(f.Expect(Json::value_t::object, "an object of keys to values"));
  auto labels = init(target, static_cast<unsigned>(f.json->size()));
  unsigned i = 0;
  for (const auto& [key, value] : f.json->items()) {
    REGATTA_RETURN_IF_ERROR(f.Child(key, value).Expect(Json::value_t::string, "a string"));
    labels[i].setKey(key);
    labels[i].setValue(value.get<std::string>());
    ++i;
  }
  return Status::Ok();
}

template <class Builder>
Status LabelsInto(const Field& f, Builder b) {
  return DecodeLabels(
      f, [](void* t, unsigned n) { return static_cast<Builder*>(t)->initLabels(n); }, &b);
}

Status DecodeConstraints(const Field& f, AppSpec::Builder spec) {
  REGATTA_RETURN_IF_ERROR(f.Expect(Json::value_t::array, "an array of [field, operator, value?] arrays"));
  auto list = spec.initConstraints(static_cast<unsigned>(f.json->size()));
  for (unsigned i = 0; i < f.json->size(); ++i) {
    const Field c = f.At(i);
    if (!c.json->is_array() || c.json->size() < 2 || c.json->size() > 3) {
      return Status::InvalidField(c.path, "a constraint is [field, operator] or [field, operator, value]");
    }
    std::string parts[3];
    for (unsigned k = 0; k < c.json->size(); ++k) {
      REGATTA_RETURN_IF_ERROR(c.At(k).Expect(Json::value_t::string, "a string"));
      parts[k] = (*c.json)[k].get<std::string>();
    }
    list[i].setField(parts[0]);
    list[i].setOperator(parts[1]);
    list[i].setValue(parts[2]);
  }
  return Status::Ok();
}

Status DecodePortDefinitions(const Field& f, AppSpec::Builder spec) {
  REGATTA_RETURN_IF_ERROR(f.Expect(Json::value_t::array, "an array of port definitions"));
  auto list = spec.initPortDefinitions(static_cast<unsigned>(f.json->size()));
  for (unsigned i = 0; i < f.json->size(); ++i) {
    ObjectReader o(f.At(i));
    REGATTA_RETURN_IF_ERROR(o.status());
    REGATTA_RETURN_IF_ERROR(o.UInt("port", 0, 65535, [&](std::uint64_t v) { list[i].setPort(static_cast<std::uint32_t>(v)); }));
    list[i].setProtocol("tcp");
    REGATTA_RETURN_IF_ERROR(o.String("protocol", [&](const std::string& v) { list[i].setProtocol(v); }));
    REGATTA_RETURN_IF_ERROR(o.String("name", [&](const std::string& v) { list[i].setName(v); }));
    REGATTA_RETURN_IF_ERROR(o.Any("labels", [&](const Field& l) { return LabelsInto(l, list[i]); }));
    REGATTA_RETURN_IF_ERROR(o.Finish());
  }
  return Status::Ok();
}

// The deprecated "ports": [10000, 0] as portDefinitions.
Status DecodePorts(const Field& f, AppSpec::Builder spec) {
  REGATTA_RETURN_IF_ERROR(f.Expect(Json::value_t::array, "an array of ports"));
  auto list = spec.initPortDefinitions(static_cast<unsigned>(f.json->size()));
  for (unsigned i = 0; i < f.json->size(); ++i) {
    REGATTA_RETURN_IF_ERROR(f.At(i).ExpectUInt(0, 65535));
    list[i].setPort((*f.json)[i].get<std::uint32_t>());
    list[i].setProtocol("tcp");
  }
  return Status::Ok();
}

Status DecodePortMappings(const Field& f, AppSpec::Builder spec) {
  REGATTA_RETURN_IF_ERROR(f.Expect(Json::value_t::array, "an array of port mappings"));
  auto list = spec.initPortMappings(static_cast<unsigned>(f.json->size()));
  for (unsigned i = 0; i < f.json->size(); ++i) {
    ObjectReader o(f.At(i));
    REGATTA_RETURN_IF_ERROR(o.status());
    auto m = list[i];
    m.setProtocol("tcp");
    REGATTA_RETURN_IF_ERROR(o.UInt("containerPort", 0, 65535, [&](std::uint64_t v) { m.setContainerPort(static_cast<std::uint32_t>(v)); }));
    REGATTA_RETURN_IF_ERROR(o.UInt("hostPort", 0, 65535, [&](std::uint64_t v) { m.setHostPort(static_cast<std::uint32_t>(v)); }));
    REGATTA_RETURN_IF_ERROR(o.UInt("servicePort", 0, 65535, [&](std::uint64_t v) { m.setServicePort(static_cast<std::uint32_t>(v)); }));
    REGATTA_RETURN_IF_ERROR(o.String("protocol", [&](const std::string& v) { m.setProtocol(v); }));
    REGATTA_RETURN_IF_ERROR(o.String("name", [&](const std::string& v) { m.setName(v); }));
    REGATTA_RETURN_IF_ERROR(o.Ignore("labels"));
    REGATTA_RETURN_IF_ERROR(o.Ignore("networkNames"));
    REGATTA_RETURN_IF_ERROR(o.Finish());
  }
  return Status::Ok();
}

Status DecodeVolumes(const Field& f, AppSpec::Builder spec) {
  REGATTA_RETURN_IF_ERROR(f.Expect(Json::value_t::array, "an array of volumes"));
  auto list = spec.initVolumes(static_cast<unsigned>(f.json->size()));
  for (unsigned i = 0; i < f.json->size(); ++i) {
    ObjectReader o(f.At(i));
    REGATTA_RETURN_IF_ERROR(o.status());
    auto v = list[i];
    v.setKind(schema::Volume::Kind::HOST);
    REGATTA_RETURN_IF_ERROR(o.String("containerPath", [&](const std::string& s) { v.setContainerPath(s); }));
    REGATTA_RETURN_IF_ERROR(o.String("hostPath", [&](const std::string& s) { v.setHostPath(s); }));
    Status mode = Status::Ok();
    REGATTA_RETURN_IF_ERROR(o.String("mode", [&](const std::string& s) {
      if (s != "RO" && s != "RW") mode = Status::InvalidField(o.Path("mode"), "must be RO or RW");
      v.setReadOnly(s == "RO");
    }));
    REGATTA_RETURN_IF_ERROR(mode);
    REGATTA_RETURN_IF_ERROR(o.Any("persistent", [&](const Field& p) -> Status {
      ObjectReader po(p);
      REGATTA_RETURN_IF_ERROR(po.status());
      v.setKind(schema::Volume::Kind::PERSISTENT);
      REGATTA_RETURN_IF_ERROR(po.Number("size", 0, 1e9, [&](double s) { v.setSizeMb(s); }));
      REGATTA_RETURN_IF_ERROR(po.Ignore("type"));
      REGATTA_RETURN_IF_ERROR(po.Ignore("maxSize"));
      REGATTA_RETURN_IF_ERROR(po.Ignore("profileName"));
      REGATTA_RETURN_IF_ERROR(po.Ignore("constraints"));
      return po.Finish();
    }));
    REGATTA_RETURN_IF_ERROR(o.Any("external", [&](const Field& e) -> Status {
      return Status::InvalidField(e.path, "external volumes are not supported by Regatta");
    }));
    REGATTA_RETURN_IF_ERROR(o.Finish());
  }
  return Status::Ok();
}

Status DecodeContainer(const Field& f, AppSpec::Builder spec) {
  ObjectReader o(f);
  REGATTA_RETURN_IF_ERROR(o.status());
  auto c = spec.initContainer();
  std::string type = "DOCKER";
  REGATTA_RETURN_IF_ERROR(o.String("type", [&](const std::string& v) { type = v; }));
  if (type != "DOCKER" && type != "MESOS") return Status::InvalidField(o.Path("type"), "must be DOCKER or MESOS");
  c.setApiType(type);
  REGATTA_RETURN_IF_ERROR(o.Any("docker", [&](const Field& d) -> Status {
    ObjectReader docker(d);
    REGATTA_RETURN_IF_ERROR(docker.status());
    c.setKind(schema::ContainerSpec::Kind::OCI);
    bool has_image = false;
    REGATTA_RETURN_IF_ERROR(docker.String("image", [&](const std::string& v) {
      c.setImage(v);
      has_image = true;
    }));
    if (!has_image) return Status::InvalidField(d.path + "/image", "required");
    REGATTA_RETURN_IF_ERROR(docker.Bool("forcePullImage", [&](bool v) { c.setForcePullImage(v); }));
    REGATTA_RETURN_IF_ERROR(docker.Bool("privileged", [&](bool v) { c.setPrivileged(v); }));
    REGATTA_RETURN_IF_ERROR(docker.Any("parameters", [&](const Field& p) -> Status {
      REGATTA_RETURN_IF_ERROR(p.Expect(Json::value_t::array, "an array of {key, value}"));
      auto params = c.initParameters(static_cast<unsigned>(p.json->size()));
      for (unsigned i = 0; i < p.json->size(); ++i) {
        ObjectReader kv(p.At(i));
        REGATTA_RETURN_IF_ERROR(kv.status());
        REGATTA_RETURN_IF_ERROR(kv.String("key", [&](const std::string& v) { params[i].setKey(v); }));
        REGATTA_RETURN_IF_ERROR(kv.String("value", [&](const std::string& v) { params[i].setValue(v); }));
        REGATTA_RETURN_IF_ERROR(kv.Finish());
      }
      return Status::Ok();
    }));
    REGATTA_RETURN_IF_ERROR(docker.Any("network", [&](const Field& n) -> Status {
      REGATTA_RETURN_IF_ERROR(n.Expect(Json::value_t::string, "BRIDGE, HOST, USER or NONE"));
      const std::string mode = n.json->get<std::string>();
      if (mode == "BRIDGE") spec.setNetworking(schema::NetworkMode::BRIDGE);
      else if (mode == "USER") spec.setNetworking(schema::NetworkMode::CONTAINER);
      else if (mode != "HOST" && mode != "NONE") return Status::InvalidField(n.path, "must be BRIDGE, HOST, USER or NONE");
      return Status::Ok();
    }));
    REGATTA_RETURN_IF_ERROR(docker.Any("portMappings", [&](const Field& m) { return DecodePortMappings(m, spec); }));
    REGATTA_RETURN_IF_ERROR(docker.Ignore("credential"));
    REGATTA_RETURN_IF_ERROR(docker.Ignore("pullConfig"));
    return docker.Finish();
  }));
  REGATTA_RETURN_IF_ERROR(o.Any("portMappings", [&](const Field& m) { return DecodePortMappings(m, spec); }));
  REGATTA_RETURN_IF_ERROR(o.Any("volumes", [&](const Field& v) { return DecodeVolumes(v, spec); }));
  REGATTA_RETURN_IF_ERROR(o.Ignore("linuxInfo"));
  return o.Finish();
}

Status DecodeNetworks(const Field& f, AppSpec::Builder spec) {
  REGATTA_RETURN_IF_ERROR(f.Expect(Json::value_t::array, "an array of networks"));
  if (f.json->size() > 1) return Status::InvalidField(f.path, "Regatta runs a task in one network");
  for (unsigned i = 0; i < f.json->size(); ++i) {
    ObjectReader o(f.At(i));
    REGATTA_RETURN_IF_ERROR(o.status());
    Status mode_ok = Status::Ok();
    REGATTA_RETURN_IF_ERROR(o.String("mode", [&](const std::string& mode) {
      if (mode == "host") spec.setNetworking(schema::NetworkMode::HOST);
      else if (mode == "container/bridge") spec.setNetworking(schema::NetworkMode::BRIDGE);
      else if (mode == "container") spec.setNetworking(schema::NetworkMode::CONTAINER);
      else mode_ok = Status::InvalidField(o.Path("mode"), "must be host, container/bridge or container");
    }));
    REGATTA_RETURN_IF_ERROR(mode_ok);
    REGATTA_RETURN_IF_ERROR(o.String("name", [&](const std::string& v) { spec.setNetworkName(v); }));
    REGATTA_RETURN_IF_ERROR(o.Ignore("labels"));
    REGATTA_RETURN_IF_ERROR(o.Finish());
  }
  return Status::Ok();
}

Status DecodeHealthChecks(const Field& f, AppSpec::Builder spec) {
  REGATTA_RETURN_IF_ERROR(f.Expect(Json::value_t::array, "an array of health checks"));
  auto list = spec.initHealthChecks(static_cast<unsigned>(f.json->size()));
  for (unsigned i = 0; i < f.json->size(); ++i) {
    ObjectReader o(f.At(i));
    REGATTA_RETURN_IF_ERROR(o.status());
    auto h = list[i];
    Status protocol = Status::Ok();
    REGATTA_RETURN_IF_ERROR(o.String("protocol", [&](const std::string& p) {
      using P = schema::HealthCheck::Protocol;
      if (p == "HTTP" || p == "MESOS_HTTP") h.setProtocol(P::HTTP);
      else if (p == "HTTPS" || p == "MESOS_HTTPS") h.setProtocol(P::HTTPS);
      else if (p == "TCP" || p == "MESOS_TCP") h.setProtocol(P::TCP);
      else if (p == "COMMAND") h.setProtocol(P::COMMAND);
      else protocol = Status::InvalidField(o.Path("protocol"), "must be HTTP, HTTPS, TCP or COMMAND (or MESOS_...)");
    }));
    REGATTA_RETURN_IF_ERROR(protocol);
    REGATTA_RETURN_IF_ERROR(o.String("path", [&](const std::string& v) { h.setPath(v); }));
    REGATTA_RETURN_IF_ERROR(o.UInt("portIndex", 0, 1000, [&](std::uint64_t v) { h.setPortIndex(static_cast<std::uint32_t>(v)); }));
    REGATTA_RETURN_IF_ERROR(o.UInt("port", 0, 65535, [&](std::uint64_t v) { h.setPort(static_cast<std::uint32_t>(v)); }));
    REGATTA_RETURN_IF_ERROR(o.Any("command", [&](const Field& c) -> Status {
      if (c.json->is_string()) {
        h.setCommand(c.json->get<std::string>());
        return Status::Ok();
      }
      ObjectReader command(c);
      REGATTA_RETURN_IF_ERROR(command.status());
      REGATTA_RETURN_IF_ERROR(command.String("value", [&](const std::string& v) { h.setCommand(v); }));
      return command.Finish();
    }));
    REGATTA_RETURN_IF_ERROR(o.Number("gracePeriodSeconds", 0, 1e9, [&](double v) { h.setGracePeriodSeconds(v); }));
    REGATTA_RETURN_IF_ERROR(o.Number("intervalSeconds", 0, 1e9, [&](double v) { h.setIntervalSeconds(v); }));
    REGATTA_RETURN_IF_ERROR(o.Number("timeoutSeconds", 0, 1e9, [&](double v) { h.setTimeoutSeconds(v); }));
    REGATTA_RETURN_IF_ERROR(o.Number("delaySeconds", 0, 1e9, [&](double v) { h.setDelaySeconds(v); }));
    REGATTA_RETURN_IF_ERROR(o.UInt("maxConsecutiveFailures", 0, 1u << 30,
                                   [&](std::uint64_t v) { h.setMaxConsecutiveFailures(static_cast<std::uint32_t>(v)); }));
    REGATTA_RETURN_IF_ERROR(o.Bool("ignoreHttp1xx", [&](bool v) { h.setIgnoreHttp1xx(v); }));
    REGATTA_RETURN_IF_ERROR(o.Ignore("ipProtocol"));
    REGATTA_RETURN_IF_ERROR(o.Finish());
  }
  return Status::Ok();
}

Status DecodeReadinessChecks(const Field& f, AppSpec::Builder spec) {
  REGATTA_RETURN_IF_ERROR(f.Expect(Json::value_t::array, "an array of readiness checks"));
  auto list = spec.initReadinessChecks(static_cast<unsigned>(f.json->size()));
  for (unsigned i = 0; i < f.json->size(); ++i) {
    ObjectReader o(f.At(i));
    REGATTA_RETURN_IF_ERROR(o.status());
    auto r = list[i];
    r.setName("readinessCheck");
    r.setPath("/");
    REGATTA_RETURN_IF_ERROR(o.String("name", [&](const std::string& v) { r.setName(v); }));
    REGATTA_RETURN_IF_ERROR(o.String("protocol", [&](const std::string& v) { r.setProtocol(v); }));
    REGATTA_RETURN_IF_ERROR(o.String("path", [&](const std::string& v) { r.setPath(v); }));
    REGATTA_RETURN_IF_ERROR(o.String("portName", [&](const std::string& v) { r.setPortName(v); }));
    REGATTA_RETURN_IF_ERROR(o.Number("intervalSeconds", 0, 1e9, [&](double v) { r.setIntervalSeconds(v); }));
    REGATTA_RETURN_IF_ERROR(o.Number("timeoutSeconds", 0, 1e9, [&](double v) { r.setTimeoutSeconds(v); }));
    REGATTA_RETURN_IF_ERROR(o.Bool("preserveLastResponse", [&](bool v) { r.setPreserveLastResponse(v); }));
    REGATTA_RETURN_IF_ERROR(o.Any("httpStatusCodesForReady", [&](const Field& codes) -> Status {
      REGATTA_RETURN_IF_ERROR(codes.Expect(Json::value_t::array, "an array of status codes"));
      auto list = r.initHttpStatusCodesForReady(static_cast<unsigned>(codes.json->size()));
      for (unsigned k = 0; k < codes.json->size(); ++k) {
        REGATTA_RETURN_IF_ERROR(codes.At(k).ExpectUInt(100, 599));
        list.set(k, (*codes.json)[k].get<std::uint32_t>());
      }
      return Status::Ok();
    }));
    REGATTA_RETURN_IF_ERROR(o.Finish());
  }
  return Status::Ok();
}

Status DecodeUpgradeStrategy(const Field& f, AppSpec::Builder spec) {
  ObjectReader o(f);
  REGATTA_RETURN_IF_ERROR(o.status());
  auto u = spec.initUpgradeStrategy();
  REGATTA_RETURN_IF_ERROR(o.Number("minimumHealthCapacity", 0, 1, [&](double v) { u.setMinimumHealthCapacity(v); }));
  REGATTA_RETURN_IF_ERROR(o.Number("maximumOverCapacity", 0, 1, [&](double v) { u.setMaximumOverCapacity(v); }));
  // Regatta's extensions (the deployment engine acts on them).
  REGATTA_RETURN_IF_ERROR(o.Number("progressDeadlineSeconds", 0, 1e9, [&](double v) { u.setProgressDeadlineSeconds(v); }));
  REGATTA_RETURN_IF_ERROR(o.Bool("autoRevert", [&](bool v) { u.setAutoRevert(v); }));
  REGATTA_RETURN_IF_ERROR(o.Number("minReadySeconds", 0, 1e9, [&](double v) { u.setMinReadySeconds(v); }));
  REGATTA_RETURN_IF_ERROR(o.Number("canaries", 0, 1e6, [&](double v) { u.setCanaries(static_cast<std::uint32_t>(v)); }));
  REGATTA_RETURN_IF_ERROR(o.Bool("autoPromote", [&](bool v) { u.setAutoPromote(v); }));
  return o.Finish();
}

Status DecodeUnreachable(const Field& f, AppSpec::Builder spec) {
  auto u = spec.initUnreachableStrategy();
  u.setGiven(true);
  if (f.json->is_string()) {
    if (f.json->get<std::string>() != "disabled") return Status::InvalidField(f.path, "a strategy object or \"disabled\"");
    u.setDisabled(true);
    return Status::Ok();
  }
  ObjectReader o(f);
  REGATTA_RETURN_IF_ERROR(o.status());
  REGATTA_RETURN_IF_ERROR(o.Number("inactiveAfterSeconds", 0, 1e12, [&](double v) { u.setInactiveAfterSeconds(v); }));
  REGATTA_RETURN_IF_ERROR(o.Number("expungeAfterSeconds", 0, 1e12, [&](double v) { u.setExpungeAfterSeconds(v); }));
  return o.Finish();
}

Status DecodeFetch(const Field& f, AppSpec::Builder spec, bool legacy_uris) {
  REGATTA_RETURN_IF_ERROR(f.Expect(Json::value_t::array, legacy_uris ? "an array of URIs" : "an array of fetch objects"));
  auto list = spec.initFetch(static_cast<unsigned>(f.json->size()));
  for (unsigned i = 0; i < f.json->size(); ++i) {
    if (legacy_uris) {
      REGATTA_RETURN_IF_ERROR(f.At(i).Expect(Json::value_t::string, "a URI"));
      list[i].setUri((*f.json)[i].get<std::string>());
      continue;
    }
    ObjectReader o(f.At(i));
    REGATTA_RETURN_IF_ERROR(o.status());
    REGATTA_RETURN_IF_ERROR(o.String("uri", [&](const std::string& v) { list[i].setUri(v); }));
    REGATTA_RETURN_IF_ERROR(o.Bool("extract", [&](bool v) { list[i].setExtract(v); }));
    REGATTA_RETURN_IF_ERROR(o.Bool("executable", [&](bool v) { list[i].setExecutable(v); }));
    REGATTA_RETURN_IF_ERROR(o.Bool("cache", [&](bool v) { list[i].setCache(v); }));
    REGATTA_RETURN_IF_ERROR(o.String("destPath", [&](const std::string& v) { list[i].setDestPath(v); }));
    REGATTA_RETURN_IF_ERROR(o.Finish());
  }
  return Status::Ok();
}

Status DecodeStrings(const Field& f, std::function<capnp::List<capnp::Text>::Builder(unsigned)> init) {
  REGATTA_RETURN_IF_ERROR(f.Expect(Json::value_t::array, "an array of strings"));
  auto list = init(static_cast<unsigned>(f.json->size()));
  for (unsigned i = 0; i < f.json->size(); ++i) {
    REGATTA_RETURN_IF_ERROR(f.At(i).Expect(Json::value_t::string, "a string"));
    list.set(i, (*f.json)[i].get<std::string>());
  }
  return Status::Ok();
}

}  // namespace

Status DecodeDependencies(const Field& f, const std::string& base,
                          const std::function<capnp::List<capnp::Text>::Builder(unsigned)>& init) {
  REGATTA_RETURN_IF_ERROR(f.Expect(Json::value_t::array, "an array of strings"));
  auto list = init(static_cast<unsigned>(f.json->size()));
  for (unsigned i = 0; i < f.json->size(); ++i) {
    REGATTA_RETURN_IF_ERROR(f.At(i).Expect(Json::value_t::string, "a string"));
    const std::string written = (*f.json)[i].get<std::string>();
    const std::optional<std::string> resolved = domain::ResolvePath(base, written);
    if (!resolved) return Status::InvalidField(f.At(i).Where(), written + " climbs above the root group");
    list.set(i, *resolved);
  }
  return Status::Ok();
}

namespace {

void DefaultPorts(AppSpec::Builder spec) {
  auto list = spec.initPortDefinitions(1);
  list[0].setName("default");
  list[0].setProtocol("tcp");
}

}  // namespace

std::string NormalizeAppId(std::string_view id) {
  std::string out = "/";
  for (char c : id) {
    if (c == '/' && out.back() == '/') continue;
    out += c;
  }
  if (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

std::string JsonPointer(const std::string& field) {
  std::string out = "/";
  for (char c : field) {
    if (c == '.' || c == '[') {
      if (out.back() != '/') out += '/';
    } else if (c != ']') {
      out += c;
    }
  }
  if (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

Result<Json> ParseBody(std::string_view body) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return Status::InvalidField("/", "Please specify data in JSON format: the body is empty");
  }
  try {
    return Json::parse(body);
  } catch (const Json::parse_error& e) {
    return Status::InvalidField("/", "Invalid JSON at offset " + std::to_string(e.byte) + ": " + e.what());
  } catch (const Json::exception& e) {  // a number out of range (1e999) is not a parse_error
    return Status::InvalidField("/", std::string("Invalid JSON: ") + e.what());
  }
}

Status DecodeApp(const Json& json, AppSpec::Builder spec, std::optional<std::string> id) {
  ObjectReader o(Field{"", &json});
  REGATTA_RETURN_IF_ERROR(o.status());
  for (const std::string& key : kUnsupported) {
    if (json.contains(key) && !json[key].is_null()) {
      return Status::InvalidField("/" + key, "is not supported by Regatta");
    }
    REGATTA_RETURN_IF_ERROR(o.Ignore(key));  // null: absent
  }
  bool has_id = false;
  REGATTA_RETURN_IF_ERROR(o.String("id", [&](const std::string& v) {
    spec.setId(NormalizeAppId(v));
    has_id = true;
  }));
  if (id) {
    spec.setId(NormalizeAppId(*id));
    has_id = true;
  }
  if (!has_id) return Status::InvalidField("/id", "required");
  spec.setInstances(1);
  spec.setCpus(1);
  spec.setMemMb(128);
  spec.setRole("*");
  REGATTA_RETURN_IF_ERROR(o.String("cmd", [&](const std::string& v) { spec.setCmd(v); }));
  REGATTA_RETURN_IF_ERROR(o.Any("args", [&](const Field& a) {
    return DecodeStrings(a, [&](unsigned n) { return spec.initArgs(n); });
  }));
  REGATTA_RETURN_IF_ERROR(o.String("user", [&](const std::string& v) { spec.setUser(v); }));
  REGATTA_RETURN_IF_ERROR(o.Any("env", [&](const Field& e) { return DecodeEnv(e, spec); }));
  REGATTA_RETURN_IF_ERROR(o.UInt("instances", 0, 1'000'000, [&](std::uint64_t v) { spec.setInstances(static_cast<std::uint32_t>(v)); }));
  REGATTA_RETURN_IF_ERROR(o.Number("cpus", 0, 1e9, [&](double v) { spec.setCpus(v); }));
  REGATTA_RETURN_IF_ERROR(o.Number("mem", 0, 1e9, [&](double v) { spec.setMemMb(v); }));
  REGATTA_RETURN_IF_ERROR(o.Number("disk", 0, 1e9, [&](double v) { spec.setDiskMb(v); }));
  REGATTA_RETURN_IF_ERROR(o.Number("gpus", 0, 1e9, [&](double v) { spec.setGpus(v); }));
  REGATTA_RETURN_IF_ERROR(o.String("executor", [&](const std::string& v) { spec.setExecutor(v); }));
  REGATTA_RETURN_IF_ERROR(o.Any("constraints", [&](const Field& c) { return DecodeConstraints(c, spec); }));
  REGATTA_RETURN_IF_ERROR(o.Any("acceptedResourceRoles", [&](const Field& r) {
    return DecodeStrings(r, [&](unsigned n) { return spec.initAcceptedResourceRoles(n); });
  }));
  REGATTA_RETURN_IF_ERROR(o.Any("uris", [&](const Field& u) { return DecodeFetch(u, spec, true); }));
  REGATTA_RETURN_IF_ERROR(o.Any("fetch", [&](const Field& u) { return DecodeFetch(u, spec, false); }));
  bool ports_given = false;
  REGATTA_RETURN_IF_ERROR(o.Any("ports", [&](const Field& p) {
    ports_given = true;
    return DecodePorts(p, spec);
  }));
  REGATTA_RETURN_IF_ERROR(o.Any("portDefinitions", [&](const Field& p) {
    ports_given = true;
    return DecodePortDefinitions(p, spec);
  }));
  REGATTA_RETURN_IF_ERROR(o.Bool("requirePorts", [&](bool v) { spec.setRequirePorts(v); }));
  REGATTA_RETURN_IF_ERROR(o.Number("backoffSeconds", 0, 1e9, [&](double v) { spec.setBackoffSeconds(v); }));
  REGATTA_RETURN_IF_ERROR(o.Number("backoffFactor", 1, 1e9, [&](double v) { spec.setBackoffFactor(v); }));
  REGATTA_RETURN_IF_ERROR(o.Number("maxLaunchDelaySeconds", 0, 1e9, [&](double v) { spec.setMaxLaunchDelaySeconds(v); }));
  REGATTA_RETURN_IF_ERROR(o.Any("networks", [&](const Field& n) { return DecodeNetworks(n, spec); }));
  REGATTA_RETURN_IF_ERROR(o.Any("container", [&](const Field& c) { return DecodeContainer(c, spec); }));
  REGATTA_RETURN_IF_ERROR(o.Any("healthChecks", [&](const Field& h) { return DecodeHealthChecks(h, spec); }));
  REGATTA_RETURN_IF_ERROR(o.Any("readinessChecks", [&](const Field& r) { return DecodeReadinessChecks(r, spec); }));
  REGATTA_RETURN_IF_ERROR(o.Any("dependencies", [&](const Field& d) {
    return DecodeDependencies(d, domain::ParentPath(spec.getId().cStr()),
                              [&](unsigned n) { return spec.initDependencies(n); });
  }));
  REGATTA_RETURN_IF_ERROR(o.Any("upgradeStrategy", [&](const Field& u) { return DecodeUpgradeStrategy(u, spec); }));
  REGATTA_RETURN_IF_ERROR(o.Any("labels", [&](const Field& l) { return LabelsInto(l, spec); }));
  REGATTA_RETURN_IF_ERROR(o.Number("taskKillGracePeriodSeconds", 0, 1e9, [&](double v) { spec.setKillGracePeriodSeconds(v); }));
  Status selection = Status::Ok();
  REGATTA_RETURN_IF_ERROR(o.String("killSelection", [&](const std::string& v) {
    if (v == "YOUNGEST_FIRST") spec.setKillSelection(schema::KillSelection::YOUNGEST_FIRST);
    else if (v == "OLDEST_FIRST") spec.setKillSelection(schema::KillSelection::OLDEST_FIRST);
    else selection = Status::InvalidField("/killSelection", "must be YOUNGEST_FIRST or OLDEST_FIRST");
  }));
  REGATTA_RETURN_IF_ERROR(selection);
  REGATTA_RETURN_IF_ERROR(o.Any("unreachableStrategy", [&](const Field& u) { return DecodeUnreachable(u, spec); }));
  REGATTA_RETURN_IF_ERROR(o.String("role", [&](const std::string& v) { spec.setRole(v); }));
  // Regatta's extensions: run-to-completion jobs.
  Status kind = Status::Ok();
  REGATTA_RETURN_IF_ERROR(o.String("kind", [&](const std::string& v) {
    if (v == "job") spec.setKind(schema::WorkloadKind::JOB);
    else if (v != "service") kind = Status::InvalidField("/kind", "must be service or job");
  }));
  REGATTA_RETURN_IF_ERROR(kind);
  REGATTA_RETURN_IF_ERROR(o.UInt("maxRetries", 0, 1'000'000, [&](std::uint64_t v) { spec.setMaxRetries(static_cast<std::uint32_t>(v)); }));
  for (const std::string& key : kReadOnly) REGATTA_RETURN_IF_ERROR(o.Ignore(key));
  REGATTA_RETURN_IF_ERROR(o.Finish());
  const bool host_network = spec.getNetworking() == schema::NetworkMode::HOST;
  if (!ports_given && host_network) DefaultPorts(spec);
  if (spec.getCmd().size() == 0 && spec.getArgs().size() == 0 && spec.getContainer().getKind() != schema::ContainerSpec::Kind::OCI) {
    return Status::InvalidField("/", "AppDefinition must either contain one of 'cmd' or 'args', and/or a 'container'.");
  }
  return Status::Ok();
}

}  // namespace regatta::marathon

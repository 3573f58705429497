#include "events/domain/app_spec_check.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <string>

#include "events/domain/app_definition.h"
#include "events/domain/constraint.h"
#include "events/domain/resources.h"
#include "events/domain/text.h"

namespace regatta::domain {
namespace {

std::string_view View(capnp::Text::Reader text) { return {text.cStr(), text.size()}; }

// One path segment by Marathon's rule: labels of lowercase letters, digits
// and '-' separated by single dots, no label starting or ending with '-'
// ("web", "v1.2", "my-app"; not "-web", "a..b", ".", ".."), and at most 63
// characters, since discovery turns it into a DNS label.
std::string SegmentProblem(std::string_view segment) {
  if (segment.empty()) return "an empty path segment";
  if (segment == "." || segment == "..") return "a path segment may not be . or ..";
  if (segment.size() > 63) return "a path segment longer than 63 characters (a DNS label's limit)";
  std::size_t label_start = 0;
  for (std::size_t i = 0; i <= segment.size(); ++i) {
    if (i < segment.size() && segment[i] != '.') {
      const char c = segment[i];
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
        return "only lowercase letters, digits, '-' and '.' may make a path segment";
      }
      continue;
    }
    const std::string_view label = segment.substr(label_start, i - label_start);
    if (label.empty()) return "a path segment may not start or end with '.', nor hold '..'";
    if (label.front() == '-' || label.back() == '-') return "a path segment's parts may not start or end with '-'";
    label_start = i + 1;
  }
  return "";
}

Status CheckAppId(std::string_view id) { return CheckPath("id", id); }

Status CheckLabels(const char* what, capnp::List<schema::KeyValue>::Reader pairs) {
  for (unsigned i = 0; i < pairs.size(); ++i) {
    const std::string field = std::string(what) + "[" + std::to_string(i) + "]";
    REGATTA_RETURN_IF_ERROR(CheckName(field + ".key", View(pairs[i].getKey())));
    if (pairs[i].getKey().size() == 0) return Status::InvalidField(field + ".key", "must not be empty");
    REGATTA_RETURN_IF_ERROR(CheckName(field + ".value", View(pairs[i].getValue())));
  }
  return Status::Ok();
}

Status CheckCommand(schema::AppSpec::Reader spec) {
  const bool image = spec.getContainer().getKind() == schema::ContainerSpec::Kind::OCI &&
                     spec.getContainer().getImage().size() > 0;
  if (spec.getCmd().size() == 0 && spec.getArgs().size() == 0 && !image) {
    return Status::InvalidField("cmd", "an app needs cmd, args or a container image");
  }
  REGATTA_RETURN_IF_ERROR(CheckUtf8("cmd", View(spec.getCmd())));
  for (unsigned i = 0; i < spec.getArgs().size(); ++i) {
    REGATTA_RETURN_IF_ERROR(CheckUtf8("args[" + std::to_string(i) + "]", View(spec.getArgs()[i])));
  }
  auto env = spec.getEnv();
  for (unsigned i = 0; i < env.size(); ++i) {
    const std::string field = "env[" + std::to_string(i) + "]";
    REGATTA_RETURN_IF_ERROR(CheckName(field + ".name", View(env[i].getKey())));
    if (env[i].getKey().size() == 0 || View(env[i].getKey()).find('=') != std::string_view::npos) {
      return Status::InvalidField(field + ".name", Quote(View(env[i].getKey())) + " is not a variable name");
    }
    REGATTA_RETURN_IF_ERROR(CheckUtf8(field + ".value", View(env[i].getValue())));
  }
  REGATTA_RETURN_IF_ERROR(CheckName("user", View(spec.getUser())));
  REGATTA_RETURN_IF_ERROR(CheckName("role", View(spec.getRole())));
  return CheckName("container.image", View(spec.getContainer().getImage()));
}

Status CheckProtocol(const std::string& field, std::string_view protocol) {
  if (protocol.empty() || protocol == "tcp" || protocol == "udp" || protocol == "udp,tcp" || protocol == "tcp,udp") {
    return Status::Ok();
  }
  return Status::InvalidField(field, Quote(protocol) + " is not tcp, udp or udp,tcp");
}

// Ports are 16-bit; with requirePorts each nonzero port is a host port the
// task must get, so one app cannot name the same one twice.
Status CheckPortDefinitions(schema::AppSpec::Reader spec) {
  std::set<std::uint32_t> required;
  const auto definitions = spec.getPortDefinitions();
  for (unsigned i = 0; i < definitions.size(); ++i) {
    const std::uint32_t port = definitions[i].getPort();
    const std::string at = "portDefinitions[" + std::to_string(i) + "]";
    const std::string field = at + ".port";
    if (port > 65535) return Status::InvalidField(field, std::to_string(port) + " is not a port (0-65535)");
    if (spec.getRequirePorts() && port != 0 && !required.insert(port).second) {
      return Status::InvalidField(field, "host port " + std::to_string(port) + " is required twice");
    }
    REGATTA_RETURN_IF_ERROR(CheckName(at + ".name", View(definitions[i].getName())));
    REGATTA_RETURN_IF_ERROR(CheckProtocol(at + ".protocol", View(definitions[i].getProtocol())));
    REGATTA_RETURN_IF_ERROR(CheckLabels((at + ".labels").c_str(), definitions[i].getLabels()));
  }
  const auto mappings = spec.getPortMappings();
  for (unsigned i = 0; i < mappings.size(); ++i) {
    const std::string at = "container.portMappings[" + std::to_string(i) + "]";
    const std::pair<const char*, std::uint32_t> ports[] = {{".containerPort", mappings[i].getContainerPort()},
                                                           {".hostPort", mappings[i].getHostPort()},
                                                           {".servicePort", mappings[i].getServicePort()}};
    for (const auto& [name, port] : ports) {
      if (port > 65535) return Status::InvalidField(at + name, std::to_string(port) + " is not a port (0-65535)");
    }
    REGATTA_RETURN_IF_ERROR(CheckName(at + ".name", View(mappings[i].getName())));
    REGATTA_RETURN_IF_ERROR(CheckProtocol(at + ".protocol", View(mappings[i].getProtocol())));
  }
  return Status::Ok();
}

// A resource every task needs some of: checked as an amount, then > 0.
Status CheckNeeded(const char* field, double value) {
  REGATTA_RETURN_IF_ERROR(CheckResourceAmount(field, value));
  if (value > 0) return Status::Ok();
  return Status::InvalidField(field, "must be greater than 0");
}

Status CheckQuantities(schema::AppSpec::Reader spec) {
  REGATTA_RETURN_IF_ERROR(CheckNeeded("cpus", spec.getCpus()));
  REGATTA_RETURN_IF_ERROR(CheckNeeded("mem", spec.getMemMb()));
  REGATTA_RETURN_IF_ERROR(CheckResourceAmount("disk", spec.getDiskMb()));
  return CheckResourceAmount("gpus", spec.getGpus());
}

Status CheckSecondsField(const std::string& field, double value) {
  if (std::isfinite(value) && value >= 0) return Status::Ok();
  return Status::InvalidField(field, "must be a finite number >= 0, not " + std::to_string(value));
}

Status CheckFraction(const std::string& field, double value) {
  if (std::isfinite(value) && value >= 0 && value <= 1) return Status::Ok();
  return Status::InvalidField(field, "must be between 0 and 1, not " + std::to_string(value));
}

Status CheckChecks(schema::AppSpec::Reader spec) {
  const auto health = spec.getHealthChecks();
  for (unsigned i = 0; i < health.size(); ++i) {
    const std::string at = "healthChecks[" + std::to_string(i) + "]";
    auto h = health[i];
    REGATTA_RETURN_IF_ERROR(CheckUtf8(at + ".path", View(h.getPath())));
    REGATTA_RETURN_IF_ERROR(CheckUtf8(at + ".command", View(h.getCommand())));
    REGATTA_RETURN_IF_ERROR(CheckSecondsField(at + ".gracePeriodSeconds", h.getGracePeriodSeconds()));
    REGATTA_RETURN_IF_ERROR(CheckSecondsField(at + ".intervalSeconds", h.getIntervalSeconds()));
    REGATTA_RETURN_IF_ERROR(CheckSecondsField(at + ".timeoutSeconds", h.getTimeoutSeconds()));
    const bool uses_port = h.getProtocol() != schema::HealthCheck::Protocol::COMMAND;
    if (uses_port && h.getPortIndex() >= spec.getPortDefinitions().size() &&
        h.getPortIndex() >= spec.getPortMappings().size()) {
      return Status::InvalidField(at + ".portIndex", std::to_string(h.getPortIndex()) + " names no port of the app");
    }
  }
  const auto readiness = spec.getReadinessChecks();
  for (unsigned i = 0; i < readiness.size(); ++i) {
    const std::string at = "readinessChecks[" + std::to_string(i) + "]";
    REGATTA_RETURN_IF_ERROR(CheckName(at + ".name", View(readiness[i].getName())));
    REGATTA_RETURN_IF_ERROR(CheckUtf8(at + ".path", View(readiness[i].getPath())));
    REGATTA_RETURN_IF_ERROR(CheckSecondsField(at + ".intervalSeconds", readiness[i].getIntervalSeconds()));
    REGATTA_RETURN_IF_ERROR(CheckSecondsField(at + ".timeoutSeconds", readiness[i].getTimeoutSeconds()));
    for (auto code : readiness[i].getHttpStatusCodesForReady()) {
      if (code < 100 || code > 599) {
        return Status::InvalidField(at + ".httpStatusCodesForReady", std::to_string(code) + " is not an HTTP status");
      }
    }
  }
  auto strategy = spec.getUpgradeStrategy();
  REGATTA_RETURN_IF_ERROR(CheckFraction("upgradeStrategy.minimumHealthCapacity", strategy.getMinimumHealthCapacity()));
  REGATTA_RETURN_IF_ERROR(CheckFraction("upgradeStrategy.maximumOverCapacity", strategy.getMaximumOverCapacity()));
  REGATTA_RETURN_IF_ERROR(CheckSecondsField("upgradeStrategy.progressDeadlineSeconds",
                                            strategy.getProgressDeadlineSeconds()));
  REGATTA_RETURN_IF_ERROR(CheckSecondsField("upgradeStrategy.minReadySeconds", strategy.getMinReadySeconds()));
  const auto dependencies = spec.getDependencies();
  for (unsigned i = 0; i < dependencies.size(); ++i) {
    REGATTA_RETURN_IF_ERROR(CheckPath("dependencies[" + std::to_string(i) + "]", View(dependencies[i])));
  }
  const auto volumes = spec.getVolumes();
  for (unsigned i = 0; i < volumes.size(); ++i) {
    const std::string at = "container.volumes[" + std::to_string(i) + "]";
    REGATTA_RETURN_IF_ERROR(CheckName(at + ".containerPath", View(volumes[i].getContainerPath())));
    REGATTA_RETURN_IF_ERROR(CheckName(at + ".hostPath", View(volumes[i].getHostPath())));
    REGATTA_RETURN_IF_ERROR(CheckResourceAmount(at + ".persistent.size", volumes[i].getSizeMb()));
  }
  return Status::Ok();
}

Status CheckConstraintText(schema::AppSpec::Reader spec) {
  const auto constraints = spec.getConstraints();
  for (unsigned i = 0; i < constraints.size(); ++i) {
    const std::string at = "constraints[" + std::to_string(i) + "]";
    REGATTA_RETURN_IF_ERROR(CheckName(at, View(constraints[i].getField())));
    REGATTA_RETURN_IF_ERROR(CheckName(at, View(constraints[i].getOperator())));
    REGATTA_RETURN_IF_ERROR(CheckName(at, View(constraints[i].getValue())));
  }
  return Status::Ok();
}

Status CheckTimings(schema::AppSpec::Reader spec) {
  BackoffPolicy policy;
  policy.backoff_seconds = spec.getBackoffSeconds();
  policy.factor = spec.getBackoffFactor();
  policy.max_delay_seconds = spec.getMaxLaunchDelaySeconds();
  REGATTA_RETURN_IF_ERROR(CheckBackoffPolicy(policy));
  const double grace = spec.getKillGracePeriodSeconds();
  if (!std::isfinite(grace) || grace < 0) {
    return Status::InvalidField("killGracePeriodSeconds", "must be a finite number >= 0, not " + std::to_string(grace));
  }
  return Status::Ok();
}

}  // namespace

Status CheckPath(const std::string& field, std::string_view id, bool root_allowed) {
  REGATTA_RETURN_IF_ERROR(CheckName(field, id));
  if (id.empty()) return Status::InvalidField(field, "required: an absolute path like /prod/web");
  if (id.size() > kMaxAppIdLength) {
    return Status::InvalidField(field, Quote(id) + " is longer than " + std::to_string(kMaxAppIdLength) + " characters");
  }
  if (root_allowed && id == "/") return Status::Ok();
  if (id[0] != '/' || id.size() < 2) {
    return Status::InvalidField(field, Quote(id) + " must be an absolute path like /prod/web");
  }
  for (std::size_t start = 1; start <= id.size();) {
    const std::size_t slash = std::min(id.find('/', start), id.size());
    if (std::string problem = SegmentProblem(id.substr(start, slash - start)); !problem.empty()) {
      return Status::InvalidField(field, Quote(id) + ": " + problem);
    }
    start = slash + 1;
  }
  return Status::Ok();
}

Status CheckAppSpec(schema::AppSpec::Reader spec) {
  REGATTA_RETURN_IF_ERROR(CheckAppId(View(spec.getId())));
  REGATTA_RETURN_IF_ERROR(CheckCommand(spec));
  REGATTA_RETURN_IF_ERROR(CheckQuantities(spec));
  REGATTA_RETURN_IF_ERROR(CheckLabels("labels", spec.getLabels()));
  if (spec.getKind() == schema::WorkloadKind::JOB && spec.getInstances() == 0) {
    return Status::InvalidField("instances", "a job needs at least one completion");
  }
  REGATTA_RETURN_IF_ERROR(CheckPortDefinitions(spec));
  REGATTA_RETURN_IF_ERROR(CheckConstraintText(spec));
  if (auto constraints = ParseConstraints(spec.getConstraints()); !constraints.ok()) return constraints.status();
  REGATTA_RETURN_IF_ERROR(CheckChecks(spec));
  return CheckTimings(spec);
}

}  // namespace regatta::domain

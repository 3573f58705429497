#include "events/domain/app_spec_check.h"

#include <cmath>
#include <set>
#include <string>

#include "events/domain/app_definition.h"
#include "events/domain/constraint.h"
#include "events/domain/resources.h"

namespace regatta::domain {
namespace {

Status CheckAppId(const std::string& id) {
  const Status bad = Status::InvalidField(
      "id", "'" + id + "' must be an absolute path of lowercase letters, digits, '-' and '.', like /prod/web");
  if (id.size() < 2 || id[0] != '/' || id.back() == '/') return bad;
  for (std::size_t i = 1; i < id.size(); ++i) {
    const char c = id[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
                    (c == '/' && id[i - 1] != '/');
    if (!ok) return bad;
  }
  return Status::Ok();
}

// Ports are 16-bit; with requirePorts each nonzero port is a host port the
// task must get, so one app cannot name the same one twice.
Status CheckPortDefinitions(schema::AppSpec::Reader spec) {
  std::set<std::uint32_t> required;
  const auto definitions = spec.getPortDefinitions();
  for (unsigned i = 0; i < definitions.size(); ++i) {
    const std::uint32_t port = definitions[i].getPort();
    const std::string field = "portDefinitions[" + std::to_string(i) + "].port";
    if (port > 65535) return Status::InvalidField(field, std::to_string(port) + " is not a port");
    if (spec.getRequirePorts() && port != 0 && !required.insert(port).second) {
      return Status::InvalidField(field, "host port " + std::to_string(port) + " is required twice");
    }
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

Status CheckAppSpec(schema::AppSpec::Reader spec) {
  REGATTA_RETURN_IF_ERROR(CheckAppId(std::string(spec.getId().cStr(), spec.getId().size())));
  if (spec.getCmd().size() == 0 && spec.getArgs().size() == 0) {
    return Status::InvalidField("cmd", "an app needs cmd or args");
  }
  REGATTA_RETURN_IF_ERROR(CheckQuantities(spec));
  if (spec.getKind() == schema::WorkloadKind::JOB && spec.getInstances() == 0) {
    return Status::InvalidField("instances", "a job needs at least one completion");
  }
  REGATTA_RETURN_IF_ERROR(CheckPortDefinitions(spec));
  if (auto constraints = ParseConstraints(spec.getConstraints()); !constraints.ok()) return constraints.status();
  return CheckTimings(spec);
}

}  // namespace regatta::domain

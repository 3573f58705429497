// The one check of an app spec, whoever sends it: the CLI, the Marathon and
// Kubernetes APIs (through the master's decide step, which calls it). Each
// refusal is InvalidArgument with the field's path (Status::field()) and the
// reason, so an API can report them apart.
//
// What it checks, field by field:
//   id, dependencies[i]
//                 an absolute path (at most 255 characters) of segments by
//                 Marathon's rule: lowercase letters, digits, '-' and '.',
//                 no part starting or ending with '-' or '.', no "." or
//                 "..", each at most 63 characters (a DNS label)
//   text          ids, names, labels, paths and images are UTF-8 with no
//                 control characters; commands, args and env values UTF-8
//   cmd / args    at least one of them
//   cpus, mem     finite, > 0, at most kMaxResourceAmount
//   disk, gpus    finite, >= 0, at most kMaxResourceAmount
//   instances     a job needs at least one completion
//   portDefinitions[i].port   0..65535; with requirePorts, no port twice
//   constraints[i]            parses (domain/constraint.h)
//   portDefinitions[i].protocol, container.portMappings[i]   tcp, udp or both; ports 0..65535
//   healthChecks, readinessChecks   finite durations, a portIndex that names a port, HTTP codes 100..599
//   upgradeStrategy   capacities between 0 and 1, a finite deadline
//   backoffSeconds, backoffFactor, maxLaunchDelaySeconds, killGracePeriodSeconds
//                 finite and not negative (the factor at least 1)
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "events/base/status.h"
#include "regatta/events.capnp.h"

namespace regatta::domain {

inline constexpr std::size_t kMaxAppIdLength = 255;

[[nodiscard]] Status CheckAppSpec(schema::AppSpec::Reader spec);

// An app's or group's id, or a dependency: an absolute path of segments by
// the rule above ("/" itself only with root_allowed). InvalidArgument naming
// `field` otherwise.
[[nodiscard]] Status CheckPath(const std::string& field, std::string_view id, bool root_allowed = false);

}  // namespace regatta::domain

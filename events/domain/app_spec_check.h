// The one check of an app spec, whoever sends it: the CLI, the Marathon and
// Kubernetes APIs (through the master's decide step, which calls it). Each
// refusal is InvalidArgument with the field's path (Status::field()) and the
// reason, so an API can report them apart.
//
// What it checks, field by field:
//   id            an absolute path of lowercase letters, digits, '-' and '.'
//   cmd / args    at least one of them
//   cpus, mem     finite, > 0, at most kMaxResourceAmount
//   disk, gpus    finite, >= 0, at most kMaxResourceAmount
//   instances     a job needs at least one completion
//   portDefinitions[i].port   0..65535; with requirePorts, no port twice
//   constraints[i]            parses (domain/constraint.h)
//   backoffSeconds, backoffFactor, maxLaunchDelaySeconds, killGracePeriodSeconds
//                 finite and not negative (the factor at least 1)
#pragma once

#include "events/base/status.h"
#include "regatta/events.capnp.h"

namespace regatta::domain {

[[nodiscard]] Status CheckAppSpec(schema::AppSpec::Reader spec);

}  // namespace regatta::domain

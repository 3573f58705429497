// The master's allocation flags, parsed: which role each built-in framework
// runs in (--framework-role jobs=batch), and each role's DRF weight
// (--role-weight batch=0.5) and quota (--role-quota web=cpus:8,mem:16384).
// Pure: no CAF, no I/O.
#pragma once

#include <string>
#include <vector>

#include "actors/master/master_actor.h"
#include "events/base/status.h"

namespace regatta::cli {

struct RoleFlags {
  std::vector<std::string> framework_roles;  // FRAMEWORK=ROLE
  std::vector<std::string> weights;          // ROLE=WEIGHT
  std::vector<std::string> quotas;           // ROLE=RESOURCE:AMOUNT[,...]
};

// Sets options.framework_roles and options.allocation.roles from `flags`.
// InvalidArgument, naming the flag and the bad item, for a framework other
// than services or jobs, a role name Mesos would refuse, a weight that is
// not a positive number, a quota resource that is unknown or negative, or
// the same framework, weight or quota given twice.
Status ApplyRoleFlags(const RoleFlags& flags, master::MasterOptions& options);

}  // namespace regatta::cli

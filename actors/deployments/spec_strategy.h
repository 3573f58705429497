// An app spec's upgradeStrategy as the rollout planner takes it. Kubernetes'
// maxSurge/maxUnavailable, when either is set, take precedence over
// Marathon's minimumHealthCapacity/maximumOverCapacity (the schema's rule,
// events.capnp UpgradeStrategy); recreate is recreate either way.
#pragma once

#include <cstdint>
#include <optional>

#include "actors/deployments/strategy.h"
#include "regatta/events.capnp.h"

namespace regatta::deployments {

struct SpecRollout {
  Strategy strategy;
  std::int64_t progress_deadline_nanos = 0;  // 0 = none
  bool auto_revert = true;
  bool auto_promote = false;  // promote once every canary is ready
};

// InvalidField naming upgradeStrategy.maxSurge or .maxUnavailable when one
// does not parse, or .progressDeadlineSeconds when it is negative or not
// finite. The bounds are for `instances` (the app's count after any scale),
// or for the spec's own count when nullopt.
Result<SpecRollout> RolloutOf(schema::AppSpec::Reader spec, std::optional<std::uint32_t> instances = std::nullopt);

}  // namespace regatta::deployments

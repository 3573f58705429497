#include "actors/deployments/spec_strategy.h"

#include <cmath>
#include <string>

namespace regatta::deployments {

Result<SpecRollout> RolloutOf(schema::AppSpec::Reader spec, std::optional<std::uint32_t> instances) {
  const std::uint32_t n = instances.value_or(spec.getInstances());
  const auto u = spec.getUpgradeStrategy();
  SpecRollout out;
  out.strategy.kind = u.getKind() == schema::UpgradeStrategy::Kind::RECREATE ? StrategyKind::kRecreate
                                                                              : StrategyKind::kRolling;
  const std::string surge = u.getMaxSurge().cStr();
  const std::string unavailable = u.getMaxUnavailable().cStr();
  if (!surge.empty() || !unavailable.empty()) {
    auto bounds = KubernetesBounds(n, surge, unavailable);
    if (!bounds.ok()) {
      return Status::InvalidField("upgradeStrategy." + bounds.status().field(), bounds.status().reason());
    }
    out.strategy.bounds = *bounds;
  } else {
    out.strategy.bounds =
        MarathonBounds(n, u.getMinimumHealthCapacity(), u.getMaximumOverCapacity());
  }
  const double deadline = u.getProgressDeadlineSeconds();
  if (!std::isfinite(deadline) || deadline < 0) {
    return Status::InvalidField("upgradeStrategy.progressDeadlineSeconds",
                                "must be a number of seconds, 0 or more, not " + std::to_string(deadline));
  }
  out.progress_deadline_nanos = static_cast<std::int64_t>(deadline * 1e9);
  const double min_ready = u.getMinReadySeconds();
  if (!std::isfinite(min_ready) || min_ready < 0) {
    return Status::InvalidField("upgradeStrategy.minReadySeconds",
                                "must be a number of seconds, 0 or more, not " + std::to_string(min_ready));
  }
  out.strategy.min_ready_nanos = static_cast<std::int64_t>(min_ready * 1e9);
  out.strategy.canaries = u.getCanaries();
  out.auto_promote = u.getAutoPromote();
  out.auto_revert = u.getAutoRevert();
  return out;
}

}  // namespace regatta::deployments

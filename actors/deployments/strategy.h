// How far a rollout may stray from its target count: the two numbers every
// rolling strategy reduces to, computed exactly as Marathon and Kubernetes
// compute them (../shared/MISSION.md, "Upgrade semantics worth knowing
// exactly").
//
//   Marathon, instances n, (minimumHealthCapacity, maximumOverCapacity):
//     min_healthy  = ceil(n * minimumHealthCapacity)
//     max_capacity = floor(n * (1 + maximumOverCapacity))
//     n = 10 at (1.0, 1.0) -> 10, 20;  (0.5, 0.2) -> 5, 12;  (0, 0) -> 0, 10
//   and when min_healthy == max_capacity the rollout may run one instance
//   more (one_extra), or it could neither kill nor start anything.
//
//   Kubernetes RollingUpdate, replicas n, maxSurge s, maxUnavailable u
//   (each "25%" or "2"; both default to 25%): s rounds up, u rounds down,
//   and if both come out 0, u is 1:
//     min_healthy  = n - u,  max_capacity = n + s
//     n = 10 at 25%/25% -> surge 3, unavailable 2 -> 8, 13
//     n = 3  at 25%/25% -> surge 1, unavailable 0 -> 3, 4
//
//   Recreate: every old instance goes before a new one starts.
//
// Pure; no clock, no I/O.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "events/base/status.h"

namespace regatta::deployments {

enum class StrategyKind : std::uint8_t { kRolling, kRecreate };

struct Bounds {
  std::uint32_t min_healthy = 0;   // healthy instances kept throughout
  std::uint32_t max_capacity = 0;  // instances not being killed, at most
  bool one_extra = false;          // Marathon's deadlock rule may add one
};

struct Strategy {
  StrategyKind kind = StrategyKind::kRolling;
  Bounds bounds;
  // New instances count as ready only after being ready this long
  // (Kubernetes' minReadySeconds).
  std::int64_t min_ready_nanos = 0;
  // Canaries (Nomad's canary): this many new instances start beside the
  // old ones, and the rollout goes no further until it is promoted.
  std::uint32_t canaries = 0;
};

// REQUIRES nothing: out-of-range fractions are clamped into [0, 1] and
// [0, inf) (the API refuses them before they get here).
Bounds MarathonBounds(std::uint32_t instances, double minimum_health_capacity, double maximum_over_capacity);

// InvalidField naming max_surge or max_unavailable when one is neither a
// whole number nor a whole percentage ("25%"). Empty means 25%.
Result<Bounds> KubernetesBounds(std::uint32_t replicas, std::string_view max_surge,
                                std::string_view max_unavailable);

// An int-or-percent of `total`, rounded up or down; Kubernetes'
// GetScaledValueFromIntOrPercent. InvalidField naming `field`.
Result<std::uint32_t> ScaledValue(std::string_view value, std::uint32_t total, bool round_up,
                                  const std::string& field);

}  // namespace regatta::deployments

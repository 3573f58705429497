// How the allocator actor runs its cycles. No CAF: the master's options
// carry it.
#pragma once

#include <chrono>
#include <map>
#include <string>

#include "actors/allocator/drf.h"
#include "events/base/clock.h"

namespace regatta::allocator {

struct AllocatorOptions {
  // A full cycle runs at least this often (expired refuse filters and
  // offers come back through it). Zero: only when something changes, or a
  // test sends the tick.
  std::chrono::milliseconds interval{100};
  // A change (an event, a session, a decline, a revive) asks for a cycle
  // this soon: changes within the delay share one cycle.
  std::chrono::milliseconds batch_delay{2};
  // An offer unanswered this long is rescinded (Mesos' --offer_timeout).
  std::chrono::milliseconds offer_timeout{std::chrono::seconds(10)};
  std::map<std::string, RoleConfig> roles;  // weights and quotas; unlisted: weight 1
  // What refuse filters and offer timeouts are measured with.
  std::shared_ptr<const Clock> clock = SystemClock();
};

}  // namespace regatta::allocator

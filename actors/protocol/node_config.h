// The actor-system configuration of every Regatta process that talks to
// others: the middleman (CAF over TCP), the message types, and a scheduler
// that goes to sleep soon after it runs out of work.
#pragma once

#include <caf/io/all.hpp>

#include "actors/protocol/wire.h"

namespace regatta::protocol {

inline void ConfigureNode(caf::actor_system_config& cfg) {
  cfg.load<caf::io::middleman>();
  RegisterMessageTypes(cfg);
  // A CAF 0.17 work-stealing worker that runs out of work polls 100 times,
  // then 500 times with a 50 us nap each, before it blocks on its condition
  // variable: 25 ms of polling after every wake-up. The master's and the
  // allocator's 100 ms ticks wake it often enough that an idle master used
  // 12% of a core. 50 naps (2.5 ms) keep the hand-off between busy actors
  // fast and let an idle process sleep (docs/benchmarks.md, idle CPU).
  cfg.set("work-stealing.moderate-poll-attempts", 50);
}

}  // namespace regatta::protocol

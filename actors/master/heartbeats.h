// When the master declares an agent unreachable: pure arithmetic over the
// times a tick sees, so a test states the clock instead of sleeping.
//
// Every tick (100 ms by default) the master looks at when it last heard
// from each agent. An agent silent for longer than the heartbeat timeout is
// unreachable. But a tick that comes late (the master could not read its
// mailbox for a while: a long append, a starved machine) has not yet read
// heartbeats that were sent, so it judges nobody, and gives everyone until
// the next tick. "Late" means more than half a timeout past its due time:
// with a 5 s timeout and 100 ms ticks, a tick 2.7 s after the previous one
// (2.6 s late) skips judging, one 2.6 s after it (2.5 s late) judges.
#pragma once

#include <cstdint>

namespace regatta::master {

struct HeartbeatTick {
  std::int64_t now_nanos = 0;
  std::int64_t previous_tick_nanos = 0;
  std::int64_t tick_period_nanos = 0;
  std::int64_t timeout_nanos = 0;
};

// True when this tick ran too late to judge anyone.
bool TickIsLate(const HeartbeatTick& tick);

// True when an agent last heard from at `last_seen_nanos` has missed its
// heartbeats by the tick's time.
bool MissedHeartbeats(std::int64_t last_seen_nanos, const HeartbeatTick& tick);

}  // namespace regatta::master

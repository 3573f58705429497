#include "actors/master/heartbeats.h"

namespace regatta::master {

bool TickIsLate(const HeartbeatTick& tick) {
  const std::int64_t late_by = tick.now_nanos - tick.previous_tick_nanos - tick.tick_period_nanos;
  return late_by > tick.timeout_nanos / 2;
}

bool MissedHeartbeats(std::int64_t last_seen_nanos, const HeartbeatTick& tick) {
  return tick.now_nanos - last_seen_nanos > tick.timeout_nanos;
}

}  // namespace regatta::master

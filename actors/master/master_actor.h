// The master process: a CAF actor around master_core. It owns the event
// log (the single writer) and the projections rebuilt from it.
//
// A message's path: decode -> Decide* (pure) -> append the events and wait
// until durable -> apply them to the projections -> effects (replies,
// orders to agents). Nothing changes in memory before the log has the
// events. The actor is detached (its own thread) because appends block.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "events/status.h"

namespace regatta::master {

struct MasterOptions {
  std::string log_uri;        // file:DIR or kafka://HOST:PORT/CLUSTER
  std::string snapshot_dir;   // where projection snapshots live
  std::string listen_host = "127.0.0.1";
  std::uint16_t listen_port = 5050;
  std::chrono::milliseconds heartbeat_timeout{5000};
  // How long a task may stay UNREACHABLE before it is replaced elsewhere.
  std::chrono::milliseconds unreachable_inactive{std::chrono::minutes(5)};
};

// Runs the master until SIGINT/SIGTERM. Errors (a log that will not open,
// a port in use) come back as a Status before anything starts.
Status RunMaster(const MasterOptions& options);

}  // namespace regatta::master

// The master process: a CAF actor around master_core. It owns the event
// log (the single writer) and the projections rebuilt from it.
//
// A message's path: decode -> Decide* (pure) -> stage the events in a group
// commit (commit_batch.h) -> one append for the batch, wait until durable
// -> apply them to the projections -> publish them to the allocator and the
// frameworks -> effects (replies, orders to agents). Nothing changes in
// memory before the log has the events. The actor is detached (its own
// thread) because appends block.
//
// The allocator and the built-in frameworks (services, jobs) are actors of
// their own, spawned by the master with a copy of its projections: offers
// go from the allocator to a framework, accepts come back through the
// allocator to the master, which checks them against the log's state.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>

#include "actors/allocator/allocator_options.h"
#include "events/base/clock.h"
#include "events/base/status.h"

namespace regatta::master {

struct MasterOptions {
  std::string log_uri;        // file:DIR or kafka://HOST:PORT/CLUSTER
  std::string snapshot_dir;   // where projection snapshots live
  std::string listen_host = "127.0.0.1";
  std::uint16_t listen_port = 5050;
  std::chrono::milliseconds heartbeat_timeout{5000};
  // How long a task may stay UNREACHABLE before it is replaced elsewhere.
  std::chrono::milliseconds unreachable_inactive{std::chrono::minutes(5)};
  allocator::AllocatorOptions allocation;  // roles' weights and quotas among them
  // The role each built-in framework (services, jobs) registers in; one
  // not listed runs in "*".
  std::map<std::string, std::string> framework_roles;
  bool log_registrations = true;  // off for thousands of simulated agents
  // Where the master, its allocator and its frameworks read the time; a
  // test gives a ManualClock and moves it.
  std::shared_ptr<const Clock> clock = SystemClock();
  // How often the master checks heartbeats and considers a snapshot; zero:
  // never by itself (a test sends the ticks).
  std::chrono::milliseconds tick_period{100};
};

// Runs the master until SIGINT/SIGTERM. Errors (a log that will not open,
// a port in use) come back as a Status before anything starts.
Status RunMaster(const MasterOptions& options);

}  // namespace regatta::master

// Starting a master inside an existing actor system: what RunMaster does
// before it publishes the master on the network, and what benchmarks and
// in-process clusters use directly. CAF: include only from actor code.
#pragma once

#include "actors/master/master_actor.h"
#include "actors/protocol/wire.h"
#include "events/event_log.h"

namespace regatta::master {

// Opens the log, rebuilds the projections, and spawns the master with its
// allocator and built-in frameworks. The caller sends it an exit to stop it.
Result<protocol::master_actor> SpawnMaster(caf::actor_system& system, const MasterOptions& options);

// The same on a log the caller opened for writing (a test's memory log);
// options.log_uri is not read.
Result<protocol::master_actor> SpawnMaster(caf::actor_system& system, const MasterOptions& options,
                                           std::shared_ptr<EventLog> log);

}  // namespace regatta::master

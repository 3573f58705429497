// Starting a master inside an existing actor system: what RunMaster does
// before it publishes the master on the network, and what benchmarks and
// in-process clusters use directly. CAF: include only from actor code.
#pragma once

#include <functional>
#include <memory>

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

// What runs beside the master in its process (the HTTP API): started once
// the master runs, given the master and the log it writes, and stopped
// (the returned handle released) before the master stops.
using Sidecar = std::function<Result<std::shared_ptr<void>>(caf::actor_system& system, protocol::master_actor master,
                                                             std::shared_ptr<EventLog> log)>;

// RunMaster (master_actor.h) with a sidecar.
Status RunMaster(const MasterOptions& options, const Sidecar& sidecar);

}  // namespace regatta::master

// Starting an agent inside an existing actor system, with any TaskRunner:
// what RunAgent does, and what benchmarks use to put thousands of
// simulated agents next to an in-process master. CAF: actor code only.
#pragma once

#include <memory>
#include <vector>

#include "actors/protocol/wire.h"
#include "agents/agent/agent_actor.h"
#include "agents/containerizer/containerizer.h"

namespace regatta::agent {

// `recovered`: tasks found in the work dir by the runner's recovery.
// `in_process`: the master's handle when it lives in this actor system;
// invalid: connect to options.master_host:master_port over the network.
protocol::agent_actor SpawnAgent(caf::actor_system& system, AgentOptions options, std::unique_ptr<TaskRunner> runner,
                                 std::vector<RecoveredTask> recovered, protocol::master_actor in_process = {});

}  // namespace regatta::agent

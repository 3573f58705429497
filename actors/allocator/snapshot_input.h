// Building the allocator's input from the scheduling projection: the free
// resources and free host ports of every active agent.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "actors/allocator/drf.h"
#include "projections/projection_set.h"

namespace regatta::allocator {

// An agent's port ranges less the host ports its live tasks hold.
std::vector<PortRange> FreePorts(const projections::ProjectionSet& state, const std::string& agent_id);

// The agents named in `candidates` that are active and have enough free for
// an offer, with their free resources and ports, and the frameworks given.
// cluster_total sums the candidates that are active.
AllocationInput InputFromAgents(const projections::ProjectionSet& state, const std::vector<std::string>& candidates,
                                std::vector<FrameworkSlot> frameworks, std::int64_t now_nanos, std::uint64_t seed);

// The same over every agent in the state for which `reachable(id)` holds
// (the master offers only agents with a live session).
AllocationInput InputFromState(const projections::ProjectionSet& state,
                               const std::function<bool(const std::string&)>& reachable,
                               std::vector<FrameworkSlot> frameworks, std::int64_t now_nanos,
                               std::uint64_t seed);

}  // namespace regatta::allocator

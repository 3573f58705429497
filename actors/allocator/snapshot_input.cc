#include "actors/allocator/snapshot_input.h"

#include <set>

namespace regatta::allocator {

std::vector<PortRange> FreePorts(const projections::ProjectionSet& state, const std::string& agent_id) {
  const auto& sched = state.scheduling();
  auto agent = sched.agents().find(agent_id);
  if (agent == sched.agents().end()) return {};
  std::set<std::uint32_t> used;
  for (const std::string& task : sched.TaskIdsOn(agent_id)) {
    for (std::uint32_t port : sched.tasks().find(task)->second.host_ports) used.insert(port);
  }
  std::vector<PortRange> free;
  for (auto [begin, end] : agent->second.port_ranges) {
    std::uint32_t start = begin;
    for (auto it = used.lower_bound(begin); it != used.end() && *it <= end; ++it) {
      if (*it > start) free.push_back({start, *it - 1});
      start = *it + 1;
    }
    if (start <= end) free.push_back({start, end});
  }
  return free;
}

AllocationInput InputFromAgents(const projections::ProjectionSet& state, const std::vector<std::string>& candidates,
                                std::vector<FrameworkSlot> frameworks, std::int64_t now_nanos, std::uint64_t seed) {
  AllocationInput in;
  const auto& agents = state.scheduling().agents();
  for (const std::string& id : candidates) {
    auto it = agents.find(id);
    if (it == agents.end() || it->second.status != projections::AgentStatus::kActive) continue;
    const projections::AgentInfo& agent = it->second;
    ResourceVector free = agent.total;
    free -= agent.used;
    in.cluster_total += agent.total;
    // Allocate would pass over it; its ports need not be worked out.
    if (free.cpus.milli() < in.min_offer.cpus.milli() || free.mem_mb.milli() < in.min_offer.mem_mb.milli()) continue;
    in.agents.push_back({id, free, FreePorts(state, id)});
  }
  in.frameworks = std::move(frameworks);
  in.now_nanos = now_nanos;
  in.seed = seed;
  return in;
}

AllocationInput InputFromState(const projections::ProjectionSet& state,
                               const std::function<bool(const std::string&)>& reachable,
                               std::vector<FrameworkSlot> frameworks, std::int64_t now_nanos,
                               std::uint64_t seed) {
  std::vector<std::string> candidates;
  for (const auto& [id, agent] : state.scheduling().agents()) {
    if (reachable(id)) candidates.push_back(id);
  }
  return InputFromAgents(state, candidates, std::move(frameworks), now_nanos, seed);
}

}  // namespace regatta::allocator

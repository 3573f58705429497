// Dominant Resource Fairness: who gets offered each agent's free resources.
//
// A pure function of a snapshot: (agents' free resources, frameworks and
// what they hold, role weights and quotas, decline filters, now, seed) ->
// offers. The allocator actor keeps the outstanding offers and filters and
// calls this once per batched cycle.
//
// The policy, as Mesos' hierarchical allocator:
//   1. Quota first. While a role holds less than its quota, it is first in
//      line, whatever its share.
//   2. Then fair share. Each agent goes to the role with the lowest weighted
//      dominant share (dominant share / weight), and within the role to the
//      framework with the lowest dominant share.
// A framework's dominant share is its largest fraction of any cluster
// resource: holding 4 of 10 cpus and 2 of 100 GB of memory is a share of 0.4.
// Like Mesos, an offer is the whole of an agent's free resources.
//
// Cost: O(A log F) for A agents and F frameworks (sorted sets of shares,
// updated after each offer).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "events/domain/commands.h"
#include "projections/scheduling.h"

namespace regatta::allocator {

using domain::Offer;
using domain::PortRange;
using domain::Quantity;
using domain::ResourceVector;

// An agent as the allocator sees it: what is free after tasks and
// outstanding offers.
struct AgentSlot {
  std::string id;
  ResourceVector free;
  std::vector<PortRange> free_ports;
};

struct FrameworkSlot {
  std::string id;
  std::string role;
  ResourceVector allocated;  // its tasks plus its outstanding offers
};

struct RoleConfig {
  double weight = 1.0;
  ResourceVector quota;  // guaranteed; zero = none
};

// "Do not offer this agent to this framework before `until_nanos`": what a
// framework's decline with a refuse timeout leaves behind.
struct DeclineFilter {
  std::string framework_id;
  std::string agent_id;
  std::int64_t until_nanos = 0;
};

struct AllocationInput {
  ResourceVector cluster_total;
  std::vector<AgentSlot> agents;
  std::vector<FrameworkSlot> frameworks;  // active frameworks only
  std::map<std::string, RoleConfig> roles;  // a role not listed: weight 1, no quota
  std::vector<DeclineFilter> filters;
  std::int64_t now_nanos = 0;
  std::uint64_t seed = 0;  // agents are visited in a seeded shuffle, so none is always last
  // An agent with less than this free (in cpus or memory) is not offered.
  ResourceVector min_offer{Quantity::FromDouble(0.01), Quantity::FromDouble(32), {}, {}};
};

// The largest fraction of `total` that `held` is, over every resource the
// cluster has some of. 0 for an empty cluster.
double DominantShare(const ResourceVector& held, const ResourceVector& total);

// At most one offer per agent; each offer is all of the agent's free
// resources. Deterministic for a given input.
std::vector<Offer> Allocate(const AllocationInput& input);

}  // namespace regatta::allocator

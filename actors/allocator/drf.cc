#include "actors/allocator/drf.h"

#include <algorithm>
#include <numeric>
#include <random>
#include <set>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace regatta::allocator {
namespace {

// Keeps ids ordered by their current share; the lowest comes first.
class ShareOrder {
 public:
  void Set(std::string_view id, double share) {
    auto it = shares_.find(id);
    if (it != shares_.end()) {
      order_.erase({it->second, id});
      it->second = share;
    } else {
      shares_.emplace(id, share);
    }
    order_.insert({share, id});
  }
  auto begin() const { return order_.begin(); }
  auto end() const { return order_.end(); }

 private:
  std::set<std::pair<double, std::string_view>> order_;  // ties broken by id
  std::unordered_map<std::string_view, double> shares_;
};

bool Below(const ResourceVector& held, const ResourceVector& quota) {
  return held.cpus.milli() < quota.cpus.milli() || held.mem_mb.milli() < quota.mem_mb.milli() ||
         held.disk_mb.milli() < quota.disk_mb.milli() || held.gpus.milli() < quota.gpus.milli();
}

bool Offerable(const AgentSlot& agent, const ResourceVector& min) {
  return agent.free.cpus.milli() >= min.cpus.milli() && agent.free.mem_mb.milli() >= min.mem_mb.milli();
}

// The state of one allocation cycle: shares move as offers are made.
class Cycle {
 public:
  explicit Cycle(const AllocationInput& input) : input_(input) {
    for (const auto& f : input.filters) {
      if (f.until_nanos > input.now_nanos) filtered_.insert(f.framework_id + '\0' + f.agent_id);
    }
    for (const FrameworkSlot& f : input.frameworks) {
      Role& role = roles_[f.role];
      role.allocated += f.allocated;
      role.frameworks.Set(f.id, DominantShare(f.allocated, input.cluster_total));
      frameworks_[f.id] = {f.allocated, &role, f.role};
    }
    for (auto& [name, role] : roles_) {
      auto config = input.roles.find(std::string(name));
      if (config != input.roles.end()) {
        role.weight = std::max(config->second.weight, 1e-9);
        role.quota = config->second.quota;
      }
      Reorder(name, role);
    }
  }

  // The framework this agent should be offered to, or null.
  const std::string_view* Choose(const AgentSlot& agent) {
    // Quota first: any role still below its quota, lowest share first.
    for (const auto& [share, name] : fair_) {
      Role& role = roles_.at(name);
      if (!Below(role.allocated, role.quota)) continue;
      if (const std::string_view* f = FirstUnfiltered(role, agent)) return f;
    }
    for (const auto& [share, name] : fair_) {
      if (const std::string_view* f = FirstUnfiltered(roles_.at(name), agent)) return f;
    }
    return nullptr;
  }

  void Grant(std::string_view framework_id, const ResourceVector& resources) {
    Framework& f = frameworks_.at(framework_id);
    f.allocated += resources;
    f.role->allocated += resources;
    f.role->frameworks.Set(framework_id, DominantShare(f.allocated, input_.cluster_total));
    Reorder(f.role_name, *f.role);
  }

 private:
  struct Role {
    ResourceVector allocated;
    double weight = 1.0;
    ResourceVector quota;
    ShareOrder frameworks;
  };
  struct Framework {
    ResourceVector allocated;
    Role* role = nullptr;
    std::string_view role_name;
  };

  void Reorder(std::string_view name, const Role& role) {
    fair_.Set(name, DominantShare(role.allocated, input_.cluster_total) / role.weight);
  }

  const std::string_view* FirstUnfiltered(const Role& role, const AgentSlot& agent) {
    for (const auto& entry : role.frameworks) {
      if (filtered_.empty() || !filtered_.count(std::string(entry.second) + '\0' + agent.id)) {
        chosen_ = entry.second;
        return &chosen_;
      }
    }
    return nullptr;
  }

  const AllocationInput& input_;
  std::unordered_set<std::string> filtered_;
  std::map<std::string_view, Role> roles_;  // stable addresses for Framework::role
  std::unordered_map<std::string_view, Framework> frameworks_;
  ShareOrder fair_;  // roles by weighted dominant share
  std::string_view chosen_;
};

}  // namespace

double DominantShare(const ResourceVector& held, const ResourceVector& total) {
  double share = 0;
  auto consider = [&](Quantity h, Quantity t) {
    if (t.milli() > 0) share = std::max(share, static_cast<double>(h.milli()) / static_cast<double>(t.milli()));
  };
  consider(held.cpus, total.cpus);
  consider(held.mem_mb, total.mem_mb);
  consider(held.disk_mb, total.disk_mb);
  consider(held.gpus, total.gpus);
  return share;
}

std::vector<Offer> Allocate(const AllocationInput& input) {
  std::vector<Offer> offers;
  if (input.frameworks.empty()) return offers;
  std::vector<std::size_t> visit(input.agents.size());
  std::iota(visit.begin(), visit.end(), 0);
  std::mt19937_64 rng(input.seed);
  std::shuffle(visit.begin(), visit.end(), rng);
  Cycle cycle(input);
  for (std::size_t i : visit) {
    const AgentSlot& agent = input.agents[i];
    if (!Offerable(agent, input.min_offer)) continue;
    const std::string_view* framework = cycle.Choose(agent);
    if (framework == nullptr) continue;
    offers.push_back({std::string(*framework), agent.id, agent.free, agent.free_ports});
    cycle.Grant(*framework, agent.free);
  }
  return offers;
}

}  // namespace regatta::allocator

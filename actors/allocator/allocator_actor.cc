#include "actors/allocator/allocator_actor.h"

#include <algorithm>
#include <iostream>
#include <map>
#include <set>
#include <unordered_set>

#include "actors/allocator/offer_book.h"
#include "actors/allocator/snapshot_input.h"
#include "actors/protocol/offer_codec.h"

namespace regatta::allocator {
namespace {

using protocol::framework_actor;
using protocol::Wire;

struct Subscriber {
  framework_actor handle;
  std::string role;
};

struct AllocatorState {
  protocol::master_actor master;
  projections::ProjectionSet view;
  std::unordered_set<std::string> connected;  // agents with a session at the master
  // What the connected agents hold in all, the denominator of every share;
  // summed again only when sessions or agents change, not every cycle.
  ResourceVector cluster_total;
  bool cluster_total_stale = true;
  std::map<std::string, Subscriber> frameworks;
  OfferBook book;
  AllocatorOptions options;
  bool cycle_pending = false;
  std::uint64_t cycles = 0;       // the seeds of the cycles' shuffles, too
  std::uint64_t cycles_run = 0;   // cycles that got as far as asking DRF
  std::uint64_t offers_made = 0;
  static inline const char* name = "regatta.allocator";
};

using AllocatorPointer = protocol::allocator_actor::stateful_pointer<AllocatorState>;

void ScheduleCycle(AllocatorPointer self) {
  if (self->state.cycle_pending) return;
  self->state.cycle_pending = true;
  self->delayed_send(self, self->state.options.batch_delay, protocol::cycle_atom::value);
}

void Tell(AllocatorPointer self, const std::vector<Rescinded>& rescinded) {
  std::map<std::string, std::vector<std::string>> by_framework;
  for (const Rescinded& r : rescinded) by_framework[r.framework_id].push_back(r.offer_id);
  for (const auto& [framework, ids] : by_framework) {
    auto it = self->state.frameworks.find(framework);
    if (it == self->state.frameworks.end()) continue;
    self->send(it->second.handle, protocol::offers_atom::value,
               Wire{protocol::RescindedMessage(ids, self->state.view.next_revision())});
  }
}

void SumClusterTotal(AllocatorState& st) {
  if (!st.cluster_total_stale) return;
  st.cluster_total = {};
  const auto& agents = st.view.scheduling().agents();
  for (const std::string& id : st.connected) {
    if (auto agent = agents.find(id); agent != agents.end()) st.cluster_total += agent->second.total;
  }
  st.cluster_total_stale = false;
}

// True when every framework in `wanting` has declined `agent` and the
// filter still lives: the cycle need not work out what the agent has free.
bool FilteredForAll(const std::vector<DeclineFilter>& filters, const std::vector<FrameworkSlot>& wanting) {
  if (filters.empty()) return false;
  return std::all_of(wanting.begin(), wanting.end(), [&](const FrameworkSlot& f) {
    return std::any_of(filters.begin(), filters.end(), [&](const DeclineFilter& d) { return d.framework_id == f.id; });
  });
}

// The cycle's input: the connected agents with nothing outstanding that
// some framework that wants offers has not declined, and those frameworks.
// It walks the sessions, not the whole view, and looks at an agent's
// resources only once the cheap checks pass.
AllocationInput CycleInput(AllocatorState& st, std::int64_t now) {
  std::vector<FrameworkSlot> frameworks;
  const auto& usage = st.view.scheduling().usage_by_framework();
  for (const auto& [id, subscriber] : st.frameworks) {
    if (st.book.Suppressed(id)) continue;
    ResourceVector held = st.book.OfferedTo(id);
    if (auto it = usage.find(id); it != usage.end()) held += it->second.allocated;
    frameworks.push_back({id, subscriber.role, held});
  }
  std::vector<std::string> candidates;
  std::vector<DeclineFilter> filters;
  for (const std::string& id : st.connected) {
    if (st.book.Busy(id)) continue;
    const std::vector<DeclineFilter>& on = st.book.FiltersOn(id, now);
    if (FilteredForAll(on, frameworks)) continue;
    candidates.push_back(id);
    filters.insert(filters.end(), on.begin(), on.end());
  }
  AllocationInput in = InputFromAgents(st.view, candidates, std::move(frameworks), now, ++st.cycles);
  // Shares are of the whole connected cluster, offered-out agents included.
  SumClusterTotal(st);
  in.cluster_total = st.cluster_total;
  in.roles = st.options.roles;
  in.filters = std::move(filters);
  return in;
}

void RunCycle(AllocatorPointer self) {
  auto& st = self->state;
  const bool anyone_wants = std::any_of(st.frameworks.begin(), st.frameworks.end(),
                                       [&](const auto& f) { return !st.book.Suppressed(f.first); });
  if (!anyone_wants) return;  // every framework is suppressed: skip the walk over the agents
  const std::int64_t now = st.options.clock->NowNanos();
  AllocationInput input = CycleInput(st, now);
  if (input.frameworks.empty()) return;
  const std::vector<Offer> offers = Allocate(input);
  ++st.cycles_run;
  st.offers_made += offers.size();
  if (offers.empty()) return;
  std::map<std::string, std::vector<domain::NamedOffer>> by_framework;
  for (OutstandingOffer& made : st.book.Record(offers, now)) {
    by_framework[made.offer.framework_id].push_back({made.offer_id, made.offer});
  }
  for (const auto& [framework, made] : by_framework) {
    self->send(st.frameworks.at(framework).handle, protocol::offers_atom::value,
               Wire{protocol::OffersMessage(made, st.view.next_revision())});
  }
}

void OnEvents(AllocatorPointer self, const CommittedBatch& batch) {
  std::vector<std::string> lost;
  for (const Event& event : batch.events()) {
    auto e = event.envelope.getEvent();
    if (e.isAgentUnreachable()) lost.emplace_back(e.getAgentUnreachable().getAgentId());
    if (e.isAgentGone()) lost.emplace_back(e.getAgentGone().getAgentId());
    // Any event but a task's may change what an agent holds in all.
    if (!e.isTaskLaunched() && !e.isTaskStatusChanged()) self->state.cluster_total_stale = true;
    if (Status folded = self->state.view.Apply(event); !folded.ok()) {
      std::cerr << "regatta allocator: " << folded.message() << "\n";
    }
  }
  for (const std::string& agent : lost) Tell(self, self->state.book.RescindAgent(agent));
  ScheduleCycle(self);
}

void OnSession(AllocatorPointer self, const Wire& wire) {
  auto message = protocol::Received<protocol::AgentSession>::Read(wire.bytes, "agent session");
  if (!message.ok()) return;
  const std::string agent = message->root().getAgentId();
  self->state.cluster_total_stale = true;
  if (message->root().getConnected()) {
    self->state.connected.insert(agent);
  } else {
    self->state.connected.erase(agent);
    Tell(self, self->state.book.RescindAgent(agent));
  }
  ScheduleCycle(self);
}

// Tells the framework its accept launched nothing, so it stops counting
// those tasks as on their way.
void LaunchFailed(AllocatorPointer self, const std::string& framework, const protocol::Bytes& accept_call) {
  auto it = self->state.frameworks.find(framework);
  auto call = protocol::Received<protocol::FrameworkCall>::Read(accept_call, "framework call");
  if (it == self->state.frameworks.end() || !call.ok()) return;
  self->send(it->second.handle, protocol::offers_atom::value,
             Wire{protocol::LaunchFailedMessage(call->root().getAccept().getTasks(), self->state.view.next_revision())});
}

// Forwards an accepted offer to the master. The agent stays out of cycles
// until the master has answered: by then its events (the launches) have
// reached this actor, so the next offer on the agent is net of them.
void ForwardAccept(AllocatorPointer self, const std::string& framework, protocol::Accept::Reader accept,
                   const protocol::Bytes& call) {
  auto offer = self->state.book.Accept(framework, accept.getOfferId());
  if (!offer) {
    std::cerr << "regatta allocator: " << framework << " accepted " << accept.getOfferId().cStr()
              << ", which is no longer outstanding (rescinded or timed out)\n";
    return LaunchFailed(self, framework, call);
  }
  const std::string agent = offer->agent_id;
  self->request(self->state.master, std::chrono::seconds(30), protocol::launch_atom::value,
                Wire{protocol::LaunchMessage(framework, *offer, accept.getTasks())})
      .then(
          [=](Wire& reply) {
            self->state.book.Settle(agent);
            auto answer = protocol::Received<protocol::MasterReply>::Read(reply.bytes, "master reply");
            const Status taken = answer.ok() ? protocol::StatusOfReply(answer->root()) : answer.status();
            if (!taken.ok()) {
              std::cerr << "regatta allocator: launch on " << agent << " not taken: " << taken.ToString() << "\n";
              LaunchFailed(self, framework, call);
            }
            ScheduleCycle(self);
          },
          [=](caf::error& e) {
            self->state.book.Settle(agent);
            std::cerr << "regatta allocator: launch on " << agent << ": " << self->system().render(e) << "\n";
            LaunchFailed(self, framework, call);
            ScheduleCycle(self);
          });
}

void OnCall(AllocatorPointer self, framework_actor from, const Wire& wire) {
  auto message = protocol::Received<protocol::FrameworkCall>::Read(wire.bytes, "framework call");
  if (!message.ok()) {
    std::cerr << "regatta allocator: " << message.status().message() << "\n";
    return;
  }
  auto call = message->root();
  const std::string framework = call.getFrameworkId();
  switch (call.which()) {
    case protocol::FrameworkCall::SUBSCRIBE:
      self->state.frameworks[framework] = Subscriber{from, call.getSubscribe()};
      break;
    case protocol::FrameworkCall::ACCEPT:
      ForwardAccept(self, framework, call.getAccept(), wire.bytes);
      return;
    case protocol::FrameworkCall::DECLINE: {
      const auto refuse = static_cast<std::int64_t>(call.getDecline().getRefuseSeconds() * 1e9);
      const std::int64_t now = self->state.options.clock->NowNanos();
      for (auto id : call.getDecline().getOfferIds()) self->state.book.Decline(framework, id, refuse, now);
      break;
    }
    case protocol::FrameworkCall::REVIVE:
      self->state.book.Revive(framework);
      break;
    case protocol::FrameworkCall::SUPPRESS:
      self->state.book.Suppress(framework);
      return;
  }
  ScheduleCycle(self);
}

void ScheduleTick(AllocatorPointer self) {
  if (self->state.options.interval.count() > 0) {
    self->delayed_send(self, self->state.options.interval, protocol::tick_atom::value);
  }
}

protocol::allocator_actor::behavior_type AllocatorBehavior(AllocatorPointer self) {
  ScheduleTick(self);
  return {
      [=](protocol::events_atom, const CommittedBatchPtr& batch) { OnEvents(self, *batch); },
      [=](protocol::session_atom, Wire wire) { OnSession(self, wire); },
      [=](protocol::call_atom, framework_actor from, Wire wire) { OnCall(self, from, wire); },
      [=](protocol::cycle_atom) {
        self->state.cycle_pending = false;
        RunCycle(self);
      },
      [=](protocol::stats_atom) -> caf::result<std::uint64_t, std::uint64_t> {
        return {self->state.cycles_run, self->state.offers_made};
      },
      [=](protocol::tick_atom) {
        const auto timeout = std::chrono::nanoseconds(self->state.options.offer_timeout).count();
        Tell(self, self->state.book.Expire(self->state.options.clock->NowNanos(), timeout));
        RunCycle(self);
        ScheduleTick(self);
      },
  };
}

}  // namespace

protocol::allocator_actor SpawnAllocator(caf::actor_system& system, protocol::master_actor master,
                                         projections::ProjectionSet view, AllocatorOptions options) {
  // The unused int: see SpawnMaster (CAF 0.17 and an empty argument tuple).
  return system.spawn([master, view = std::move(view), options](AllocatorPointer self, int) mutable {
    self->state.master = master;
    self->state.view = std::move(view);
    self->state.view.Narrow(projections::kSchedulingProjection);  // all a cycle reads
    self->state.options = options;
    return AllocatorBehavior(self);
  }, 0);
}

}  // namespace regatta::allocator

// The allocator's books: which offers are outstanding, which agents are
// held by an accept the master has not answered yet, and the refuse filters
// frameworks left when they declined. Pure: time and offer ids come in.
//
// An offer is all of an agent's free resources (drf.h), so an agent with an
// outstanding offer, or with an accept in flight to the master, has nothing
// left to offer: the allocator leaves it out of the cycle until the offer is
// answered, rescinded or timed out, and the accept settled.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "actors/allocator/drf.h"

namespace regatta::allocator {

struct OutstandingOffer {
  std::string offer_id;
  Offer offer;
  std::int64_t made_nanos = 0;
};

struct Rescinded {
  std::string framework_id;
  std::string offer_id;
};

class OfferBook {
 public:
  // Records the cycle's offers under fresh ids ("offer-<n>").
  std::vector<OutstandingOffer> Record(const std::vector<Offer>& offers, std::int64_t now_nanos);

  // The framework accepts `offer_id`: the offer leaves the book and its
  // agent stays held until Settle. nullopt when the offer is not
  // outstanding for this framework (rescinded, timed out, someone else's).
  std::optional<Offer> Accept(const std::string& framework_id, const std::string& offer_id);
  // The master answered the accept on `agent_id`.
  void Settle(const std::string& agent_id);

  // Declining leaves a filter: the agent is not offered to the framework
  // before now + refuse. False when the offer is not outstanding for it.
  bool Decline(const std::string& framework_id, const std::string& offer_id, std::int64_t refuse_nanos,
               std::int64_t now_nanos);
  // The framework has new work: its filters and its suppression go.
  void Revive(const std::string& framework_id);
  // The framework has nothing to launch: no offers until it revives (Mesos'
  // SUPPRESS), so an idle framework does not take a share of every cycle.
  void Suppress(const std::string& framework_id) { suppressed_.insert(framework_id); }
  bool Suppressed(const std::string& framework_id) const { return suppressed_.count(framework_id) > 0; }

  // The agent is gone or disconnected: its offers are void.
  std::vector<Rescinded> RescindAgent(const std::string& agent_id);
  // Offers older than `timeout` are void (a framework that never answers
  // must not hold resources forever).
  std::vector<Rescinded> Expire(std::int64_t now_nanos, std::int64_t timeout_nanos);

  // True when the agent has an outstanding offer or an accept in flight.
  bool Busy(const std::string& agent_id) const;
  // What the framework is offered right now (it counts toward its share).
  ResourceVector OfferedTo(const std::string& framework_id) const;
  // The live filters, by agent then framework; expired ones are dropped.
  std::vector<DeclineFilter> Filters(std::int64_t now_nanos);
  // The live filters on one agent, in the order they were made; expired ones
  // are dropped. A cycle asks this of each idle agent, so it is one lookup.
  const std::vector<DeclineFilter>& FiltersOn(const std::string& agent_id, std::int64_t now_nanos);

  std::size_t outstanding() const { return offers_.size(); }

 private:
  std::vector<Rescinded> Remove(const std::vector<std::string>& offer_ids);
  // Takes the offer out of the book (but not the agent's hold).
  void Erase(std::map<std::string, OutstandingOffer>::iterator offer);

  std::uint64_t next_id_ = 1;
  std::map<std::string, OutstandingOffer> offers_;                        // by offer id
  std::unordered_map<std::string, std::string> offer_by_agent_;            // agent -> offer id
  std::unordered_map<std::string, ResourceVector> offered_to_;             // framework -> its offers' sum
  std::unordered_multiset<std::string> held_agents_;                      // accepts in flight
  std::unordered_map<std::string, std::vector<DeclineFilter>> filters_;    // by agent
  std::set<std::string> suppressed_;
};

}  // namespace regatta::allocator

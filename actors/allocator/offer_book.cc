#include "actors/allocator/offer_book.h"

#include <algorithm>
#include <tuple>

namespace regatta::allocator {

std::vector<OutstandingOffer> OfferBook::Record(const std::vector<Offer>& offers, std::int64_t now_nanos) {
  std::vector<OutstandingOffer> made;
  for (const Offer& offer : offers) {
    OutstandingOffer entry{"offer-" + std::to_string(next_id_++), offer, now_nanos};
    offer_by_agent_[offer.agent_id] = entry.offer_id;
    offered_to_[offer.framework_id] += offer.resources;
    offers_[entry.offer_id] = entry;
    made.push_back(std::move(entry));
  }
  return made;
}

std::optional<Offer> OfferBook::Accept(const std::string& framework_id, const std::string& offer_id) {
  auto it = offers_.find(offer_id);
  if (it == offers_.end() || it->second.offer.framework_id != framework_id) return std::nullopt;
  Offer offer = it->second.offer;
  Erase(it);
  held_agents_.insert(offer.agent_id);
  return offer;
}

void OfferBook::Erase(std::map<std::string, OutstandingOffer>::iterator offer) {
  const Offer& o = offer->second.offer;
  offer_by_agent_.erase(o.agent_id);
  if (auto sum = offered_to_.find(o.framework_id); sum != offered_to_.end()) {
    sum->second -= o.resources;
    if (sum->second == ResourceVector{}) offered_to_.erase(sum);
  }
  offers_.erase(offer);
}

void OfferBook::Settle(const std::string& agent_id) {
  if (auto it = held_agents_.find(agent_id); it != held_agents_.end()) held_agents_.erase(it);
}

bool OfferBook::Decline(const std::string& framework_id, const std::string& offer_id, std::int64_t refuse_nanos,
                        std::int64_t now_nanos) {
  auto it = offers_.find(offer_id);
  if (it == offers_.end() || it->second.offer.framework_id != framework_id) return false;
  const std::string& agent = it->second.offer.agent_id;
  if (refuse_nanos > 0) filters_[agent].push_back({framework_id, agent, now_nanos + refuse_nanos});
  Erase(it);
  return true;
}

void OfferBook::Revive(const std::string& framework_id) {
  suppressed_.erase(framework_id);
  for (auto it = filters_.begin(); it != filters_.end();) {
    std::erase_if(it->second, [&](const DeclineFilter& f) { return f.framework_id == framework_id; });
    it = it->second.empty() ? filters_.erase(it) : std::next(it);
  }
}

std::vector<Rescinded> OfferBook::Remove(const std::vector<std::string>& offer_ids) {
  std::vector<Rescinded> out;
  for (const std::string& id : offer_ids) {
    auto it = offers_.find(id);
    if (it == offers_.end()) continue;
    out.push_back({it->second.offer.framework_id, id});
    Erase(it);
  }
  return out;
}

std::vector<Rescinded> OfferBook::RescindAgent(const std::string& agent_id) {
  auto it = offer_by_agent_.find(agent_id);
  if (it == offer_by_agent_.end()) return {};
  return Remove({it->second});
}

std::vector<Rescinded> OfferBook::Expire(std::int64_t now_nanos, std::int64_t timeout_nanos) {
  std::vector<std::string> old;
  for (const auto& [id, entry] : offers_) {
    if (now_nanos - entry.made_nanos >= timeout_nanos) old.push_back(id);
  }
  return Remove(old);
}

bool OfferBook::Busy(const std::string& agent_id) const {
  return offer_by_agent_.count(agent_id) > 0 || held_agents_.count(agent_id) > 0;
}

ResourceVector OfferBook::OfferedTo(const std::string& framework_id) const {
  auto it = offered_to_.find(framework_id);
  return it == offered_to_.end() ? ResourceVector{} : it->second;
}

std::vector<DeclineFilter> OfferBook::Filters(std::int64_t now_nanos) {
  std::vector<DeclineFilter> live;
  for (auto it = filters_.begin(); it != filters_.end();) {
    std::erase_if(it->second, [&](const DeclineFilter& f) { return f.until_nanos <= now_nanos; });
    live.insert(live.end(), it->second.begin(), it->second.end());
    it = it->second.empty() ? filters_.erase(it) : std::next(it);
  }
  std::sort(live.begin(), live.end(), [](const DeclineFilter& a, const DeclineFilter& b) {
    return std::tie(a.agent_id, a.framework_id, a.until_nanos) < std::tie(b.agent_id, b.framework_id, b.until_nanos);
  });
  return live;
}

const std::vector<DeclineFilter>& OfferBook::FiltersOn(const std::string& agent_id, std::int64_t now_nanos) {
  static const std::vector<DeclineFilter> kNone;
  auto it = filters_.find(agent_id);
  if (it == filters_.end()) return kNone;
  std::erase_if(it->second, [&](const DeclineFilter& f) { return f.until_nanos <= now_nanos; });
  if (!it->second.empty()) return it->second;
  filters_.erase(it);
  return kNone;
}

}  // namespace regatta::allocator

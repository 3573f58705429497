#include "actors/allocator/offer_book.h"

#include <algorithm>

namespace regatta::allocator {

std::vector<OutstandingOffer> OfferBook::Record(const std::vector<Offer>& offers, std::int64_t now_nanos) {
  std::vector<OutstandingOffer> made;
  for (const Offer& offer : offers) {
    OutstandingOffer entry{"offer-" + std::to_string(next_id_++), offer, now_nanos};
    offer_by_agent_[offer.agent_id] = entry.offer_id;
    offers_[entry.offer_id] = entry;
    made.push_back(std::move(entry));
  }
  return made;
}

std::optional<Offer> OfferBook::Accept(const std::string& framework_id, const std::string& offer_id) {
  auto it = offers_.find(offer_id);
  if (it == offers_.end() || it->second.offer.framework_id != framework_id) return std::nullopt;
  Offer offer = std::move(it->second.offer);
  offer_by_agent_.erase(offer.agent_id);
  offers_.erase(it);
  held_agents_.insert(offer.agent_id);
  return offer;
}

void OfferBook::Settle(const std::string& agent_id) {
  if (auto it = held_agents_.find(agent_id); it != held_agents_.end()) held_agents_.erase(it);
}

bool OfferBook::Decline(const std::string& framework_id, const std::string& offer_id, std::int64_t refuse_nanos,
                        std::int64_t now_nanos) {
  auto it = offers_.find(offer_id);
  if (it == offers_.end() || it->second.offer.framework_id != framework_id) return false;
  if (refuse_nanos > 0) filters_.push_back({framework_id, it->second.offer.agent_id, now_nanos + refuse_nanos});
  offer_by_agent_.erase(it->second.offer.agent_id);
  offers_.erase(it);
  return true;
}

void OfferBook::Revive(const std::string& framework_id) {
  suppressed_.erase(framework_id);
  std::erase_if(filters_, [&](const DeclineFilter& f) { return f.framework_id == framework_id; });
}

std::vector<Rescinded> OfferBook::Remove(const std::vector<std::string>& offer_ids) {
  std::vector<Rescinded> out;
  for (const std::string& id : offer_ids) {
    auto it = offers_.find(id);
    if (it == offers_.end()) continue;
    out.push_back({it->second.offer.framework_id, id});
    offer_by_agent_.erase(it->second.offer.agent_id);
    offers_.erase(it);
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
  ResourceVector sum;
  for (const auto& [id, entry] : offers_) {
    if (entry.offer.framework_id == framework_id) sum += entry.offer.resources;
  }
  return sum;
}

std::vector<DeclineFilter> OfferBook::Filters(std::int64_t now_nanos) {
  std::erase_if(filters_, [&](const DeclineFilter& f) { return f.until_nanos <= now_nanos; });
  return filters_;
}

}  // namespace regatta::allocator

#include "api/marathon/event_hub.h"

#include <algorithm>

namespace regatta::marathon {

std::string SseFrame(const std::string& id, const MarathonEvent& event) {
  std::string out;
  if (!id.empty()) out += "id: " + id + "\n";
  out += "event: " + event.type + "\ndata: " + event.data.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n\n";
  return out;
}

void EventHub::Publish(Revision revision, std::vector<MarathonEvent> events) {
  for (std::size_t i = 0; i < events.size(); ++i) {
    // Only the revision's last event carries the id: a client that drops
    // mid-revision resumes from the one before and gets all of it again.
    const bool last = i + 1 == events.size();
    held_.push_back({revision, events[i].type, SseFrame(last ? std::to_string(revision) : "", events[i]), last});
  }
  // With no one to send to, nothing waits: a later subscriber catches up
  // from what is held. (So the replay at start, before the loop runs,
  // never asks for a round.)
  pending_ = subscribers_.empty() && !round_ ? 0 : pending_ + events.size();
  while (held_.size() > capacity_) held_.pop_front();
  pending_ = std::min(pending_, held_.size());
}

std::string EventHub::Render(const Filter& filter, std::size_t from) const {
  std::string chunk;
  bool owes_id = false;  // took events of a revision whose id frame it has not taken
  for (std::size_t i = from; i < held_.size(); ++i) {
    const Frame& f = held_[i];
    if (Takes(filter, f.type)) {
      chunk += f.text;
      owes_id = !f.carries_id;
    } else if (f.carries_id && owes_id) {
      // The filter dropped the event that carries the id: an id-only block
      // moves the client's Last-Event-ID on all the same (it dispatches no
      // event), so a reconnect does not get these events twice.
      chunk += "id: " + std::to_string(f.revision) + "\n\n";
      owes_id = false;
    }
  }
  return chunk;
}

bool EventHub::Flush(std::size_t writes) {
  if (!round_) {
    if (pending_ == 0) return true;
    const std::size_t from = held_.size() - pending_;
    pending_ = 0;
    std::vector<http::Chunk> chunks;
    chunks.reserve(filters_.size());
    for (const Filter& f : filters_) chunks.push_back(std::make_shared<const std::string>(Render(f, from)));
    round_ = Round{std::move(chunks), 0, subscribers_.size()};
  }
  for (; round_->next < round_->end && writes > 0; ++round_->next, --writes) {
    const Subscriber& s = subscribers_[round_->next];
    if (!round_->chunks[s.filter]->empty()) s.stream->Write(round_->chunks[s.filter]);
  }
  if (round_->next < round_->end) return false;
  round_.reset();
  Prune();
  return true;
}

std::size_t EventHub::Intern(Filter filter) {
  const auto at = std::find(filters_.begin(), filters_.end(), filter);
  if (at != filters_.end()) return static_cast<std::size_t>(at - filters_.begin());
  filters_.push_back(std::move(filter));
  return filters_.size() - 1;
}

void EventHub::Subscribe(std::shared_ptr<http::Stream> stream, std::set<std::string> types,
                         std::optional<Revision> after, const MarathonEvent& attached) {
  Subscriber s{std::move(stream), Intern(std::move(types))};
  const Filter& filter = filters_[s.filter];
  std::string chunk;
  if (Takes(filter, attached.type)) chunk += SseFrame("", attached);
  if (after) {
    if (!held_.empty() && held_.front().revision > *after + 1) {
      chunk += ": events before revision " + std::to_string(held_.front().revision) + " are no longer held\n\n";
    }
    // What is pending, the next Flush sends.
    const std::size_t flushed = held_.size() - pending_;
    for (std::size_t i = 0; i < flushed; ++i) {
      const Frame& f = held_[i];
      if (f.revision > *after && Takes(filter, f.type)) chunk += f.text;
    }
  }
  if (!chunk.empty()) s.stream->Write(std::move(chunk));
  subscribers_.push_back(std::move(s));
}

void EventHub::Heartbeat() {
  const auto crlf = std::make_shared<const std::string>("\r\n");
  for (Subscriber& s : subscribers_) s.stream->Write(crlf);
  Prune();
}

void EventHub::Prune() {
  if (round_) return;  // its indices must hold; the round's end prunes
  subscribers_.erase(std::remove_if(subscribers_.begin(), subscribers_.end(),
                                    [](const Subscriber& s) { return s.stream->closed(); }),
                     subscribers_.end());
  // Filters are the clients' to choose: those no subscriber holds go, so
  // a stream of odd event_type values cannot grow the list.
  if (filters_.size() <= kFiltersKept) return;
  std::vector<Filter> kept;
  std::vector<std::size_t> moved(filters_.size(), 0);
  std::vector<bool> used(filters_.size(), false);
  for (const Subscriber& s : subscribers_) used[s.filter] = true;
  for (std::size_t i = 0; i < filters_.size(); ++i) {
    if (!used[i]) continue;
    moved[i] = kept.size();
    kept.push_back(std::move(filters_[i]));
  }
  for (Subscriber& s : subscribers_) s.filter = moved[s.filter];
  filters_ = std::move(kept);
}

}  // namespace regatta::marathon

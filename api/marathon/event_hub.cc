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
  if (events.empty()) return;
  std::vector<const Frame*> added;
  for (std::size_t i = 0; i < events.size(); ++i) {
    // Only the revision's last event carries the id: a client that drops
    // mid-revision resumes from the one before and gets all of it again.
    const std::string id = i + 1 == events.size() ? std::to_string(revision) : "";
    held_.push_back({revision, events[i].type, SseFrame(id, events[i])});
  }
  while (held_.size() > capacity_) held_.pop_front();
  const std::size_t first = held_.size() >= events.size() ? held_.size() - events.size() : 0;
  for (Subscriber& s : subscribers_) {
    std::string chunk;
    bool last_taken = false;
    for (std::size_t i = first; i < held_.size(); ++i) {
      last_taken = Takes(s, held_[i].type);
      if (last_taken) chunk += held_[i].text;
    }
    if (chunk.empty()) continue;
    // Its filter dropped the event that carries the id: an id-only block
    // moves the client's Last-Event-ID on all the same (it dispatches no
    // event), so a reconnect does not get these events twice.
    if (!last_taken) chunk += "id: " + std::to_string(revision) + "\n\n";
    s.stream->Write(std::move(chunk));
  }
  Prune();
}

void EventHub::Subscribe(std::shared_ptr<http::Stream> stream, std::set<std::string> types,
                         std::optional<Revision> after, const MarathonEvent& attached) {
  Subscriber s{std::move(stream), std::move(types)};
  std::string chunk;
  if (Takes(s, attached.type)) chunk += SseFrame("", attached);
  if (after) {
    if (!held_.empty() && held_.front().revision > *after + 1) {
      chunk += ": events before revision " + std::to_string(held_.front().revision) + " are no longer held\n\n";
    }
    for (const Frame& f : held_) {
      if (f.revision > *after && Takes(s, f.type)) chunk += f.text;
    }
  }
  if (!chunk.empty()) s.stream->Write(std::move(chunk));
  subscribers_.push_back(std::move(s));
}

void EventHub::Heartbeat() {
  for (Subscriber& s : subscribers_) s.stream->Write("\r\n");
  Prune();
}

void EventHub::Prune() {
  subscribers_.erase(std::remove_if(subscribers_.begin(), subscribers_.end(),
                                    [](const Subscriber& s) { return s.stream->closed(); }),
                     subscribers_.end());
}

}  // namespace regatta::marathon

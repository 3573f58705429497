// /v2/events: Marathon's server-sent events, from the log. Each event's
// SSE id is the revision it came from, so a client that reconnects with
// Last-Event-ID gets what it missed from the events held (the newest
// `capacity`), and nothing twice.
//
// Loop thread only.
#pragma once

#include <deque>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "api/http/http.h"
#include "api/marathon/event_json.h"

namespace regatta::marathon {

class EventHub {
 public:
  explicit EventHub(std::size_t capacity = 50000) : capacity_(capacity) {}

  // Events of one revision, in order: held, and sent to every subscriber
  // whose filter takes them.
  void Publish(Revision revision, std::vector<MarathonEvent> events);

  // A new subscriber: `types` empty takes every type. With `after`, first
  // sends the held events past that revision (or a comment naming the
  // oldest revision held, when some it asked for are gone).
  void Subscribe(std::shared_ptr<http::Stream> stream, std::set<std::string> types, std::optional<Revision> after,
                 const MarathonEvent& attached);

  // Marathon's keep-alive (a CRLF), which also finds the clients that left:
  // only a write tells (ENGINEERING.md, kj-http).
  void Heartbeat();

  std::size_t subscribers() const { return subscribers_.size(); }

 private:
  struct Frame {
    Revision revision;
    std::string type;
    std::string text;  // "id: ..\nevent: ..\ndata: ..\n\n"; the id only on a revision's last event
  };
  struct Subscriber {
    std::shared_ptr<http::Stream> stream;
    std::set<std::string> types;
  };
  static bool Takes(const Subscriber& s, const std::string& type) { return s.types.empty() || s.types.count(type); }
  void Prune();

  std::size_t capacity_;
  std::deque<Frame> held_;
  std::vector<Subscriber> subscribers_;
};

// The SSE text of one event; `id` empty for none.
std::string SseFrame(const std::string& id, const MarathonEvent& event);

}  // namespace regatta::marathon

// /v2/events: Marathon's server-sent events, from the log. Each event's
// SSE id is the revision it came from, so a client that reconnects with
// Last-Event-ID gets what it missed from the events held (the newest
// `capacity`), and nothing twice.
//
// Published events wait for a round of Flush, which sends everything
// pending to each subscriber in one write: the caller paces rounds
// (MarathonApi, one per sse_flush_interval at most), so 10,000 subscribers
// cost 10,000 writes a round however many events it holds. Subscribers
// with the same event_type filter share one rendered chunk a round. A
// round goes out in slices, so the loop answers requests between them.
//
// Loop thread only.
#pragma once

#include <deque>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "api/http/http.h"
#include "api/marathon/event_json.h"

namespace regatta::marathon {

class EventHub {
 public:
  explicit EventHub(std::size_t capacity = 50000) : capacity_(capacity) {}

  // Events of one revision, in order: held, and pending for the next Flush.
  void Publish(Revision revision, std::vector<MarathonEvent> events);

  // Writes to at most `writes` more subscribers of the round under way,
  // starting one with what is pending if none is. True once the round is
  // done (or there was nothing to send); what is published meanwhile
  // waits for the next round.
  bool Flush(std::size_t writes);
  bool pending() const { return pending_ > 0; }

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
    bool carries_id;
  };
  using Filter = std::set<std::string>;  // event types; empty takes every type
  struct Subscriber {
    std::shared_ptr<http::Stream> stream;
    std::size_t filter;  // index into filters_
  };
  static constexpr std::size_t kFiltersKept = 64;  // Prune drops unused filters past this many
  static bool Takes(const Filter& f, const std::string& type) { return f.empty() || f.count(type); }
  std::size_t Intern(Filter filter);
  // The SSE text of held_[from, end) that `filter` takes.
  std::string Render(const Filter& filter, std::size_t from) const;
  void Prune();

  std::size_t capacity_;
  std::deque<Frame> held_;
  std::size_t pending_ = 0;  // the newest frames of held_, not yet flushed
  std::vector<Filter> filters_;
  std::vector<Subscriber> subscribers_;
  struct Round {
    std::vector<http::Chunk> chunks;  // by filter
    std::size_t next;                 // subscribers_[next, end) are still to write
    std::size_t end;
  };
  std::optional<Round> round_;  // while one is under way, subscribers_ is not pruned
};

// The SSE text of one event; `id` empty for none.
std::string SseFrame(const std::string& id, const MarathonEvent& event);

}  // namespace regatta::marathon

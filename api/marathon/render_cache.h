// Bodies of GET replies already rendered at the view's current revision.
//
// A rendering is a pure function of the view (and the tracker folded from
// the same events), and the view moves only when the log does, so a body
// stays right until the next revision is applied. Polling clients (UIs,
// load balancers' watchers, python3-marathon loops) ask for the same app
// over and over between changes; they get the bytes without a JSON tree.
#pragma once

#include <cstddef>
#include <string>
#include <unordered_map>

#include "events/event.h"

namespace regatta::marathon {

class RenderCache {
 public:
  explicit RenderCache(std::size_t capacity) : capacity_(capacity) {}

  // The body stored under `key` for the view whose next revision is
  // `next`, or nullptr when there is none or the view has moved since
  // (which forgets every body).
  const std::string* Find(Revision next, const std::string& key);
  // Keeps `body` and returns it; when full, starts over rather than
  // tracking use.
  const std::string& Store(Revision next, std::string key, std::string body);

 private:
  void MoveTo(Revision next);

  std::size_t capacity_;
  Revision next_ = 0;  // the empty view's
  std::unordered_map<std::string, std::string> bodies_;
};

}  // namespace regatta::marathon

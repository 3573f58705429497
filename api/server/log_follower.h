// Tails the log on a thread of its own and hands each batch it reads to a
// sink (the HTTP loop's ReadModel, through Loop::Post). The API's view
// comes from the log alone, never from the master's memory, so an API
// process may run anywhere the log can be read, as many times as wanted.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "events/committed_batch.h"
#include "events/event_log.h"

namespace regatta::api {

// Folds every event from `from` up to the log's end as it stands now into
// `sink`, on the calling thread, in batches: the API's view before it starts
// serving. Corruption naming the revision for an event that does not
// decode; the view then stops before it.
[[nodiscard]] Status ReadToEnd(EventLog& log, Revision from, const std::function<void(const CommittedBatch&)>& sink);

class LogFollower {
 public:
  using Sink = std::function<void(CommittedBatchPtr)>;
  // Reads from `from` on, calling `sink` on the follower's thread with each
  // batch, in log order. A read error is reported to `on_error` and
  // retried; the follower never skips past an event it could not read.
  LogFollower(std::shared_ptr<EventLog> log, Revision from, Sink sink,
              std::function<void(const Status&)> on_error);
  ~LogFollower();
  LogFollower(const LogFollower&) = delete;
  LogFollower& operator=(const LogFollower&) = delete;

 private:
  void Run(Revision from);

  std::shared_ptr<EventLog> log_;
  Sink sink_;
  std::function<void(const Status&)> on_error_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace regatta::api

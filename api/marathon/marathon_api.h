// Marathon's v2 REST API over the HTTP tier: reads from the API's own view
// (api/server/read_model.h), writes through the master (Commander), errors
// in Marathon's shapes. docs/marathon.md lists the endpoints and where
// Regatta goes beyond or falls short of Marathon.
//
// Loop thread only.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "api/http/http.h"
#include "api/server/commander.h"
#include "api/server/read_model.h"
#include "events/base/clock.h"

namespace regatta::marathon {

struct MarathonOptions {
  std::string advertised = "127.0.0.1:8080";  // host:port, as /v2/leader and Location name it
  // How long a read with ?minRevision=, or a write's answer, waits for the
  // view to catch up before 504.
  std::chrono::milliseconds catch_up_wait{10000};
  std::shared_ptr<const Clock> clock = SystemClock();
  // /v2/events sends what was published at most this often, in one write
  // per subscriber: the price of 10,000 subscribers is per round, not per
  // event (docs/benchmarks.md).
  std::chrono::milliseconds sse_flush_interval{20};
};

class MarathonApi {
 public:
  // Watches `model` (which must outlive this) for the events it shows.
  MarathonApi(api::ReadModel& model, api::Commander& commander, http::Loop& loop, MarathonOptions options);
  ~MarathonApi();

  // Whether this API serves the path (/v2/..., /ping).
  static bool Serves(const http::Request& request);
  void Handle(http::Request request, std::shared_ptr<http::Exchange> exchange);

  // The keep-alive of /v2/events; the server calls it every 10 s.
  void Heartbeat();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace regatta::marathon

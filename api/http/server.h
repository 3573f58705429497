// An HTTP/1.1 server on kj-http (Cap'n Proto's HTTP library: asynchronous,
// so one event loop holds thousands of streaming connections). It runs its
// own thread with its own event loop, turns each request into an
// http::Request (api/http/http.h), and hands it to the handler on that
// loop.
//
// Limits: request headers up to 128 KiB (kj's), bodies up to
// ServerOptions::max_body_bytes (413 beyond). kj-http does not answer
// "Expect: 100-continue"; curl users add -H 'Expect:' for large bodies.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "api/http/http.h"
#include "events/base/status.h"

namespace regatta::http {

struct ServerOptions {
  std::size_t max_body_bytes = 16u << 20;
};

// One address the server listens on, and who answers there.
struct Listener {
  std::string host;
  std::uint16_t port = 0;  // 0: any free one
  Handler handler;
};

class Server : public Loop {
 public:
  // Listens on host:port (port 0: any free one) and serves until destroyed.
  // Unavailable when the address cannot be bound.
  static Result<std::unique_ptr<Server>> Start(const std::string& host, std::uint16_t port, Handler handler,
                                               ServerOptions options = {});
  // The same on several addresses, every handler on the one loop (the
  // Marathon and Kubernetes APIs share one view). Unavailable naming the
  // first address that cannot be bound.
  static Result<std::unique_ptr<Server>> Start(std::vector<Listener> listeners, ServerOptions options = {});
  ~Server() override = default;

  // The port listener `listener` (in Start's order) is bound to.
  virtual std::uint16_t port(std::size_t listener = 0) const = 0;
};

}  // namespace regatta::http

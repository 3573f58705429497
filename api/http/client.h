// A blocking HTTP/1.1 client for the command line and the tests: one
// request, one answer, over kj-http. The CLI reaches the cluster only
// through the HTTP API, so this is its whole transport.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "api/http/http.h"
#include "events/base/status.h"

namespace regatta::http {

// Where an API listens: "http://HOST:PORT" (or "HOST:PORT"), optionally with
// a path prefix that every request's target is put under.
struct Endpoint {
  std::string host;
  std::uint16_t port = 0;
  std::string prefix;  // "" or "/something", no trailing slash
  std::string ToString() const;
};
// InvalidArgument naming `flag` unless `url` is http://HOST:PORT[/PREFIX].
Result<Endpoint> ParseEndpoint(const std::string& flag, const std::string& url);

struct Call {
  std::string method = "GET";
  std::string target = "/";  // path and query, already escaped
  std::string body;          // sent (with Content-Type JSON) when not empty
  Headers headers;
  std::chrono::milliseconds timeout = std::chrono::seconds(30);
};

// The answer, whatever its status; Unavailable when nothing answered (no
// listener, a reset, the timeout), naming the endpoint.
Result<Response> Fetch(const Endpoint& endpoint, const Call& call);

// Escapes one path segment or query value (RFC 3986 unreserved kept).
std::string EscapeComponent(const std::string& text);

}  // namespace regatta::http

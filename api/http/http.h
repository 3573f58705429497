// The HTTP tier's view of a request and its answer, with no HTTP library in
// sight: handlers (the Marathon API, and the Kubernetes API after it) are
// written against these, and api/http/server.h adapts them to kj-http.
//
// Threading: one event loop runs every handler, every Exchange and every
// Stream (the "loop thread"). Other threads (the log follower, the master's
// replies) hand work to it with Loop::Post.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace regatta::http {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string target;  // the path and query as sent
  std::string path;    // decoded, with runs of '/' collapsed ("/v2/apps//x" -> "/v2/apps/x")
  std::vector<std::string> segments;  // the path's parts: {"v2", "apps", "x"}
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order; a bare key has ""
  std::map<std::string, std::string> headers;              // names lower-cased
  std::string body;
  std::string peer;  // "127.0.0.1:51234"

  // The first value of a query parameter, if present.
  std::optional<std::string> Query(const std::string& name) const;
  std::vector<std::string> QueryAll(const std::string& name) const;
  // A boolean parameter: "true" in any case is true, any other value false
  // (as Marathon reads them: clients send True and False); `absent` when
  // the parameter is not there.
  bool Flag(const std::string& name, bool absent) const;
  std::string Header(const std::string& lower_name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  Headers headers;
  std::string body;
};

// Bytes for one or more streams, shared rather than copied.
using Chunk = std::shared_ptr<const std::string>;

// A response written in pieces: server-sent events, a watch. Loop thread
// only. Writes are queued and go out in order; once the client has gone
// (a write failed) or Close was called, closed() is true and writes are
// dropped.
class Stream {
 public:
  virtual ~Stream() = default;
  // One chunk may go to many streams: each holds it, none copies it.
  virtual void Write(Chunk chunk) = 0;
  void Write(std::string chunk) { Write(std::make_shared<const std::string>(std::move(chunk))); }
  virtual void Close() = 0;
  virtual bool closed() const = 0;
};

// One request's answer: Respond once, or StartStream once. Loop thread
// only. If the client goes away first, the answer is dropped.
class Exchange {
 public:
  virtual ~Exchange() = default;
  virtual void Respond(Response response) = 0;
  virtual std::shared_ptr<Stream> StartStream(int status, const std::string& content_type, Headers headers) = 0;
  // True once the client has gone or the answer was given.
  virtual bool done() const = 0;
};

// The event loop handlers run on.
class Loop {
 public:
  virtual ~Loop() = default;
  // Runs `work` on the loop thread, soon. Callable from any thread; work
  // posted after the loop stopped is dropped.
  virtual void Post(std::function<void()> work) = 0;
  // Runs `work` on the loop thread after `delay`. Loop thread only.
  virtual void After(std::chrono::milliseconds delay, std::function<void()> work) = 0;
};

using Handler = std::function<void(Request request, std::shared_ptr<Exchange> exchange)>;

// Percent-decodes a path or query component ("a%2Fb" -> "a/b"; in a query,
// '+' is a space). Malformed escapes are kept as they are.
std::string Decode(std::string_view text, bool query);
// Splits "/v2/apps?embed=a&embed=b" into path, segments and query.
void ParseTarget(Request& request);

// The reason phrase of a status code ("Not Found").
const char* StatusText(int status);

}  // namespace regatta::http

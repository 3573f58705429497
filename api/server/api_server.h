// The HTTP API as a whole: a server on the HTTP tier, the view it reads
// (folded from the log by a follower thread), the way to the master, and
// the APIs on it (Marathon's; Kubernetes' joins it). Runs inside `regatta
// master` and as its own process (`regatta api`).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "actors/protocol/wire.h"
#include "api/server/commander.h"
#include "events/event_log.h"

namespace regatta::api {

struct ApiOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;  // 0: any free port
  // host:port as clients should name this API (Location, /v2/leader);
  // empty: host:port as bound.
  std::string advertised;
  // The Kubernetes API, on its own port of the same loop; none when
  // kube_host is empty.
  std::string kube_host;
  std::uint16_t kube_port = 6443;
};

class ApiServer {
 public:
  // Reads the log to its end, then listens. Until then (and it is quick on
  // a fresh log) requests get 503. Unavailable when the port is taken.
  static Result<std::unique_ptr<ApiServer>> Start(caf::actor_system& system, protocol::master_actor master,
                                                  std::shared_ptr<EventLog> log, const ApiOptions& options);
  // The same with the master as `handle` names it at each command (a
  // standalone API reconnects it).
  static Result<std::unique_ptr<ApiServer>> Start(caf::actor_system& system, std::shared_ptr<MasterHandle> handle,
                                                  std::shared_ptr<EventLog> log, const ApiOptions& options);
  virtual ~ApiServer() = default;
  virtual std::uint16_t port() const = 0;
  // The Kubernetes API's port; 0 when it is not served.
  virtual std::uint16_t kube_port() const = 0;
};

// `regatta api`: the API as its own process, on a log it only reads and a
// master on another node. Several run side by side; each answers with the
// revision its view reflects. Returns when SIGINT or SIGTERM arrives.
struct StandaloneApiOptions {
  ApiOptions api;
  std::string log_uri;
  std::string master_host = "127.0.0.1";
  std::uint16_t master_port = 5050;
};
Status RunStandaloneApi(const StandaloneApiOptions& options);

}  // namespace regatta::api

// The API's way to the master: a ClientMessage out, its MasterReply back,
// delivered on the HTTP loop. Writes never touch the API's own view; they
// reach it through the log, like everyone else's.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <string>

#include "actors/protocol/codec.h"
#include "actors/protocol/wire.h"
#include "api/http/http.h"
#include "events/base/status.h"

namespace regatta::api {

// What the master said: OK with the revision its events got (or the
// revision it had applied, for a command that wrote nothing), or its
// refusal with code and field; Unavailable when it could not be reached.
struct CommandReply {
  Status status;
  Revision revision = 0;
};

class Commander {
 public:
  virtual ~Commander() = default;
  // Sends `message` (a flat ClientMessage); `done` runs on the loop.
  virtual void Send(protocol::Bytes message, std::function<void(CommandReply)> done) = 0;
};

// The master as the API reaches it now. In `regatta master` it never
// changes; a standalone `regatta api` puts in a new handle when it has
// reconnected to a restarted master (ReconnectingMaster).
class MasterHandle {
 public:
  explicit MasterHandle(protocol::master_actor master = {}) : master_(std::move(master)) {}
  protocol::master_actor Get() const;
  void Set(protocol::master_actor master);

 private:
  mutable std::mutex mu_;
  protocol::master_actor master_;
};

// Over CAF, to the master `handle` names when a command is sent. Each
// command is one request from a short-lived actor, so no reply waits
// behind another. No master yet: Unavailable at once.
std::unique_ptr<Commander> MasterCommander(caf::actor_system& system, std::shared_ptr<MasterHandle> handle,
                                           http::Loop& loop,
                                           std::chrono::milliseconds timeout = std::chrono::seconds(10));

// Keeps `handle` pointing at the master at host:port, from a thread of its
// own: connects (retrying every `interval`), pings the master every
// `interval`, and when a ping goes unanswered for `interval` empties the
// handle (commands then get Unavailable at once, not after a timeout) and
// connects again. A ping, not CAF's down message: a master killed with
// kill -9 did not reliably reach a monitor here, and a ping also catches a
// master that is up but stuck. Stops when destroyed.
class MasterConnection {
 public:
  MasterConnection(caf::actor_system& system, std::string host, std::uint16_t port,
                   std::shared_ptr<MasterHandle> handle, std::chrono::milliseconds interval);
  ~MasterConnection();

 private:
  void Run();
  caf::actor_system& system_;
  const std::string host_;
  const std::uint16_t port_;
  const std::shared_ptr<MasterHandle> handle_;
  const std::chrono::milliseconds interval_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace regatta::api

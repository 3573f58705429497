// The API's way to the master: a ClientMessage out, its MasterReply back,
// delivered on the HTTP loop. Writes never touch the API's own view; they
// reach it through the log, like everyone else's.
#pragma once

#include <chrono>
#include <functional>
#include <memory>

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

// Over CAF, to a master actor in this process or on another node. Each
// command is one request from a short-lived actor, so no reply waits
// behind another.
std::unique_ptr<Commander> MasterCommander(caf::actor_system& system, protocol::master_actor master,
                                           http::Loop& loop,
                                           std::chrono::milliseconds timeout = std::chrono::seconds(30));

}  // namespace regatta::api

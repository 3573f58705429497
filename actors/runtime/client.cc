#include "actors/runtime/client.h"

#include <caf/io/all.hpp>

#include "actors/protocol/wire.h"

namespace regatta::runtime {

Status SendToMaster(const std::string& host, std::uint16_t port, const protocol::Bytes& message) {
  caf::actor_system_config cfg;
  cfg.load<caf::io::middleman>();
  protocol::RegisterMessageTypes(cfg);
  caf::actor_system system{cfg};
  auto master = system.middleman().remote_actor<protocol::master_actor>(host, port);
  if (!master) {
    return Status::Unavailable("cannot reach the master at " + host + ":" + std::to_string(port) + ": " +
                               system.render(master.error()));
  }
  Status result = Status::Unavailable("no answer from the master");
  caf::scoped_actor self{system};
  self->request(*master, std::chrono::seconds(30), protocol::client_atom::value, protocol::Wire{message})
      .receive(
          [&](protocol::Wire& reply) {
            auto answer = protocol::Received<protocol::MasterReply>::Read(reply.bytes, "master reply");
            if (!answer.ok()) {
              result = answer.status();
              return;
            }
            auto root = answer->root();
            if (root.isAcknowledged()) result = Status::Ok();
            else if (root.isRefused()) result = Status::InvalidArgument(root.getRefused());
            else if (root.isUnavailable()) result = Status::Unavailable(root.getUnavailable());
            else result = Status::Unavailable("unexpected reply");
          },
          [&](caf::error& e) {
            // A request that timed out may still have been applied: say so
            // rather than let the user assume it was not.
            const bool timed_out = e == caf::sec::request_timeout;
            result = Status::Unavailable(timed_out ? "no reply from the master within 30 s; the command may still "
                                                     "have been applied (check `regatta events dump`)"
                                                   : "master: " + system.render(e));
          });
  return result;
}

}  // namespace regatta::runtime

#include "api/server/commander.h"

#include <caf/all.hpp>

#include <mutex>

namespace regatta::api {
namespace {

using protocol::Wire;

CommandReply Decode(const Wire& wire) {
  auto reply = protocol::Received<protocol::MasterReply>::Read(wire.bytes, "master reply");
  if (!reply.ok()) return {reply.status(), 0};
  return {protocol::StatusOfReply(reply->root()), reply->root().getRevision()};
}

// The loop a reply goes back to, for as long as it exists: a reply that
// comes after the API stopped is dropped.
struct LoopRef {
  std::mutex mu;
  http::Loop* loop;
  void Post(std::function<void()> work) {
    std::lock_guard lock(mu);
    if (loop != nullptr) loop->Post(std::move(work));
  }
};

class CafCommander final : public Commander {
 public:
  CafCommander(caf::actor_system& system, protocol::master_actor master, http::Loop& loop,
               std::chrono::milliseconds timeout)
      : system_(system), master_(std::move(master)), loop_(std::make_shared<LoopRef>()), timeout_(timeout) {
    loop_->loop = &loop;
  }
  ~CafCommander() override {
    std::lock_guard lock(loop_->mu);
    loop_->loop = nullptr;
  }

  void Send(protocol::Bytes message, std::function<void(CommandReply)> done) override {
    auto finish = [loop = loop_, done = std::move(done)](CommandReply reply) mutable {
      loop->Post([done = std::move(done), reply = std::move(reply)]() mutable { done(std::move(reply)); });
    };
    system_.spawn([master = master_, timeout = timeout_, wire = Wire{std::move(message)},
                   finish = std::move(finish)](caf::event_based_actor* self) mutable {
      self->request(master, timeout, protocol::client_atom::value, wire)
          .then([finish](const Wire& reply) mutable { finish(Decode(reply)); },
                [finish, self](const caf::error& e) mutable {
                  finish({Status::Unavailable("the master did not answer: " + self->system().render(e)), 0});
                });
    });
  }

 private:
  caf::actor_system& system_;
  protocol::master_actor master_;
  std::shared_ptr<LoopRef> loop_;
  std::chrono::milliseconds timeout_;
};

}  // namespace

std::unique_ptr<Commander> MasterCommander(caf::actor_system& system, protocol::master_actor master,
                                           http::Loop& loop, std::chrono::milliseconds timeout) {
  return std::make_unique<CafCommander>(system, std::move(master), loop, timeout);
}

}  // namespace regatta::api

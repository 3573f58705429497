#include "api/server/commander.h"

#include <caf/all.hpp>
#include <caf/io/all.hpp>
#include <capnp/message.h>

#include <iostream>
#include <thread>

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
  CafCommander(caf::actor_system& system, std::shared_ptr<MasterHandle> master, http::Loop& loop,
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
    protocol::master_actor master = master_->Get();
    if (!master) return finish({Status::Unavailable("the API is not connected to the master (yet)"), 0});
    system_.spawn([master = std::move(master), timeout = timeout_, wire = Wire{std::move(message)},
                   finish = std::move(finish)](caf::event_based_actor* self, int) mutable {
      self->request(master, timeout, protocol::client_atom::value, wire)
          .then([finish](const Wire& reply) mutable { finish(Decode(reply)); },
                [finish, self](const caf::error& e) mutable {
                  finish({Status::Unavailable("the master did not answer: " + self->system().render(e)), 0});
                });
    }, 0);  // the unused int: CAF 0.17 binds a null reference for an empty argument tuple (UBSan aborts)
  }

 private:
  caf::actor_system& system_;
  std::shared_ptr<MasterHandle> master_;
  std::shared_ptr<LoopRef> loop_;
  std::chrono::milliseconds timeout_;
};

}  // namespace

protocol::master_actor MasterHandle::Get() const {
  std::lock_guard lock(mu_);
  return master_;
}

void MasterHandle::Set(protocol::master_actor master) {
  std::lock_guard lock(mu_);
  master_ = std::move(master);
}

std::unique_ptr<Commander> MasterCommander(caf::actor_system& system, std::shared_ptr<MasterHandle> handle,
                                           http::Loop& loop, std::chrono::milliseconds timeout) {
  return std::make_unique<CafCommander>(system, std::move(handle), loop, timeout);
}

MasterConnection::MasterConnection(caf::actor_system& system, std::string host, std::uint16_t port,
                                   std::shared_ptr<MasterHandle> handle, std::chrono::milliseconds interval)
    : system_(system), host_(std::move(host)), port_(port), handle_(std::move(handle)), interval_(interval) {
  thread_ = std::thread([this] { Run(); });
}

MasterConnection::~MasterConnection() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

namespace {

protocol::Bytes PingMessage() {
  capnp::MallocMessageBuilder message;
  message.initRoot<protocol::ClientMessage>().setPing();
  return protocol::Flatten(message);
}

bool Answers(caf::actor_system& system, const protocol::master_actor& master, std::chrono::milliseconds timeout) {
  caf::scoped_actor self{system};
  bool answered = false;
  self->request(master, timeout, protocol::client_atom::value, Wire{PingMessage()})
      .receive([&](const Wire&) { answered = true; }, [&](const caf::error&) { answered = false; });
  return answered;
}

}  // namespace

void MasterConnection::Run() {
  const std::string where = host_ + ":" + std::to_string(port_);
  bool said_waiting = false;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      if (wake_.wait_for(lock, handle_->Get() ? interval_ : interval_ / 2, [this] { return stop_; })) return;
    }
    protocol::master_actor master = handle_->Get();
    if (master) {
      if (Answers(system_, master, interval_)) continue;
      handle_->Set({});
      std::cerr << "regatta api: the master at " << where << " stopped answering; connecting again\n";
      continue;
    }
    auto connected = system_.middleman().remote_actor<protocol::master_actor>(host_, port_);
    if (connected && Answers(system_, *connected, interval_)) {
      handle_->Set(*connected);
      std::cerr << "regatta api: connected to the master at " << where << "\n";
      said_waiting = false;
    } else if (!said_waiting) {
      std::cerr << "regatta api: waiting for the master at " << where << "\n";
      said_waiting = true;
    }
  }
}

}  // namespace regatta::api

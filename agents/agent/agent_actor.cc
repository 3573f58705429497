#include "agents/agent/agent_actor.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include <caf/io/all.hpp>

#include "actors/protocol/wire.h"
#include "actors/runtime/signals.h"

namespace regatta::agent {
namespace {

using protocol::agent_actor;
using protocol::master_actor;
using protocol::Wire;

struct AgentState {
  AgentOptions options;
  std::string agent_id;      // empty until the master names us
  bool registered = false;   // the master knows our session
  master_actor master;       // invalid until connected
  std::uint64_t generation = 0;  // bumped on every new connection
  bool in_flight = false;        // one request at a time: none pile up on a dead master
  static inline const char* name = "regatta.agent";
};

using AgentPointer = agent_actor::stateful_pointer<AgentState>;

std::string IdFile(const AgentOptions& o) { return o.work_dir + "/agent_id"; }

std::string LoadId(const AgentOptions& o) {
  std::ifstream in(IdFile(o));
  std::string id;
  std::getline(in, id);
  return id;
}

void SaveId(const AgentOptions& o, const std::string& id) {
  const std::string tmp = IdFile(o) + ".tmp";
  std::ofstream(tmp) << id << "\n";
  std::filesystem::rename(tmp, IdFile(o));
}

void Lost(AgentPointer self, const std::string& why) {
  if (self->state.registered) std::cerr << "regatta agent: lost the master: " << why << "\n";
  self->state.registered = false;
  self->state.master = master_actor{};
}

void HandleReply(AgentPointer self, const Wire& reply, bool registering) {
  auto message = protocol::Received<protocol::MasterReply>::Read(reply.bytes, "master reply");
  if (!message.ok()) return Lost(self, message.status().message());
  auto root = message->root();
  switch (root.which()) {
    case protocol::MasterReply::REGISTERED:
      self->state.agent_id = root.getRegistered();
      self->state.registered = true;
      SaveId(self->state.options, self->state.agent_id);
      std::cerr << "regatta agent: registered as " << self->state.agent_id << "\n";
      return;
    case protocol::MasterReply::ACKNOWLEDGED:
      return;
    case protocol::MasterReply::REFUSED:
      std::cerr << "regatta agent: master refused: " << root.getRefused().cStr() << "\n";
      // A master that lost our session wants a reregistration; one that
      // does not know our id at all wants a fresh registration.
      if (registering && std::string(root.getRefused().cStr()).find("agentId") != std::string::npos) {
        self->state.agent_id.clear();
      }
      self->state.registered = false;
      return;
    case protocol::MasterReply::UNAVAILABLE:
      self->state.registered = false;
      return;
  }
}

bool Connect(AgentPointer self) {
  if (self->state.master) return true;
  auto& o = self->state.options;
  auto master = self->system().middleman().remote_actor<master_actor>(o.master_host, o.master_port);
  if (!master) return false;
  self->state.master = *master;
  ++self->state.generation;
  return true;
}

Wire RegistrationMessage(const AgentState& s) {
  master::RegisterAgent command;
  command.agent_id = s.agent_id;
  command.hostname = s.options.hostname;
  command.address = s.options.hostname;
  command.resources = s.options.resources;
  command.ports = s.options.ports;
  command.attributes = s.options.attributes;
  return Wire{protocol::RegisterAgentMessage(command)};
}

void Tick(AgentPointer self) {
  if (self->state.in_flight || !Connect(self)) return;
  const bool registering = !self->state.registered;
  const std::uint64_t generation = self->state.generation;
  self->state.in_flight = true;
  Wire message = registering ? RegistrationMessage(self->state)
                             : Wire{protocol::HeartbeatMessage(self->state.agent_id)};
  self->request(self->state.master, std::chrono::seconds(5), protocol::agent_atom::value,
                caf::actor_cast<agent_actor>(self), std::move(message))
      .then(
          [=](Wire& reply) {
            self->state.in_flight = false;
            if (generation == self->state.generation) HandleReply(self, reply, registering);
          },
          [=](caf::error& e) {
            self->state.in_flight = false;
            // A late answer about an old connection says nothing about this one.
            if (generation == self->state.generation) Lost(self, self->system().render(e));
          });
}

agent_actor::behavior_type AgentBehavior(AgentPointer self) {
  self->send(self, protocol::tick_atom::value);
  return {
      [=](protocol::master_atom, Wire) {
        // Running tasks (RunTask, KillTask) arrives with the process
        // containerizer; until then an order is refused loudly.
        std::cerr << "regatta agent: task orders are not handled by this build yet\n";
      },
      [=](protocol::tick_atom) {
        Tick(self);
        self->delayed_send(self, self->state.options.heartbeat_interval, protocol::tick_atom::value);
      },
  };
}

}  // namespace

Status RunAgent(const AgentOptions& given) {
  runtime::BlockStopSignals();  // before CAF starts its threads

  AgentOptions options = given;
  std::error_code ec;
  std::filesystem::create_directories(options.work_dir, ec);
  if (ec) return Status::IoError("--work-dir " + options.work_dir + ": " + ec.message());
  if (options.hostname.empty()) {
    char host[256] = {};
    ::gethostname(host, sizeof host - 1);
    options.hostname = host;
  }
  caf::actor_system_config cfg;
  cfg.load<caf::io::middleman>();
  protocol::RegisterMessageTypes(cfg);
  caf::actor_system system{cfg};
  auto agent = system.spawn<caf::detached>([&](AgentPointer self) {
    self->state.options = options;
    self->state.agent_id = LoadId(options);
    return AgentBehavior(self);
  });
  std::cerr << "regatta agent: work dir " << options.work_dir << ", master " << options.master_host << ":"
            << options.master_port << "\n";
  runtime::WaitForStopSignal();
  std::cerr << "regatta agent: stopping\n";
  caf::anon_send_exit(agent, caf::exit_reason::user_shutdown);
  return Status::Ok();
}

}  // namespace regatta::agent

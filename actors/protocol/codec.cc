#include "actors/protocol/codec.h"

namespace regatta::protocol {
namespace {

using projections::Quantity;
using projections::ResourceVector;

ResourceVector FromWire(schema::Resources::Reader r) {
  return {Quantity::FromDouble(r.getCpus()), Quantity::FromDouble(r.getMemMb()),
          Quantity::FromDouble(r.getDiskMb()), Quantity::FromDouble(r.getGpus())};
}

template <class Fill>
Bytes Build(Fill&& fill) {
  capnp::MallocMessageBuilder message;
  fill(message);
  return Flatten(message);
}

void FillStatus(StatusUpdate::Builder s, const master::StatusUpdate& c) {
  s.setTaskId(c.task_id);
  s.setAgentId(c.agent_id);
  s.setState(c.state);
  s.setReason(c.reason);
  s.setMessage(c.message);
  s.setExitCode(c.exit_code);
}

}  // namespace

Bytes Flatten(capnp::MessageBuilder& message) {
  auto words = capnp::messageToFlatArray(message);
  auto bytes = words.asBytes();
  return Bytes(bytes.begin(), bytes.end());
}

master::RegisterAgent ToCommand(RegisterAgent::Reader m) {
  master::RegisterAgent c;
  c.agent_id = m.getAgentId();
  c.hostname = m.getHostname();
  c.address = m.getAddress();
  c.resources = FromWire(m.getResources());
  for (auto range : m.getResources().getPorts()) c.ports.push_back({range.getBegin(), range.getEnd()});
  for (auto kv : m.getAttributes()) c.attributes.emplace_back(kv.getKey(), kv.getValue());
  for (auto task : m.getRunning()) c.running.push_back({task.getTaskId(), task.getState()});
  return c;
}

master::StatusUpdate ToCommand(StatusUpdate::Reader m) {
  return {m.getTaskId(), m.getAgentId(), m.getState(), m.getReason(), m.getMessage(), m.getExitCode()};
}

Bytes RegisterAgentMessage(const master::RegisterAgent& c) {
  return Build([&](capnp::MessageBuilder& message) {
    auto r = message.initRoot<AgentMessage>().initRegisterAgent();
    r.setAgentId(c.agent_id);
    r.setHostname(c.hostname);
    r.setAddress(c.address);
    master::ToSchema(r.initResources(), c.resources, c.ports);
    master::ToSchema(r.initAttributes(static_cast<unsigned>(c.attributes.size())), c.attributes);
    auto running = r.initRunning(static_cast<unsigned>(c.running.size()));
    for (unsigned i = 0; i < c.running.size(); ++i) {
      running[i].setTaskId(c.running[i].task_id);
      running[i].setState(c.running[i].state);
    }
  });
}

Bytes HeartbeatMessage(const std::string& agent_id) {
  return Build([&](capnp::MessageBuilder& m) { m.initRoot<AgentMessage>().initHeartbeat().setAgentId(agent_id); });
}

Bytes StatusUpdateMessage(const master::StatusUpdate& c) {
  return Build([&](capnp::MessageBuilder& message) { FillStatus(message.initRoot<AgentMessage>().initStatusUpdate(), c); });
}

Bytes StatusUpdatesMessage(const std::vector<master::StatusUpdate>& commands) {
  return Build([&](capnp::MessageBuilder& message) {
    auto list = message.initRoot<AgentMessage>().initStatusUpdates(static_cast<unsigned>(commands.size()));
    for (unsigned i = 0; i < commands.size(); ++i) FillStatus(list[i], commands[i]);
  });
}

Bytes RegisteredReply(const std::string& agent_id) {
  return Build([&](capnp::MessageBuilder& m) { m.initRoot<MasterReply>().setRegistered(agent_id); });
}

Bytes AcknowledgedReply() {
  return Build([&](capnp::MessageBuilder& m) { m.initRoot<MasterReply>().setAcknowledged(); });
}

Bytes RefusedReply(const std::string& why) {
  return Build([&](capnp::MessageBuilder& m) { m.initRoot<MasterReply>().setRefused(why); });
}

Bytes UnavailableReply(const std::string& why) {
  return Build([&](capnp::MessageBuilder& m) { m.initRoot<MasterReply>().setUnavailable(why); });
}

Bytes KillTaskMessage(const std::string& task_id, double grace_seconds) {
  return Build([&](capnp::MessageBuilder& m) {
    auto k = m.initRoot<MasterMessage>().initKillTask();
    k.setTaskId(task_id);
    k.setGracePeriodSeconds(grace_seconds);
  });
}

Bytes RunTaskMessage(schema::TaskLaunched::Reader task, schema::AppSpec::Reader spec) {
  return Build([&](capnp::MessageBuilder& m) {
    auto run = m.initRoot<MasterMessage>().initRunTask();
    run.setTask(task);
    run.setSpec(spec);
  });
}

Bytes RunTasksMessage(const std::vector<std::pair<schema::TaskLaunched::Reader, schema::AppSpec::Reader>>& tasks) {
  return Build([&](capnp::MessageBuilder& m) {
    auto list = m.initRoot<MasterMessage>().initRunTasks(static_cast<unsigned>(tasks.size()));
    for (unsigned i = 0; i < tasks.size(); ++i) {
      list[i].setTask(tasks[i].first);
      list[i].setSpec(tasks[i].second);
    }
  });
}

}  // namespace regatta::protocol

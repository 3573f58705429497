#include "actors/protocol/codec.h"

namespace regatta::protocol {
namespace {

// ReplyCode mirrors StatusCode member for member: a reply's code is a cast.
static_assert(static_cast<int>(ReplyCode::INVALID_ARGUMENT) == static_cast<int>(StatusCode::kInvalidArgument));
static_assert(static_cast<int>(ReplyCode::NOT_FOUND) == static_cast<int>(StatusCode::kNotFound));
static_assert(static_cast<int>(ReplyCode::CONFLICT) == static_cast<int>(StatusCode::kConflict));
static_assert(static_cast<int>(ReplyCode::CORRUPTION) == static_cast<int>(StatusCode::kCorruption));
static_assert(static_cast<int>(ReplyCode::UNAVAILABLE) == static_cast<int>(StatusCode::kUnavailable));
static_assert(static_cast<int>(ReplyCode::FAILED_PRECONDITION) == static_cast<int>(StatusCode::kFailedPrecondition));
static_assert(static_cast<int>(ReplyCode::IO_ERROR) == static_cast<int>(StatusCode::kIoError));

template <class Fill>
Bytes Build(Fill&& fill) {
  capnp::MallocMessageBuilder message;
  fill(message);
  return Flatten(message);
}

void FillStatus(StatusUpdate::Builder s, const domain::StatusUpdate& c) {
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

domain::RegisterAgent ToCommand(RegisterAgent::Reader m) {
  domain::RegisterAgent c;
  c.agent_id = m.getAgentId();
  c.hostname = m.getHostname();
  c.address = m.getAddress();
  c.resources = domain::ResourcesOf(m.getResources());
  c.ports = domain::PortRangesOf(m.getResources());
  c.attributes = domain::PairsOf(m.getAttributes());
  for (auto task : m.getRunning()) c.running.push_back({task.getTaskId(), task.getState()});
  return c;
}

domain::StatusUpdate ToCommand(StatusUpdate::Reader m) {
  return {m.getTaskId(), m.getAgentId(), m.getState(), m.getReason(), m.getMessage(), m.getExitCode()};
}

domain::HealthUpdate ToCommand(HealthUpdate::Reader m) {
  return {m.getTaskId(), m.getAgentId(), m.getHealthy(), m.getReady(), m.getCheckIndex(), m.getMessage()};
}

Bytes HealthUpdatesMessage(const std::vector<domain::HealthUpdate>& updates) {
  return Build([&](capnp::MessageBuilder& message) {
    auto list = message.initRoot<AgentMessage>().initHealthUpdates(static_cast<unsigned>(updates.size()));
    for (unsigned i = 0; i < updates.size(); ++i) {
      const domain::HealthUpdate& u = updates[i];
      list[i].setTaskId(u.task_id);
      list[i].setAgentId(u.agent_id);
      list[i].setHealthy(u.healthy);
      list[i].setReady(u.ready);
      list[i].setCheckIndex(u.check_index);
      list[i].setMessage(u.message);
    }
  });
}

Bytes RegisterAgentMessage(const domain::RegisterAgent& c) {
  return Build([&](capnp::MessageBuilder& message) {
    auto r = message.initRoot<AgentMessage>().initRegisterAgent();
    r.setAgentId(c.agent_id);
    r.setHostname(c.hostname);
    r.setAddress(c.address);
    domain::ToSchema(r.initResources(), c.resources, c.ports);
    domain::ToSchema(r.initAttributes(static_cast<unsigned>(c.attributes.size())), c.attributes);
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

Bytes StatusUpdateMessage(const domain::StatusUpdate& c) {
  return Build([&](capnp::MessageBuilder& message) { FillStatus(message.initRoot<AgentMessage>().initStatusUpdate(), c); });
}

Bytes StatusUpdatesMessage(const std::vector<domain::StatusUpdate>& commands) {
  return Build([&](capnp::MessageBuilder& message) {
    auto list = message.initRoot<AgentMessage>().initStatusUpdates(static_cast<unsigned>(commands.size()));
    for (unsigned i = 0; i < commands.size(); ++i) FillStatus(list[i], commands[i]);
  });
}

Bytes RegisteredReply(const std::string& agent_id) {
  return Build([&](capnp::MessageBuilder& m) { m.initRoot<MasterReply>().setRegistered(agent_id); });
}

Bytes AcknowledgedReply(Revision revision) {
  return Build([&](capnp::MessageBuilder& m) {
    auto reply = m.initRoot<MasterReply>();
    reply.setAcknowledged();
    reply.setRevision(revision);
  });
}

Bytes FailureReply(const Status& status) {
  return Build([&](capnp::MessageBuilder& m) {
    auto failed = m.initRoot<MasterReply>().initFailed();
    failed.setCode(static_cast<ReplyCode>(status.code()));
    failed.setField(status.field());
    failed.setMessage(status.message());
  });
}

Status StatusOfReply(MasterReply::Reader reply) {
  switch (reply.which()) {
    case MasterReply::REGISTERED:
    case MasterReply::ACKNOWLEDGED:
      return Status::Ok();
    case MasterReply::REFUSED:
      return Status::InvalidArgument(reply.getRefused());
    case MasterReply::UNAVAILABLE:
      return Status::Unavailable(reply.getUnavailable());
    case MasterReply::FAILED: {
      auto failed = reply.getFailed();
      const auto code = static_cast<unsigned>(failed.getCode());
      // A code from a newer master that this build does not know: its
      // message still says what happened.
      const StatusCode known = code >= 1 && code <= static_cast<unsigned>(StatusCode::kIoError)
                                   ? static_cast<StatusCode>(code)
                                   : StatusCode::kUnavailable;
      const std::string field = failed.getField();
      const std::string message = failed.getMessage();
      if (!field.empty() && message.rfind(field + ": ", 0) == 0) {
        return Status::Field(known, field, message.substr(field.size() + 2));
      }
      return Status(known, message);
    }
  }
  return Status::Unavailable("a reply of a kind this build does not know");
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

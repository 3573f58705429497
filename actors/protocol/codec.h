// Cap'n Proto messages between actors, without CAF: building them, reading
// them safely from any bytes, and turning them into the domain's commands
// (events/domain/commands.h). Actor files wrap the bytes in a CAF message
// (wire.h).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <capnp/message.h>
#include <capnp/serialize.h>

#include "events/base/status.h"
#include "events/domain/commands.h"
#include "events/event.h"
#include "regatta/messages.capnp.h"

namespace regatta::protocol {

using Bytes = std::vector<std::uint8_t>;

Bytes Flatten(capnp::MessageBuilder& message);

// A message read from bytes: validated once, aligned, kept alive with its
// reader. Corruption (with `what`) when the bytes are not a valid T.
template <class T>
class Received {
 public:
  static Result<Received> Read(const Bytes& bytes, const char* what);
  typename T::Reader root() const { return root_; }

 private:
  kj::Array<capnp::word> words_;  // heap: moving a Received keeps the reader's words in place
  std::unique_ptr<capnp::FlatArrayMessageReader> reader_;
  typename T::Reader root_;
};

// ------------------------------------------------------------ to commands

domain::RegisterAgent ToCommand(RegisterAgent::Reader message);
domain::StatusUpdate ToCommand(StatusUpdate::Reader message);
domain::HealthUpdate ToCommand(HealthUpdate::Reader message);

// ------------------------------------------------------------ builders

Bytes RegisterAgentMessage(const domain::RegisterAgent& command);
Bytes HeartbeatMessage(const std::string& agent_id);
Bytes StatusUpdateMessage(const domain::StatusUpdate& command);
Bytes StatusUpdatesMessage(const std::vector<domain::StatusUpdate>& commands);
Bytes HealthUpdatesMessage(const std::vector<domain::HealthUpdate>& updates);
Bytes RegisteredReply(const std::string& agent_id);
// `revision`: see MasterReply.revision.
Bytes AcknowledgedReply(Revision revision = 0);
// A MasterReply carrying `status`'s code, field and message. REQUIRES: !ok.
Bytes FailureReply(const Status& status);
// What a reply says, as a Status: OK for registered and acknowledged,
// otherwise the failure with its code and field (older masters' refused and
// unavailable as InvalidArgument and Unavailable).
Status StatusOfReply(MasterReply::Reader reply);
Bytes KillTaskMessage(const std::string& task_id, double grace_seconds);
Bytes RunTaskMessage(schema::TaskLaunched::Reader task, schema::AppSpec::Reader spec);
// One RunTasks order: each task with its app's spec.
Bytes RunTasksMessage(const std::vector<std::pair<schema::TaskLaunched::Reader, schema::AppSpec::Reader>>& tasks);

}  // namespace regatta::protocol

#include "actors/protocol/codec_inl.h"

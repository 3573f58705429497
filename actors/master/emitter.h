// What every decide step shares: the builder of a command's events, each
// stamped with the command's context. Internal to the master's core.
#pragma once

#include <string>

#include <capnp/message.h>

#include "actors/master/master_core.h"
#include "events/codec.h"

namespace regatta::master {

// Builds the events of one command, all stamped alike.
class Emitter {
 public:
  Emitter(const CommandContext& context, Outcome* out) : context_(context), out_(out) {}

  template <class Fill>
  void Emit(Fill&& fill) {
    EnvelopeStamp stamp;
    stamp.event_id = context_.new_id ? context_.new_id() : "";
    stamp.time_nanos = context_.now_nanos;
    stamp.principal = context_.principal;
    stamp.reason = context_.reason;
    stamp.correlation_id = context_.correlation_id;
    capnp::MallocMessageBuilder message;
    auto envelope = InitEnvelope(message, stamp);
    fill(envelope.initEvent());
    out_->events.push_back(EncodeEnvelope(message));
  }

  void Status(const std::string& task, const std::string& agent, schema::TaskState state,
              const std::string& reason, const std::string& message, std::int32_t exit_code = 0) {
    Emit([&](auto e) {
      auto s = e.initTaskStatusChanged();
      s.setTaskId(task);
      s.setAgentId(agent);
      s.setState(state);
      s.setReason(reason);
      s.setMessage(message);
      s.setExitCode(exit_code);
    });
  }

 private:
  const CommandContext& context_;
  Outcome* out_;
};

}  // namespace regatta::master

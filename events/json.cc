#include "events/json.h"

#include <capnp/compat/json.h>
#include <capnp/message.h>
#include <kj/exception.h>

#include "events/codec.h"

namespace regatta {

std::string EnvelopeToJson(const Event& event) {
  capnp::MallocMessageBuilder copy;
  copy.setRoot(event.envelope);
  auto root = copy.getRoot<schema::Envelope>();
  root.setRevision(event.revision);
  capnp::JsonCodec codec;
  auto text = codec.encode(root.asReader());
  return std::string(text.cStr(), text.size());
}

namespace {

void ApplyStamp(schema::Envelope::Builder envelope, const EnvelopeStamp& stamp) {
  envelope.setRevision(0);
  if (envelope.getEventId().size() == 0) envelope.setEventId(stamp.event_id);
  if (envelope.getTimeNanos() == 0) envelope.setTimeNanos(stamp.time_nanos);
  if (envelope.getPrincipal().size() == 0) envelope.setPrincipal(stamp.principal);
  if (envelope.getCorrelationId().size() == 0) {
    envelope.setCorrelationId(stamp.correlation_id);
  }
  if (envelope.getCausationId().size() == 0) envelope.setCausationId(stamp.causation_id);
  if (envelope.getReason().size() == 0) envelope.setReason(stamp.reason);
  if (envelope.getSchemaVersion() == 0) envelope.setSchemaVersion(kSchemaVersion);
}

bool JsonNamesAnEvent(std::string_view json) {
  // An unset union reads as its first member, so "no event" and "an empty
  // agentRegistered" look alike once decoded; the aggregate id check below
  // catches both.
  return json.find('{') != std::string_view::npos;
}

}  // namespace

Result<EncodedEvent> EnvelopeFromJson(std::string_view json,
                                      const EnvelopeStamp& stamp) {
  if (!JsonNamesAnEvent(json)) {
    return Status::InvalidArgument("envelope: expected a JSON object");
  }
  capnp::MallocMessageBuilder message;
  auto envelope = message.initRoot<schema::Envelope>();
  try {
    capnp::JsonCodec codec;
    codec.decode(kj::ArrayPtr<const char>(json.data(), json.size()), envelope);
  } catch (const kj::Exception& e) {
    return Status::InvalidArgument(std::string("envelope: ") +
                                   e.getDescription().cStr());
  }
  ApplyStamp(envelope, stamp);
  if (AggregateKey(envelope.asReader()).empty()) {
    return Status::InvalidArgument(
        "envelope.event: missing, or its id field is empty (" +
        EventTypeName(envelope.asReader()) + ")");
  }
  return EncodeEnvelope(message);
}

}  // namespace regatta

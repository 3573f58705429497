// Encoding and decoding Envelopes.
//
// Decoding checks the whole message once (pointers, bounds, nesting) so that
// the projections can read fields without meeting a malformed pointer later.
// Input may come from anywhere, at any alignment: Kafka buffers, files,
// sockets. Cap'n Proto 0.9 throws on unaligned words, so such input is copied
// into an aligned scratch buffer first.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <capnp/message.h>
#include <capnp/serialize.h>

#include "events/event.h"
#include "events/base/status.h"

namespace regatta {

// Starts an envelope in `message` with the stamp's metadata; the caller then
// sets one member of its `event` union.
schema::Envelope::Builder InitEnvelope(capnp::MessageBuilder& message,
                                       const EnvelopeStamp& stamp);

// Turns a built Envelope into the form a log appends. Fills `key` and `type`
// from the event itself, so a caller cannot get them out of step.
EncodedEvent EncodeEnvelope(capnp::MessageBuilder& message);

// "TaskLaunched", or "Unknown(<ordinal>)" for a union member added by a
// newer writer (events.capnp, rule 2).
std::string EventTypeName(schema::Envelope::Reader envelope);
bool IsKnownEventType(schema::Envelope::Reader envelope);
// An event of a type this build does not know, which its writer marked as
// one no reader may skip (events.capnp, mustUnderstand): folding must stop.
bool MustStopAt(schema::Envelope::Reader envelope);

// The id of the aggregate the event belongs to: the app id for AppDefined,
// the task id for TaskLaunched, "<namespace>/<name>" for services, and so on.
// Empty for an unknown event type.
std::string AggregateKey(schema::Envelope::Reader envelope);

// Decodes one envelope at a time, reusing its scratch space, so replay does
// not allocate per event. Not thread-safe; one per reading thread.
class EventDecoder {
 public:
  EventDecoder() = default;
  EventDecoder(const EventDecoder&) = delete;
  EventDecoder& operator=(const EventDecoder&) = delete;

  // The returned Event borrows from `bytes` (or from this decoder's scratch)
  // and is valid until the next Decode or until `bytes` is released.
  // Corruption when the bytes are not a well-formed Envelope.
  Result<Event> Decode(LoggedEvent stored);

 private:
  std::vector<std::uint64_t> scratch_;  // words, for input that is not aligned
  std::optional<capnp::FlatArrayMessageReader> reader_;
};

}  // namespace regatta

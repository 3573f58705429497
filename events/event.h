// The vocabulary shared by every event log and every projection.
//
// An event travels in two forms:
//  - EncodedEvent: what a writer hands to EventLog::Append. Its bytes are a
//    flat Cap'n Proto Envelope whose `revision` is still 0.
//  - Event: what readers fold. It pairs the revision the log assigned with a
//    zero-copy reader over the envelope; it borrows bytes it does not own.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "regatta/events.capnp.h"

namespace regatta {

// The position of an event in the log, and so the cluster's global revision.
// Revisions only grow; they need not be dense (Kafka spends offsets on
// transaction markers), so never compute one by adding to another.
using Revision = std::uint64_t;

// Bumped only when readers must learn a refined meaning (events.capnp, rule 5).
inline constexpr std::uint16_t kSchemaVersion = 1;

struct EncodedEvent {
  std::string key;    // the aggregate id: app, task, agent, ...
  std::string type;   // "TaskLaunched": a stable name for headers and logs
  std::string bytes;  // a flat Cap'n Proto message, a multiple of 8 bytes
};

// A stored event as a log returns it: the bytes stay owned by the log (or
// by the caller's buffer) and are valid only as long as the log documents.
struct LoggedEvent {
  Revision revision = 0;
  std::string_view bytes;
};

// An owned copy, for tails and for crossing threads.
struct OwnedEvent {
  Revision revision = 0;
  std::string bytes;
  LoggedEvent view() const { return {revision, bytes}; }
};

// The metadata a writer stamps on each envelope. The writer's clock, id
// source and identity come in here, never from globals, so that what is
// written is a pure function of the inputs.
struct EnvelopeStamp {
  std::string event_id;
  std::int64_t time_nanos = 0;
  std::string principal;
  std::string correlation_id;
  std::string causation_id;
  std::string reason;
};

// A decoded view. `envelope.getRevision()` is the stored 0; use `revision`.
struct Event {
  Revision revision = 0;
  schema::Envelope::Reader envelope;
};

}  // namespace regatta

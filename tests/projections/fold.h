// Helpers for projection tests: fold a list of encoded events into a
// projection, and compare projections by their canonical bytes.
#pragma once

#include <gtest/gtest.h>

#include <capnp/message.h>

#include <string>
#include <type_traits>
#include <vector>

#include "events/codec.h"
#include "projections/projection_set.h"
#include "projections/state_codec.h"

namespace regatta::testing {

// Decodes each event and applies it to `target` (a ProjectionSet or one
// projection), giving revisions first, first + 1, ... as MemoryEventLog does.
template <class Projection>
void FoldInto(Projection& target, const std::vector<EncodedEvent>& events, Revision first = 0) {
  EventDecoder decoder;
  Revision revision = first;
  for (const EncodedEvent& encoded : events) {
    auto event = decoder.Decode(LoggedEvent{revision++, encoded.bytes});
    ASSERT_TRUE(event.ok()) << event.status().ToString();
    if constexpr (std::is_same_v<decltype(target.Apply(*event)), Status>) {
      EXPECT_TRUE(target.Apply(*event).ok());
    } else {
      target.Apply(*event);
    }
  }
}

template <class Projection = projections::ProjectionSet>
Projection Fold(const std::vector<EncodedEvent>& events) {
  Projection target;
  FoldInto(target, events);
  return target;
}

// One projection's canonical bytes: equal states, equal bytes.
template <class Projection>
std::string StateBytes(const Projection& projection) {
  projections::StateWriter out;
  projection.Serialize(out);
  return out.Take();
}

// The three projections' bytes without the set's bookkeeping (next revision,
// counters), for "the state did not change" checks.
inline std::string ProjectionBytes(const projections::ProjectionSet& set) {
  return StateBytes(set.scheduling()) + StateBytes(set.discovery()) + StateBytes(set.history());
}

// An event with a chosen stamp, for tests of fields the one-line builders
// in sample_events.h leave at their defaults. `fill` sets the event member.
template <class Fill>
EncodedEvent BuildEvent(const EnvelopeStamp& stamp, Fill&& fill) {
  capnp::MallocMessageBuilder message;
  fill(InitEnvelope(message, stamp).initEvent());
  return EncodeEnvelope(message);
}

}  // namespace regatta::testing

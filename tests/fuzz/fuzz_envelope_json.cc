// libFuzzer: the JSON envelope decoder of `regatta events append`. Whatever
// it accepts must decode, dump back to JSON and fold into the projections.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "events/codec.h"
#include "events/json.h"
#include "projections/projection_set.h"
#include "projections/render.h"

using namespace regatta;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  EnvelopeStamp stamp;
  stamp.event_id = "e";
  stamp.principal = "fuzz";
  auto encoded = EnvelopeFromJson(std::string_view(reinterpret_cast<const char*>(data), size), stamp);
  if (!encoded.ok()) return 0;
  EventDecoder decoder;
  auto event = decoder.Decode(LoggedEvent{0, encoded->bytes});
  if (!event.ok()) __builtin_trap();  // append accepted what no reader can decode
  (void)EnvelopeToJson(*event);
  projections::ProjectionSet set;
  if (!set.Apply(*event).ok()) __builtin_trap();
  for (const char* name : {"scheduling", "discovery", "history"}) {
    if (!projections::RenderProjection(set, name).ok()) __builtin_trap();
  }
  return 0;
}

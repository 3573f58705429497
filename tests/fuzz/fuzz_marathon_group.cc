// libFuzzer: Marathon's group JSON, from the bytes a client sends through
// the decoder (group_json.h) and the master's decision on an empty cluster
// (DecideDefineGroup), which checks the tree, places and dependencies.
// Whatever decodes has only absolute ids, and whatever the master accepts
// folds into a projection that then knows the group.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <capnp/message.h>

#include "actors/master/master_core.h"
#include "api/marathon/group_json.h"
#include "events/codec.h"

using namespace regatta;

namespace {

bool Absolute(schema::GroupSpec::Reader group) {
  if (group.getId().size() == 0 || group.getId()[0] != '/') return false;
  for (auto app : group.getApps()) {
    if (app.getId().size() == 0 || app.getId()[0] != '/') return false;
  }
  for (auto child : group.getGroups()) {
    if (!Absolute(child)) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto json = marathon::ParseBody(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!json.ok()) return 0;
  capnp::MallocMessageBuilder message;
  auto group = message.initRoot<schema::GroupSpec>();
  if (!marathon::DecodeGroup(*json, group, "/", false).ok()) return 0;
  if (!Absolute(group.asReader())) __builtin_trap();
  projections::ProjectionSet state;
  master::CommandContext context{1, "fuzz", "", "", [] { return std::string("id"); }};
  auto out = master::DecideDefineGroup(state, group.asReader(), "v1", context, {std::nullopt, true});
  if (!out.ok()) return 0;
  EventDecoder decoder;
  Revision revision = 0;
  for (const EncodedEvent& e : out->events) {
    auto event = decoder.Decode(LoggedEvent{revision++, e.bytes});
    if (!event.ok() || !state.Apply(*event).ok()) __builtin_trap();  // the master wrote what it cannot read
  }
  if (!state.history().GroupExists(group.getId().cStr())) __builtin_trap();
  return 0;
}

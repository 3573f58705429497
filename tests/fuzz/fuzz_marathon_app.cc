// libFuzzer: Marathon's app JSON, from the bytes a client sends to the
// AppSpec the master checks. Whatever the decoder accepts must encode back
// (as a GET answers) into JSON the decoder accepts again, with the same id,
// command and instance count: a stored app is always readable and
// re-submittable.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <capnp/message.h>

#include "api/marathon/app_json.h"

using namespace regatta;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto json = marathon::ParseBody(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!json.ok()) return 0;
  capnp::MallocMessageBuilder message;
  auto spec = message.initRoot<schema::AppSpec>();
  if (!marathon::DecodeApp(*json, spec).ok()) return 0;
  const marathon::Json encoded = marathon::EncodeApp(spec.asReader(), "2026-12-03T00:00:00.000Z");
  capnp::MallocMessageBuilder again_message;
  auto again = again_message.initRoot<schema::AppSpec>();
  if (!marathon::DecodeApp(encoded, again).ok()) __builtin_trap();  // what a GET shows is refused back
  if (again.getId() != spec.getId() || again.getCmd() != spec.getCmd() ||
      again.getInstances() != spec.getInstances()) {
    __builtin_trap();
  }
  return 0;
}

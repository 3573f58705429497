// libFuzzer: the app spec validator, over specs from JSON (as the APIs will
// send them) and over raw Cap'n Proto bytes. A spec it accepts must decode
// into a definition with no parse error left.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include <capnp/compat/json.h>
#include <capnp/message.h>
#include <capnp/serialize.h>

#include "events/domain/app_definition.h"
#include "events/domain/app_spec_check.h"

using namespace regatta;

namespace {

void Check(schema::AppSpec::Reader spec) {
  if (!domain::CheckAppSpec(spec).ok()) return;
  const domain::AppDefinition app = domain::DecodeAppDefinition(domain::FlatSpec::Copy(spec), "v");
  if (!app.invalid.ok()) __builtin_trap();  // accepted, yet unplaceable
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 0 && data[0] == '{') {
    capnp::MallocMessageBuilder message;
    auto spec = message.initRoot<schema::AppSpec>();
    try {
      capnp::JsonCodec codec;
      codec.decode(kj::ArrayPtr<const char>(reinterpret_cast<const char*>(data), size), spec);
    } catch (const kj::Exception&) {
      return 0;
    }
    Check(spec.asReader());
    return 0;
  }
  std::vector<std::uint64_t> words(size / sizeof(capnp::word));
  if (words.empty()) return 0;
  std::memcpy(words.data(), data, words.size() * sizeof(capnp::word));
  try {
    capnp::FlatArrayMessageReader reader(
        kj::arrayPtr(reinterpret_cast<const capnp::word*>(words.data()), words.size()));
    auto spec = reader.getRoot<schema::AppSpec>();
    (void)spec.totalSize();  // a malformed message throws here, as EventDecoder's check does
    Check(spec);
  } catch (const kj::Exception&) {
  }
  return 0;
}

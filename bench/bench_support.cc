#include "bench/bench_support.h"

#include <cstdlib>
#include <filesystem>
#include <map>

#include <capnp/message.h>

#include "events/codec.h"
#include "tests/support/workload.h"

namespace regatta::bench {

EncodedEvent EventOfSize(std::size_t bytes, std::uint64_t n) {
  capnp::MallocMessageBuilder message;
  EnvelopeStamp stamp{"e" + std::to_string(n), static_cast<std::int64_t>(n), "bench", "r", "", ""};
  auto envelope = InitEnvelope(message, stamp);
  auto status = envelope.initEvent().initTaskStatusChanged();
  status.setTaskId("t" + std::to_string(n % 100000));
  status.setState(schema::TaskState::RUNNING);
  // The base envelope encodes to ~112 bytes; a text field adds its length
  // rounded up to words, plus a NUL. Pad the message toward the target.
  constexpr std::size_t kBase = 112;
  if (bytes > kBase + 8) status.setMessage(std::string(bytes - kBase - 8, 'x'));
  return EncodeEnvelope(message);
}

std::string FreshDir(const std::string& name) {
  const char* base = std::getenv("REGATTA_BENCH_DIR");
  const std::string dir = std::string(base ? base : "/var/tmp") + "/regatta-bench/" + name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

const std::vector<EncodedEvent>& CachedWorkload(std::size_t n) {
  static std::map<std::size_t, std::vector<EncodedEvent>> cache;
  auto it = cache.find(n);
  if (it == cache.end()) it = cache.emplace(n, testing::GenerateWorkload(n)).first;
  return it->second;
}

}  // namespace regatta::bench

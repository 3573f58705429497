// Codec*: encoding and decoding one envelope.
#include <benchmark/benchmark.h>

#include <capnp/message.h>

#include "bench/bench_support.h"
#include "events/codec.h"

namespace regatta::bench {
namespace {

void CodecEncodeTaskStatus(benchmark::State& state) {
  std::uint64_t n = 0;
  std::size_t bytes = 0;
  for (auto _ : state) {
    EncodedEvent e = EventOfSize(100, n++);
    bytes += e.bytes.size();
    benchmark::DoNotOptimize(e);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["bytes_per_event"] = static_cast<double>(bytes) / state.iterations();
}
BENCHMARK(CodecEncodeTaskStatus);

void CodecDecode(benchmark::State& state) {
  const bool unaligned = state.range(0) != 0;
  const EncodedEvent e = EventOfSize(100, 1);
  std::string buffer = (unaligned ? "x" : "") + e.bytes;
  std::string_view bytes = std::string_view(buffer).substr(unaligned ? 1 : 0);
  EventDecoder decoder;
  for (auto _ : state) {
    auto event = decoder.Decode(LoggedEvent{1, bytes});
    benchmark::DoNotOptimize(event.ok());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(unaligned ? "unaligned (copied)" : "aligned (zero-copy)");
}
BENCHMARK(CodecDecode)->Arg(0)->Arg(1);

}  // namespace
}  // namespace regatta::bench

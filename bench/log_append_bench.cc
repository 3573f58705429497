// LogAppend*: durable appends to the embedded file log (fdatasync per group
// commit), by event size, batch size and number of concurrent appenders.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "bench/bench_support.h"
#include "events/file_log/file_log.h"

namespace regatta::bench {
namespace {

std::unique_ptr<FileEventLog> OpenFresh(const std::string& name) {
  auto log = FileEventLog::Open(FreshDir(name), LogMode::kWriter);
  if (!log.ok()) std::abort();
  return std::move(*log);
}

// Args: event bytes, batch size. Threads share one log (group commit).
void LogAppendDurable(benchmark::State& state) {
  static std::mutex mu;
  static std::unique_ptr<FileEventLog> log;
  if (state.thread_index() == 0) {
    std::lock_guard lock(mu);
    log = OpenFresh("append");
  }
  const auto size = static_cast<std::size_t>(state.range(0));
  const auto batch_size = static_cast<std::size_t>(state.range(1));
  std::vector<EncodedEvent> batch;
  for (std::size_t i = 0; i < batch_size; ++i) batch.push_back(EventOfSize(size, i));
  // Google Benchmark starts all threads together after thread 0's setup is
  // not guaranteed: wait for the log to exist.
  while (true) {
    std::lock_guard lock(mu);
    if (log) break;
  }
  for (auto _ : state) {
    if (!log->Append(batch).ok()) state.SkipWithError("append failed");
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(batch_size));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(batch_size * batch[0].bytes.size()));
}
BENCHMARK(LogAppendDurable)
    ->ArgsProduct({{100, 1024}, {1, 16, 128, 1024}})
    ->UseRealTime()
    ->Threads(1);
BENCHMARK(LogAppendDurable)
    ->ArgsProduct({{100}, {1, 16, 128}})
    ->UseRealTime()
    ->Threads(4)
    ->Threads(16);

// Latency from Append to durable at an offered rate of 10,000 events/s: one
// event every 100 us from a paced appender; reports percentiles.
void LogAppendLatencyAt10kPerSecond(benchmark::State& state) {
  auto log = OpenFresh("latency");
  const EncodedEvent event = EventOfSize(100, 1);
  std::vector<double> micros;
  const auto period = std::chrono::microseconds(100);
  for (auto _ : state) {
    micros.clear();
    auto next = std::chrono::steady_clock::now();
    for (int i = 0; i < 5000; ++i) {
      std::this_thread::sleep_until(next);
      const auto start = std::chrono::steady_clock::now();
      if (!log->Append({&event, 1}).ok()) state.SkipWithError("append failed");
      micros.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count());
      next = std::max(next + period, start);
    }
  }
  std::sort(micros.begin(), micros.end());
  state.counters["p50_us"] = micros[micros.size() / 2];
  state.counters["p99_us"] = micros[micros.size() * 99 / 100];
  state.counters["max_us"] = micros.back();
}
BENCHMARK(LogAppendLatencyAt10kPerSecond)->Iterations(1)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace regatta::bench

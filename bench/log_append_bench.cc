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

// Latency from Append to durable at an offered rate of 10,000 events/s:
// four appenders, each offering one event every 400 us on its own schedule
// (so a slow sync delays that appender's next send but not the others'),
// 20,000 appends in all. Reports percentiles over every append.
void LogAppendLatencyAt10kPerSecond(benchmark::State& state) {
  constexpr int kAppenders = 4, kPerAppender = 5000;
  constexpr auto kPeriod = std::chrono::microseconds(400);
  auto log = OpenFresh("latency");
  std::vector<double> micros;
  double seconds = 0;
  for (auto _ : state) {
    std::vector<std::vector<double>> per(kAppenders);
    const auto begin = std::chrono::steady_clock::now();
    std::vector<std::thread> threads;
    for (int t = 0; t < kAppenders; ++t) {
      threads.emplace_back([&, t] {
        const EncodedEvent event = EventOfSize(100, static_cast<std::uint64_t>(t));
        auto next = begin + kPeriod * t / kAppenders;
        for (int i = 0; i < kPerAppender; ++i) {
          std::this_thread::sleep_until(next);
          const auto start = std::chrono::steady_clock::now();
          if (!log->Append({&event, 1}).ok()) std::abort();
          per[t].push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count());
          next += kPeriod;
        }
      });
    }
    for (auto& t : threads) t.join();
    seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
    for (auto& v : per) micros.insert(micros.end(), v.begin(), v.end());
  }
  std::sort(micros.begin(), micros.end());
  state.counters["achieved_per_s"] = static_cast<double>(micros.size()) / seconds;
  state.counters["p50_us"] = micros[micros.size() / 2];
  state.counters["p99_us"] = micros[micros.size() * 99 / 100];
  state.counters["max_us"] = micros.back();
}
BENCHMARK(LogAppendLatencyAt10kPerSecond)->Iterations(1)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace regatta::bench

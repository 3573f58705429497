// Kafka*: the Kafka event log against a real broker named by
// REGATTA_KAFKA_BROKERS (scripts/bench-kafka starts one and also runs
// Kafka's own ProducerPerformance on it, for the ratio).
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <mutex>

#include "bench/bench_support.h"
#include "events/kafka/kafka_log.h"
#include "projections/replay.h"

namespace regatta::bench {
namespace {

const char* Brokers() { return std::getenv("REGATTA_KAFKA_BROKERS"); }

std::string FreshCluster(const std::string& what) {
  static int counter = 0;
  return "bench-" + what + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
}

std::unique_ptr<EventLog> OpenKafka(const std::string& cluster, LogMode mode) {
  KafkaLogOptions options;
  options.brokers = Brokers();
  options.cluster = cluster;
  auto log = OpenKafkaEventLog(options, mode);
  if (!log.ok()) {
    std::fprintf(stderr, "%s\n", log.status().ToString().c_str());
    std::abort();
  }
  return std::move(*log);
}

// Durable, transactional appends (acks=all, idempotent, one transaction per
// group commit) of 180-byte envelopes; reports events/s and latency per append.
void KafkaAppend(benchmark::State& state) {
  static std::mutex mu;
  static std::unique_ptr<EventLog> log;
  static std::vector<double> micros;
  if (!Brokers()) {
    state.SkipWithError("REGATTA_KAFKA_BROKERS is not set (run scripts/bench-kafka)");
    return;
  }
  if (state.thread_index() == 0) {
    std::lock_guard lock(mu);
    log = OpenKafka(FreshCluster("append"), LogMode::kWriter);
    micros.clear();
  }
  const auto batch_size = static_cast<std::size_t>(state.range(0));
  std::vector<EncodedEvent> batch;
  for (std::size_t i = 0; i < batch_size; ++i) batch.push_back(EventOfSize(100, i));
  std::vector<double> mine;
  for (;;) {
    std::lock_guard lock(mu);
    if (log) break;
  }
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    if (!log->Append(batch).ok()) state.SkipWithError("append failed");
    mine.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(batch_size));
  std::lock_guard lock(mu);
  micros.insert(micros.end(), mine.begin(), mine.end());
  std::sort(micros.begin(), micros.end());
  if (!micros.empty()) {
    // Every thread sets the same value; counters are summed over threads
    // unless told to average.
    using benchmark::Counter;
    state.counters["p50_us"] = Counter(micros[micros.size() / 2], Counter::kAvgThreads);
    state.counters["p99_us"] = Counter(micros[micros.size() * 99 / 100], Counter::kAvgThreads);
  }
}
BENCHMARK(KafkaAppend)->Arg(1)->Arg(128)->Arg(1024)->UseRealTime()->Threads(1)->MinTime(3);
BENCHMARK(KafkaAppend)->Arg(1)->Arg(128)->UseRealTime()->Threads(16)->MinTime(3);
BENCHMARK(KafkaAppend)->Arg(1024)->UseRealTime()->Threads(8)->MinTime(3);

// Replay from Kafka (read_committed) into all three projections.
void KafkaReplayAllProjections(benchmark::State& state) {
  if (!Brokers()) {
    state.SkipWithError("REGATTA_KAFKA_BROKERS is not set (run scripts/bench-kafka)");
    return;
  }
  const auto n = static_cast<std::size_t>(state.range(0));
  static std::string cluster;
  if (cluster.empty()) {
    cluster = FreshCluster("replay");
    auto writer = OpenKafka(cluster, LogMode::kWriter);
    const auto& events = CachedWorkload(n);
    for (std::size_t i = 0; i < events.size(); i += 1000) {
      const std::size_t end = std::min(events.size(), i + 1000);
      if (!writer->Append({events.data() + i, end - i}).ok()) std::abort();
    }
  }
  auto reader = OpenKafka(cluster, LogMode::kReader);
  for (auto _ : state) {
    projections::ProjectionSet set;
    std::uint64_t applied = 0;
    if (!projections::CatchUp(*reader, set, kEndOfLog, &applied).ok() || applied != n) {
      state.SkipWithError("replay failed");
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
}
BENCHMARK(KafkaReplayAllProjections)->Arg(500000)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

}  // namespace
}  // namespace regatta::bench

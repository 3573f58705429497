// Replay* and Snapshot*: rebuilding all three projections from the log, and
// a cold start from a snapshot plus the tail.
#include <benchmark/benchmark.h>

#include <memory>

#include "bench/bench_support.h"
#include "events/file_log/file_log.h"
#include "events/snapshot_store.h"
#include "projections/replay.h"

namespace regatta::bench {
namespace {

using projections::ProjectionSet;

// A file log holding the first `n` workload events, built once per n.
FileEventLog& WorkloadLog(std::size_t n) {
  static std::map<std::size_t, std::unique_ptr<FileEventLog>> logs;
  auto it = logs.find(n);
  if (it != logs.end()) return *it->second;
  const auto& events = CachedWorkload(n);
  FileLogOptions fast;
  fast.durability = Durability::kNoSync;  // building the fixture, not measuring it
  auto log = FileEventLog::Open(FreshDir("replay-" + std::to_string(n)), LogMode::kWriter, fast);
  if (!log.ok()) std::abort();
  for (std::size_t i = 0; i < events.size(); i += 1000) {
    const std::size_t end = std::min(events.size(), i + 1000);
    if (!(*log)->Append({events.data() + i, end - i}).ok()) std::abort();
  }
  return *logs.emplace(n, std::move(*log)).first->second;
}

// Reads, checks, decodes and folds every event into all three projections.
void ReplayAllProjectionsFromFileLog(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  FileEventLog& log = WorkloadLog(n);
  for (auto _ : state) {
    ProjectionSet set;
    if (!projections::CatchUp(log, set).ok()) state.SkipWithError("replay failed");
    benchmark::DoNotOptimize(set.next_revision());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
}
BENCHMARK(ReplayAllProjectionsFromFileLog)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond)->UseRealTime();

// Loading a checked snapshot of the state after `n` events.
void SnapshotLoad(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  FileEventLog& log = WorkloadLog(n);
  ProjectionSet built;
  if (!projections::CatchUp(log, built).ok()) std::abort();
  SnapshotStore store(FreshDir("snapshot-" + std::to_string(n)));
  if (!store.Write(built.next_revision(), built.last_time_nanos(), built.Serialize()).ok()) std::abort();
  auto info = store.List()->back();
  for (auto _ : state) {
    auto bytes = store.Load(info);
    auto set = ProjectionSet::Deserialize(*bytes);
    if (!set.ok()) state.SkipWithError("load failed");
    benchmark::DoNotOptimize(set.ok());
  }
  state.counters["snapshot_bytes"] = static_cast<double>(built.Serialize().size());
}
BENCHMARK(SnapshotLoad)->Arg(1000000)->Unit(benchmark::kMillisecond)->UseRealTime();

// Cold start at 1,000,000 events: open the log (which checks every record),
// load the newest snapshot (taken 10,000 events before the end), replay the
// tail.
void SnapshotColdStartAtOneMillion(benchmark::State& state) {
  constexpr std::size_t kEvents = 1000000, kTail = 10000;
  FileEventLog& fixture = WorkloadLog(kEvents);
  const std::string log_dir = fixture.Describe().substr(5);
  ProjectionSet at_cut;
  if (!projections::CatchUp(fixture, at_cut, kEvents - kTail).ok()) std::abort();
  SnapshotStore store(FreshDir("coldstart-snapshots"));
  if (!store.Write(at_cut.next_revision(), at_cut.last_time_nanos(), at_cut.Serialize()).ok()) std::abort();
  for (auto _ : state) {
    auto log = FileEventLog::Open(log_dir, LogMode::kReader);
    if (!log.ok()) state.SkipWithError("open failed");
    projections::ReplayReport report;
    auto set = projections::Replay(**log, &store, {}, {}, &report);
    if (!set.ok() || !report.used_snapshot || report.events_replayed != kTail) {
      state.SkipWithError("cold start did not use the snapshot");
    }
  }
}
BENCHMARK(SnapshotColdStartAtOneMillion)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

}  // namespace
}  // namespace regatta::bench

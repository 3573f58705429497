// Property tests over generated workloads: however the state is built (full
// replay, event by event as appended, snapshot plus tail, time travel), the
// same events give the same bytes.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "events/memory_log.h"
#include "events/snapshot_store.h"
#include "projections/replay.h"
#include "tests/projections/fold.h"
#include "tests/support/temp_dir.h"
#include "tests/support/workload.h"

namespace regatta::projections {
namespace {

constexpr std::size_t kEvents = 5000;
constexpr std::uint64_t kSeeds[] = {1, 2, 3, 4, 5};

ReplayTarget AtRevision(Revision r) {
  ReplayTarget target;
  target.at_revision = r;
  return target;
}

ReplayTarget AtTime(std::int64_t t) {
  ReplayTarget target;
  target.at_time_nanos = t;
  return target;
}

// Flips one bit in the middle of a file: a bad disk sector, a torn copy.
void FlipByteInTheMiddle(const std::string& path) {
  const auto offset = static_cast<std::streamoff>(std::filesystem::file_size(path) / 2);
  std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
  file.seekg(offset);
  const char byte = static_cast<char>(file.get());
  file.seekp(offset);
  file.put(static_cast<char>(byte ^ 0x10));
  ASSERT_TRUE(file.good()) << path;
}

class Determinism : public ::testing::TestWithParam<std::uint64_t> {
 protected:
  void SetUp() override {
    testing::WorkloadOptions options;
    options.seed = GetParam();
    options_ = options;
    events_ = testing::GenerateWorkload(kEvents, options);
    rng_.seed(GetParam());
    auto writer = MemoryEventLog::Open(std::make_shared<MemoryLogStore>(), LogMode::kWriter);
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    log_ = std::move(*writer);
  }

  void AppendAll() {
    auto revisions = log_->Append(events_);
    ASSERT_TRUE(revisions.ok()) << revisions.status().ToString();
  }

  // The reference every other path is held to: a plain fold of the first
  // `count` events, with no log, snapshot or replay code involved.
  ProjectionSet FoldFirst(std::size_t count) const {
    const std::vector<EncodedEvent> prefix(events_.begin(), events_.begin() + count);
    return testing::Fold(prefix);
  }

  ProjectionSet ReplayTo(const ReplayTarget& target, const SnapshotStore* snapshots,
                         ReplayReport* report) {
    auto set = Replay(*log_, snapshots, target, {}, report);
    EXPECT_TRUE(set.ok()) << set.status().ToString();
    return set.ok() ? std::move(*set) : ProjectionSet{};
  }

  std::int64_t TimeOf(std::size_t index) const {
    return options_.start_nanos + static_cast<std::int64_t>(index) * options_.step_nanos;
  }

  // Writes a snapshot of the first `count` events; returns its path.
  std::string SnapshotAt(SnapshotStore& store, std::size_t count) {
    const ProjectionSet set = FoldFirst(count);
    EXPECT_TRUE(store.Write(set.next_revision(), set.last_time_nanos(), set.Serialize()).ok());
    auto all = store.List();
    EXPECT_TRUE(all.ok());
    for (const SnapshotInfo& info : *all) {
      if (info.next_revision == count) return info.path;
    }
    ADD_FAILURE() << "snapshot at " << count << " not listed";
    return "";
  }

  std::size_t RandomCut() { return 1 + rng_() % (kEvents - 1); }

  testing::WorkloadOptions options_;
  std::vector<EncodedEvent> events_;
  std::mt19937_64 rng_;
  std::unique_ptr<MemoryEventLog> log_;
  testing::TempDir dir_;
};

// Equal fingerprints and equal canonical bytes (the hash alone could collide).
::testing::AssertionResult SameState(const ProjectionSet& actual, const ProjectionSet& expected) {
  if (actual.StateHash() == expected.StateHash() && actual.Serialize() == expected.Serialize()) {
    return ::testing::AssertionSuccess();
  }
  auto result = ::testing::AssertionFailure()
                << "states differ: " << actual.events_applied() << " events applied (hash "
                << actual.StateHash() << ") vs " << expected.events_applied() << " (hash "
                << expected.StateHash() << "); differing:";
  using testing::StateBytes;
  if (StateBytes(actual.scheduling()) != StateBytes(expected.scheduling())) result << " scheduling";
  if (StateBytes(actual.discovery()) != StateBytes(expected.discovery())) result << " discovery";
  if (StateBytes(actual.history()) != StateBytes(expected.history())) result << " history";
  return result;
}

// ------------------------------------------------------------------ (a)

TEST_P(Determinism, ReplayEqualsIncrementalApplyEqualsSnapshotPlusTail) {
  // Incremental: applied as a live follower would, batch by batch as appended.
  ProjectionSet incremental;
  EventDecoder decoder;
  for (std::size_t i = 0; i < events_.size();) {
    const std::size_t n = std::min<std::size_t>(1 + rng_() % 16, events_.size() - i);
    auto revisions = log_->Append(std::span(events_).subspan(i, n));
    ASSERT_TRUE(revisions.ok()) << revisions.status().ToString();
    for (std::size_t k = 0; k < n; ++k) {
      auto event = decoder.Decode(LoggedEvent{(*revisions)[k], events_[i + k].bytes});
      ASSERT_TRUE(event.ok()) << event.status().ToString();
      EXPECT_TRUE(incremental.Apply(*event).ok());
    }
    i += n;
  }

  ReplayReport full_report;
  const ProjectionSet full = ReplayTo({}, nullptr, &full_report);
  EXPECT_FALSE(full_report.used_snapshot);
  EXPECT_EQ(full_report.events_replayed, kEvents);

  const std::size_t cut = RandomCut();
  SCOPED_TRACE("snapshot cut at " + std::to_string(cut));
  SnapshotStore snapshots(dir_.Sub("snapshots"));
  ProjectionSet head;
  ASSERT_TRUE(CatchUp(*log_, head, cut).ok());
  ASSERT_TRUE(snapshots.Write(head.next_revision(), head.last_time_nanos(), head.Serialize()).ok());
  ReplayReport tail_report;
  const ProjectionSet from_snapshot = ReplayTo({}, &snapshots, &tail_report);
  EXPECT_TRUE(tail_report.used_snapshot);
  EXPECT_EQ(tail_report.snapshot_next_revision, cut);
  EXPECT_EQ(tail_report.events_replayed, kEvents - cut);

  EXPECT_TRUE(SameState(full, incremental));
  EXPECT_TRUE(SameState(from_snapshot, incremental));
  EXPECT_EQ(full.events_applied(), kEvents);
  EXPECT_EQ(full.unknown_events(), 0u);
}

TEST_P(Determinism, TheWorkloadExercisesEveryProjection) {
  // Guards (a): equal empty states would prove nothing.
  const ProjectionSet set = FoldFirst(kEvents);
  EXPECT_GT(set.scheduling().tasks().size(), 10u);
  EXPECT_FALSE(set.discovery().services().empty());
  EXPECT_FALSE(set.history().deployments().empty());
  std::size_t endpoints = 0;
  for (const std::string& app : set.discovery().AppIds()) {
    endpoints += set.discovery().AppEndpoints(app).size();
  }
  EXPECT_GT(endpoints, 0u);
}

// ------------------------------------------------------------------ (b)

TEST_P(Determinism, ReplayToARevisionEqualsFoldingUpToIt) {
  AppendAll();
  std::vector<Revision> targets = {0, kEvents - 1};
  for (int i = 0; i < 3; ++i) targets.push_back(RandomCut());
  for (Revision r : targets) {
    SCOPED_TRACE("at revision " + std::to_string(r));
    ReplayReport report;
    const ProjectionSet set = ReplayTo(AtRevision(r), nullptr, &report);
    EXPECT_EQ(report.events_replayed, r + 1);
    EXPECT_EQ(set.next_revision(), r + 1);
    EXPECT_TRUE(SameState(set, FoldFirst(r + 1)));
  }
}

TEST_P(Determinism, ReplayToATimeEqualsFoldingTheEventsUpToIt) {
  AppendAll();
  const std::size_t k = RandomCut();
  struct Case {
    std::string name;
    std::int64_t at_time;
    std::size_t want_events;
  };
  const Case cases[] = {
      {"exactly at an event's time: included", TimeOf(k), k + 1},
      {"between two events", TimeOf(k) + options_.step_nanos / 2, k + 1},
      {"just before an event: excluded", TimeOf(k) - 1, k},
      {"before the first event: nothing", TimeOf(0) - 1, 0},
      {"after the last event: everything", TimeOf(kEvents) + 1, kEvents},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name + ", event " + std::to_string(k));
    const ProjectionSet set = ReplayTo(AtTime(c.at_time), nullptr, nullptr);
    EXPECT_EQ(set.events_applied(), c.want_events);
    EXPECT_TRUE(SameState(set, FoldFirst(c.want_events)));
  }
}

TEST_P(Determinism, RevisionAndTimeTogetherStopAtWhicheverComesFirst) {
  AppendAll();
  const std::size_t a = RandomCut(), b = RandomCut();
  const std::size_t by_revision = std::min(a, b), by_time = std::max(a, b);
  for (bool revision_first : {true, false}) {
    const std::size_t r = revision_first ? by_revision : by_time;
    const std::size_t t = revision_first ? by_time : by_revision;
    const ProjectionSet set = ReplayTo({r, TimeOf(t)}, nullptr, nullptr);
    EXPECT_TRUE(SameState(set, FoldFirst(std::min(r, t) + 1)));
  }
}

// ------------------------------------------------------------------ (c)

TEST_P(Determinism, ReplayStartsFromTheNewestSnapshotAtOrBeforeTheTarget) {
  AppendAll();
  SnapshotStore store(dir_.Sub("snapshots"));
  const std::size_t s1 = kEvents / 4, s2 = kEvents / 2, s3 = 3 * kEvents / 4;
  for (std::size_t s : {s1, s2, s3}) SnapshotAt(store, s);

  struct Case {
    std::string name;
    ReplayTarget target;
    std::optional<std::size_t> want_snapshot;
    std::size_t want_events;  // in the resulting state
  };
  const Case cases[] = {
      {"end of log: the newest", {}, s3, kEvents},
      {"just past s2", AtRevision(s2 + 10), s2, s2 + 11},
      {"exactly what s2 covers", AtRevision(s2 - 1), s2, s2},
      {"one short of s2", AtRevision(s2 - 2), s1, s2 - 1},
      {"before every snapshot", AtRevision(s1 - 2), std::nullopt, s1 - 1},
      {"by time, at s2's last event", AtTime(TimeOf(s2 - 1)), s2, s2},
      {"by time, before s2's last event", AtTime(TimeOf(s2 - 1) - 1), s1, s2 - 1},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    ReplayReport report;
    const ProjectionSet set = ReplayTo(c.target, &store, &report);
    EXPECT_EQ(report.used_snapshot, c.want_snapshot.has_value());
    if (c.want_snapshot) {
      EXPECT_EQ(report.snapshot_next_revision, *c.want_snapshot);
    }
    EXPECT_EQ(report.events_replayed, c.want_events - c.want_snapshot.value_or(0));
    EXPECT_TRUE(report.rejected_snapshots.empty());
    EXPECT_TRUE(SameState(set, FoldFirst(c.want_events)));
  }
}

TEST_P(Determinism, CorruptSnapshotsAreRejectedAndTheStateStillComesOutRight) {
  AppendAll();
  SnapshotStore store(dir_.Sub("snapshots"));
  const std::size_t s1 = RandomCut() / 2 + 1;
  const std::size_t s2 = s1 + RandomCut() / 2;
  const std::string older = SnapshotAt(store, s1);
  const std::string newer = SnapshotAt(store, s2);
  const ProjectionSet want = FoldFirst(kEvents);

  FlipByteInTheMiddle(newer);
  ReplayReport report;
  EXPECT_TRUE(SameState(ReplayTo({}, &store, &report), want));
  EXPECT_TRUE(report.used_snapshot);
  EXPECT_EQ(report.snapshot_next_revision, s1) << "fell back to the older snapshot";
  ASSERT_EQ(report.rejected_snapshots.size(), 1u);
  EXPECT_NE(report.rejected_snapshots[0].find(newer), std::string::npos)
      << report.rejected_snapshots[0];

  FlipByteInTheMiddle(older);
  ReplayReport from_zero;
  EXPECT_TRUE(SameState(ReplayTo({}, &store, &from_zero), want));
  EXPECT_FALSE(from_zero.used_snapshot);
  EXPECT_EQ(from_zero.events_replayed, kEvents);
  EXPECT_EQ(from_zero.rejected_snapshots.size(), 2u);
}

// ------------------------------------------------------------------ (d)

TEST_P(Determinism, MaybeSnapshotWritesOnlyWhenDueAndKeepsTheNewest) {
  SnapshotStore store(dir_.Sub("snapshots"));
  const SnapshotPolicy policy{.every_events = 1000, .keep = 2};
  ProjectionSet set;
  auto wrote = MaybeSnapshot(set, store, policy);
  ASSERT_TRUE(wrote.ok());
  EXPECT_FALSE(*wrote) << "nothing to snapshot yet";

  std::vector<Revision> written;
  EventDecoder decoder;
  for (std::size_t i = 0; i < events_.size(); ++i) {
    auto event = decoder.Decode(LoggedEvent{i, events_[i].bytes});
    ASSERT_TRUE(event.ok());
    EXPECT_TRUE(set.Apply(*event).ok());
    wrote = MaybeSnapshot(set, store, policy);
    ASSERT_TRUE(wrote.ok()) << wrote.status().ToString();
    if (*wrote) written.push_back(set.next_revision());
  }

  EXPECT_EQ(written, (std::vector<Revision>{1000, 2000, 3000, 4000, 5000}));
  auto kept = store.List();
  ASSERT_TRUE(kept.ok());
  ASSERT_EQ(kept->size(), policy.keep);
  EXPECT_EQ((*kept)[0].next_revision, 4000u);
  EXPECT_EQ((*kept)[1].next_revision, 5000u);
  EXPECT_EQ((*kept)[1].last_time_nanos, TimeOf(kEvents - 1));
  auto payload = store.Load((*kept)[1]);
  ASSERT_TRUE(payload.ok()) << payload.status().ToString();
  EXPECT_TRUE(*payload == set.Serialize());
}

INSTANTIATE_TEST_SUITE_P(Seeds, Determinism, ::testing::ValuesIn(kSeeds));

// ------------------------------------------------------------------ the workload

TEST(Workload, SameOptionsGiveTheSameBytesAndOtherSeedsDiffer) {
  testing::WorkloadOptions options;
  options.seed = 7;
  const auto first = testing::GenerateWorkload(2000, options);
  const auto again = testing::GenerateWorkload(2000, options);
  ASSERT_EQ(first.size(), 2000u);
  ASSERT_EQ(again.size(), 2000u);
  bool same = true;
  for (std::size_t i = 0; i < first.size(); ++i) same = same && first[i].bytes == again[i].bytes;
  EXPECT_TRUE(same);

  options.seed = 8;
  const auto other = testing::GenerateWorkload(2000, options);
  std::size_t differing = 0;
  for (std::size_t i = 0; i < other.size(); ++i) differing += other[i].bytes != first[i].bytes;
  EXPECT_GT(differing, 1000u);
}

TEST(Workload, ReturnsExactlyNEventsSpacedByTheStep) {
  testing::WorkloadOptions options;
  options.start_nanos = 5'000;
  options.step_nanos = 10;
  options.agents = 3;
  options.apps = 2;
  for (std::size_t n : {0u, 1u, 4u, 777u}) {
    const auto events = testing::GenerateWorkload(n, options);
    ASSERT_EQ(events.size(), n);
    EventDecoder decoder;
    for (std::size_t i = 0; i < n; ++i) {
      auto event = decoder.Decode(LoggedEvent{i, events[i].bytes});
      ASSERT_TRUE(event.ok());
      EXPECT_EQ(event->envelope.getTimeNanos(), 5'000 + 10 * static_cast<std::int64_t>(i));
    }
  }
}

TEST(Workload, LooksLikeARealCluster) {
  const auto events = testing::GenerateWorkload(kEvents);
  std::map<std::string, std::size_t> by_type;
  std::size_t bytes = 0, task_events = 0;
  for (const EncodedEvent& e : events) {
    ++by_type[e.type];
    bytes += e.bytes.size();
    task_events += e.type.starts_with("Task");
  }
  for (const char* type : {"AgentRegistered", "AgentReregistered", "AgentUnreachable",
                           "FrameworkRegistered", "AppDefined", "AppScaled", "ServiceDefined",
                           "DeploymentStarted", "DeploymentStepCompleted", "DeploymentSucceeded",
                           "DeploymentFailed", "DeploymentReverted", "TaskLaunched",
                           "TaskStatusChanged", "TaskHealthChanged"}) {
    EXPECT_GT(by_type[type], 0u) << type;
  }
  EXPECT_GT(task_events, events.size() / 2) << "most events are task events";
  // About 100-250 bytes, as real envelopes are. 5,000 events still carry
  // the bootstrap's large registrations and definitions (350-650 bytes).
  const std::size_t average = bytes / events.size();
  EXPECT_GE(average, 100u);
  EXPECT_LE(average, 275u);
}

TEST(Workload, NeverPlacesMoreThanAnAgentHas) {
  const auto events = testing::GenerateWorkload(kEvents);
  ProjectionSet set;
  EventDecoder decoder;
  for (std::size_t i = 0; i < events.size(); ++i) {
    auto event = decoder.Decode(LoggedEvent{i, events[i].bytes});
    ASSERT_TRUE(event.ok());
    EXPECT_TRUE(set.Apply(*event).ok());
    for (const auto& [id, agent] : set.scheduling().agents()) {
      ASSERT_LE(agent.used.cpus, agent.total.cpus + 1e-9) << id << " at event " << i;
      ASSERT_LE(agent.used.mem_mb, agent.total.mem_mb) << id << " at event " << i;
    }
  }
  std::map<std::string, std::vector<std::uint32_t>> ports_by_agent;
  for (const auto& [id, task] : set.scheduling().tasks()) {
    ASSERT_EQ(task.host_ports.size(), 1u) << id;
    EXPECT_GE(task.host_ports[0], 31000u) << id;
    EXPECT_LE(task.host_ports[0], 32000u) << id;
    ports_by_agent[task.agent_id].push_back(task.host_ports[0]);
  }
  for (auto& [agent, ports] : ports_by_agent) {
    std::sort(ports.begin(), ports.end());
    EXPECT_EQ(std::adjacent_find(ports.begin(), ports.end()), ports.end())
        << "port reused on " << agent;
  }
}

}  // namespace
}  // namespace regatta::projections

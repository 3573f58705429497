#include "projections/replay.h"

#include "events/codec.h"

namespace regatta::projections {
namespace {

bool Covers(const ReplayTarget& target, const SnapshotInfo& snapshot) {
  if (target.at_revision && snapshot.next_revision > *target.at_revision + 1) return false;
  if (target.at_time_nanos && snapshot.last_time_nanos > *target.at_time_nanos) return false;
  return true;
}

// The newest snapshot at or before the target that loads cleanly.
std::optional<ProjectionSet> LoadBestSnapshot(const SnapshotStore& store, const ReplayTarget& target,
                                              const ProjectionOptions& options,
                                              ReplayReport* report) {
  auto all = store.List();
  if (!all.ok()) {
    report->rejected_snapshots.push_back(all.status().ToString());
    return std::nullopt;
  }
  for (auto it = all->rbegin(); it != all->rend(); ++it) {
    if (!Covers(target, *it)) continue;
    auto bytes = store.Load(*it);
    if (!bytes.ok()) {
      report->rejected_snapshots.push_back(bytes.status().ToString());
      continue;
    }
    auto set = ProjectionSet::Deserialize(*bytes, options);
    if (!set.ok()) {
      report->rejected_snapshots.push_back(it->path + ": " + set.status().ToString());
      continue;
    }
    report->used_snapshot = true;
    report->snapshot_next_revision = it->next_revision;
    return std::move(*set);
  }
  return std::nullopt;
}

}  // namespace

Status CatchUp(EventLog& log, ProjectionSet& set, Revision to, std::uint64_t* applied) {
  EventDecoder decoder;
  Status failure;
  std::uint64_t count = 0;
  REGATTA_RETURN_IF_ERROR(log.Scan(set.next_revision(), to, [&](const LoggedEvent& stored) {
    auto event = decoder.Decode(stored);
    if (!event.ok()) {
      failure = event.status();
      return false;
    }
    if (Status folded = set.Apply(*event); !folded.ok()) {
      failure = folded;
      return false;
    }
    ++count;
    return true;
  }));
  if (applied) *applied += count;
  return failure;
}

Result<ProjectionSet> Replay(EventLog& log, const SnapshotStore* snapshots,
                             const ReplayTarget& target, const ProjectionOptions& options,
                             ReplayReport* report) {
  ReplayReport local;
  if (report == nullptr) report = &local;
  std::optional<ProjectionSet> loaded;
  if (snapshots) loaded = LoadBestSnapshot(*snapshots, target, options, report);
  ProjectionSet set = loaded ? std::move(*loaded) : ProjectionSet(options);
  const Revision to = target.at_revision ? *target.at_revision + 1 : kEndOfLog;
  if (!target.at_time_nanos) {
    REGATTA_RETURN_IF_ERROR(CatchUp(log, set, to, &report->events_replayed));
    return set;
  }
  // By time: stop at the first event stamped after the target. The single
  // writer stamps times in order, so everything after it is later too.
  EventDecoder decoder;
  Status failure;
  REGATTA_RETURN_IF_ERROR(log.Scan(set.next_revision(), to, [&](const LoggedEvent& stored) {
    auto event = decoder.Decode(stored);
    if (!event.ok()) {
      failure = event.status();
      return false;
    }
    if (event->envelope.getTimeNanos() > *target.at_time_nanos) return false;
    if (Status folded = set.Apply(*event); !folded.ok()) {
      failure = folded;
      return false;
    }
    ++report->events_replayed;
    return true;
  }));
  REGATTA_RETURN_IF_ERROR(failure);
  return set;
}

Result<bool> MaybeSnapshot(const ProjectionSet& set, SnapshotStore& store,
                           const SnapshotPolicy& policy) {
  auto all = store.List();
  if (!all.ok()) return all.status();
  const Revision newest = all->empty() ? 0 : all->back().next_revision;
  if (set.events_applied() == 0 || set.next_revision() < newest + policy.every_events) return false;
  REGATTA_RETURN_IF_ERROR(store.Write(set.next_revision(), set.last_time_nanos(), set.Serialize()));
  REGATTA_RETURN_IF_ERROR(store.Prune(policy.keep));
  return true;
}

}  // namespace regatta::projections

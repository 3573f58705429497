// Rebuilding projections from the log: from zero, or from the newest usable
// snapshot plus the tail of the log after it. Also time travel: the same
// rebuild, stopped at a past revision or time.
//
// This is the only code in projections/ that reads (through the EventLog
// and SnapshotStore interfaces); the folds themselves never do.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "events/event_log.h"
#include "events/snapshot_store.h"
#include "projections/projection_set.h"

namespace regatta::projections {

// Where to stop, inclusive. Both unset: the end of the log.
struct ReplayTarget {
  std::optional<Revision> at_revision;      // apply events with revision <= this
  std::optional<std::int64_t> at_time_nanos;  // ... and with time <= this
};

struct ReplayReport {
  bool used_snapshot = false;
  Revision snapshot_next_revision = 0;
  std::uint64_t events_replayed = 0;
  // Snapshots that failed their checks and were passed over, with why.
  std::vector<std::string> rejected_snapshots;
};

// REQUIRES: `snapshots` may be null (replay from zero).
Result<ProjectionSet> Replay(EventLog& log, const SnapshotStore* snapshots,
                             const ReplayTarget& target, const ProjectionOptions& options,
                             ReplayReport* report);

// Applies every event from set.next_revision() up to (not including) `to`.
// Corruption when an event does not decode: the log is never skipped over.
Status CatchUp(EventLog& log, ProjectionSet& set, Revision to = kEndOfLog,
               std::uint64_t* applied = nullptr);

struct SnapshotPolicy {
  std::uint64_t every_events = 100000;  // write when this many are unsnapshotted
  std::size_t keep = 5;                 // newest snapshots kept
};

// Writes a snapshot of `set` when the policy says one is due. Returns
// whether it wrote one.
Result<bool> MaybeSnapshot(const ProjectionSet& set, SnapshotStore& store,
                           const SnapshotPolicy& policy);

}  // namespace regatta::projections

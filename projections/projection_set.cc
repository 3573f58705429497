#include "projections/projection_set.h"

#include "events/codec.h"

namespace regatta::projections {
namespace {

// Bumped whenever Serialize's layout changes; older snapshots are then
// ignored and the state is rebuilt from the log.
constexpr std::uint64_t kSnapshotLayout = 9;  // 2: scheduling completions; 3: task started_nanos; 4: groups; 5: task ready_since_nanos; 6: deployment revert_of; 7: deployment paused, promoted; 8: task health_reported; 9: Kubernetes objects

}  // namespace

Status ProjectionSet::Apply(const Event& event) {
  if (event.revision < next_revision_ && events_applied_ > 0) return Status::Ok();
  if (MustStopAt(event.envelope)) {
    return Status::FailedPrecondition("revision " + std::to_string(event.revision) + ": an event of a type this " +
                                      "Regatta does not know (" + EventTypeName(event.envelope) +
                                      "), which its writer marked mustUnderstand: upgrade Regatta to read past it");
  }
  next_revision_ = event.revision + 1;
  last_time_nanos_ = event.envelope.getTimeNanos();
  ++events_applied_;
  if (!IsKnownEventType(event.envelope)) {
    ++unknown_events_;  // written by a newer Regatta: skip, but count
    return Status::Ok();
  }
  if (folded_ & kSchedulingProjection) scheduling_.Apply(event);
  if (folded_ & kDiscoveryProjection) discovery_.Apply(event);
  if (folded_ & kHistoryProjection) history_.Apply(event);
  return Status::Ok();
}

void ProjectionSet::Narrow(unsigned kept) {
  folded_ &= kept;
  if (!(folded_ & kSchedulingProjection)) scheduling_ = SchedulingProjection();
  if (!(folded_ & kDiscoveryProjection)) discovery_ = DiscoveryProjection(discovery_.domain());
  if (!(folded_ & kHistoryProjection)) history_ = HistoryProjection();
}

std::string ProjectionSet::Serialize() const {
  StateWriter w;
  w.U64(kSnapshotLayout);
  w.U64(next_revision_);
  w.I64(last_time_nanos_);
  w.U64(events_applied_);
  w.U64(unknown_events_);
  scheduling_.Serialize(w);
  discovery_.Serialize(w);
  history_.Serialize(w);
  return w.Take();
}

Result<ProjectionSet> ProjectionSet::Deserialize(std::string_view bytes,
                                                 const ProjectionOptions& options) {
  StateReader r(bytes);
  if (r.U64() != kSnapshotLayout) {
    return Status::FailedPrecondition("snapshot layout differs from this build's");
  }
  ProjectionSet set(options);
  set.next_revision_ = r.U64();
  set.last_time_nanos_ = r.I64();
  set.events_applied_ = r.U64();
  set.unknown_events_ = r.U64();
  const bool ok = set.scheduling_.Deserialize(r) && set.discovery_.Deserialize(r) &&
                  set.history_.Deserialize(r);
  if (!ok || !r.at_end()) return Status::Corruption("snapshot state is malformed");
  return set;
}

std::uint64_t ProjectionSet::StateHash() const { return Fingerprint(Serialize()); }

}  // namespace regatta::projections

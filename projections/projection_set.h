// The three projections the design card names, folded together, and the
// bookkeeping that makes them replayable: the next revision to apply, the
// time of the last event, and a count of event types this build does not
// know (events.capnp, rule 2).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "events/event.h"
#include "events/base/status.h"
#include "projections/discovery.h"
#include "projections/history.h"
#include "projections/scheduling.h"

namespace regatta::projections {

struct ProjectionOptions {
  std::string dns_domain = "regatta";
};

// The projections a set folds, as bits. The master folds all three (its set
// is what snapshots hold); an actor that reads only some of them folds only
// those, since every event is folded once per reader: the allocator reads
// scheduling alone, and a discovery fold costs as much as a scheduling one.
enum ProjectionKind : unsigned {
  kSchedulingProjection = 1u << 0,
  kDiscoveryProjection = 1u << 1,
  kHistoryProjection = 1u << 2,
  kAllProjections = kSchedulingProjection | kDiscoveryProjection | kHistoryProjection,
};

class ProjectionSet {
 public:
  explicit ProjectionSet(const ProjectionOptions& options = {})
      : discovery_(options.dns_domain) {}

  // Folds one event. An event below next_revision() was already applied and
  // is ignored, which makes re-delivery after a reconnect harmless. An
  // event of a type this build does not know is skipped and counted, unless
  // its writer marked it mustUnderstand: then nothing is folded, the set
  // stays at the revision before it, and the result is FailedPrecondition
  // naming the revision (this build is too old for the log).
  [[nodiscard]] Status Apply(const Event& event);

  Revision next_revision() const { return next_revision_; }
  std::int64_t last_time_nanos() const { return last_time_nanos_; }
  std::uint64_t events_applied() const { return events_applied_; }
  std::uint64_t unknown_events() const { return unknown_events_; }

  const SchedulingProjection& scheduling() const { return scheduling_; }
  const DiscoveryProjection& discovery() const { return discovery_; }
  const HistoryProjection& history() const { return history_; }

  // From here on fold only the projections in `kept` (ProjectionKind bits);
  // the others are emptied and stay empty. A narrowed set is one reader's
  // view, never a snapshot: Serialize() of it would lose the dropped state.
  void Narrow(unsigned kept);
  unsigned folded() const { return folded_; }

  // Canonical bytes: equal states give equal bytes, whatever order the
  // hash tables grew in. A snapshot is these bytes.
  std::string Serialize() const;
  static Result<ProjectionSet> Deserialize(std::string_view bytes,
                                           const ProjectionOptions& options = {});
  // A fingerprint of Serialize(): replay, snapshot + tail and incremental
  // apply must agree on it.
  std::uint64_t StateHash() const;

 private:
  Revision next_revision_ = 0;
  std::int64_t last_time_nanos_ = 0;
  std::uint64_t events_applied_ = 0;
  std::uint64_t unknown_events_ = 0;
  unsigned folded_ = kAllProjections;
  SchedulingProjection scheduling_;
  DiscoveryProjection discovery_;
  HistoryProjection history_;
};

}  // namespace regatta::projections

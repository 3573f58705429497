#include "actors/master/master_state.h"

#include <iostream>

#include "actors/protocol/offer_codec.h"
#include "events/codec.h"
#include "events/base/clock.h"
#include "events/committed_batch.h"
#include "projections/replay.h"

namespace regatta::master {
namespace {

// A batch larger than this is flushed at once rather than waiting for the
// mailbox to drain: it bounds the append and the latency of its first reply.
constexpr std::size_t kMaxBatchEvents = 4096;

// Every subscriber folds the same decoded batch: in this process, so the
// pointer is all that travels.
void Publish(MasterState& st, const CommittedBatchPtr& batch) {
  if (batch == nullptr || batch->empty()) return;
  if (st.allocator) caf::anon_send(st.allocator, protocol::events_atom::value, batch);
  for (const auto& framework : st.frameworks) caf::anon_send(framework, protocol::events_atom::value, batch);
  for (const auto& controller : st.controllers) caf::anon_send(controller, protocol::events_atom::value, batch);
}

// After a failed append: fold in (and publish) whatever the log holds past
// the projections, so memory never trails the log for long and never runs
// ahead of it. A timed-out Kafka commit may have landed after all.
void CatchUpAndPublish(MasterState& st) {
  const Revision before = st.projections.next_revision();
  if (Status caught = projections::CatchUp(*st.log, st.projections); !caught.ok()) {
    std::cerr << "regatta master: catching up with the log after a failed append: " << caught.message() << "\n";
    return;
  }
  std::vector<OwnedEvent> owned;
  const Status scanned = st.log->Scan(before, st.projections.next_revision(), [&](const LoggedEvent& e) {
    owned.push_back({e.revision, std::string(e.bytes)});
    return true;
  });
  if (!scanned.ok()) {
    // The projections have the events; the subscribers would miss them and
    // plan on a stale view, so they must not be left to guess.
    std::cerr << "regatta master: the events after a failed append could not be read back for the "
                 "allocator and the frameworks: " << scanned.message() << "\n";
    return;
  }
  std::vector<std::string_view> envelopes;
  std::vector<Revision> revisions;
  for (const OwnedEvent& e : owned) {
    envelopes.emplace_back(e.bytes);
    revisions.push_back(e.revision);
  }
  Publish(st, CommittedBatch::Make(envelopes, revisions));
}

// Appends, then applies and publishes the batch, decoded once.
Result<CommittedBatchPtr> AppendAndApply(MasterState& st, const std::vector<EncodedEvent>& events) {
  auto revisions = st.log->Append(events);
  if (!revisions.ok()) {
    CatchUpAndPublish(st);
    return revisions.status();
  }
  CommittedBatchPtr batch = CommittedBatch::Make(events, *revisions);
  for (const Event& event : batch->events()) {
    // Events this master encoded itself, of types it knows: folding them
    // cannot stop (projection_set.h); were it to, memory would trail the log.
    if (Status folded = st.projections.Apply(event); !folded.ok()) {
      std::cerr << "regatta master: folding its own event: " << folded.message() << "\n";
    }
  }
  Publish(st, batch);
  return batch;
}

}  // namespace

CommandContext Context(const MasterState& st) {
  return CommandContext{st.clock->NowNanos(), "regatta:master", "", NewUuid(), [] { return NewUuid(); }};
}

protocol::Wire ReplyFor(const Status& status) { return protocol::Wire{protocol::FailureReply(status)}; }

Revision Applied(const MasterState& st) {
  return st.projections.next_revision() == 0 ? 0 : st.projections.next_revision() - 1;
}

protocol::Wire Acknowledged(const MasterState& st, const Outcome& outcome, const Committed& committed) {
  const Revision revision = committed.batch != nullptr && !outcome.events.empty()
                                ? committed.event(outcome.events.size() - 1).revision
                                : Applied(st);
  return protocol::Wire{protocol::AcknowledgedReply(revision)};
}

void Flush(MasterPointer self) {
  auto staged = self->state.batch.Take();
  if (staged.empty()) return;
  std::vector<EncodedEvent> events;
  for (auto& s : staged) {
    for (auto& e : s.outcome.events) events.push_back(std::move(e));
  }
  Status appended;
  CommittedBatchPtr batch;
  if (!events.empty()) {
    auto committed = AppendAndApply(self->state, events);
    if (committed.ok()) {
      batch = std::move(*committed);
    } else {
      appended = committed.status();
    }
  }
  // Each Done finds its own events in the batch, in the order staged.
  std::size_t first = 0;
  for (auto& s : staged) {
    s.done(appended, s.outcome, Committed{batch, first});
    first += s.outcome.events.size();
  }
}

caf::result<protocol::Wire> Submit(MasterPointer self, const std::vector<std::string>& keys,
                                   const Decide& decide, AfterCommit after) {
  if (self->state.batch.Conflicts(keys)) Flush(self);
  auto outcome = decide();
  if (!outcome.ok()) return ReplyFor(outcome.status());
  if (outcome->events.empty()) return after(*outcome, Committed{});
  auto promise = self->make_response_promise<protocol::Wire>();
  if (!promise.pending()) {
    // CAF delivered the request without a sender it could resolve: CAF
    // 0.17 maps a connection's fd to its node and drops that route only
    // after the connection closed, through the middleman's mailbox, so a new
    // client given the freed fd meanwhile is unroutable (docs/architecture.md).
    // Short-lived CAF clients are gone (the CLI speaks HTTP); agents and
    // API processes connect once and live long. A command that still gets
    // here runs, and its requester times out.
    std::cerr << "regatta master: a request arrived without a sender CAF could resolve; it is carried out, "
                 "but no reply can be sent\n";
  }
  self->state.batch.Stage(keys, std::move(*outcome),
                          [promise, after = std::move(after)](const Status& s, const Outcome& o,
                                                              const Committed& c) mutable {
                            promise.deliver(s.ok() ? after(o, c) : ReplyFor(s));
                          });
  if (self->state.batch.events() >= kMaxBatchEvents) {
    Flush(self);
  } else if (!self->state.flush_pending) {
    // Everything already in the mailbox is handled before this arrives:
    // the batch is whatever came in meanwhile.
    self->state.flush_pending = true;
    self->send(self, protocol::flush_atom::value);
  }
  return promise;
}

Result<Outcome> CommitAlone(MasterPointer self, const Decide& decide) {
  Flush(self);
  auto outcome = decide();
  if (!outcome.ok() || outcome->events.empty()) return outcome;
  Status result;
  Outcome done;
  self->state.batch.Stage({CommitBatch::kEverything}, std::move(*outcome),
                          [&](const Status& s, const Outcome& o, const Committed&) {
                            result = s;
                            done = o;
                          });
  Flush(self);
  if (!result.ok()) return result;
  return done;
}

}  // namespace regatta::master

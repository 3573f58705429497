#include "actors/master/master_state.h"

#include <iostream>

#include "actors/protocol/offer_codec.h"
#include "events/codec.h"
#include "events/real_inputs.h"
#include "projections/replay.h"

namespace regatta::master {
namespace {

// A batch larger than this is flushed at once rather than waiting for the
// mailbox to drain: it bounds the append and the latency of its first reply.
constexpr std::size_t kMaxBatchEvents = 4096;

void Publish(MasterState& st, const std::vector<EncodedEvent>& events, const std::vector<Revision>& revisions) {
  if (events.empty()) return;
  protocol::Wire batch{protocol::EventBatchMessage(events, revisions)};
  if (st.allocator) caf::anon_send(st.allocator, protocol::events_atom::value, batch);
  for (const auto& framework : st.frameworks) caf::anon_send(framework, protocol::events_atom::value, batch);
}

// After a failed append: fold in (and publish) whatever the log holds past
// the projections, so memory never trails the log for long and never runs
// ahead of it.
void CatchUpAndPublish(MasterState& st) {
  const Revision before = st.projections.next_revision();
  if (!projections::CatchUp(*st.log, st.projections).ok()) return;
  std::vector<EncodedEvent> events;
  std::vector<Revision> revisions;
  (void)st.log->Scan(before, st.projections.next_revision(), [&](const LoggedEvent& e) {
    events.push_back({"", "", std::string(e.bytes)});
    revisions.push_back(e.revision);
    return true;
  });
  Publish(st, events, revisions);
}

Status AppendAndApply(MasterState& st, std::vector<EncodedEvent>& events) {
  auto revisions = st.log->Append(events);
  if (!revisions.ok()) {
    CatchUpAndPublish(st);
    return revisions.status();
  }
  EventDecoder decoder;
  for (std::size_t i = 0; i < events.size(); ++i) {
    auto event = decoder.Decode(LoggedEvent{(*revisions)[i], events[i].bytes});
    if (!event.ok()) return event.status();  // cannot happen: we encoded it
    st.projections.Apply(*event);
  }
  Publish(st, events, *revisions);
  return Status::Ok();
}

}  // namespace

CommandContext Context() {
  return CommandContext{WallClockNanos(), "regatta:master", NewUuid(), [] { return NewUuid(); }};
}

protocol::Wire ReplyFor(const Status& status) {
  if (status.code() == StatusCode::kUnavailable || status.code() == StatusCode::kIoError) {
    return protocol::Wire{protocol::UnavailableReply(status.message())};
  }
  return protocol::Wire{protocol::RefusedReply(status.message())};
}

void Flush(MasterPointer self) {
  auto staged = self->state.batch.Take();
  if (staged.empty()) return;
  std::vector<EncodedEvent> events;
  for (auto& s : staged) {
    for (auto& e : s.outcome.events) events.push_back(std::move(e));
  }
  const Status appended = events.empty() ? Status::Ok() : AppendAndApply(self->state, events);
  // Each Done reads its own events (DispatchRunTasks does): hand them back.
  auto next = events.begin();
  for (auto& s : staged) {
    for (auto& e : s.outcome.events) e = std::move(*next++);
    s.done(appended, s.outcome);
  }
}

caf::result<protocol::Wire> Submit(MasterPointer self, const std::vector<std::string>& keys,
                                   const Decide& decide, AfterCommit after) {
  if (self->state.batch.Conflicts(keys)) Flush(self);
  auto outcome = decide();
  if (!outcome.ok()) return ReplyFor(outcome.status());
  if (outcome->events.empty()) return after(*outcome);
  auto promise = self->make_response_promise<protocol::Wire>();
  if (!promise.pending()) {
    // CAF delivered the request without a sender it could resolve: CAF
    // 0.17 maps a connection's fd to its node and drops that route only
    // after the connection closed, through the middleman's mailbox, so a new
    // client given the freed fd meanwhile is unroutable (runtime/client.h).
    // Clients ping first and retry from a new process, so a command should
    // not get here; one that does still runs, and its requester times out.
    std::cerr << "regatta master: a request arrived without a sender CAF could resolve; it is carried out, "
                 "but no reply can be sent\n";
  }
  self->state.batch.Stage(keys, std::move(*outcome),
                          [promise, after = std::move(after)](const Status& s, const Outcome& o) mutable {
                            promise.deliver(s.ok() ? after(o) : ReplyFor(s));
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
  self->state.batch.Stage({CommitBatch::kEverything}, std::move(*outcome), [&](const Status& s, const Outcome& o) {
    result = s;
    done = o;
  });
  Flush(self);
  if (!result.ok()) return result;
  return done;
}

}  // namespace regatta::master

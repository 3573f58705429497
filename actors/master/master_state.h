// The master actor's state and its commit path, shared by the actor's
// files. CAF: include only from actor code.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "actors/master/commit_batch.h"
#include "actors/master/master_actor.h"
#include "actors/master/master_core.h"
#include "actors/protocol/wire.h"
#include "events/base/clock.h"
#include "events/event_log.h"

namespace regatta::master {

struct AgentSession {
  protocol::agent_actor handle;
  std::int64_t last_seen_nanos = 0;
};

struct MasterState {
  std::shared_ptr<EventLog> log;
  std::shared_ptr<const Clock> clock;
  ProjectionSet projections;
  std::map<std::string, AgentSession> sessions;
  CommitBatch batch;
  bool flush_pending = false;  // a flush_atom is in the mailbox
  // Who hears every committed event, in log order.
  protocol::allocator_actor allocator;
  std::vector<protocol::framework_actor> frameworks;
  std::vector<protocol::controller_actor> controllers;
  Revision last_snapshot = 0;  // cheap check before listing snapshot files
  Revision revision_at_last_tick = 0;  // unchanged over a tick: the master is idle
  int idle_ticks = 0;                  // ticks in a row without a commit
  std::int64_t last_tick_nanos = 0;    // when CheckHeartbeats last ran
  // Status updates acknowledged without being recorded, because they broke
  // the task lifecycle (master_core.h, refused_updates): each is logged too.
  std::uint64_t refused_updates = 0;
  MasterOptions options;
  static inline const char* name = "regatta.master";
};

using MasterPointer = protocol::master_actor::stateful_pointer<MasterState>;

// The last revision the master has applied (0 before any): what a reply to
// a command that wrote nothing carries.
Revision Applied(const MasterState& st);
// The reply for a command that went through: acknowledged, with the
// revision of its last event (MasterReply.revision).
protocol::Wire Acknowledged(const MasterState& st, const Outcome& outcome, const Committed& committed);
// Orders every kill among the outcome's effects (to agents with a session).
void SendKills(MasterPointer self, const Outcome& outcome);
// A client's ClientMessage: the APIs' commands (master_client.cc).
caf::result<protocol::Wire> OnClient(MasterPointer self, protocol::Received<protocol::ClientMessage> received);

// A context stamped with the master's clock and fresh ids.
CommandContext Context(const MasterState& st);
// The reply for a failed command: its code, field and message.
protocol::Wire ReplyFor(const Status& status);

// Appends everything staged in one batch, applies it, tells the
// subscribers, then runs each command's Done. On a failed append the
// master catches up with whatever the log holds (the outcome of a failed
// Kafka commit can be unknown) and every Done hears the error.
void Flush(MasterPointer self);

// The path of a command: flush first if it conflicts with the batch, decide,
// then stage. Replies at once when the decision fails or writes nothing;
// otherwise the reply waits for the batch to be durable.
using Decide = std::function<Result<Outcome>()>;
using AfterCommit = std::function<protocol::Wire(const Outcome&, const Committed&)>;
caf::result<protocol::Wire> Submit(MasterPointer self, const std::vector<std::string>& keys,
                                   const Decide& decide, AfterCommit after);

// Decides and commits now, alone in its batch: for commands that read across
// aggregates and for the master's own housekeeping. Returns the outcome
// once durable and applied.
Result<Outcome> CommitAlone(MasterPointer self, const Decide& decide);

}  // namespace regatta::master

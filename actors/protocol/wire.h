// The CAF side of the protocol: one message type carrying Cap'n Proto bytes,
// the atoms, and every actor's typed interface, declared once here.
// Only actor files include this (CAF headers are slow to compile).
#pragma once

#include <caf/all.hpp>

#include "actors/protocol/codec.h"
#include "events/committed_batch.h"

// The master hands its committed batches to the allocator and the
// frameworks, which it spawned in its own process: a pointer to immutable,
// decoded events, never serialized (a node that is not this process never
// subscribes). CAF would refuse to send it to another node.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(regatta::CommittedBatchPtr)

namespace regatta::protocol {

// Cap'n Proto bytes as a CAF message element. It has inspect(), so CAF
// serializes it between nodes (a type without one arrives empty, silently).
struct Wire {
  Bytes bytes;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, Wire& x) {
  return f(caf::meta::type_name("regatta::Wire"), x.bytes);
}

using agent_atom = caf::atom_constant<caf::atom("agent")>;    // agent -> master
using master_atom = caf::atom_constant<caf::atom("master")>;  // master -> agent
using tick_atom = caf::atom_constant<caf::atom("tick")>;      // an actor's own timer
using client_atom = caf::atom_constant<caf::atom("client")>;  // CLI/API/framework -> master
using events_atom = caf::atom_constant<caf::atom("events")>;  // master -> subscribers: CommittedBatchPtr
using session_atom = caf::atom_constant<caf::atom("session")>;  // master -> allocator: AgentSession
using offers_atom = caf::atom_constant<caf::atom("offers")>;    // allocator -> framework: OfferEvent
using call_atom = caf::atom_constant<caf::atom("call")>;        // framework -> allocator: FrameworkCall
using launch_atom = caf::atom_constant<caf::atom("launch")>;    // allocator -> master: Launch
using cycle_atom = caf::atom_constant<caf::atom("cycle")>;      // the allocator's batched cycle
using flush_atom = caf::atom_constant<caf::atom("flush")>;      // the master's group commit
using stats_atom = caf::atom_constant<caf::atom("stats")>;      // how many cycles and offers, so far
using check_atom = caf::atom_constant<caf::atom("check")>;      // an agent's health-check timer
using probed_atom = caf::atom_constant<caf::atom("probed")>;    // a probe's result, to its agent

// An agent takes orders (RunTask, KillTask) from the master. Its own
// timers tick it; its health probes' results come back as (task, check
// index, readiness, passed, HTTP status, message).
using agent_actor =
    caf::typed_actor<caf::reacts_to<master_atom, Wire>, caf::reacts_to<tick_atom>, caf::reacts_to<check_atom>,
                     caf::reacts_to<probed_atom, std::string, std::uint32_t, bool, bool, std::int32_t, std::string>>;

// A framework folds the master's committed events into its own view and
// answers the allocator's offers with calls (accept, decline, revive).
using framework_actor = caf::typed_actor<caf::reacts_to<events_atom, CommittedBatchPtr>,
                                         caf::reacts_to<offers_atom, Wire>, caf::reacts_to<tick_atom>>;

// A controller (deployments) folds the committed events into its own view
// and writes its verdicts through the master, as a client does.
using controller_actor = caf::typed_actor<caf::reacts_to<events_atom, CommittedBatchPtr>, caf::reacts_to<tick_atom>>;

// The allocator folds the committed events too, hears which agents have a
// session, makes offers by DRF in batched cycles, and forwards accepts to
// the master.
using allocator_actor =
    caf::typed_actor<caf::reacts_to<events_atom, CommittedBatchPtr>, caf::reacts_to<session_atom, Wire>,
                     caf::reacts_to<call_atom, framework_actor, Wire>, caf::reacts_to<cycle_atom>,
                     caf::reacts_to<tick_atom>,
                     // (cycles that ran, offers made): answered after every message before it
                     caf::replies_to<stats_atom>::with<std::uint64_t, std::uint64_t>>;

// The master answers an agent's AgentMessage with a MasterReply.
// A client's ClientMessage and the allocator's Launch get a MasterReply too.
using master_actor = caf::typed_actor<caf::replies_to<agent_atom, agent_actor, Wire>::with<Wire>,
                                      caf::replies_to<client_atom, Wire>::with<Wire>,
                                      caf::replies_to<launch_atom, Wire>::with<Wire>,
                                      caf::reacts_to<flush_atom>, caf::reacts_to<tick_atom>>;

// Every node of a cluster must register the same names.
inline void RegisterMessageTypes(caf::actor_system_config& cfg) {
  cfg.add_message_type<Wire>("regatta::Wire");
  cfg.add_message_type<agent_actor>("regatta::agent_actor");
  cfg.add_message_type<master_actor>("regatta::master_actor");
  cfg.add_message_type<framework_actor>("regatta::framework_actor");
  cfg.add_message_type<allocator_actor>("regatta::allocator_actor");
}

}  // namespace regatta::protocol

// The task lifecycle: Mesos' task states (the schema's TaskState, in Mesos'
// order), their names, and the one function that says which moves between
// them are legal. Every layer uses these: the projections to count live
// tasks, the master to decide status updates, the agents, the CLI and the
// APIs to print states.
//
// Status updates are delivered at least once, and a master that failed over
// or an agent that came back from a partition may report a state the master
// has already recorded. So the question is never just "legal or not" but
// what to do with the update:
//   kApply                record the new state (append TaskStatusChanged);
//   kIgnoreDuplicate      the same state again: acknowledge, record nothing;
//   kIgnoreAfterTerminal  the task already ended, and an ended task never
//                         comes back: acknowledge, record nothing;
//   kReject               a move that cannot happen (back to STAGING, out of
//                         KILLING into a live state): record nothing and
//                         report it, because a sender is confused.
//
// The rules, in the order DecideTransition applies them:
//   1. to == from: a duplicate.
//   2. from is terminal: ignored after terminal.
//   3. from UNREACHABLE or UNKNOWN: the master had lost sight of the task,
//      so whatever the agent now reports is the truth: apply.
//   4. to is terminal: any live task may end: apply.
//   5. from KILLING: only an ending is legal; a RUNNING report means the
//      kill has not landed yet, so the caller should send it again: reject.
//   6. to UNREACHABLE or UNKNOWN: the master lost sight of a live task: apply.
//   7. STAGING -> STARTING -> RUNNING -> KILLING move forward only (steps may
//      be skipped: a command task can go from STAGING straight to RUNNING).
#pragma once

#include <cstdint>

#include "regatta/events.capnp.h"

namespace regatta::domain {

using schema::TaskState;

inline constexpr int kTaskStateCount = 13;

// A state from a newer schema that this build does not know is UNKNOWN.
TaskState KnownTaskState(TaskState state);

// "TASK_RUNNING", as Mesos names them.
const char* TaskStateName(TaskState state);

// True for states a task never leaves (Mesos: FINISHED, FAILED, KILLED,
// ERROR, DROPPED, LOST, GONE). UNREACHABLE and UNKNOWN are not terminal:
// the task may still be running out of sight.
bool IsTerminal(TaskState state);

enum class Transition : std::uint8_t { kApply, kIgnoreDuplicate, kIgnoreAfterTerminal, kReject };
const char* TransitionName(Transition transition);

struct TransitionDecision {
  Transition decision;
  const char* reason;  // static text naming the rule that decided, for logs
};

// What to do with a report that a task in state `from` is now in `to`.
[[nodiscard]] TransitionDecision DecideTransition(TaskState from, TaskState to);

}  // namespace regatta::domain

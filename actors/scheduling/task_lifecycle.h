// The task lifecycle: Mesos' task states and the one function that says
// which moves between them are legal.
//
// Status updates are delivered at least once, and a master that failed over
// or an agent that came back from a partition may report a state the master
// has already recorded. So the question is never just "legal or not" but
// what to do with the update:
//   kApply                record the new phase (append TaskStatusChanged);
//   kIgnoreDuplicate      the same phase again: acknowledge, record nothing;
//   kIgnoreAfterTerminal  the task already ended, and an ended task never
//                         comes back: acknowledge, record nothing;
//   kReject               a move that cannot happen (back to STAGING, out of
//                         KILLING into a live phase): record nothing and
//                         report it, because a sender is confused.
//
// The rules, in the order Decide applies them:
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

namespace regatta::scheduling {

// Mesos' task states, in Mesos' (and the schema's) order.
enum class TaskPhase : std::uint8_t {
  kStaging, kStarting, kRunning, kKilling,
  kFinished, kFailed, kKilled, kError, kDropped, kLost,
  kUnreachable, kGone, kUnknown,
};
inline constexpr int kTaskPhaseCount = 13;

// "TASK_RUNNING", as Mesos names them.
const char* TaskPhaseName(TaskPhase phase);
// FINISHED, FAILED, KILLED, ERROR, DROPPED, LOST, GONE. UNREACHABLE and
// UNKNOWN are not terminal: the task may still be running out of sight.
bool IsTerminal(TaskPhase phase);

// The schema enum has the same members in the same order. A state from a
// newer schema that this build does not know becomes kUnknown.
TaskPhase ToTaskPhase(schema::TaskState state);
schema::TaskState ToTaskState(TaskPhase phase);

enum class Decision : std::uint8_t { kApply, kIgnoreDuplicate, kIgnoreAfterTerminal, kReject };
const char* DecisionName(Decision decision);

struct TransitionDecision {
  Decision decision;
  const char* reason;  // static text naming the rule that decided, for logs
};

// What to do with a report that a task in phase `from` is now in `to`.
[[nodiscard]] TransitionDecision Decide(TaskPhase from, TaskPhase to);

// The phase a process's end puts its task in. `wait_status` is what
// waitpid() returned. When we asked the task to stop, its end is KILLED
// however it came about: a process that catches SIGTERM and exits 0 or 143
// was still killed (Mesos' command executor does the same), and counting it
// as FAILED would put a scaled-down app into launch backoff.
// REQUIRES: WIFEXITED(wait_status) or WIFSIGNALED(wait_status).
TaskPhase PhaseForExit(int wait_status, bool kill_requested);

}  // namespace regatta::scheduling

#include "events/domain/task_state.h"

#include <iterator>

namespace regatta::domain {
namespace {

static_assert(static_cast<int>(TaskState::UNKNOWN) == kTaskStateCount - 1);

bool IsOutOfSight(TaskState state) { return state == TaskState::UNREACHABLE || state == TaskState::UNKNOWN; }

// STAGING < STARTING < RUNNING < KILLING: the enum order is the lifecycle order.
bool MovesForward(TaskState from, TaskState to) { return static_cast<int>(to) > static_cast<int>(from); }

}  // namespace

TaskState KnownTaskState(TaskState state) {
  return static_cast<int>(state) < kTaskStateCount ? state : TaskState::UNKNOWN;
}

const char* TaskStateName(TaskState state) {
  static constexpr const char* kNames[kTaskStateCount] = {
      "TASK_STAGING", "TASK_STARTING", "TASK_RUNNING", "TASK_KILLING", "TASK_FINISHED",
      "TASK_FAILED", "TASK_KILLED", "TASK_ERROR", "TASK_DROPPED", "TASK_LOST",
      "TASK_UNREACHABLE", "TASK_GONE", "TASK_UNKNOWN"};
  return kNames[static_cast<std::size_t>(KnownTaskState(state))];
}

bool IsTerminal(TaskState state) {
  switch (state) {
    case TaskState::FINISHED: case TaskState::FAILED: case TaskState::KILLED:
    case TaskState::ERROR: case TaskState::DROPPED: case TaskState::LOST:
    case TaskState::GONE:
      return true;
    default:
      return false;
  }
}

const char* TransitionName(Transition transition) {
  switch (transition) {
    case Transition::kApply: return "apply";
    case Transition::kIgnoreDuplicate: return "ignore duplicate";
    case Transition::kIgnoreAfterTerminal: return "ignore after terminal";
    case Transition::kReject: return "reject";
  }
  return "unknown decision";
}

TransitionDecision DecideTransition(TaskState from_state, TaskState to_state) {
  const TaskState from = KnownTaskState(from_state);
  const TaskState to = KnownTaskState(to_state);
  if (to == from) {
    return {Transition::kIgnoreDuplicate, "the same state again: updates arrive at least once"};
  }
  if (IsTerminal(from)) {
    return {Transition::kIgnoreAfterTerminal, "the task already ended and never comes back"};
  }
  if (IsOutOfSight(from)) {
    return {Transition::kApply, "the task was out of sight: the agent's report is the truth"};
  }
  if (IsTerminal(to)) return {Transition::kApply, "a live task may end"};
  if (from == TaskState::KILLING) {
    return {Transition::kReject, "a killing task may only end: the kill has not landed, send it again"};
  }
  if (IsOutOfSight(to)) return {Transition::kApply, "the master lost sight of a live task"};
  if (MovesForward(from, to)) return {Transition::kApply, "the task moved forward"};
  return {Transition::kReject, "a task never moves back towards STAGING"};
}

}  // namespace regatta::domain

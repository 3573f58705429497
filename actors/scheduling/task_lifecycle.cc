#include "actors/scheduling/task_lifecycle.h"

#include <sys/wait.h>

#include <iterator>

namespace regatta::scheduling {

namespace {

// The schema and TaskPhase must stay in step, member for member: the
// conversions below are casts.
static_assert(static_cast<int>(schema::TaskState::UNKNOWN) == kTaskPhaseCount - 1);
static_assert(static_cast<int>(TaskPhase::kUnknown) == kTaskPhaseCount - 1);
static_assert(static_cast<int>(schema::TaskState::UNREACHABLE) ==
              static_cast<int>(TaskPhase::kUnreachable));
static_assert(static_cast<int>(schema::TaskState::KILLING) == static_cast<int>(TaskPhase::kKilling));

bool IsOutOfSight(TaskPhase phase) {
  return phase == TaskPhase::kUnreachable || phase == TaskPhase::kUnknown;
}

// STAGING < STARTING < RUNNING < KILLING: the enum order is the lifecycle order.
bool MovesForward(TaskPhase from, TaskPhase to) {
  return static_cast<int>(to) > static_cast<int>(from);
}

}  // namespace

const char* TaskPhaseName(TaskPhase phase) {
  static constexpr const char* kNames[kTaskPhaseCount] = {
      "TASK_STAGING", "TASK_STARTING", "TASK_RUNNING", "TASK_KILLING", "TASK_FINISHED",
      "TASK_FAILED", "TASK_KILLED", "TASK_ERROR", "TASK_DROPPED", "TASK_LOST",
      "TASK_UNREACHABLE", "TASK_GONE", "TASK_UNKNOWN"};
  const auto i = static_cast<std::size_t>(phase);
  return i < std::size(kNames) ? kNames[i] : "TASK_UNKNOWN";
}

bool IsTerminal(TaskPhase phase) {
  switch (phase) {
    case TaskPhase::kFinished: case TaskPhase::kFailed: case TaskPhase::kKilled:
    case TaskPhase::kError: case TaskPhase::kDropped: case TaskPhase::kLost:
    case TaskPhase::kGone:
      return true;
    default:
      return false;
  }
}

TaskPhase ToTaskPhase(schema::TaskState state) {
  const auto i = static_cast<int>(state);
  return i < kTaskPhaseCount ? static_cast<TaskPhase>(i) : TaskPhase::kUnknown;
}

schema::TaskState ToTaskState(TaskPhase phase) { return static_cast<schema::TaskState>(phase); }

const char* DecisionName(Decision decision) {
  switch (decision) {
    case Decision::kApply: return "apply";
    case Decision::kIgnoreDuplicate: return "ignore duplicate";
    case Decision::kIgnoreAfterTerminal: return "ignore after terminal";
    case Decision::kReject: return "reject";
  }
  return "unknown decision";
}

TransitionDecision Decide(TaskPhase from, TaskPhase to) {
  if (to == from) {
    return {Decision::kIgnoreDuplicate, "the same phase again: updates arrive at least once"};
  }
  if (IsTerminal(from)) {
    return {Decision::kIgnoreAfterTerminal, "the task already ended and never comes back"};
  }
  if (IsOutOfSight(from)) {
    return {Decision::kApply, "the task was out of sight: the agent's report is the truth"};
  }
  if (IsTerminal(to)) return {Decision::kApply, "a live task may end"};
  if (from == TaskPhase::kKilling) {
    return {Decision::kReject, "a killing task may only end: the kill has not landed, send it again"};
  }
  if (IsOutOfSight(to)) return {Decision::kApply, "the master lost sight of a live task"};
  if (MovesForward(from, to)) return {Decision::kApply, "the task moved forward"};
  return {Decision::kReject, "a task never moves back towards STAGING"};
}

TaskPhase PhaseForExit(int wait_status, bool kill_requested) {
  if (kill_requested) return TaskPhase::kKilled;
  if (WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0) return TaskPhase::kFinished;
  // A nonzero exit, or a signal nobody here sent (a crash, the OOM killer).
  return TaskPhase::kFailed;
}

}  // namespace regatta::scheduling

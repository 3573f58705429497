#include "events/domain/task_state.h"

#include <gtest/gtest.h>

#include <string>

namespace regatta::domain {
namespace {

TaskState State(int i) { return static_cast<TaskState>(i); }

// Every pair (from, to). Rows are `from` and columns `to`, both in enum order:
//   STAGING STARTING RUNNING KILLING FINISHED FAILED KILLED ERROR DROPPED
//   LOST UNREACHABLE GONE UNKNOWN
// A = apply, D = ignore duplicate, T = ignore after terminal, R = reject.
constexpr const char* kExpected[kTaskStateCount] = {
    //  live     terminal  unr gone unk
    "DAAA" "AAAAAA" "A" "A" "A",  // STAGING: anything forward
    "RDAA" "AAAAAA" "A" "A" "A",  // STARTING: not back to STAGING
    "RRDA" "AAAAAA" "A" "A" "A",  // RUNNING: not back to STAGING or STARTING
    "RRRD" "AAAAAA" "R" "A" "R",  // KILLING: only an ending
    "TTTT" "DTTTTT" "T" "T" "T",  // FINISHED
    "TTTT" "TDTTTT" "T" "T" "T",  // FAILED
    "TTTT" "TTDTTT" "T" "T" "T",  // KILLED
    "TTTT" "TTTDTT" "T" "T" "T",  // ERROR
    "TTTT" "TTTTDT" "T" "T" "T",  // DROPPED
    "TTTT" "TTTTTD" "T" "T" "T",  // LOST
    "AAAA" "AAAAAA" "D" "A" "A",  // UNREACHABLE: the agent came back and says
    "TTTT" "TTTTTT" "T" "D" "T",  // GONE
    "AAAA" "AAAAAA" "A" "A" "D",  // UNKNOWN: likewise
};

Transition FromLetter(char c) {
  switch (c) {
    case 'A': return Transition::kApply;
    case 'D': return Transition::kIgnoreDuplicate;
    case 'T': return Transition::kIgnoreAfterTerminal;
    default: return Transition::kReject;
  }
}

TEST(TaskState, DecidesEveryTransition) {
  int checked = 0;
  for (int from = 0; from < kTaskStateCount; ++from) {
    ASSERT_EQ(std::string(kExpected[from]).size(), static_cast<std::size_t>(kTaskStateCount));
    for (int to = 0; to < kTaskStateCount; ++to) {
      SCOPED_TRACE(std::string(TaskStateName(State(from))) + " -> " + TaskStateName(State(to)));
      const TransitionDecision got = DecideTransition(State(from), State(to));
      EXPECT_EQ(TransitionName(got.decision), TransitionName(FromLetter(kExpected[from][to]))) << got.reason;
      EXPECT_NE(std::string(got.reason), "");
      ++checked;
    }
  }
  EXPECT_EQ(checked, 169);
}

// At-least-once delivery: replaying the same update any number of times
// after it was applied changes nothing.
TEST(TaskState, ReplayingAnAppliedUpdateIsANoOp) {
  for (int from = 0; from < kTaskStateCount; ++from) {
    for (int to = 0; to < kTaskStateCount; ++to) {
      if (DecideTransition(State(from), State(to)).decision != Transition::kApply) continue;
      SCOPED_TRACE(std::string(TaskStateName(State(from))) + " -> " + TaskStateName(State(to)));
      EXPECT_EQ(DecideTransition(State(to), State(to)).decision, Transition::kIgnoreDuplicate);
    }
  }
}

TEST(TaskState, NamesAreMesosNamesAndEndingsAreTerminal) {
  const struct {
    TaskState state;
    const char* name;
    bool terminal;
  } cases[] = {
      {TaskState::STAGING, "TASK_STAGING", false},      {TaskState::STARTING, "TASK_STARTING", false},
      {TaskState::RUNNING, "TASK_RUNNING", false},      {TaskState::KILLING, "TASK_KILLING", false},
      {TaskState::FINISHED, "TASK_FINISHED", true},     {TaskState::FAILED, "TASK_FAILED", true},
      {TaskState::KILLED, "TASK_KILLED", true},         {TaskState::ERROR, "TASK_ERROR", true},
      {TaskState::DROPPED, "TASK_DROPPED", true},       {TaskState::LOST, "TASK_LOST", true},
      {TaskState::UNREACHABLE, "TASK_UNREACHABLE", false}, {TaskState::GONE, "TASK_GONE", true},
      {TaskState::UNKNOWN, "TASK_UNKNOWN", false},
  };
  static_assert(std::size(cases) == kTaskStateCount);
  for (const auto& c : cases) {
    EXPECT_STREQ(TaskStateName(c.state), c.name);
    EXPECT_EQ(IsTerminal(c.state), c.terminal) << c.name;
  }
}

TEST(TaskState, AStateFromANewerSchemaIsUnknown) {
  EXPECT_EQ(KnownTaskState(State(13)), TaskState::UNKNOWN);
  EXPECT_EQ(KnownTaskState(State(200)), TaskState::UNKNOWN);
  EXPECT_STREQ(TaskStateName(State(200)), "TASK_UNKNOWN");
  EXPECT_FALSE(IsTerminal(State(200)));
  // Out of sight, like UNKNOWN: whatever the agent reports next is the truth.
  EXPECT_EQ(DecideTransition(State(200), TaskState::RUNNING).decision, Transition::kApply);
}

}  // namespace
}  // namespace regatta::domain

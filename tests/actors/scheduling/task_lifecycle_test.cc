#include "actors/scheduling/task_lifecycle.h"

#include <gtest/gtest.h>

#include <sys/wait.h>

#include <csignal>
#include <string>

#include "projections/scheduling.h"

namespace regatta::scheduling {
namespace {

TaskPhase Phase(int i) { return static_cast<TaskPhase>(i); }

// Every pair (from, to). Rows are `from` and columns `to`, both in enum order:
//   STAGING STARTING RUNNING KILLING FINISHED FAILED KILLED ERROR DROPPED
//   LOST UNREACHABLE GONE UNKNOWN
// A = apply, D = ignore duplicate, T = ignore after terminal, R = reject.
constexpr const char* kExpected[kTaskPhaseCount] = {
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

Decision FromLetter(char c) {
  switch (c) {
    case 'A': return Decision::kApply;
    case 'D': return Decision::kIgnoreDuplicate;
    case 'T': return Decision::kIgnoreAfterTerminal;
    default: return Decision::kReject;
  }
}

TEST(TaskLifecycle, DecidesEveryTransition) {
  int checked = 0;
  for (int from = 0; from < kTaskPhaseCount; ++from) {
    ASSERT_EQ(std::string(kExpected[from]).size(), static_cast<std::size_t>(kTaskPhaseCount));
    for (int to = 0; to < kTaskPhaseCount; ++to) {
      SCOPED_TRACE(std::string(TaskPhaseName(Phase(from))) + " -> " + TaskPhaseName(Phase(to)));
      const TransitionDecision got = Decide(Phase(from), Phase(to));
      EXPECT_EQ(DecisionName(got.decision), DecisionName(FromLetter(kExpected[from][to])))
          << got.reason;
      EXPECT_NE(std::string(got.reason), "");
      ++checked;
    }
  }
  EXPECT_EQ(checked, 169);
}

// At-least-once delivery: replaying the same update any number of times
// after it was applied changes nothing.
TEST(TaskLifecycle, ReplayingAnAppliedUpdateIsANoOp) {
  for (int from = 0; from < kTaskPhaseCount; ++from) {
    for (int to = 0; to < kTaskPhaseCount; ++to) {
      if (Decide(Phase(from), Phase(to)).decision != Decision::kApply) continue;
      SCOPED_TRACE(std::string(TaskPhaseName(Phase(from))) + " -> " + TaskPhaseName(Phase(to)));
      EXPECT_EQ(Decide(Phase(to), Phase(to)).decision, Decision::kIgnoreDuplicate);
    }
  }
}

TEST(TaskLifecycle, AgreesWithTheSchemaAndTheProjection) {
  for (int i = 0; i < kTaskPhaseCount; ++i) {
    const auto state = static_cast<schema::TaskState>(i);
    SCOPED_TRACE(projections::TaskStateName(state));
    EXPECT_EQ(ToTaskState(ToTaskPhase(state)), state);
    EXPECT_EQ(std::string(TaskPhaseName(ToTaskPhase(state))), projections::TaskStateName(state));
    EXPECT_EQ(IsTerminal(ToTaskPhase(state)), projections::IsTerminal(state));
  }
}

TEST(TaskLifecycle, AStateFromANewerSchemaIsUnknown) {
  EXPECT_EQ(ToTaskPhase(static_cast<schema::TaskState>(13)), TaskPhase::kUnknown);
  EXPECT_EQ(ToTaskPhase(static_cast<schema::TaskState>(200)), TaskPhase::kUnknown);
}

// ------------------------------------------------------------------ exits

int Exited(int code) { return W_EXITCODE(code, 0); }
int Signaled(int signal) { return W_EXITCODE(0, signal); }

TEST(PhaseForExit, TheWaitStatusHelpersAreWhatWaitpidReturns) {
  EXPECT_TRUE(WIFEXITED(Exited(3)));
  EXPECT_EQ(WEXITSTATUS(Exited(3)), 3);
  EXPECT_TRUE(WIFSIGNALED(Signaled(SIGKILL)));
  EXPECT_EQ(WTERMSIG(Signaled(SIGKILL)), SIGKILL);
}

TEST(PhaseForExit, MapsHowTheProcessEnded) {
  struct Case {
    const char* name;
    int wait_status;
    bool kill_requested;
    TaskPhase want;
  };
  const Case cases[] = {
      {"exit 0", Exited(0), false, TaskPhase::kFinished},
      {"exit 1", Exited(1), false, TaskPhase::kFailed},
      {"exit 137 from a shell whose child was killed", Exited(137), false, TaskPhase::kFailed},
      {"SIGSEGV", Signaled(SIGSEGV), false, TaskPhase::kFailed},
      {"SIGKILL nobody here sent (the OOM killer)", Signaled(SIGKILL), false, TaskPhase::kFailed},
      {"SIGTERM after we asked", Signaled(SIGTERM), true, TaskPhase::kKilled},
      {"SIGKILL after the grace period", Signaled(SIGKILL), true, TaskPhase::kKilled},
      {"caught SIGTERM and exited 0", Exited(0), true, TaskPhase::kKilled},
      {"caught SIGTERM and exited 143", Exited(143), true, TaskPhase::kKilled},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(TaskPhaseName(PhaseForExit(c.wait_status, c.kill_requested)), TaskPhaseName(c.want));
  }
}

}  // namespace
}  // namespace regatta::scheduling

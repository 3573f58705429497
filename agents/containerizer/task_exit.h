// How a task's end maps to a TaskState: pure functions over a wait(2)
// status, kept apart so the task state machine and tests can use them
// without processes.
#pragma once

#include <optional>
#include <string>

#include "regatta/events.capnp.h"

namespace regatta::agent {

// The terminal state for a task whose command ended with `wait_status`
// (nullopt: the executor vanished without recording one).
//
//   kill requested, any ending        -> KILLED
//   exited 0                          -> FINISHED
//   exited nonzero                    -> FAILED
//   killed by a signal we did not ask -> FAILED  (the OOM killer, a crash)
//   no status at all                  -> LOST
//
// A requested kill wins even over `exit 0` or `exit 143`: a task that traps
// SIGTERM and shuts down cleanly was still killed, and Mesos' command
// executor reports it the same way. Reporting FAILED there would make a
// scheduler count a kill it asked for as a crash.
schema::TaskState TaskStateForExit(std::optional<int> wait_status, bool kill_requested);

// The shell's convention: the exit code, or 128 + signal. -1 without status.
int ExitCodeFor(std::optional<int> wait_status);

// "exited with status 3", "killed by signal 9 (Killed)", for humans.
std::string DescribeExit(std::optional<int> wait_status);

}  // namespace regatta::agent

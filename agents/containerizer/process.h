// Process plumbing for the containerizer: identifying a process across pid
// reuse, and starting regatta-executor with a handshake.
//
// No CAF and no threads here. StartExecutor forks; between fork and exec the
// child only makes async-signal-safe calls, so it is safe to call from a
// multithreaded agent.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "events/base/status.h"

namespace regatta::agent {

// The two fields of /proc/<pid>/stat we need.
struct ProcStat {
  char state = '?';             // field 3: R, S, D, Z (zombie), ...
  std::uint64_t start_time = 0;  // field 22: clock ticks after boot
};

// Parses one /proc/<pid>/stat line. The command name (field 2) is in
// parentheses and may itself contain spaces and ')', so fields are counted
// from the LAST ')'. nullopt when the line is malformed.
std::optional<ProcStat> ParseProcStat(std::string_view line);
std::optional<ProcStat> ReadProcStat(pid_t pid);

// True when `pid` is still the process that started at `start_time`,
// zombies included: a zombie still holds its pid, so it cannot be reused.
bool SameProcess(pid_t pid, std::uint64_t start_time);
// True when `pid` is that process and it has not exited (not a zombie).
bool IsRunning(pid_t pid, std::uint64_t start_time);

// How to start one executor. `argv[0]` is what the executor sees as its
// name; `path` is what is exec'd. stdout/stderr are created in `sandbox`.
struct ExecutorCommand {
  std::string path;
  std::vector<std::string> argv;
  std::vector<std::string> env;  // "KEY=VALUE"
  std::string sandbox;
};

// Forks and execs the executor in a new session (so the agent's terminal
// and process group signals never reach it), with stdin from /dev/null,
// stdout/stderr appended to <sandbox>/stdout and <sandbox>/stderr, cwd the
// sandbox, and the handshake pipe on fd 3. Returns the executor's pid once
// it reported "ok" (checkpoint written, command released). On failure the
// executor has been reaped and the Status says why; Unavailable when it did
// not answer within `timeout` (it is then SIGKILLed).
Result<pid_t> StartExecutor(const ExecutorCommand& command, std::chrono::milliseconds timeout);

// The fd on which the executor reports to the agent.
inline constexpr int kHandshakeFd = 3;

}  // namespace regatta::agent

// The files in a task's sandbox: the contract between the agent and
// regatta-executor, and what lets a restarted agent recover its tasks.
//
//   <sandbox>/checkpoint      written once by the executor, after the command
//                             forked and before it execs (so a checkpoint
//                             always exists for a command that ran)
//   <sandbox>/exit_status     written by the executor when the command ended
//   <sandbox>/kill_requested  written by the agent when it starts a kill, so
//                             a restarted agent still reports KILLED
//
// Every file is `key=value` lines and is replaced atomically (write a temp
// file, fsync, rename), so a reader sees the old file or the new one, never
// a torn one. Values never contain newlines: task ids are validated, and the
// rest are numbers or paths we made.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "events/base/status.h"

namespace regatta::agent {

inline constexpr char kCheckpointFile[] = "checkpoint";
inline constexpr char kExitStatusFile[] = "exit_status";
inline constexpr char kKillRequestedFile[] = "kill_requested";

// What a restarted agent needs to find, signal and clean up a task.
// Start times (/proc/<pid>/stat field 22) defeat pid reuse: a pid only
// names our process while its start time still matches.
struct Checkpoint {
  std::string task_id;
  std::string app_id;
  std::chrono::milliseconds kill_grace{0};
  std::vector<std::string> cgroups;  // task cgroup directories, maybe none
  pid_t executor_pid = 0;
  std::uint64_t executor_start = 0;
  pid_t pid = 0;   // the command; it leads its own process group
  pid_t pgid = 0;  // == pid; stored so the file says what we signal
  std::uint64_t start_time = 0;
};

std::string SerializeCheckpoint(const Checkpoint& checkpoint);
// Corruption when a required key is missing or a number does not parse.
Result<Checkpoint> ParseCheckpoint(std::string_view text);

// The raw wait(2) status of the command, as `wait_status=<int>`.
std::string SerializeExitStatus(int wait_status);
Result<int> ParseExitStatus(std::string_view text);

// The kill_requested marker: the grace period the kill was given.
std::string SerializeKillRequest(std::chrono::milliseconds grace);
Result<std::chrono::milliseconds> ParseKillRequest(std::string_view text);

// Replaces `path` atomically with `content` (temp file, fsync, rename).
Status WriteFileAtomically(const std::string& path, std::string_view content);
// NotFound when the file does not exist, IoError for other failures.
Result<std::string> ReadWholeFile(const std::string& path);

}  // namespace regatta::agent

// Runs an agent's health and readiness probes on one kj event loop thread:
// asynchronous I/O, so a thousand checks a second cost one thread, not a
// thousand (issue 11). Each probe's result comes back on that thread
// through its callback; the caller folds it into TaskHealth.
//
// Marathon's verdicts: HTTP passes on 2xx and 3xx (and 1xx when
// ignoreHttp1xx), TCP passes when a connection opens, COMMAND passes when
// `/bin/sh -c command` exits 0; anything slower than the timeout fails. A
// command runs in its own process group, in the task's sandbox with the
// task's environment, and is waited for through a pidfd on the same loop
// (no thread, no SIGCHLD); at its timeout its whole group is killed.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "events/base/status.h"

namespace regatta::health {

// Where a COMMAND check runs: as the task's own command does.
struct CommandShell {
  std::vector<std::string> env;  // "KEY=VALUE"
  std::string cwd;
};

struct Probe {
  enum class Kind : std::uint8_t { kHttp, kTcp, kCommand };
  Kind kind = Kind::kHttp;
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  std::string path = "/";  // HTTP
  std::int64_t timeout_nanos = 20'000'000'000;
  bool ignore_http_1xx = false;
  std::string command;  // COMMAND
  CommandShell shell;   // COMMAND
};

struct ProbeResult {
  bool passed = false;
  int http_status = 0;  // 0 for TCP, or when nothing answered
  std::string message;  // "200 OK", "connection refused", "exit 1: <output>"
};

class CheckRunner {
 public:
  using Done = std::function<void(const ProbeResult&)>;

  static Result<std::unique_ptr<CheckRunner>> Start();
  virtual ~CheckRunner() = default;

  // Starts `probe`; `done` runs on the runner's thread. Any thread.
  virtual void Run(Probe probe, Done done) = 0;
  // The CPU time the runner's thread has used, in seconds. Any thread.
  virtual double ThreadCpuSeconds() = 0;
};

}  // namespace regatta::health

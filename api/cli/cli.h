// The `regatta` command line: shared plumbing for its subcommands.
//
// Exit codes (docs/operations.md), one per StatusCode: 0 success, 1 an I/O
// failure at run time, 2 bad usage or input (InvalidArgument), 3 not found,
// 4 corruption, 5 conflict (another writer), 6 failed precondition (the
// object is in the wrong state), 7 unavailable (try again).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "events/event.h"
#include "events/base/clock.h"
#include "events/base/time_format.h"
#include "events/base/status.h"

namespace regatta::cli {

struct GlobalOptions {
  std::string data_dir = "./regatta-data";
  std::string log;  // empty: file:<data_dir>/log
  std::string api = "http://127.0.0.1:8080";  // the HTTP API every cluster command talks to
  std::string LogUri() const { return log.empty() ? "file:" + data_dir + "/log" : log; }
  std::string SnapshotDir() const { return data_dir + "/snapshots"; }
};

int ExitCodeFor(const Status& status);
// Prints "regatta: <message>" on one line to stderr; returns the exit code.
int Fail(const Status& status);

// Parses a revision ("42") or an RFC 3339 time ("2026-11-25T19:00:00Z",
// fractions and offsets allowed) into one of the two.
struct PointInHistory {
  std::optional<Revision> revision;
  std::optional<std::int64_t> time_nanos;
};
Result<PointInHistory> ParsePointInHistory(const std::string& flag, const std::string& text);
Result<Revision> ParseRevision(const std::string& flag, const std::string& text);
// "127.0.0.1:5050" -> host and port; InvalidArgument naming `flag` otherwise.
Result<std::pair<std::string, std::uint16_t>> ParseHostPort(const std::string& flag, const std::string& text);
Result<std::int64_t> ParseRfc3339(const std::string& text);

}  // namespace regatta::cli

// `regatta log verify`: check every record and every envelope of a file log
// without changing it, and name the first bad offset.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "events/base/status.h"
#include "events/event.h"
#include "events/file_log/fs.h"
#include "events/file_log/log_state.h"

namespace regatta {

struct VerifyReport {
  std::uint64_t segments = 0;
  std::uint64_t records = 0;
  std::uint64_t events = 0;
  Revision end_revision = 0;
  std::uint64_t torn_tail_bytes = 0;  // an unfinished last write; not an error
  // Torn: what a writer will repair on open ("cut 37 bytes from ..."), as
  // filelog::LogState::RepairLine says it.
  std::string torn;
  filelog::LogCondition condition = filelog::LogCondition::kClean;
  std::map<std::string, std::uint64_t> events_by_type;
  // Empty when the log is sound; otherwise the first problem found:
  // "<segment path>: offset 4096 (revision 17): checksum mismatch".
  std::string first_problem;
  bool ok() const { return first_problem.empty(); }
};

// Fails only when the log cannot be read at all (missing directory, I/O).
// Damage is reported in the VerifyReport. The state is decided by
// filelog::InspectLog, as the log's readers and writer decide it; verify
// also decodes every envelope.
Result<VerifyReport> VerifyFileLog(const std::string& dir,
                                   filelog::FileSystem& fs = filelog::RealFileSystem());

// For any backend (Kafka): reads every event through the EventLog, decodes
// every envelope and checks that revisions only grow. The backend's own
// framing (Kafka's record CRCs) is checked by its client library.
class EventLog;
Result<VerifyReport> VerifyEventLog(EventLog& log);

}  // namespace regatta

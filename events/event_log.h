// EventLog: the one ordered, durable log every state change goes through.
//
// Backends: MemoryEventLog (tests), FileEventLog (the embedded log), and
// KafkaEventLog. All of them pass tests/events/log_contract_test.cc.
//
// Contract
//  - One writer. Opening a second writer on the same log fails with Conflict
//    (file log: a lock; Kafka: transactional fencing).
//  - Append(batch) is atomic: after a crash a reader sees all of the batch or
//    none of it. It returns the revisions only once the batch is durable under
//    the log's durability policy. Concurrent Appends share one sync.
//  - Revisions strictly increase in log order but may have gaps.
//  - Every method is thread-safe.
//  - A log that fails a write turns read-only-broken: every later Append
//    fails. Reopening runs recovery.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "events/event.h"
#include "events/base/status.h"

namespace regatta {

enum class LogMode { kWriter, kReader };

// Called for each event in order. The bytes are valid only during the call.
// Return false to stop the scan early.
using EventVisitor = std::function<bool(const LoggedEvent&)>;

class LogTail {
 public:
  virtual ~LogTail() = default;
  // Waits up to `timeout` for events at or past the tail's cursor, appends at
  // most `max` of them to `out` and advances the cursor past them. Returning
  // OK with nothing appended means the timeout passed.
  virtual Status Poll(std::chrono::milliseconds timeout, std::size_t max,
                      std::vector<OwnedEvent>* out) = 0;
};

class EventLog {
 public:
  virtual ~EventLog() = default;

  // REQUIRES: opened as a writer; the batch is not empty.
  virtual Result<std::vector<Revision>> Append(std::span<const EncodedEvent> batch) = 0;

  // Visits the events with from <= revision < to, in order.
  virtual Status Scan(Revision from, Revision to, const EventVisitor& visit) = 0;

  // Every stored event has a revision below this; the next append gets one
  // at or above it.
  virtual Result<Revision> EndRevision() = 0;

  // Blocks until EndRevision() > `seen` or `timeout` passes; OK either way.
  virtual Status WaitForAppend(Revision seen, std::chrono::milliseconds timeout) = 0;

  // Subscribes from `from`: the tail returns stored events, then new ones
  // as they land.
  virtual Result<std::unique_ptr<LogTail>> Tail(Revision from);

  // "file:/var/lib/regatta/log", "memory:", "kafka://127.0.0.1:9092/prod".
  virtual std::string Describe() const = 0;

  // What opening repaired, as one line for the opener to print ("cut 37
  // bytes from ... at offset ..."); empty when it repaired nothing. A repair
  // is never silent.
  virtual std::string RecoveryNote() const { return ""; }
};

inline constexpr Revision kEndOfLog = ~Revision{0};

}  // namespace regatta

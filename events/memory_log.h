// An in-memory EventLog for tests: the same contract as the durable logs,
// durability aside. Revisions are dense, starting at 0.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>

#include "events/event_log.h"

namespace regatta {

// The storage several MemoryEventLog handles share, as several processes
// share a directory. It outlives the handles.
class MemoryLogStore {
 public:
  std::mutex mu;
  std::condition_variable appended;
  std::vector<std::string> events;  // index == revision
  bool writer_open = false;
};

class MemoryEventLog final : public EventLog {
 public:
  // Conflict when `mode` is kWriter and a writer handle is already open.
  static Result<std::unique_ptr<MemoryEventLog>> Open(
      std::shared_ptr<MemoryLogStore> store, LogMode mode);
  ~MemoryEventLog() override;

  Result<std::vector<Revision>> Append(std::span<const EncodedEvent> batch) override;
  Status Scan(Revision from, Revision to, const EventVisitor& visit) override;
  Result<Revision> EndRevision() override;
  Status WaitForAppend(Revision seen, std::chrono::milliseconds timeout) override;
  std::string Describe() const override { return "memory:"; }

 private:
  MemoryEventLog(std::shared_ptr<MemoryLogStore> store, LogMode mode)
      : store_(std::move(store)), mode_(mode) {}

  std::shared_ptr<MemoryLogStore> store_;
  LogMode mode_;
};

}  // namespace regatta

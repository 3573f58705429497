#include "events/memory_log.h"

namespace regatta {

Result<std::unique_ptr<MemoryEventLog>> MemoryEventLog::Open(
    std::shared_ptr<MemoryLogStore> store, LogMode mode) {
  if (mode == LogMode::kWriter) {
    std::lock_guard lock(store->mu);
    if (store->writer_open) {
      return Status::Conflict("memory log: another writer is open");
    }
    store->writer_open = true;
  }
  return std::unique_ptr<MemoryEventLog>(new MemoryEventLog(std::move(store), mode));
}

MemoryEventLog::~MemoryEventLog() {
  if (mode_ != LogMode::kWriter) return;
  std::lock_guard lock(store_->mu);
  store_->writer_open = false;
}

Result<std::vector<Revision>> MemoryEventLog::Append(std::span<const EncodedEvent> batch) {
  if (mode_ != LogMode::kWriter) {
    return Status::FailedPrecondition("memory log: opened read-only");
  }
  if (batch.empty()) return Status::InvalidArgument("append: empty batch");
  std::vector<Revision> revisions;
  {
    std::lock_guard lock(store_->mu);
    for (const auto& event : batch) {
      revisions.push_back(store_->events.size());
      store_->events.push_back(event.bytes);
    }
  }
  store_->appended.notify_all();
  return revisions;
}

Status MemoryEventLog::Scan(Revision from, Revision to, const EventVisitor& visit) {
  std::unique_lock lock(store_->mu);
  for (Revision r = from; r < to && r < store_->events.size(); ++r) {
    // Copy out under the lock: a concurrent append may move the vector.
    const std::string bytes = store_->events[r];
    lock.unlock();
    if (!visit(LoggedEvent{r, bytes})) return Status::Ok();
    lock.lock();
  }
  return Status::Ok();
}

Result<Revision> MemoryEventLog::EndRevision() {
  std::lock_guard lock(store_->mu);
  return Revision{store_->events.size()};
}

Status MemoryEventLog::WaitForAppend(Revision seen, std::chrono::milliseconds timeout) {
  std::unique_lock lock(store_->mu);
  store_->appended.wait_for(lock, timeout, [&] { return store_->events.size() > seen; });
  return Status::Ok();
}

}  // namespace regatta

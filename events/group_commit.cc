#include "events/group_commit.h"

namespace regatta {

namespace {

std::size_t BatchBytes(std::span<const EncodedEvent> batch) {
  std::size_t bytes = 0;
  for (const auto& e : batch) bytes += e.bytes.size();
  return bytes;
}

}  // namespace

Result<std::vector<Revision>> GroupCommitQueue::Submit(std::span<const EncodedEvent> batch,
                                                       const GroupWriter& write) {
  Pending me;
  me.batch = batch;
  std::unique_lock lock(mu_);
  queue_.push_back(&me);
  me.cv.wait(lock, [&] { return me.done || queue_.front() == &me; });
  if (!me.done) {
    // This caller leads: it writes for everyone queued up to the size cap.
    if (pace_) {
      lock.unlock();
      pace_();
      lock.lock();
    }
    std::vector<Pending*> group;
    std::size_t bytes = 0;
    for (Pending* p : queue_) {
      if (!group.empty() && bytes > max_group_bytes_) break;
      group.push_back(p);
      bytes += BatchBytes(p->batch);
    }
    lock.unlock();
    const Status status = write(group);
    lock.lock();
    for (Pending* p : group) {
      queue_.pop_front();
      p->status = status;
      p->done = true;
      if (p != &me) p->cv.notify_one();
    }
    if (!queue_.empty()) queue_.front()->cv.notify_one();
  }
  if (!me.status.ok()) return me.status;
  return std::move(me.revisions);
}

}  // namespace regatta

// Group commit: concurrent appenders queue up; the one at the front writes
// everything queued behind it in one go (one fdatasync, one Kafka
// transaction) and wakes the others with their results. Throughput then
// grows with the number of appenders instead of being capped by the cost of
// one sync. (The shape is LevelDB's writer queue.)
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <span>
#include <vector>

#include "events/event.h"
#include "events/base/status.h"

namespace regatta {

class GroupCommitQueue {
 public:
  struct Pending {
    std::span<const EncodedEvent> batch;
    std::vector<Revision> revisions;  // filled by the group writer
    Status status;
    bool done = false;
    std::condition_variable cv;
  };

  // Writes a whole group. Runs on the leader's thread, one group at a time,
  // with no lock held. It must fill each Pending's revisions on success.
  using GroupWriter = std::function<Status(std::vector<Pending*>& group)>;

  // Called by a new leader, with no lock held, before it gathers its group:
  // a backend that must space its writes waits here, and appends arriving
  // meanwhile join the group instead of forming a convoy of tiny ones.
  using Pacer = std::function<void()>;

  explicit GroupCommitQueue(std::size_t max_group_bytes, Pacer pace = nullptr)
      : max_group_bytes_(max_group_bytes), pace_(std::move(pace)) {}

  // Blocks until `batch` has been written as part of some group.
  Result<std::vector<Revision>> Submit(std::span<const EncodedEvent> batch, const GroupWriter& write);

 private:
  const std::size_t max_group_bytes_;
  const Pacer pace_;
  std::mutex mu_;
  std::deque<Pending*> queue_;
};

}  // namespace regatta

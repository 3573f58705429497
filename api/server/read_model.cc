#include "api/server/read_model.h"

namespace regatta::api {

void ReadModel::Apply(const CommittedBatch& batch) {
  if (!stalled_.ok()) return;
  bool folded = false;
  for (const Event& event : batch.events()) {
    if (event.revision < view_.next_revision()) continue;
    for (const Watcher& watch : watchers_) watch(event, view_);
    if (Status applied = view_.Apply(event); !applied.ok()) {
      stalled_ = applied;
      break;
    }
    folded = true;
  }
  if (folded) {
    for (const BatchWatcher& watch : batch_watchers_) watch(view_);
  }
  Release();
}

void ReadModel::WhenApplied(Revision revision, std::chrono::steady_clock::time_point deadline,
                            std::function<void(bool)> done) {
  if (HasApplied(revision)) {
    done(true);
    return;
  }
  waiters_.emplace(revision, Waiter{deadline, std::move(done)});
}

void ReadModel::Release() {
  while (!waiters_.empty() && HasApplied(waiters_.begin()->first)) {
    auto done = std::move(waiters_.begin()->second.done);
    waiters_.erase(waiters_.begin());
    done(true);
  }
}

void ReadModel::Expire(std::chrono::steady_clock::time_point now) {
  for (auto it = waiters_.begin(); it != waiters_.end();) {
    if (it->second.deadline > now) {
      ++it;
      continue;
    }
    auto done = std::move(it->second.done);
    it = waiters_.erase(it);
    done(false);
  }
}

}  // namespace regatta::api

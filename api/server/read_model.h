// The API's own view of the cluster: a projection set folded from the log,
// on the HTTP loop thread. Reads are answered from it and never go through
// the master's mailbox; every answer names the revision it reflects.
//
// Read-your-writes: a write is answered with the revision of its events,
// and the API does not answer it until its own view has applied that
// revision (WhenApplied). A client may also ask any read to wait for a
// revision (?minRevision=, resourceVersion).
//
// The APIs (Marathon's, Kubernetes') keep more than the projections hold,
// each its own way: they watch every event as it is folded (Watch), seeing
// the projections as they were just before it.
//
// Loop thread only; not thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <vector>

#include "events/committed_batch.h"
#include "projections/projection_set.h"

namespace regatta::api {

using projections::ProjectionSet;

class ReadModel {
 public:
  explicit ReadModel(ProjectionSet initial) : view_(std::move(initial)) {}

  // Folds a batch the log follower read. Events already applied are
  // skipped; an event the projections refuse (a log newer than this build)
  // stops the fold there, and stalled() says why.
  void Apply(const CommittedBatch& batch);

  const ProjectionSet& view() const { return view_; }
  // The last revision applied, as X-Regatta-Revision shows it: 0 before any
  // (revisions start at 0, so the first event's revision shows as 0 too;
  // next_revision() tells them apart).
  Revision applied() const { return view_.next_revision() == 0 ? 0 : view_.next_revision() - 1; }
  bool HasApplied(Revision revision) const { return view_.next_revision() > revision; }
  const Status& stalled() const { return stalled_; }

  // Runs `done(true)` once `revision` is applied (at once if it is), or
  // `done(false)` from Expire once `deadline` passed first.
  void WhenApplied(Revision revision, std::chrono::steady_clock::time_point deadline,
                   std::function<void(bool)> done);
  // Gives up on the waiters whose deadline is past `now`.
  void Expire(std::chrono::steady_clock::time_point now);
  std::size_t waiting() const { return waiters_.size(); }

  // Called for every event folded, with the view as it was just before it.
  using Watcher = std::function<void(const Event& event, const ProjectionSet& before)>;
  void Watch(Watcher watcher) { watchers_.push_back(std::move(watcher)); }
  // Called once after each batch, with the view after it.
  using BatchWatcher = std::function<void(const ProjectionSet& after)>;
  void WatchBatches(BatchWatcher watcher) { batch_watchers_.push_back(std::move(watcher)); }

 private:
  struct Waiter {
    std::chrono::steady_clock::time_point deadline;
    std::function<void(bool)> done;
  };
  void Release();

  ProjectionSet view_;
  Status stalled_;
  std::multimap<Revision, Waiter> waiters_;
  std::vector<Watcher> watchers_;
  std::vector<BatchWatcher> batch_watchers_;
};

}  // namespace regatta::api

// The master's group commit: commands decided one after another go to the
// log together, in one atomic append, so a burst of status updates or
// launches costs one sync instead of one each.
//
// Deciding a command against state that does not yet hold the staged
// outcomes is sound only when they touch different things. So each staged
// command names the aggregates it read and wrote (keys such as "task:ID",
// "agent:ID", "app:/web"), and a command whose keys meet the batch's must
// wait until the batch is durable and applied. The actor checks Conflicts
// before deciding, and flushes first when it says so. The key "*" meets
// every other: a command that reads across aggregates (an agent's
// registration reconciles all its tasks) goes to the log alone.
//
// A plain key is read and written. Two prefixes say less, so that commands
// that only share a read can share a batch: "r:K" only reads K (it meets a
// staged K or "m:K"), and "m:K" marks that something under K changed
// without reading it (it meets a staged "r:K" only). Defining /a/b reads
// whether /a is an app ("r:app:/a") and marks /a ("m:tree:/a"): siblings
// /a/b and /a/c share a batch, while /a/b and an app /a, which would put
// an app inside an app, do not.
//
// Pure: no CAF, no log. The actor owns the append and the replies.
#pragma once

#include <functional>
#include <unordered_set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "actors/master/master_core.h"
#include "events/committed_batch.h"

namespace regatta::master {

// Where a staged outcome's events landed: event(i) is its events[i] as the
// log took it, decoded, with its revision. The effects read it (a launch's
// order carries its TaskLaunched), so nothing is decoded again.
struct Committed {
  CommittedBatchPtr batch;  // null when the outcome wrote nothing or the append failed
  std::size_t first = 0;
  const Event& event(std::size_t i) const { return batch->events()[first + i]; }
};

class CommitBatch {
 public:
  static constexpr const char* kEverything = "*";

  // What to do once the staged outcome is durable and applied (Ok), or
  // when the log refused the batch (the error): replies and effects.
  using Done = std::function<void(const Status&, const Outcome&, const Committed&)>;

  // True when a command touching `keys` must wait for the staged ones.
  bool Conflicts(const std::vector<std::string>& keys) const {
    if (staged_.empty()) return false;
    if (keys_.count(kEverything)) return true;
    for (const std::string& key : keys) {
      if (key == kEverything) return true;
      if (Meets(key)) return true;
    }
    return false;
  }

  void Stage(const std::vector<std::string>& keys, Outcome outcome, Done done) {
    keys_.insert(keys.begin(), keys.end());
    events_ += outcome.events.size();
    staged_.push_back({std::move(outcome), std::move(done)});
  }

  bool empty() const { return staged_.empty(); }
  std::size_t events() const { return events_; }

  struct Staged {
    Outcome outcome;
    Done done;
  };
  // Hands over everything staged and starts a new batch.
  std::vector<Staged> Take() {
    keys_.clear();
    events_ = 0;
    return std::exchange(staged_, {});
  }

 private:
  bool Meets(const std::string& key) const {
    const std::string_view kind = std::string_view(key).substr(0, 2);
    const std::string base = kind == "r:" || kind == "m:" ? key.substr(2) : key;
    if (kind == "r:") return keys_.count(base) > 0 || keys_.count("m:" + base) > 0;
    if (kind == "m:") return keys_.count("r:" + base) > 0;
    return keys_.count(key) > 0 || keys_.count("r:" + key) > 0;
  }

  std::unordered_set<std::string> keys_;
  std::vector<Staged> staged_;
  std::size_t events_ = 0;
};

}  // namespace regatta::master

// The agent's rules, as pure code: which status updates it owes the master
// and in what order, and what to do with the master's orders. The agent
// actor (agent_actor.cc) only moves messages through these.
//
// Updates are delivered at least once: each task's newest state waits in
// the book until the master acknowledges it, and is resent on every tick
// meanwhile. Two rules keep a task's story straight:
//   - An end (FINISHED, FAILED, KILLED, ...) not yet acknowledged is never
//     replaced by a live state: a repeated run order, or a kill's KILLING,
//     arriving after the task ended must not make the master think it is
//     alive again. (A later end may replace an earlier one.)
//   - An update replaced while its request was in flight stays pending when
//     that request's answer comes: the answer was about the older state.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "events/domain/commands.h"

namespace regatta::agent {

// Each task's newest update of one kind until the master acknowledges it:
// what UpdateBook (statuses) and the health reports share. An update
// replaced while its request was in flight stays pending when that
// request's answer comes.
template <class Update>
class Outbox {
 public:
  // One update as sent: the task, and which version of its update it was.
  struct Sent {
    std::string task_id;
    std::uint64_t sequence = 0;
  };

  void Put(Update update) {
    const std::string task = update.task_id;
    pending_[task] = Pending{std::move(update), ++next_sequence_, false};
  }
  const Update* Find(const std::string& task_id) const {
    auto it = pending_.find(task_id);
    return it == pending_.end() ? nullptr : &it->second.update;
  }
  void Drop(const std::string& task_id) { pending_.erase(task_id); }

  // Up to `max` updates not in flight, in task order, stamped with
  // `agent_id` and marked in flight; `sent` says which versions they were.
  std::vector<Update> TakeToSend(const std::string& agent_id, std::size_t max, std::vector<Sent>& sent) {
    std::vector<Update> out;
    for (auto& [task, p] : pending_) {
      if (p.in_flight) continue;
      if (out.size() == max) break;
      p.in_flight = true;
      sent.push_back({task, p.sequence});
      out.push_back(p.update);
      out.back().agent_id = agent_id;
    }
    return out;
  }
  // The master answered the request that carried `sent`. Acknowledged: those
  // still at the version sent leave, and are returned. Not acknowledged:
  // they are pending again, to go with the next request.
  std::vector<Update> Answered(const std::vector<Sent>& sent, bool acknowledged) {
    std::vector<Update> done;
    for (const Sent& s : sent) {
      auto it = pending_.find(s.task_id);
      if (it == pending_.end() || it->second.sequence != s.sequence) continue;  // replaced meanwhile
      it->second.in_flight = false;
      if (!acknowledged) continue;
      done.push_back(std::move(it->second.update));
      pending_.erase(it);
    }
    return done;
  }

  std::size_t size() const { return pending_.size(); }
  bool empty() const { return pending_.empty(); }

 private:
  struct Pending {
    Update update;
    std::uint64_t sequence = 0;
    bool in_flight = false;
  };
  std::map<std::string, Pending> pending_;  // by task id
  std::uint64_t next_sequence_ = 0;
};

class UpdateBook {
 public:
  using Sent = Outbox<domain::StatusUpdate>::Sent;

  // The task's newest state, unless it would replace an end that is not
  // acknowledged yet (then nothing changes and this returns false).
  bool Queue(domain::StatusUpdate update);
  // True when the task's end is queued and not yet acknowledged.
  bool PendingEnd(const std::string& task_id) const;

  // Up to `max` updates not in flight, in task order, stamped with
  // `agent_id` and marked in flight; `sent` says which versions they were.
  std::vector<domain::StatusUpdate> TakeToSend(const std::string& agent_id, std::size_t max,
                                               std::vector<Sent>& sent);
  // The master answered the request that carried `sent`. Acknowledged: those
  // still at the version sent leave the book, and the tasks whose end was
  // acknowledged are returned (their checkpoints may go). Not acknowledged:
  // they are pending again, to go with the next request.
  std::vector<std::string> Answered(const std::vector<Sent>& sent, bool acknowledged);

  std::size_t size() const { return updates_.size(); }
  bool empty() const { return updates_.empty(); }

 private:
  Outbox<domain::StatusUpdate> updates_;
};

// The health reports an agent owes the master: the newest per task.
using HealthBook = Outbox<domain::HealthUpdate>;

// What to do with the master's order to run tasks: launch those this agent
// does not run; answer those it runs already (the order was repeated: after
// a lost reply, or a master that failed over) with RUNNING rather than a
// second launch, unless their end awaits acknowledgement.
struct RunOrderPlan {
  std::vector<std::size_t> launch;         // indices into the order, in order
  std::vector<std::string> still_running;  // queue RUNNING for these
};
RunOrderPlan PlanRunOrder(const std::vector<std::string>& ordered_task_ids,
                          const std::function<bool(const std::string&)>& runs, const UpdateBook& book);

// After the runner took a kill order: report KILLING (the grace period is
// running; discovery drops the endpoint at once), unless the task's end is
// already waiting to be reported.
bool ReportKilling(const UpdateBook& book, const std::string& task_id);

}  // namespace regatta::agent

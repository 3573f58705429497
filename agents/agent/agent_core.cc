#include "agents/agent/agent_core.h"

namespace regatta::agent {

bool UpdateBook::Queue(domain::StatusUpdate update) {
  if (!domain::IsTerminal(update.state) && PendingEnd(update.task_id)) return false;
  const std::string task = update.task_id;
  updates_[task] = Pending{std::move(update), ++next_sequence_, false};
  return true;
}

bool UpdateBook::PendingEnd(const std::string& task_id) const {
  auto it = updates_.find(task_id);
  return it != updates_.end() && domain::IsTerminal(it->second.update.state);
}

std::vector<domain::StatusUpdate> UpdateBook::TakeToSend(const std::string& agent_id, std::size_t max,
                                                         std::vector<Sent>& sent) {
  std::vector<domain::StatusUpdate> out;
  for (auto& [task, pending] : updates_) {
    if (pending.in_flight) continue;
    if (out.size() == max) break;
    pending.in_flight = true;
    sent.push_back({task, pending.sequence});
    out.push_back(pending.update);
    out.back().agent_id = agent_id;
  }
  return out;
}

std::vector<std::string> UpdateBook::Answered(const std::vector<Sent>& sent, bool acknowledged) {
  std::vector<std::string> ended;
  for (const Sent& s : sent) {
    auto it = updates_.find(s.task_id);
    // Replaced meanwhile: the newer update has its own request.
    if (it == updates_.end() || it->second.sequence != s.sequence) continue;
    it->second.in_flight = false;
    if (!acknowledged) continue;
    if (domain::IsTerminal(it->second.update.state)) ended.push_back(s.task_id);
    updates_.erase(it);
  }
  return ended;
}

RunOrderPlan PlanRunOrder(const std::vector<std::string>& ordered, const std::function<bool(const std::string&)>& runs,
                          const UpdateBook& book) {
  RunOrderPlan plan;
  for (std::size_t i = 0; i < ordered.size(); ++i) {
    if (!runs(ordered[i])) {
      plan.launch.push_back(i);
    } else if (!book.PendingEnd(ordered[i])) {
      plan.still_running.push_back(ordered[i]);
    }
  }
  return plan;
}

bool ReportKilling(const UpdateBook& book, const std::string& task_id) { return !book.PendingEnd(task_id); }

}  // namespace regatta::agent

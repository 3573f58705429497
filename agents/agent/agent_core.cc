#include "agents/agent/agent_core.h"

namespace regatta::agent {

bool UpdateBook::Queue(domain::StatusUpdate update) {
  if (!domain::IsTerminal(update.state) && PendingEnd(update.task_id)) return false;
  updates_.Put(std::move(update));
  return true;
}

bool UpdateBook::PendingEnd(const std::string& task_id) const {
  const domain::StatusUpdate* pending = updates_.Find(task_id);
  return pending != nullptr && domain::IsTerminal(pending->state);
}

std::vector<domain::StatusUpdate> UpdateBook::TakeToSend(const std::string& agent_id, std::size_t max,
                                                         std::vector<Sent>& sent) {
  return updates_.TakeToSend(agent_id, max, sent);
}

std::vector<std::string> UpdateBook::Answered(const std::vector<Sent>& sent, bool acknowledged) {
  std::vector<std::string> ended;
  for (const domain::StatusUpdate& done : updates_.Answered(sent, acknowledged)) {
    if (domain::IsTerminal(done.state)) ended.push_back(done.task_id);
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

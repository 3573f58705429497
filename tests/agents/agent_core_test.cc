// The agent's rules, given / when / then, with no actor and no process.
#include "agents/agent/agent_core.h"

#include <gtest/gtest.h>

#include <set>

namespace regatta::agent {
namespace {

using domain::StatusUpdate;
using domain::TaskState;

StatusUpdate Update(const std::string& task, TaskState state) { return StatusUpdate{task, "", state, "", "", 0}; }

std::vector<std::pair<std::string, TaskState>> Send(UpdateBook& book, std::vector<UpdateBook::Sent>& sent) {
  std::vector<std::pair<std::string, TaskState>> out;
  for (const StatusUpdate& u : book.TakeToSend("agent-1", 100, sent)) {
    EXPECT_EQ(u.agent_id, "agent-1");
    out.emplace_back(u.task_id, u.state);
  }
  return out;
}

TEST(UpdateBook, TheNewestStateOfATaskIsWhatGoesOut) {
  UpdateBook book;
  book.Queue(Update("t1", TaskState::STARTING));
  book.Queue(Update("t1", TaskState::RUNNING));
  std::vector<UpdateBook::Sent> sent;
  EXPECT_EQ(Send(book, sent), (std::vector<std::pair<std::string, TaskState>>{{"t1", TaskState::RUNNING}}));
}

TEST(UpdateBook, AnEndNotYetAcknowledgedIsNeverReplacedByALiveState) {
  UpdateBook book;
  book.Queue(Update("t1", TaskState::FINISHED));
  EXPECT_FALSE(book.Queue(Update("t1", TaskState::RUNNING)));
  EXPECT_FALSE(book.Queue(Update("t1", TaskState::KILLING)));
  EXPECT_TRUE(book.PendingEnd("t1"));
  EXPECT_TRUE(book.Queue(Update("t1", TaskState::KILLED)));  // a later end may replace it
  std::vector<UpdateBook::Sent> sent;
  EXPECT_EQ(Send(book, sent), (std::vector<std::pair<std::string, TaskState>>{{"t1", TaskState::KILLED}}));
}

TEST(UpdateBook, AnAcknowledgedEndLetsTheRunnerForgetTheTask) {
  UpdateBook book;
  book.Queue(Update("t1", TaskState::RUNNING));
  book.Queue(Update("t2", TaskState::FAILED));
  std::vector<UpdateBook::Sent> sent;
  Send(book, sent);
  EXPECT_EQ(book.Answered(sent, true), std::vector<std::string>{"t2"});
  EXPECT_TRUE(book.empty());
}

TEST(UpdateBook, AnUnansweredRequestIsSentAgain) {
  UpdateBook book;
  book.Queue(Update("t1", TaskState::RUNNING));
  std::vector<UpdateBook::Sent> first;
  ASSERT_EQ(Send(book, first).size(), 1u);
  std::vector<UpdateBook::Sent> while_in_flight;
  EXPECT_TRUE(Send(book, while_in_flight).empty());  // one request at a time per update
  EXPECT_TRUE(book.Answered(first, false).empty());
  std::vector<UpdateBook::Sent> again;
  EXPECT_EQ(Send(book, again).size(), 1u);
}

TEST(UpdateBook, AnUpdateReplacedInFlightStaysWhenTheOldAnswerComes) {
  UpdateBook book;
  book.Queue(Update("t1", TaskState::STARTING));
  std::vector<UpdateBook::Sent> sent;
  Send(book, sent);
  book.Queue(Update("t1", TaskState::RUNNING));  // newer, while STARTING is on its way
  book.Answered(sent, true);
  std::vector<UpdateBook::Sent> next;
  EXPECT_EQ(Send(book, next), (std::vector<std::pair<std::string, TaskState>>{{"t1", TaskState::RUNNING}}));
}

TEST(UpdateBook, OneRequestCarriesAtMostTheLimit) {
  UpdateBook book;
  for (int i = 0; i < 5; ++i) book.Queue(Update("t" + std::to_string(i), TaskState::RUNNING));
  std::vector<UpdateBook::Sent> sent;
  EXPECT_EQ(book.TakeToSend("agent-1", 3, sent).size(), 3u);
  EXPECT_EQ(book.TakeToSend("agent-1", 3, sent).size(), 2u);
}

TEST(PlanRunOrder, LaunchesWhatItDoesNotRunAndAnswersARepeatedOrderWithRunning) {
  UpdateBook book;
  book.Queue(Update("ended", TaskState::FAILED));
  const std::set<std::string> running = {"old", "ended"};
  const RunOrderPlan plan =
      PlanRunOrder({"new1", "old", "ended", "new2"}, [&](const std::string& t) { return running.count(t) > 0; }, book);
  EXPECT_EQ(plan.launch, (std::vector<std::size_t>{0, 3}));
  // "ended" runs in the runner's eyes but its end is owed to the master.
  EXPECT_EQ(plan.still_running, std::vector<std::string>{"old"});
}

TEST(ReportKilling, UnlessTheEndIsAlreadyOwed) {
  UpdateBook book;
  EXPECT_TRUE(ReportKilling(book, "t1"));
  book.Queue(Update("t1", TaskState::KILLED));
  EXPECT_FALSE(ReportKilling(book, "t1"));
}

}  // namespace
}  // namespace regatta::agent

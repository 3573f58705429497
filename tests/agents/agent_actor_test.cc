// The agent actor against a stand-in master in the same actor system (the
// agent is the unit under test; the real master is covered by the cluster
// tests). Given a registered agent whose runner has a launch phase, when the
// master orders a task, orders it again, and kills it, then the agent reports
// STARTING then RUNNING, answers the repeated order with RUNNING rather than
// a second launch (or FAILED), and reports KILLING then KILLED.
#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include <capnp/message.h>

#include "actors/protocol/node_config.h"
#include "agents/agent/agent_spawn.h"
#include "agents/containerizer/simulated_runner.h"
#include "projections/scheduling.h"

namespace regatta::schema {
// Readable failures: TASK_RUNNING, not "2-byte object <02-00>".
inline void PrintTo(TaskState state, std::ostream* out) { *out << domain::TaskStateName(state); }
}  // namespace regatta::schema

namespace regatta::agent {
namespace {

using protocol::Wire;
using schema::TaskState;

// What the stand-in master heard, readable from the test's thread.
struct Heard {
  std::mutex mu;
  bool registered = false;
  std::vector<std::pair<std::string, TaskState>> updates;  // in arrival order

  std::vector<TaskState> StatesOf(const std::string& task) {
    std::lock_guard lock(mu);
    std::vector<TaskState> out;
    for (const auto& [id, state] : updates) {
      if (id == task) out.push_back(state);
    }
    return out;
  }
};

protocol::master_actor::behavior_type StandIn(std::shared_ptr<Heard> heard) {
  return {
      [=](protocol::agent_atom, protocol::agent_actor, Wire wire) -> Wire {
        auto message = protocol::Received<protocol::AgentMessage>::Read(wire.bytes, "agent message");
        if (!message.ok()) return Wire{protocol::FailureReply(message.status())};
        auto root = message->root();
        std::lock_guard lock(heard->mu);
        if (root.isRegisterAgent()) {
          heard->registered = true;
          return Wire{protocol::RegisteredReply("agent-1")};
        }
        if (root.isStatusUpdates()) {
          for (auto update : root.getStatusUpdates()) {
            const domain::StatusUpdate command = protocol::ToCommand(update);
            heard->updates.emplace_back(command.task_id, command.state);
          }
        }
        return Wire{protocol::AcknowledgedReply()};
      },
      [=](protocol::client_atom, Wire) -> Wire { return Wire{protocol::AcknowledgedReply()}; },
      [=](protocol::launch_atom, Wire) -> Wire { return Wire{protocol::AcknowledgedReply()}; },
      [=](protocol::flush_atom) {},
      [=](protocol::tick_atom) {},
  };
}

// A simulated runner that reports a launch phase, as the process
// containerizer does.
class LaunchingRunner final : public TaskRunner {
 public:
  Status Launch(const LaunchSpec& spec) override { return inner_.Launch(spec); }
  bool HasStartingPhase() const override { return true; }
  Status Kill(const std::string& task_id, Clock::time_point now,
              std::optional<std::chrono::milliseconds> grace) override {
    return inner_.Kill(task_id, now, grace);
  }
  std::vector<TaskExit> Poll(Clock::time_point now) override { return inner_.Poll(now); }
  Status Acknowledge(const std::string& task_id) override { return inner_.Acknowledge(task_id); }
  std::vector<std::string> Running() const override { return inner_.Running(); }
  bool Runs(const std::string& task_id) const override { return inner_.Runs(task_id); }

 private:
  SimulatedRunner inner_;
};

Wire RunOrder(const std::string& task_id) {
  capnp::MallocMessageBuilder task_message;
  auto task = task_message.initRoot<schema::TaskLaunched>();
  task.setTaskId(task_id);
  task.setAppId("/web");
  task.setAgentId("agent-1");
  capnp::MallocMessageBuilder spec_message;
  auto spec = spec_message.initRoot<schema::AppSpec>();
  spec.setId("/web");
  spec.setCmd("sleep 1000");
  return Wire{protocol::RunTasksMessage({{task.asReader(), spec.asReader()}})};
}

template <class Predicate>
bool Eventually(Predicate done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

TEST(AgentActor, ReportsStartingRunningAnswersARepeatedOrderAndReportsKilling) {
  caf::actor_system_config cfg;
  protocol::ConfigureNode(cfg);
  caf::actor_system system{cfg};
  auto heard = std::make_shared<Heard>();
  auto master = system.spawn([heard](protocol::master_actor::pointer, int) { return StandIn(heard); }, 0);
  AgentOptions options;
  options.hostname = "a1";
  options.persist_id = false;
  options.quiet = true;
  options.heartbeat_interval = std::chrono::milliseconds(20);
  options.resources = {domain::Quantity::FromDouble(4), domain::Quantity::FromDouble(4096), {}, {}};
  auto agent = SpawnAgent(system, options, std::make_unique<LaunchingRunner>(), {}, master);
  ASSERT_TRUE(Eventually([&] {
    std::lock_guard lock(heard->mu);
    return heard->registered;
  }));

  caf::anon_send(agent, protocol::master_atom::value, RunOrder("t1"));
  ASSERT_TRUE(Eventually([&] { return heard->StatesOf("t1").size() >= 2; }));
  EXPECT_EQ(heard->StatesOf("t1"), (std::vector<TaskState>{TaskState::STARTING, TaskState::RUNNING}));

  caf::anon_send(agent, protocol::master_atom::value, RunOrder("t1"));  // the same order again
  ASSERT_TRUE(Eventually([&] { return heard->StatesOf("t1").size() >= 3; }));
  EXPECT_EQ(heard->StatesOf("t1").back(), TaskState::RUNNING) << "a repeated order is answered, not relaunched";

  caf::anon_send(agent, protocol::master_atom::value, Wire{protocol::KillTaskMessage("t1", 5)});
  ASSERT_TRUE(Eventually([&] { return heard->StatesOf("t1").size() >= 5; }));
  EXPECT_EQ(heard->StatesOf("t1"), (std::vector<TaskState>{TaskState::STARTING, TaskState::RUNNING, TaskState::RUNNING,
                                                           TaskState::KILLING, TaskState::KILLED}));

  caf::anon_send_exit(agent, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(master, caf::exit_reason::user_shutdown);
  agent = nullptr;  // the system's destructor waits for detached actors' handles
  master = nullptr;
}

}  // namespace
}  // namespace regatta::agent

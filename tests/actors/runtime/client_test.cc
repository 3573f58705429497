// Given a stand-in master (in its own process, over CAF's middleman on TCP)
// that leaves the first N pings unanswered, when the CLI's client sends a
// command, then it sends the command once, only after a ping came back, and
// each ping that went unanswered was followed by one from a new process
// (a new CAF node). The stand-in is the client's peer, not the thing under
// test; the real master's answers to a ping are covered by cli.end_to_end.
#include "actors/runtime/client.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <caf/io/all.hpp>
#include <capnp/message.h>

#include "actors/protocol/node_config.h"
#include "actors/protocol/wire.h"
#include "tests/support/temp_dir.h"

namespace regatta::runtime {
namespace {

using protocol::Wire;

struct StandInState {
  int unanswered_pings = 0;
  std::string journal;  // one line per request: "ping NODE" or "command NODE"
  std::vector<caf::typed_response_promise<Wire>> held;  // never delivered
};

using StandIn = protocol::master_actor::stateful_pointer<StandInState>;

void Note(StandIn self, const std::string& what) {
  std::ofstream(self->state.journal, std::ios::app)
      << what << " " << caf::to_string(self->current_sender() ? self->current_sender()->node() : caf::node_id{})
      << std::endl;
}

protocol::master_actor::behavior_type StandInBehavior(StandIn self) {
  return {
      [=](protocol::agent_atom, protocol::agent_actor, Wire) -> caf::result<Wire> { return Wire{}; },
      [=](protocol::client_atom, Wire wire) -> caf::result<Wire> {
        auto message = protocol::Received<protocol::ClientMessage>::Read(wire.bytes, "client message");
        if (!message.ok()) return Wire{protocol::FailureReply(message.status())};
        if (!message->root().isPing()) {
          Note(self, "command");
          return Wire{protocol::AcknowledgedReply()};
        }
        Note(self, "ping");
        if (self->state.unanswered_pings-- > 0) {
          auto promise = self->make_response_promise<Wire>();
          self->state.held.push_back(promise);
          return promise;
        }
        return Wire{protocol::AcknowledgedReply()};
      },
      [=](protocol::launch_atom, Wire) -> caf::result<Wire> { return Wire{}; },
      [=](protocol::flush_atom) {},
      [=](protocol::tick_atom) {},
  };
}

// Runs the stand-in in a child process (this one must stay free of threads:
// SendToMaster forks) and returns its pid; its port is written to `port`.
pid_t StartStandIn(int unanswered_pings, const std::string& journal, std::uint16_t& port) {
  int fds[2];
  if (::pipe(fds) != 0) return -1;
  const pid_t child = ::fork();
  if (child != 0) {
    ::close(fds[1]);
    if (::read(fds[0], &port, sizeof port) != sizeof port) port = 0;
    ::close(fds[0]);
    return child;
  }
  ::close(fds[0]);
  caf::actor_system_config cfg;
  protocol::ConfigureNode(cfg);
  caf::actor_system system{cfg};
  auto stand_in = system.spawn(
      [unanswered_pings, journal](StandIn self, int) {
        self->state.unanswered_pings = unanswered_pings;
        self->state.journal = journal;
        return StandInBehavior(self);
      },
      0);
  auto published = system.middleman().publish(stand_in, 0, "127.0.0.1");
  const std::uint16_t bound = published ? *published : 0;
  if (::write(fds[1], &bound, sizeof bound) != sizeof bound) ::_exit(1);
  ::pause();  // until the test kills it
  ::_exit(0);
}

protocol::Bytes ScaleCommand() {
  capnp::MallocMessageBuilder message;
  auto scale = message.initRoot<protocol::ClientMessage>().initScaleApp();
  scale.setAppId("/web");
  scale.setInstances(3);
  return protocol::Flatten(message);
}

struct Journal {
  std::vector<std::string> kinds;  // in arrival order
  std::vector<std::string> nodes;
};

Journal ReadJournal(const std::string& path) {
  Journal j;
  std::ifstream in(path);
  for (std::string kind, node; in >> kind >> node;) {
    j.kinds.push_back(kind);
    j.nodes.push_back(node);
  }
  return j;
}

class ClientTest : public ::testing::Test {
 protected:
  void Start(int unanswered_pings) {
    stand_in_ = StartStandIn(unanswered_pings, journal_, port_);
    ASSERT_GT(stand_in_, 0);
    ASSERT_NE(port_, 0) << "the stand-in master did not publish";
  }
  void TearDown() override {
    if (stand_in_ > 0) {
      ::kill(stand_in_, SIGKILL);
      ::waitpid(stand_in_, nullptr, 0);
    }
  }
  static ClientOptions Quick() {
    ClientOptions o;
    o.ping_timeouts = {std::chrono::milliseconds(300), std::chrono::milliseconds(300), std::chrono::milliseconds(300)};
    o.reply_timeout = std::chrono::seconds(10);
    return o;
  }

  testing::TempDir dir_;
  std::string journal_ = dir_.path() + "/journal";
  pid_t stand_in_ = -1;
  std::uint16_t port_ = 0;
};

TEST_F(ClientTest, AnsweredPingThenTheCommandOnce) {
  Start(0);
  ASSERT_TRUE(SendToMaster("127.0.0.1", port_, ScaleCommand(), Quick()).ok());
  const Journal j = ReadJournal(journal_);
  EXPECT_EQ(j.kinds, (std::vector<std::string>{"ping", "command"}));
  ASSERT_EQ(j.nodes.size(), 2u);
  EXPECT_EQ(j.nodes[0], j.nodes[1]);  // over the route the ping proved
}

TEST_F(ClientTest, UnansweredPingsAreRetriedFromNewProcessesAndTheCommandGoesOnce) {
  Start(2);
  const Status sent = SendToMaster("127.0.0.1", port_, ScaleCommand(), Quick());
  ASSERT_TRUE(sent.ok()) << sent.ToString();
  const Journal j = ReadJournal(journal_);
  EXPECT_EQ(j.kinds, (std::vector<std::string>{"ping", "ping", "ping", "command"}));
  ASSERT_EQ(j.nodes.size(), 4u);
  EXPECT_EQ(std::set<std::string>(j.nodes.begin(), j.nodes.begin() + 3).size(), 3u) << "a new node per attempt";
  EXPECT_EQ(j.nodes[3], j.nodes[2]);
}

TEST_F(ClientTest, WhenNoPingIsAnsweredTheCommandIsNeverSent) {
  Start(100);
  const Status sent = SendToMaster("127.0.0.1", port_, ScaleCommand(), Quick());
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.code(), StatusCode::kUnavailable);
  EXPECT_NE(sent.message().find("the command was not sent"), std::string::npos) << sent.message();
  EXPECT_EQ(ReadJournal(journal_).kinds, (std::vector<std::string>{"ping", "ping", "ping"}));
}

TEST_F(ClientTest, NoMasterListeningIsUnavailableAtOnce) {
  Start(0);
  ::kill(stand_in_, SIGKILL);
  ::waitpid(stand_in_, nullptr, 0);
  stand_in_ = -1;
  const Status sent = SendToMaster("127.0.0.1", port_, ScaleCommand(), Quick());
  ASSERT_FALSE(sent.ok());
  EXPECT_NE(sent.message().find("cannot reach the master"), std::string::npos) << sent.message();
}

}  // namespace
}  // namespace regatta::runtime

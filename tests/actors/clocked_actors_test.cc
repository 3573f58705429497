// The actors against a clock the test holds, as Mesos' tests pause and
// advance theirs: each behaviour that waits for time is driven by moving a
// ManualClock and sending the tick, never by sleeping. The log is a real
// memory log; the actors' peers are stand-ins that record what they hear.
//   master:    an agent silent past the heartbeat timeout becomes unreachable;
//   allocator: a declined agent is offered again once the refuse filter ends;
//   framework: a failed app relaunches only after its backoff delay.
#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include <capnp/message.h>

#include "actors/allocator/allocator_actor.h"
#include "actors/frameworks/framework_actor.h"
#include "actors/master/master_spawn.h"
#include "actors/protocol/node_config.h"
#include "actors/protocol/offer_codec.h"
#include "events/codec.h"
#include "events/memory_log.h"
#include "tests/support/sample_events.h"
#include "tests/support/temp_dir.h"

namespace regatta {
namespace {

using protocol::Wire;
using namespace std::chrono_literals;
namespace t = regatta::testing;

// Waits (in real time, up to 10 s) for something the test knows will happen.
template <class Predicate>
bool Eventually(Predicate done) {
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(2ms);
  }
  return true;
}

// The projections a peer of the master starts from: these events folded.
projections::ProjectionSet Folded(const std::vector<EncodedEvent>& events) {
  projections::ProjectionSet set;
  EventDecoder decoder;
  Revision revision = 0;
  for (const EncodedEvent& e : events) {
    auto event = decoder.Decode(LoggedEvent{revision++, e.bytes});
    EXPECT_TRUE(event.ok());
    EXPECT_TRUE(set.Apply(*event).ok());
  }
  return set;
}

protocol::master_actor::behavior_type StandInMaster() {
  return {
      [](protocol::agent_atom, protocol::agent_actor, Wire) { return Wire{protocol::AcknowledgedReply()}; },
      [](protocol::client_atom, Wire) { return Wire{protocol::AcknowledgedReply()}; },
      [](protocol::launch_atom, Wire) { return Wire{protocol::AcknowledgedReply()}; },
      [](protocol::flush_atom) {},
      [](protocol::tick_atom) {},
  };
}

class ClockedActors : public ::testing::Test {
 protected:
  ClockedActors() : system_(Config()) {}
  ~ClockedActors() override {
    for (auto& actor : actors_) caf::anon_send_exit(actor, caf::exit_reason::user_shutdown);
    actors_.clear();  // the system's destructor waits for detached actors' handles
  }

  static caf::actor_system_config& Config() {
    static caf::actor_system_config cfg;
    static bool configured = false;
    if (!configured) {
      protocol::ConfigureNode(cfg);
      configured = true;
    }
    return cfg;
  }

  template <class Handle>
  Handle Keep(Handle h) {
    actors_.push_back(caf::actor_cast<caf::actor>(h));
    return h;
  }

  std::shared_ptr<ManualClock> clock_ = std::make_shared<ManualClock>();
  caf::actor_system system_;
  std::vector<caf::actor> actors_;
};

// ------------------------------------------------------------ master

class MasterHeartbeats : public ClockedActors {
 protected:
  void SetUp() override {
    store_ = std::make_shared<MemoryLogStore>();
    auto log = MemoryEventLog::Open(store_, LogMode::kWriter);
    ASSERT_TRUE(log.ok());
    master::MasterOptions options;
    options.snapshot_dir = dir_.Sub("snapshots");
    options.clock = clock_;
    options.tick_period = 0ms;  // the test sends the ticks
    options.heartbeat_timeout = 5s;
    options.log_registrations = false;
    auto master = master::SpawnMaster(system_, options, std::shared_ptr<EventLog>(std::move(*log)));
    ASSERT_TRUE(master.ok()) << master.status().ToString();
    master_ = Keep(*master);
    // An agent that registers once and then never sends a heartbeat.
    auto agent = Keep(system_.spawn(
        [](protocol::agent_actor::pointer, int) -> protocol::agent_actor::behavior_type {
          return {[](protocol::master_atom, Wire) {}, [](protocol::tick_atom) {}, [](protocol::check_atom) {},
                  [](protocol::probed_atom, std::string, std::uint32_t, bool, bool, std::int32_t, std::string) {}};
        },
        0));
    domain::RegisterAgent command;
    command.hostname = "n1";
    command.resources = {domain::Quantity::FromDouble(2), domain::Quantity::FromDouble(1024), {}, {}};
    caf::scoped_actor self{system_};
    self->request(master_, caf::infinite, protocol::agent_atom::value, agent,
                  Wire{protocol::RegisterAgentMessage(command)})
        .receive([&](Wire& reply) { registered_ = !reply.bytes.empty(); },
                 [&](caf::error& e) { ADD_FAILURE() << system_.render(e); });
  }

  // Moves the clock on, then ticks the master and waits until it has
  // handled the tick (a ping behind it in the same mailbox comes back).
  void TickAfter(double seconds) {
    clock_->AdvanceSeconds(seconds);
    caf::scoped_actor self{system_};
    self->send(master_, protocol::tick_atom::value);
    capnp::MallocMessageBuilder ping;
    ping.initRoot<protocol::ClientMessage>().setPing();
    self->request(master_, caf::infinite, protocol::client_atom::value, Wire{protocol::Flatten(ping)})
        .receive([](Wire&) {}, [&](caf::error& e) { ADD_FAILURE() << system_.render(e); });
  }

  int Unreachable() {
    std::lock_guard lock(store_->mu);
    int n = 0;
    EventDecoder decoder;
    for (const std::string& bytes : store_->events) {
      auto event = decoder.Decode(LoggedEvent{0, bytes});
      if (event.ok() && event->envelope.getEvent().isAgentUnreachable()) ++n;
    }
    return n;
  }

  testing::TempDir dir_;
  std::shared_ptr<MemoryLogStore> store_;
  protocol::master_actor master_;
  bool registered_ = false;
};

TEST_F(MasterHeartbeats, AnAgentSilentPastTheTimeoutBecomesUnreachable) {
  ASSERT_TRUE(registered_);
  TickAfter(2);
  TickAfter(2);
  EXPECT_EQ(Unreachable(), 0) << "4 s of silence, 5 s allowed";
  TickAfter(2);
  EXPECT_EQ(Unreachable(), 1) << "6 s of silence";
  TickAfter(2);
  EXPECT_EQ(Unreachable(), 1) << "recorded once";
}

TEST_F(MasterHeartbeats, ATickThatComesLateJudgesNobody) {
  ASSERT_TRUE(registered_);
  TickAfter(10);  // the master could not read its mailbox for 10 s
  EXPECT_EQ(Unreachable(), 0);
  TickAfter(0.1);  // on time again, and the agent is still silent
  EXPECT_EQ(Unreachable(), 1);
}

// ------------------------------------------------------------ allocator

struct OffersHeard {
  std::mutex mu;
  std::vector<domain::NamedOffer> offers;
  std::size_t size() {
    std::lock_guard lock(mu);
    return offers.size();
  }
};

TEST_F(ClockedActors, ADeclinedAgentIsOfferedAgainOnceTheRefuseFilterEnds) {
  auto heard = std::make_shared<OffersHeard>();
  auto framework = Keep(system_.spawn(
      [heard](protocol::framework_actor::pointer, int) -> protocol::framework_actor::behavior_type {
        return {
            [](protocol::events_atom, const CommittedBatchPtr&) {},
            [heard](protocol::offers_atom, Wire wire) {
              auto message = protocol::Received<protocol::OfferEvent>::Read(wire.bytes, "offers");
              if (!message.ok() || !message->root().isOffers()) return;
              std::lock_guard lock(heard->mu);
              for (auto& o : protocol::ToOffers(message->root().getOffers(), "f1")) heard->offers.push_back(o);
            },
            [](protocol::tick_atom) {},
        };
      },
      0));
  auto master = Keep(system_.spawn([](protocol::master_actor::pointer, int) { return StandInMaster(); }, 0));
  allocator::AllocatorOptions options;
  options.clock = clock_;
  options.interval = 0ms;  // no cycles by itself: the test sends them
  auto allocator = Keep(allocator::SpawnAllocator(
      system_, master, Folded({t::AgentRegistered("a1", 4, 4096), t::FrameworkRegistered("f1", "*")}), options));
  caf::scoped_actor self{system_};
  self->send(allocator, protocol::call_atom::value, framework, Wire{protocol::SubscribeCall("f1", "*")});
  self->send(allocator, protocol::session_atom::value, Wire{protocol::AgentSessionMessage("a1", true)});
  ASSERT_TRUE(Eventually([&] { return heard->size() == 1; }));
  const std::string first = heard->offers[0].offer_id;
  auto stats = [&] {
    std::uint64_t offers = 0;
    self->request(allocator, caf::infinite, protocol::stats_atom::value)
        .receive([&](std::uint64_t, std::uint64_t made) { offers = made; },
                 [&](caf::error& e) { ADD_FAILURE() << system_.render(e); });
    return offers;
  };
  self->send(allocator, protocol::call_atom::value, framework, Wire{protocol::DeclineCall("f1", {first}, 5.0)});
  EXPECT_EQ(stats(), 1u);  // the decline is in, at the clock's time now

  // Runs a cycle now and answers how many offers were made so far.
  auto cycle = [&] {
    self->send(allocator, protocol::cycle_atom::value);
    return stats();
  };
  clock_->AdvanceSeconds(4);
  EXPECT_EQ(cycle(), 1u) << "the filter holds for 5 s";
  clock_->AdvanceSeconds(1.5);
  EXPECT_EQ(cycle(), 2u) << "the filter ended";
  ASSERT_TRUE(Eventually([&] { return heard->size() == 2; }));
  EXPECT_EQ(heard->offers[1].offer.agent_id, "a1");
}

// ------------------------------------------------------------ framework

struct CallsHeard {
  std::mutex mu;
  std::vector<protocol::FrameworkCall::Which> calls;
  bool Has(protocol::FrameworkCall::Which which, std::size_t from = 0) {
    std::lock_guard lock(mu);
    for (std::size_t i = from; i < calls.size(); ++i) {
      if (calls[i] == which) return true;
    }
    return false;
  }
  std::size_t size() {
    std::lock_guard lock(mu);
    return calls.size();
  }
};

// An allocator that records every call a framework makes.
protocol::allocator_actor RecordingAllocator(caf::actor_system& system, std::shared_ptr<CallsHeard> heard) {
  return system.spawn(
      [heard](protocol::allocator_actor::pointer, int) -> protocol::allocator_actor::behavior_type {
        return {
            [](protocol::events_atom, const CommittedBatchPtr&) {},
            [](protocol::session_atom, Wire) {},
            [heard](protocol::call_atom, protocol::framework_actor, Wire wire) {
              auto call = protocol::Received<protocol::FrameworkCall>::Read(wire.bytes, "call");
              if (!call.ok()) return;
              std::lock_guard lock(heard->mu);
              heard->calls.push_back(call->root().which());
            },
            [](protocol::cycle_atom) {},
            [](protocol::tick_atom) {},
            [](protocol::stats_atom) -> caf::result<std::uint64_t, std::uint64_t> { return {0, 0}; },
        };
      },
      0);
}

// A services framework whose one app, /web, wants one instance on agent a1;
// its allocator records the framework's calls.
class FrameworkBackoff : public ClockedActors {
 protected:
  protocol::framework_actor ServicesFrameworkOfOneApp(std::shared_ptr<CallsHeard> heard) {
    auto allocator = Keep(RecordingAllocator(system_, std::move(heard)));
    auto master = Keep(system_.spawn([](protocol::master_actor::pointer, int) { return StandInMaster(); }, 0));
    const std::vector<EncodedEvent> given = {t::AgentRegistered("a1", 4, 4096),
                                             t::FrameworkRegistered("services", "*"), t::AppDefined("/web", 1, "v1")};
    frameworks::FrameworkConfig config;
    config.framework_id = "services";
    config.clock = clock_;
    config.tick_period = 0ms;
    return Keep(frameworks::SpawnFramework(system_, config, master, allocator, Folded(given)));
  }
};

TEST_F(FrameworkBackoff, AFailedAppRelaunchesOnlyAfterItsBackoffDelay) {
  auto heard = std::make_shared<CallsHeard>();
  auto framework = ServicesFrameworkOfOneApp(heard);

  // Its one task failed just now: Marathon's first backoff is 1 s.
  const std::int64_t failed_at = clock_->NowNanos();
  CommittedBatchPtr failure = CommittedBatch::Make(
      std::vector<EncodedEvent>{t::TaskLaunched("web.1", "/web", "a1", 0.1, 32, 0, failed_at - 1),
                                t::TaskStatus("web.1", schema::TaskState::FAILED, failed_at)},
      {3, 4});
  caf::anon_send(framework, protocol::events_atom::value, failure);
  auto offer = [&](const std::string& id) {
    const std::size_t before = heard->size();
    const domain::NamedOffer made{id, {"services", "a1", {domain::Quantity::FromDouble(4),
                                                          domain::Quantity::FromDouble(4096), {}, {}},
                                        {{31000, 31010}}}};
    caf::anon_send(framework, protocol::offers_atom::value, Wire{protocol::OffersMessage({made}, 5)});
    return before;
  };

  clock_->AdvanceSeconds(0.5);
  std::size_t from = offer("offer-1");
  ASSERT_TRUE(Eventually([&] { return heard->Has(protocol::FrameworkCall::DECLINE, from); }));
  EXPECT_FALSE(heard->Has(protocol::FrameworkCall::ACCEPT)) << "0.5 s into a 1 s backoff";

  clock_->AdvanceSeconds(1);
  from = offer("offer-2");
  ASSERT_TRUE(Eventually([&] { return heard->Has(protocol::FrameworkCall::ACCEPT, from); }))
      << "1.5 s after the failure the app launches again";
}

TEST_F(FrameworkBackoff, AnOperatorsDelayResetLetsAFailedAppLaunchAtOnce) {
  auto heard = std::make_shared<CallsHeard>();
  auto framework = ServicesFrameworkOfOneApp(heard);
  const std::int64_t failed_at = clock_->NowNanos();
  caf::anon_send(framework, protocol::events_atom::value,
                 CommittedBatch::Make(
                     std::vector<EncodedEvent>{t::TaskLaunched("web.1", "/web", "a1", 0.1, 32, 0, failed_at - 1),
                                               t::TaskStatus("web.1", schema::TaskState::FAILED, failed_at),
                                               t::AppLaunchDelayReset("/web", failed_at)},
                     {3, 4, 5}));
  clock_->AdvanceSeconds(0.2);
  const std::size_t from = heard->size();
  const domain::NamedOffer made{"offer-1", {"services", "a1", {domain::Quantity::FromDouble(4),
                                                               domain::Quantity::FromDouble(4096), {}, {}},
                                             {{31000, 31010}}}};
  caf::anon_send(framework, protocol::offers_atom::value, Wire{protocol::OffersMessage({made}, 5)});
  ASSERT_TRUE(Eventually([&] { return heard->Has(protocol::FrameworkCall::ACCEPT, from); }))
      << "0.2 s after the failure, but the delay was reset";
}

}  // namespace
}  // namespace regatta

// Given the values an actor sends, when they are built into bytes and read
// back, then every field survives; given bytes that are not a message, then
// reading them reports corruption instead of crashing.
#include "actors/protocol/offer_codec.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "tests/support/sample_events.h"

namespace regatta::protocol {
namespace {

using domain::Quantity;
using domain::ResourceVector;
namespace t = regatta::testing;

// Awkward amounts on purpose: every field distinct and not a round number.
ResourceVector R(double cpus, double mem, double disk = 0, double gpus = 0) {
  return {Quantity::FromDouble(cpus), Quantity::FromDouble(mem), Quantity::FromDouble(disk),
          Quantity::FromDouble(gpus)};
}

// ------------------------------------------------------------ master -> allocator

Bytes RandomBytes(std::size_t size, std::uint32_t seed) {
  std::mt19937 rng(seed);
  Bytes bytes(size);
  for (auto& b : bytes) b = static_cast<std::uint8_t>(rng());
  return bytes;
}

TEST(OfferCodec, GarbageIsCorruptionNotACrash) {
  Bytes valid = OffersMessage({{"offer-1", {"services", "a1", R(1, 64), {{31000, 31001}}}}}, 1);
  Bytes truncated(valid.begin(), valid.end() - 8);
  Bytes one_more = valid;
  one_more.push_back(0);
  struct Case {
    std::string name;
    Bytes bytes;
  };
  std::vector<Case> cases = {
      {"empty", {}},
      {"one byte", {0x00}},
      {"odd length", Bytes(17, 0x00)},
      {"a valid message plus one byte", one_more},
      {"a valid message missing its last word", truncated},
      {"16 bytes of 0xff", Bytes(16, 0xff)},
  };
  for (std::uint32_t seed = 1; seed <= 64; ++seed) {
    cases.push_back({"16 random bytes, seed " + std::to_string(seed), RandomBytes(16, seed)});
    cases.push_back({"40 random bytes, seed " + std::to_string(seed), RandomBytes(40, seed)});
  }
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto message = Received<OfferEvent>::Read(c.bytes, "offers");
    ASSERT_FALSE(message.ok());
    EXPECT_EQ(message.status().code(), StatusCode::kCorruption) << message.status().ToString();
    EXPECT_NE(message.status().message().find("offers"), std::string::npos) << message.status().message();
  }
}

TEST(OfferCodec, AgentSessionKeepsTheAgentAndWhetherItIsConnected) {
  for (bool connected : {true, false}) {
    auto message = Received<AgentSession>::Read(AgentSessionMessage("agent-7", connected), "session");
    ASSERT_TRUE(message.ok()) << message.status().ToString();
    EXPECT_EQ(std::string(message->root().getAgentId()), "agent-7");
    EXPECT_EQ(message->root().getConnected(), connected);
  }
}

// ------------------------------------------------------------ allocator -> framework

TEST(OfferCodec, OffersKeepEveryResourcePortRangeAndTheRevision) {
  std::vector<domain::NamedOffer> made = {
      {"offer-1", {"services", "a1", R(1.5, 1000.25, 2000.5, 1), {{31000, 31099}, {32000, 32000}}}},
      {"offer-2", {"services", "a2", R(0.125, 64, 0, 0), {}}},
  };
  auto message = Received<OfferEvent>::Read(OffersMessage(made, 77), "offers");
  ASSERT_TRUE(message.ok()) << message.status().ToString();
  ASSERT_TRUE(message->root().isOffers());
  EXPECT_EQ(message->root().getRevision(), 77u);

  auto received = ToOffers(message->root().getOffers(), "jobs");  // the reader's own id
  ASSERT_EQ(received.size(), made.size());
  for (std::size_t i = 0; i < made.size(); ++i) {
    SCOPED_TRACE(made[i].offer_id);
    EXPECT_EQ(received[i].offer_id, made[i].offer_id);
    EXPECT_EQ(received[i].offer.framework_id, "jobs");
    EXPECT_EQ(received[i].offer.agent_id, made[i].offer.agent_id);
    EXPECT_EQ(received[i].offer.resources, made[i].offer.resources);
    EXPECT_EQ(received[i].offer.ports, made[i].offer.ports);
  }
}

TEST(OfferCodec, RescindedKeepsTheOfferIdsAndTheRevision) {
  auto message = Received<OfferEvent>::Read(RescindedMessage({"offer-3", "offer-9"}, 12), "rescinded");
  ASSERT_TRUE(message.ok()) << message.status().ToString();
  ASSERT_TRUE(message->root().isRescinded());
  EXPECT_EQ(message->root().getRevision(), 12u);
  std::vector<std::string> ids;
  for (auto id : message->root().getRescinded()) ids.emplace_back(id.cStr());
  EXPECT_EQ(ids, (std::vector<std::string>{"offer-3", "offer-9"}));
}

// ------------------------------------------------------------ framework -> allocator

Result<Received<FrameworkCall>> ReadCall(const Bytes& bytes) {
  return Received<FrameworkCall>::Read(bytes, "framework call");
}

TEST(OfferCodec, EachFrameworkCallKeepsItsKindAndFramework) {
  struct Case {
    Bytes bytes;
    FrameworkCall::Which kind;
  };
  const std::vector<Case> cases = {
      {SubscribeCall("jobs", "batch"), FrameworkCall::SUBSCRIBE},
      {DeclineCall("jobs", {"offer-1"}, 5), FrameworkCall::DECLINE},
      {ReviveCall("jobs"), FrameworkCall::REVIVE},
      {SuppressCall("jobs"), FrameworkCall::SUPPRESS},
      {AcceptCall("jobs", "offer-1", {}), FrameworkCall::ACCEPT},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(static_cast<int>(c.kind));
    auto call = ReadCall(c.bytes);
    ASSERT_TRUE(call.ok()) << call.status().ToString();
    EXPECT_EQ(call->root().which(), c.kind);
    EXPECT_EQ(std::string(call->root().getFrameworkId()), "jobs");
  }
  auto subscribe = ReadCall(SubscribeCall("jobs", "batch"));
  EXPECT_EQ(std::string(subscribe->root().getSubscribe()), "batch");
}

TEST(OfferCodec, DeclineKeepsTheOfferIdsAndTheRefuseSeconds) {
  struct Case {
    std::vector<std::string> offer_ids;
    double refuse_seconds;
  };
  const std::vector<Case> cases = {{{"offer-1"}, 5}, {{"offer-2", "offer-4"}, 0.25}, {{}, 0}};
  for (const Case& c : cases) {
    auto call = ReadCall(DeclineCall("services", c.offer_ids, c.refuse_seconds));
    ASSERT_TRUE(call.ok()) << call.status().ToString();
    auto decline = call->root().getDecline();
    std::vector<std::string> ids;
    for (auto id : decline.getOfferIds()) ids.emplace_back(id.cStr());
    EXPECT_EQ(ids, c.offer_ids);
    EXPECT_DOUBLE_EQ(decline.getRefuseSeconds(), c.refuse_seconds);
  }
}

// ------------------------------------------------------------ framework -> allocator -> master

void ExpectSameTask(const domain::TaskToLaunch& got, const domain::TaskToLaunch& want) {
  SCOPED_TRACE(want.task_id);
  EXPECT_EQ(got.task_id, want.task_id);
  EXPECT_EQ(got.app_id, want.app_id);
  EXPECT_EQ(got.app_version, want.app_version);
  EXPECT_EQ(got.resources, want.resources);
  EXPECT_EQ(got.host_ports, want.host_ports);
  EXPECT_EQ(got.labels, want.labels);
}

// The framework's accept crosses the allocator, which adds the offer it
// checked, and reaches the master as an AcceptOffer command.
TEST(OfferCodec, AnAcceptReachesTheMasterWithEveryField) {
  const std::vector<domain::TaskToLaunch> tasks = {
      {"t-1", "/web", "v3", R(0.25, 128.5, 10, 1), {31005, 31007}, {{"app", "/web"}, {"tier", "front"}}},
      {"t-2", "/batch/nightly", "v1", R(2, 64), {}, {}},
  };
  const domain::Offer offer{"services", "agent-3", R(3.5, 4096, 20000, 2), {{31000, 31099}, {32000, 32010}}};

  auto call = ReadCall(AcceptCall("services", "offer-8", tasks));
  ASSERT_TRUE(call.ok()) << call.status().ToString();
  ASSERT_TRUE(call->root().isAccept());
  EXPECT_EQ(std::string(call->root().getAccept().getOfferId()), "offer-8");

  auto launch = Received<Launch>::Read(LaunchMessage("services", offer, call->root().getAccept().getTasks()), "launch");
  ASSERT_TRUE(launch.ok()) << launch.status().ToString();
  domain::AcceptOffer command = ToCommand(launch->root());

  EXPECT_EQ(command.framework_id, "services");
  EXPECT_EQ(command.agent_id, "agent-3");
  EXPECT_EQ(command.offered, offer.resources);
  ASSERT_EQ(command.offered_ports.size(), offer.ports.size());
  for (std::size_t i = 0; i < offer.ports.size(); ++i) {
    EXPECT_EQ(command.offered_ports[i].begin, offer.ports[i].begin);
    EXPECT_EQ(command.offered_ports[i].end, offer.ports[i].end);
  }
  ASSERT_EQ(command.tasks.size(), tasks.size());
  for (std::size_t i = 0; i < tasks.size(); ++i) ExpectSameTask(command.tasks[i], tasks[i]);
}

TEST(OfferCodec, AnAcceptOfNoTasksStaysEmpty) {
  auto call = ReadCall(AcceptCall("jobs", "offer-1", {}));
  ASSERT_TRUE(call.ok());
  auto launch = Received<Launch>::Read(
      LaunchMessage("jobs", {"jobs", "a1", R(1, 32), {}}, call->root().getAccept().getTasks()), "launch");
  ASSERT_TRUE(launch.ok());
  domain::AcceptOffer command = ToCommand(launch->root());
  EXPECT_TRUE(command.tasks.empty());
  EXPECT_TRUE(command.offered_ports.empty());
  EXPECT_EQ(command.offered, R(1, 32));
}

}  // namespace
}  // namespace regatta::protocol

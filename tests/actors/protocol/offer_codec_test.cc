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

using projections::Quantity;
using projections::ResourceVector;
namespace t = regatta::testing;

// Awkward amounts on purpose: every field distinct and not a round number.
ResourceVector R(double cpus, double mem, double disk = 0, double gpus = 0) {
  return {Quantity::FromDouble(cpus), Quantity::FromDouble(mem), Quantity::FromDouble(disk),
          Quantity::FromDouble(gpus)};
}

// ------------------------------------------------------------ master -> subscribers

TEST(OfferCodec, AnEventBatchFoldsEveryEventWithItsRevisionInOrder) {
  const std::vector<EncodedEvent> events = {
      t::AgentRegistered("a1", 4, 4096, 11),
      t::TaskLaunched("t1", "/web", "a1", 0.5, 256, 31005, 12),
      t::TaskStatus("t1", schema::TaskState::FINISHED, 13),
  };
  // Revisions need not be dense (Kafka spends offsets on markers).
  const std::vector<Revision> revisions = {5, 9, 42};

  std::vector<std::string> seen;
  Status status = ForEachCommitted(EventBatchMessage(events, revisions), [&](const Event& e) {
    auto body = e.envelope.getEvent();
    std::string what = std::to_string(e.revision) + "@" + std::to_string(e.envelope.getTimeNanos()) + " ";
    if (body.isAgentRegistered()) what += "agent " + std::string(body.getAgentRegistered().getAgentId().cStr());
    if (body.isTaskLaunched()) {
      auto l = body.getTaskLaunched();
      what += "launched " + std::string(l.getTaskId().cStr()) + " port " + std::to_string(l.getHostPorts()[0]);
    }
    if (body.isTaskStatusChanged()) {
      what += "status " + std::to_string(static_cast<int>(body.getTaskStatusChanged().getState()));
    }
    seen.push_back(what);
  });

  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(seen, (std::vector<std::string>{
                      "5@11 agent a1",
                      "9@12 launched t1 port 31005",
                      "42@13 status " + std::to_string(static_cast<int>(schema::TaskState::FINISHED)),
                  }));
}

TEST(OfferCodec, AnEmptyEventBatchFoldsNothing) {
  int folded = 0;
  EXPECT_TRUE(ForEachCommitted(EventBatchMessage({}, {}), [&](const Event&) { ++folded; }).ok());
  EXPECT_EQ(folded, 0);
}

Bytes RandomBytes(std::size_t size, std::uint32_t seed) {
  std::mt19937 rng(seed);
  Bytes bytes(size);
  for (auto& b : bytes) b = static_cast<std::uint8_t>(rng());
  return bytes;
}

TEST(OfferCodec, GarbageIsCorruptionNotACrash) {
  Bytes valid = EventBatchMessage({t::TaskStatus("t1", schema::TaskState::RUNNING)}, {1});
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
      {"a valid batch plus one byte", one_more},
      {"a valid batch missing its last word", truncated},
      {"16 bytes of 0xff", Bytes(16, 0xff)},
  };
  for (std::uint32_t seed = 1; seed <= 64; ++seed) {
    cases.push_back({"16 random bytes, seed " + std::to_string(seed), RandomBytes(16, seed)});
    cases.push_back({"40 random bytes, seed " + std::to_string(seed), RandomBytes(40, seed)});
  }
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    int folded = 0;
    Status status = ForEachCommitted(c.bytes, [&](const Event&) { ++folded; });
    EXPECT_EQ(status.code(), StatusCode::kCorruption) << status.ToString();
    EXPECT_NE(status.message().find("event batch"), std::string::npos) << status.message();
    EXPECT_EQ(folded, 0);
  }
}

// A well-formed batch can still carry an envelope that is not one: the
// events before it are folded, then the corruption is reported.
TEST(OfferCodec, AGarbageEnvelopeInsideABatchIsCorruption) {
  const std::vector<std::string> bad_envelopes = {
      "", "odd", std::string(16, '\xff'),
      std::string("\x01\x00\x00\x00\x05\x00\x00\x00garbage!", 16),  // 2 segments, the first 5 words: too short
  };
  for (const std::string& bad : bad_envelopes) {
    SCOPED_TRACE("envelope of " + std::to_string(bad.size()) + " bytes");
    std::vector<EncodedEvent> events = {t::TaskStatus("t1", schema::TaskState::RUNNING), {"t2", "Junk", bad}};
    int folded = 0;
    Status status = ForEachCommitted(EventBatchMessage(events, {7, 8}), [&](const Event&) { ++folded; });
    EXPECT_EQ(status.code(), StatusCode::kCorruption) << status.ToString();
    EXPECT_NE(status.message().find("revision 8"), std::string::npos) << status.message();
    EXPECT_EQ(folded, 1);
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
  std::vector<allocator::OutstandingOffer> made = {
      {"offer-1", {"services", "a1", R(1.5, 1000.25, 2000.5, 1), {{31000, 31099}, {32000, 32000}}}, 3},
      {"offer-2", {"services", "a2", R(0.125, 64, 0, 0), {}}, 4},
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

void ExpectSameTask(const master::TaskToLaunch& got, const master::TaskToLaunch& want) {
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
  const std::vector<master::TaskToLaunch> tasks = {
      {"t-1", "/web", "v3", R(0.25, 128.5, 10, 1), {31005, 31007}, {{"app", "/web"}, {"tier", "front"}}},
      {"t-2", "/batch/nightly", "v1", R(2, 64), {}, {}},
  };
  const allocator::Offer offer{"services", "agent-3", R(3.5, 4096, 20000, 2), {{31000, 31099}, {32000, 32010}}};

  auto call = ReadCall(AcceptCall("services", "offer-8", tasks));
  ASSERT_TRUE(call.ok()) << call.status().ToString();
  ASSERT_TRUE(call->root().isAccept());
  EXPECT_EQ(std::string(call->root().getAccept().getOfferId()), "offer-8");

  auto launch = Received<Launch>::Read(LaunchMessage("services", offer, call->root().getAccept().getTasks()), "launch");
  ASSERT_TRUE(launch.ok()) << launch.status().ToString();
  master::AcceptOffer command = ToCommand(launch->root());

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
  master::AcceptOffer command = ToCommand(launch->root());
  EXPECT_TRUE(command.tasks.empty());
  EXPECT_TRUE(command.offered_ports.empty());
  EXPECT_EQ(command.offered, R(1, 32));
}

}  // namespace
}  // namespace regatta::protocol

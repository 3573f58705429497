#include "projections/projection_set.h"

#include <gtest/gtest.h>

#include <capnp/message.h>
#include <capnp/serialize.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "events/future_events.capnp.h"
#include "events/memory_log.h"
#include "projections/replay.h"
#include "tests/projections/fold.h"
#include "tests/support/sample_events.h"

namespace regatta::projections {
namespace {

using schema::TaskState;
using testing::AgentRegistered;
using testing::ProjectionBytes;
using testing::TaskLaunched;
using testing::TaskStatus;

// Applies each (revision, event) pair in the order given, as a consumer
// that reconnects and is sent some events again would.
ProjectionSet Deliver(const std::vector<std::pair<Revision, EncodedEvent>>& deliveries) {
  ProjectionSet set;
  EventDecoder decoder;
  for (const auto& [revision, encoded] : deliveries) {
    auto event = decoder.Decode(LoggedEvent{revision, encoded.bytes});
    EXPECT_TRUE(event.ok()) << event.status().ToString();
    if (event.ok()) {
      EXPECT_TRUE(set.Apply(*event).ok());
    }
  }
  return set;
}

EncodedEvent Flat(capnp::MessageBuilder& message) {
  const kj::Array<capnp::word> words = capnp::messageToFlatArray(message);  // owns the bytes
  const auto bytes = words.asBytes();
  return {"", "", std::string(reinterpret_cast<const char*>(bytes.begin()), bytes.size())};
}

// An envelope as a newer Regatta writes it, carrying a union member this
// build does not know, marked mustUnderstand or not.
EncodedEvent ClusterRenamed(const std::string& name, std::int64_t t, bool must_understand = false) {
  capnp::MallocMessageBuilder message;
  auto envelope = message.initRoot<future::Envelope>();
  envelope.setEventId("future-1");
  envelope.setTimeNanos(t);
  envelope.setPrincipal("regatta:v2");
  envelope.setSchemaVersion(2);
  envelope.setMustUnderstand(must_understand);
  envelope.initEvent().setClusterRenamed(name);
  return Flat(message);
}

// A known event re-written through the newer schema: metadata and member
// copied field by field from `known`.
EncodedEvent ThroughNewerSchema(const EncodedEvent& known) {
  EventDecoder decoder;
  auto event = decoder.Decode(LoggedEvent{0, known.bytes});
  EXPECT_TRUE(event.ok());
  capnp::MallocMessageBuilder message;
  auto envelope = message.initRoot<future::Envelope>();
  envelope.setEventId(event->envelope.getEventId());
  envelope.setTimeNanos(event->envelope.getTimeNanos());
  envelope.setPrincipal(event->envelope.getPrincipal());
  envelope.setCorrelationId(event->envelope.getCorrelationId());
  envelope.setSchemaVersion(event->envelope.getSchemaVersion());
  envelope.initEvent().setTaskLaunched(event->envelope.getEvent().getTaskLaunched());
  return Flat(message);
}

// ------------------------------------------------------------------ re-delivery

TEST(ProjectionSet, EventsBelowTheNextRevisionAreIgnored) {
  const EncodedEvent agent = AgentRegistered("a1", 16, 65536);
  const EncodedEvent launch = TaskLaunched("t1", "/web", "a1", 1, 128, 31000, 2);
  const EncodedEvent running = TaskStatus("t1", TaskState::RUNNING, 3);
  const ProjectionSet once = Deliver({{0, agent}, {1, launch}, {2, running}});
  ASSERT_EQ(once.scheduling().tasks().at("t1").state, TaskState::RUNNING);

  struct Case {
    const char* name;
    std::vector<std::pair<Revision, EncodedEvent>> deliveries;
  };
  const Case cases[] = {
      // Applied again, the launch would reset t1 to STAGING.
      {"the tail again after a reconnect",
       {{0, agent}, {1, launch}, {2, running}, {1, launch}, {2, running}}},
      {"the first event again", {{0, agent}, {1, launch}, {2, running}, {0, agent}}},
      {"the last event again", {{0, agent}, {1, launch}, {2, running}, {2, running}}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const ProjectionSet set = Deliver(c.deliveries);
    EXPECT_EQ(set.events_applied(), 3u);
    EXPECT_EQ(set.next_revision(), 3u);
    EXPECT_EQ(set.Serialize(), once.Serialize());
    EXPECT_EQ(set.StateHash(), once.StateHash());
  }
}

TEST(ProjectionSet, RevisionsMayHaveGaps) {
  // Kafka spends offsets on transaction markers: revisions are not dense.
  const ProjectionSet set = Deliver({
      {0, AgentRegistered("a1", 16, 65536, 10)},
      {5, TaskLaunched("t1", "/web", "a1", 1, 128, 0, 20)},
      {9, TaskStatus("t1", TaskState::RUNNING, 30)},
  });
  EXPECT_EQ(set.next_revision(), 10u);
  EXPECT_EQ(set.events_applied(), 3u);
  EXPECT_EQ(set.last_time_nanos(), 30);
  EXPECT_EQ(set.scheduling().tasks().at("t1").state, TaskState::RUNNING);
}

TEST(ProjectionSet, SerializeRoundTripsTheWholeState) {
  const ProjectionSet set = Deliver({
      {0, AgentRegistered("a1", 16, 65536)},
      {1, testing::AppDefined("/web", 2, "v1")},
      {2, TaskLaunched("t1", "/web", "a1", 1, 128, 31000)},
      {3, testing::ServiceDefined("web", "app", "/web", 80)},
  });
  auto copy = ProjectionSet::Deserialize(set.Serialize());
  ASSERT_TRUE(copy.ok()) << copy.status().ToString();
  EXPECT_EQ(copy->Serialize(), set.Serialize());
  EXPECT_EQ(copy->next_revision(), 4u);
}

// A narrowed view folds what it kept exactly as the full set does, and
// drops the rest, including what it held before it was narrowed.
TEST(ProjectionSet, NarrowedViewFoldsOnlyWhatItKept) {
  const std::vector<std::pair<Revision, EncodedEvent>> before = {
      {0, AgentRegistered("a1", 16, 65536)},
      {1, testing::AppDefined("/web", 2, "v1")},
  };
  const std::vector<std::pair<Revision, EncodedEvent>> after = {
      {2, TaskLaunched("t1", "/web", "a1", 1, 128, 31000)},
      {3, testing::ServiceDefined("web", "app", "/web", 80)},
  };
  ProjectionSet full = Deliver(before);
  ProjectionSet view = full;
  view.Narrow(kSchedulingProjection | kHistoryProjection);
  view.Narrow(kSchedulingProjection);  // narrowing only ever narrows
  EXPECT_EQ(view.folded(), kSchedulingProjection);
  EventDecoder decoder;
  for (const auto& [revision, encoded] : after) {
    auto event = decoder.Decode(LoggedEvent{revision, encoded.bytes});
    ASSERT_TRUE(event.ok());
    EXPECT_TRUE(full.Apply(*event).ok());
    EXPECT_TRUE(view.Apply(*event).ok());
  }
  EXPECT_EQ(testing::StateBytes(view.scheduling()), testing::StateBytes(full.scheduling()));
  EXPECT_EQ(view.next_revision(), full.next_revision());
  EXPECT_EQ(testing::StateBytes(view.history()), testing::StateBytes(HistoryProjection()));
  EXPECT_EQ(testing::StateBytes(view.discovery()), testing::StateBytes(DiscoveryProjection()));
  EXPECT_NE(testing::StateBytes(full.history()), testing::StateBytes(HistoryProjection()));
  EXPECT_NE(testing::StateBytes(full.discovery()), testing::StateBytes(DiscoveryProjection()));
}

TEST(ProjectionSet, TruncatedStateIsCorruption) {
  const ProjectionSet set = Deliver({{0, AgentRegistered("a1", 16, 65536)}});
  const std::string bytes = set.Serialize();
  auto copy = ProjectionSet::Deserialize(std::string_view(bytes).substr(0, bytes.size() - 3));
  ASSERT_FALSE(copy.ok());
  EXPECT_EQ(copy.status().code(), StatusCode::kCorruption);
}

// ------------------------------------------------------------------ newer writers

TEST(ProjectionSet, KnownEventWrittenByANewerSchemaReadsTheSame) {
  // Guards the test schema itself: if future_events.capnp drifted from the
  // real Envelope, the unknown-member tests below would prove nothing.
  const EncodedEvent agent = AgentRegistered("a1", 16, 65536);
  const EncodedEvent launch = TaskLaunched("t1", "/web", "a1", 1, 128, 31000, 2);
  const ProjectionSet direct = Deliver({{0, agent}, {1, launch}});
  const ProjectionSet newer = Deliver({{0, agent}, {1, ThroughNewerSchema(launch)}});
  EXPECT_EQ(newer.unknown_events(), 0u);
  EXPECT_EQ(newer.Serialize(), direct.Serialize());
}

TEST(ProjectionSet, DecoderReadsAnUnknownMemberWithoutFailing) {
  const EncodedEvent future = ClusterRenamed("blue", 77);
  EventDecoder decoder;
  auto event = decoder.Decode(LoggedEvent{4, future.bytes});
  ASSERT_TRUE(event.ok()) << event.status().ToString();
  EXPECT_EQ(EventTypeName(event->envelope), "Unknown(91)");
  EXPECT_FALSE(IsKnownEventType(event->envelope));
  EXPECT_EQ(AggregateKey(event->envelope), "");
  EXPECT_EQ(event->envelope.getTimeNanos(), 77) << "the envelope's own fields stay readable";
  EXPECT_EQ(std::string(event->envelope.getPrincipal().cStr()), "regatta:v2");
}

TEST(ProjectionSet, UnknownEventsAreSkippedAndCounted) {
  const EncodedEvent agent = AgentRegistered("a1", 16, 65536, 10);
  const EncodedEvent launch = TaskLaunched("t1", "/web", "a1", 1, 128, 31000, 30);
  const ProjectionSet without = Deliver({{0, agent}, {2, launch}});

  const ProjectionSet at_unknown = Deliver({{0, agent}, {1, ClusterRenamed("blue", 20)}});
  EXPECT_EQ(at_unknown.unknown_events(), 1u);
  EXPECT_EQ(at_unknown.events_applied(), 2u);
  EXPECT_EQ(at_unknown.next_revision(), 2u) << "the log position moves past it";
  EXPECT_EQ(at_unknown.last_time_nanos(), 20);

  const ProjectionSet after = Deliver({{0, agent}, {1, ClusterRenamed("blue", 20)}, {2, launch}});
  EXPECT_EQ(ProjectionBytes(after), ProjectionBytes(without)) << "no projection saw it";
  EXPECT_EQ(after.unknown_events(), 1u);
  EXPECT_EQ(after.next_revision(), without.next_revision());
}

TEST(ProjectionSet, AnUnknownEventMarkedMustUnderstandStopsTheFold) {
  ProjectionSet set;
  EventDecoder decoder;
  const EncodedEvent agent = AgentRegistered("a1", 16, 65536, 10);
  auto first = decoder.Decode(LoggedEvent{0, agent.bytes});
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(set.Apply(*first).ok());
  const std::string before = set.Serialize();
  const EncodedEvent future = ClusterRenamed("blue", 20, /*must_understand=*/true);
  auto stop = decoder.Decode(LoggedEvent{1, future.bytes});
  ASSERT_TRUE(stop.ok());
  const Status folded = set.Apply(*stop);
  EXPECT_EQ(folded.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(folded.message().find("revision 1"), std::string::npos) << folded.message();
  EXPECT_NE(folded.message().find("mustUnderstand"), std::string::npos) << folded.message();
  EXPECT_EQ(set.Serialize(), before) << "nothing of it folded, not even the revision";
  EXPECT_EQ(set.next_revision(), 1u);
}

TEST(ProjectionSet, AKnownEventMarkedMustUnderstandFoldsAsUsual) {
  capnp::MallocMessageBuilder message;
  auto envelope = message.initRoot<future::Envelope>();
  envelope.setMustUnderstand(true);
  envelope.setTimeNanos(5);
  auto agent = envelope.initEvent().initAgentRegistered();
  agent.setAgentId("a1");
  agent.setHostname("n1");
  const ProjectionSet set = Deliver({{0, Flat(message)}});
  EXPECT_EQ(set.scheduling().agents().count("a1"), 1u);
}

// A golden file written by the "newer" schema: it must keep stopping an
// older reader, whatever this build's schema becomes.
TEST(ProjectionSet, TheMustUnderstandGoldenFileStopsReplay) {
  const std::string path = std::string(REGATTA_SOURCE_DIR) + "/tests/events/golden/cluster_renamed_must_understand_v2.bin";
  if (std::getenv("REGATTA_WRITE_GOLDEN")) {
    const EncodedEvent future = ClusterRenamed("blue", 1700000000000000020, true);
    std::ofstream(path, std::ios::binary) << future.bytes;
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << path;
  const std::string golden((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto store = std::make_shared<MemoryLogStore>();
  auto log = MemoryEventLog::Open(store, LogMode::kWriter);
  ASSERT_TRUE(log.ok());
  ASSERT_TRUE((*log)->Append(std::vector<EncodedEvent>{AgentRegistered("a1", 16, 65536, 10), {"", "", golden},
                                                       AgentRegistered("a2", 16, 65536, 30)}).ok());
  auto replayed = Replay(**log, nullptr, {}, {}, nullptr);
  ASSERT_FALSE(replayed.ok());
  EXPECT_EQ(replayed.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(replayed.status().message().find("revision 1"), std::string::npos) << replayed.status().message();
  // Time travel to before it still works.
  ReplayTarget before;
  before.at_revision = 0;
  auto earlier = Replay(**log, nullptr, before, {}, nullptr);
  ASSERT_TRUE(earlier.ok()) << earlier.status().ToString();
  EXPECT_EQ(earlier->scheduling().agents().count("a1"), 1u);
}

TEST(ProjectionSet, UnknownEventCountSurvivesASnapshot) {
  const ProjectionSet set =
      Deliver({{0, ClusterRenamed("blue", 20)}, {1, ClusterRenamed("green", 21)}});
  auto copy = ProjectionSet::Deserialize(set.Serialize());
  ASSERT_TRUE(copy.ok()) << copy.status().ToString();
  EXPECT_EQ(copy->unknown_events(), 2u);
  EXPECT_EQ(copy->StateHash(), set.StateHash());
}

}  // namespace
}  // namespace regatta::projections

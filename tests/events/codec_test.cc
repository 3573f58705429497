#include "events/codec.h"

#include <gtest/gtest.h>

#include "events/json.h"
#include "tests/support/sample_events.h"

namespace regatta {
namespace {

using testing::AgentRegistered;
using testing::AppDefined;
using testing::ServiceDefined;
using testing::TaskLaunched;

TEST(Codec, EncodeFillsKeyAndTypeFromTheEvent) {
  const EncodedEvent e = TaskLaunched("web.1", "/web", "a1", 0.5, 64);
  EXPECT_EQ(e.key, "web.1");
  EXPECT_EQ(e.type, "TaskLaunched");
  EXPECT_EQ(e.bytes.size() % 8, 0u);
}

TEST(Codec, ServiceKeyIsNamespaceSlashName) {
  EXPECT_EQ(ServiceDefined("web", "app", "/web", 80).key, "default/web");
}

TEST(Codec, DecodeRoundTripsEveryField) {
  const EncodedEvent e = AppDefined("/prod/web", 3, "2026-01-01T00:00:00Z", 42, "alice");
  EventDecoder decoder;
  auto event = decoder.Decode(LoggedEvent{7, e.bytes});
  ASSERT_TRUE(event.ok()) << event.status().ToString();
  EXPECT_EQ(event->revision, 7u);
  auto env = event->envelope;
  EXPECT_EQ(env.getTimeNanos(), 42);
  EXPECT_EQ(std::string(env.getPrincipal().cStr()), "alice");
  EXPECT_EQ(env.getSchemaVersion(), kSchemaVersion);
  ASSERT_EQ(env.getEvent().which(), schema::Envelope::Event::APP_DEFINED);
  auto spec = env.getEvent().getAppDefined().getSpec();
  EXPECT_EQ(std::string(spec.getId().cStr()), "/prod/web");
  EXPECT_EQ(spec.getInstances(), 3u);
  EXPECT_DOUBLE_EQ(spec.getBackoffFactor(), 1.15);  // the schema default
}

TEST(Codec, DecodesFromAnUnalignedBuffer) {
  const EncodedEvent e = AgentRegistered("a1", 4, 4096);
  std::string shifted = "x" + e.bytes;  // one byte off any word boundary
  EventDecoder decoder;
  auto event = decoder.Decode(LoggedEvent{1, std::string_view(shifted).substr(1)});
  ASSERT_TRUE(event.ok()) << event.status().ToString();
  EXPECT_EQ(AggregateKey(event->envelope), "a1");
}

TEST(Codec, RejectsBytesThatAreNotWholeWords) {
  EventDecoder decoder;
  auto event = decoder.Decode(LoggedEvent{3, "abc"});
  ASSERT_FALSE(event.ok());
  EXPECT_EQ(event.status().code(), StatusCode::kCorruption);
  EXPECT_NE(event.status().message().find("revision 3"), std::string::npos);
}

TEST(Codec, RejectsGarbageWithoutCrashing) {
  std::string garbage(64, '\xff');
  EventDecoder decoder;
  auto event = decoder.Decode(LoggedEvent{0, garbage});
  EXPECT_FALSE(event.ok());
}

TEST(Codec, RejectsATruncatedMessage) {
  const EncodedEvent e = AppDefined("/web", 1, "v1");
  EventDecoder decoder;
  auto event = decoder.Decode(LoggedEvent{0, std::string_view(e.bytes).substr(0, 24)});
  EXPECT_FALSE(event.ok());
}

TEST(Codec, JsonRoundTripKeepsTheEventAndShowsTheRevision) {
  const EncodedEvent e = TaskLaunched("web.1", "/web", "a1", 0.5, 64, 31001, 99);
  EventDecoder decoder;
  auto event = decoder.Decode(LoggedEvent{12, e.bytes});
  ASSERT_TRUE(event.ok());
  const std::string json = EnvelopeToJson(*event);
  EXPECT_NE(json.find("\"revision\":\"12\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"taskLaunched\""), std::string::npos) << json;

  auto parsed = EnvelopeFromJson(json, EnvelopeStamp{});
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->key, "web.1");
  auto again = decoder.Decode(LoggedEvent{12, parsed->bytes});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->envelope.getRevision(), 0u) << "the log assigns revisions, not JSON";
  EXPECT_EQ(again->envelope.getEvent().getTaskLaunched().getHostPorts()[0], 31001u);
}

TEST(Codec, JsonFillsMissingMetadataFromTheStamp) {
  EnvelopeStamp stamp{"id-1", 5, "bob", "req-9", "", ""};
  auto parsed = EnvelopeFromJson(R"({"event":{"agentGone":{"agentId":"a7"}}})", stamp);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EventDecoder decoder;
  auto event = decoder.Decode(LoggedEvent{0, parsed->bytes});
  ASSERT_TRUE(event.ok());
  EXPECT_EQ(std::string(event->envelope.getPrincipal().cStr()), "bob");
  EXPECT_EQ(std::string(event->envelope.getEventId().cStr()), "id-1");
  EXPECT_EQ(event->envelope.getTimeNanos(), 5);
}

TEST(Codec, JsonWithoutAnEventIsRejectedNamingTheField) {
  auto parsed = EnvelopeFromJson(R"({"principal":"x"})", EnvelopeStamp{});
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(parsed.status().message().find("envelope.event"), std::string::npos);
}

TEST(Codec, MalformedJsonIsInvalidArgument) {
  auto parsed = EnvelopeFromJson(R"({"event": {"agentGone": )", EnvelopeStamp{});
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace regatta

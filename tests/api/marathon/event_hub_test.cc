#include "api/marathon/event_hub.h"

#include <gtest/gtest.h>

namespace regatta::marathon {
namespace {

// A stream that keeps what was written to it.
class RecordingStream final : public http::Stream {
 public:
  using http::Stream::Write;
  void Write(http::Chunk chunk) override {
    text += *chunk;
    chunks.push_back(std::move(chunk));
  }
  void Close() override { closed_ = true; }
  bool closed() const override { return closed_; }

  std::string text;
  std::vector<http::Chunk> chunks;
  bool closed_ = false;
};

MarathonEvent Ev(const std::string& type, int n) { return {type, Json{{"eventType", type}, {"n", n}}}; }
const MarathonEvent kAttached{"event_stream_attached", Json{{"eventType", "event_stream_attached"}}};

std::shared_ptr<RecordingStream> Join(EventHub& hub, std::set<std::string> types,
                                      std::optional<Revision> after = std::nullopt) {
  auto s = std::make_shared<RecordingStream>();
  hub.Subscribe(s, std::move(types), after, kAttached);
  s->text.clear();
  s->chunks.clear();
  return s;
}

// Every round, until nothing is pending.
void FlushAll(EventHub& hub) {
  while (!hub.Flush(1000) || hub.pending()) {
  }
}

TEST(EventHubTest, PublishedEventsWaitForTheRoundThenGoOutInOneWrite) {
  EventHub hub;
  auto s = Join(hub, {});
  hub.Publish(7, {Ev("api_post_event", 1)});
  hub.Publish(8, {Ev("api_post_event", 2)});
  EXPECT_TRUE(hub.pending());
  EXPECT_TRUE(s->chunks.empty());
  FlushAll(hub);
  EXPECT_FALSE(hub.pending());
  ASSERT_EQ(s->chunks.size(), 1u);
  EXPECT_EQ(s->text, SseFrame("7", Ev("api_post_event", 1)) + SseFrame("8", Ev("api_post_event", 2)));
}

TEST(EventHubTest, WithNoSubscribersNothingWaitsAndALaterOneCatchesUp) {
  EventHub hub;
  hub.Publish(4, {Ev("api_post_event", 1)});
  EXPECT_FALSE(hub.pending());
  auto s = std::make_shared<RecordingStream>();
  hub.Subscribe(s, {"api_post_event"}, Revision{3}, kAttached);
  EXPECT_EQ(s->text, SseFrame("4", Ev("api_post_event", 1)));
}

TEST(EventHubTest, SubscribersWithTheSameFilterShareOneChunk) {
  EventHub hub;
  auto a = Join(hub, {"api_post_event"});
  auto b = Join(hub, {"api_post_event"});
  auto other = Join(hub, {"status_update_event"});
  hub.Publish(3, {Ev("api_post_event", 1)});
  FlushAll(hub);
  ASSERT_EQ(a->chunks.size(), 1u);
  ASSERT_EQ(b->chunks.size(), 1u);
  EXPECT_EQ(a->chunks[0].get(), b->chunks[0].get());
  EXPECT_TRUE(other->chunks.empty());
}

TEST(EventHubTest, AFilterThatDropsTheIdCarryingEventStillMovesTheIdOn) {
  EventHub hub;
  auto s = Join(hub, {"api_post_event"});
  hub.Publish(5, {Ev("api_post_event", 1), Ev("deployment_info", 2)});
  hub.Publish(6, {Ev("deployment_info", 3)});
  FlushAll(hub);
  // Revision 6 holds nothing it takes: no block for it at all.
  EXPECT_EQ(s->text, SseFrame("", Ev("api_post_event", 1)) + "id: 5\n\n");
}

TEST(EventHubTest, ARoundGoesOutInSlicesAndLaterEventsWaitForTheNext) {
  EventHub hub;
  std::vector<std::shared_ptr<RecordingStream>> streams;
  for (int i = 0; i < 5; ++i) streams.push_back(Join(hub, {}));
  hub.Publish(1, {Ev("api_post_event", 1)});
  EXPECT_FALSE(hub.Flush(2));
  EXPECT_FALSE(streams[1]->chunks.empty());
  EXPECT_TRUE(streams[2]->chunks.empty());
  hub.Publish(2, {Ev("api_post_event", 2)});
  EXPECT_FALSE(hub.Flush(2));
  EXPECT_TRUE(hub.Flush(2));  // the round that began with revision 1 is done
  EXPECT_TRUE(hub.pending());
  for (const auto& s : streams) EXPECT_EQ(s->text, SseFrame("1", Ev("api_post_event", 1)));
  FlushAll(hub);
  for (const auto& s : streams) EXPECT_EQ(s->chunks.size(), 2u);
}

TEST(EventHubTest, ASubscriberJoiningMidRoundCatchesUpOnceAndNotTwice) {
  EventHub hub;
  auto first = Join(hub, {});
  auto second = Join(hub, {});
  hub.Publish(1, {Ev("api_post_event", 1)});
  EXPECT_FALSE(hub.Flush(1));
  hub.Publish(2, {Ev("api_post_event", 2)});  // pending: not in a catch-up
  auto late = std::make_shared<RecordingStream>();
  hub.Subscribe(late, {}, Revision{0}, kAttached);
  EXPECT_EQ(late->text, SseFrame("", kAttached) + SseFrame("1", Ev("api_post_event", 1)));
  FlushAll(hub);
  EXPECT_EQ(late->text, SseFrame("", kAttached) + SseFrame("1", Ev("api_post_event", 1)) +
                            SseFrame("2", Ev("api_post_event", 2)));
  EXPECT_EQ(second->text, first->text);
}

TEST(EventHubTest, ClosedStreamsAreDroppedWhenTheRoundEnds) {
  EventHub hub;
  auto gone = Join(hub, {});
  auto kept = Join(hub, {});
  hub.Publish(1, {Ev("api_post_event", 1)});
  gone->Close();
  FlushAll(hub);
  EXPECT_EQ(hub.subscribers(), 1u);
  EXPECT_FALSE(kept->chunks.empty());
}

TEST(EventHubTest, AReconnectPastWhatIsHeldIsToldWhereTheHeldEventsBegin) {
  EventHub hub(2);
  for (Revision r = 1; r <= 4; ++r) hub.Publish(r, {Ev("api_post_event", static_cast<int>(r))});
  FlushAll(hub);
  auto s = std::make_shared<RecordingStream>();
  hub.Subscribe(s, {"api_post_event"}, Revision{1}, kAttached);
  EXPECT_EQ(s->text, ": events before revision 3 are no longer held\n\n" + SseFrame("3", Ev("api_post_event", 3)) +
                         SseFrame("4", Ev("api_post_event", 4)));
}

}  // namespace
}  // namespace regatta::marathon

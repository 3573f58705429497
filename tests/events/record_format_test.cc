#include "events/file_log/record_format.h"

#include <gtest/gtest.h>

#include <vector>

#include "tests/support/sample_events.h"

namespace regatta::filelog {
namespace {

TEST(RecordFormat, SegmentHeaderRoundTrips) {
  Revision base = 0;
  ASSERT_TRUE(DecodeSegmentHeader(EncodeSegmentHeader(42), &base).ok());
  EXPECT_EQ(base, 42u);
}

TEST(RecordFormat, SegmentHeaderWithAFlippedByteIsCorruption) {
  std::string header = EncodeSegmentHeader(42);
  header[9] ^= 1;
  Revision base = 0;
  EXPECT_EQ(DecodeSegmentHeader(header, &base).code(), StatusCode::kCorruption);
}

TEST(RecordFormat, BatchRecordRoundTripsItsEvents) {
  std::vector<EncodedEvent> batch = {testing::AgentGone("a1"), testing::AppDeleted("/x")};
  std::string record;
  AppendBatchRecord(10, batch, &record);
  EXPECT_EQ(record.size() % 8, 0u);
  ASSERT_TRUE(CheckRecord(record).ok());
  std::vector<std::pair<Revision, std::string>> seen;
  ForEachEvent(record, [&](Revision r, std::string_view bytes) {
    seen.emplace_back(r, std::string(bytes));
    return true;
  });
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0], std::make_pair(Revision{10}, batch[0].bytes));
  EXPECT_EQ(seen[1], std::make_pair(Revision{11}, batch[1].bytes));
}

TEST(RecordFormat, EveryFlippedByteIsCaught) {
  std::vector<EncodedEvent> batch = {testing::AgentGone("a1")};
  std::string record;
  AppendBatchRecord(0, batch, &record);
  for (std::size_t i = 0; i < record.size(); ++i) {
    std::string damaged = record;
    damaged[i] ^= 0x20;
    EXPECT_FALSE(CheckRecord(damaged).ok()) << "byte " << i;
  }
}

}  // namespace
}  // namespace regatta::filelog

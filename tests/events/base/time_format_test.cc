// FormatRfc3339 writes UTC to the microsecond, as Marathon's timestamps and
// the event log's dump show it, and reads back through ParseRfc3339's rules.
#include "events/base/time_format.h"

#include <gtest/gtest.h>

namespace regatta {
namespace {

TEST(FormatRfc3339, WritesUtcToTheMicrosecond) {
  EXPECT_EQ(FormatRfc3339(0), "1970-01-01T00:00:00.000000Z");
  EXPECT_EQ(FormatRfc3339(1'764'763'200'123'456'789), "2025-12-03T12:00:00.123456Z");
  EXPECT_EQ(FormatRfc3339(951'782'399'999'999'000), "2000-02-28T23:59:59.999999Z");
  EXPECT_EQ(FormatRfc3339(951'868'800'000'001'000), "2000-03-01T00:00:00.000001Z");  // after a leap day
}

TEST(FormatRfc3339, TimesBeforeTheEpochStillFormat) {
  EXPECT_EQ(FormatRfc3339(-1'000'000'000), "1969-12-31T23:59:59.000000Z");
}

}  // namespace
}  // namespace regatta

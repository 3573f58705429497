#include "events/crc32c.h"

#include <gtest/gtest.h>

#include <string>

namespace regatta::crc32c {
namespace {

TEST(Crc32c, MatchesTheStandardCheckValue) {
  // The CRC-32C of "123456789" is 0xE3069283 (RFC 3720, appendix B.4).
  EXPECT_EQ(Value("123456789", 9), 0xE3069283u);
}

TEST(Crc32c, ThirtyTwoZeroBytesMatchRfc3720) {
  const std::string zeros(32, '\0');
  EXPECT_EQ(Value(zeros.data(), zeros.size()), 0x8A9136AAu);
}

TEST(Crc32c, ExtendEqualsOneShot) {
  const std::string s = "hello, event-sourced world";
  EXPECT_EQ(Extend(Value(s.data(), 7), s.data() + 7, s.size() - 7), Value(s.data(), s.size()));
}

TEST(Crc32c, MaskRoundTripsAndChangesTheValue) {
  const std::uint32_t crc = Value("foo", 3);
  EXPECT_NE(Mask(crc), crc);
  EXPECT_EQ(Unmask(Mask(crc)), crc);
}

}  // namespace
}  // namespace regatta::crc32c

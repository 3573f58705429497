#include "events/domain/resources.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>

namespace regatta::domain {
namespace {

constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();

TEST(Quantity, KeepsThousandthsExactly) {
  Quantity q = Quantity::FromDouble(0.1);
  q += Quantity::FromDouble(0.2);
  q += Quantity::FromDouble(0.3);
  EXPECT_EQ(q.milli(), 600);
  q -= Quantity::FromDouble(0.1);
  q -= Quantity::FromDouble(0.2);
  q -= Quantity::FromDouble(0.3);
  EXPECT_EQ(q.milli(), 0);  // in doubles, 1e-16 would be left over
}

TEST(Quantity, ValuesNoCommandCanCarrySaturateInsteadOfOverflowing) {
  const struct {
    const char* name;
    double value;
    std::int64_t milli;
  } cases[] = {
      {"inf", std::numeric_limits<double>::infinity(), kMax},
      {"-inf", -std::numeric_limits<double>::infinity(), kMin},
      {"NaN", std::nan(""), 0},
      {"1e308", 1e308, kMax},
      {"-1e308", -1e308, kMin},
      {"2^63 milli", 9223372036854775.808, kMax},
      {"the bound", kMaxResourceAmount, 1'000'000'000'000},
  };
  for (const auto& c : cases) EXPECT_EQ(Quantity::FromDouble(c.value).milli(), c.milli) << c.name;
  Quantity big = Quantity::FromMilli(kMax - 1);
  big += Quantity::FromMilli(10);
  EXPECT_EQ(big.milli(), kMax);
  Quantity small = Quantity::FromMilli(kMin + 1);
  small -= Quantity::FromMilli(10);
  EXPECT_EQ(small.milli(), kMin);
  Quantity up = Quantity::FromMilli(kMax - 1);
  up -= Quantity::FromMilli(kMin);
  EXPECT_EQ(up.milli(), kMax);
}

// Property: for any bit pattern of a double, FromDouble and every sum and
// difference stay defined (the sanitizer build would abort on an overflow),
// agree with the exact value where it fits, and saturate where it does not.
TEST(Quantity, AnyDoubleFoldsWithoutOverflow) {
  std::mt19937_64 random(20261203);
  for (int i = 0; i < 200000; ++i) {
    std::uint64_t bits = random();
    double v;
    std::memcpy(&v, &bits, sizeof v);
    if (i % 2 == 0) v = std::ldexp(static_cast<double>(random() % 2000000) - 1e6, static_cast<int>(random() % 80) - 20);
    const Quantity q = Quantity::FromDouble(v);
    if (std::isnan(v)) {
      EXPECT_EQ(q.milli(), 0);
    } else if (std::fabs(v * 1000) < std::ldexp(1.0, 63)) {  // within the fixed point's range
      EXPECT_EQ(q.milli(), std::llround(v * 1000)) << v;
    } else {
      EXPECT_EQ(q.milli(), v > 0 ? kMax : kMin) << v;
    }
    Quantity sum = q;
    sum += Quantity::FromMilli(static_cast<std::int64_t>(random()));
    sum -= Quantity::FromMilli(static_cast<std::int64_t>(random()));
    EXPECT_TRUE(std::isfinite(sum.value()));
  }
}

TEST(CheckResourceAmount, RefusesWhatIsNotAFiniteAmountWithinTheBound) {
  const struct {
    double value;
    const char* reason;  // empty: accepted
  } cases[] = {
      {0, ""},
      {0.5, ""},
      {kMaxResourceAmount, ""},
      {std::numeric_limits<double>::infinity(), "must be a finite number, not inf"},
      {-std::numeric_limits<double>::infinity(), "must be a finite number, not -inf"},
      {std::nan(""), "must be a finite number, not NaN"},
      {-1, "must not be negative, not -1"},
      {1e308, "must be at most 1000000000, not "},
      {kMaxResourceAmount * 1.5, "must be at most 1000000000, not 1500000000"},
  };
  for (const auto& c : cases) {
    const Status s = CheckResourceAmount("cpus", c.value);
    if (std::string(c.reason).empty()) {
      EXPECT_TRUE(s.ok()) << c.value << ": " << s.ToString();
      continue;
    }
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << c.value;
    EXPECT_EQ(s.field(), "cpus");
    EXPECT_EQ(s.reason().rfind(c.reason, 0), 0u) << s.reason();
    EXPECT_EQ(s.message(), "cpus: " + s.reason());
  }
}

TEST(CheckPortRanges, AcceptsRangesOfPortsOnly) {
  EXPECT_TRUE(CheckPortRanges("ports", {{31000, 32000}, {1, 1}, {65535, 65535}}).ok());
  EXPECT_EQ(CheckPortRanges("ports", {{31000, 32000}, {0, 5}}).field(), "ports[1]");
  EXPECT_EQ(CheckPortRanges("ports", {{200, 100}}).field(), "ports[0]");
  EXPECT_EQ(CheckPortRanges("ports", {{70000, 70001}}).field(), "ports[0]");
}

}  // namespace
}  // namespace regatta::domain

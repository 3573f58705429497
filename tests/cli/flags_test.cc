// The command line's numeric checks (api/cli/flags.h), case by case.
#include "api/cli/flags.h"

#include <gtest/gtest.h>

namespace regatta::cli {
namespace {

TEST(Flags, AnAmountIsAFiniteNumberWithinItsBounds) {
  const struct {
    const char* text;
    bool above_min;
    bool ok;
  } cases[] = {
      {"1", false, true},    {"0.5", false, true}, {"0", false, true}, {"0", true, false},
      {"3600", false, true}, {"3601", false, false}, {"-1", false, false}, {"nan", false, false},
      {"NaN", false, false}, {"inf", false, false}, {"-inf", false, false}, {"1e999", false, false},
      {"", false, false},    {"1x", false, false}, {" 1", false, false}, {"0x10", false, false}, {"1e3", false, true},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(CheckAmount(c.text, 0, 3600, c.above_min).empty(), c.ok) << "'" << c.text << "'";
  }
  EXPECT_EQ(CheckAmount("nan", 0, 3600, true), "'nan' is not a finite number in (0, 3600]");
}

TEST(Flags, ACountIsDigitsWithinItsBounds) {
  const struct {
    const char* text;
    bool ok;
  } cases[] = {
      {"0", true}, {"1000", true}, {"1001", false}, {"-1", false}, {"+1", false},
      {"18446744073709551616", false}, {"1e3", false}, {"", false}, {"12 ", false},
  };
  for (const auto& c : cases) EXPECT_EQ(CheckCount(c.text, 0, 1000).empty(), c.ok) << "'" << c.text << "'";
}

}  // namespace
}  // namespace regatta::cli

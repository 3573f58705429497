// JsonText writes what nlohmann reads back as the same values, escaping
// what JSON needs escaped and replacing bytes that are not UTF-8.
#include "api/marathon/json_text.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace regatta::marathon {
namespace {

TEST(JsonText, NestedValuesReadBackTheSame) {
  std::string out;
  JsonText t(out);
  t.Open('{').Key("id").String("web.1").Key("ports").Open('[').Number(31000).Number(-1).Close(']');
  t.Key("empty").Open('[').Close(']').Key("ok").Bool(true).Key("raw").Raw("{\"a\":1}").Close('}');
  const auto parsed = nlohmann::json::parse(out);
  EXPECT_EQ(parsed["id"], "web.1");
  EXPECT_EQ(parsed["ports"], nlohmann::json::array({31000, -1}));
  EXPECT_TRUE(parsed["empty"].empty());
  EXPECT_EQ(parsed["ok"], true);
  EXPECT_EQ(parsed["raw"]["a"], 1);
}

TEST(JsonText, EscapesQuotesBackslashesAndControlsAndReplacesBadUtf8) {
  std::string out;
  JsonText(out).String("a\"b\\c\n\x01 \xc3\xa9 \xe2\x82\xac \xf0\x9f\x9a\xa2 \xff \xc3 \xed\xa0\x80");
  const auto parsed = nlohmann::json::parse(out);
  EXPECT_EQ(parsed.get<std::string>(), "a\"b\\c\n\x01 \xc3\xa9 \xe2\x82\xac \xf0\x9f\x9a\xa2 \xef\xbf\xbd \xef\xbf\xbd "
                                       "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
}

}  // namespace
}  // namespace regatta::marathon

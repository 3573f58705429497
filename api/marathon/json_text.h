// JSON written straight into a string, for the answers too large to build
// as a tree first (/v2/tasks with 100,000 tasks: a tree per task cost about
// 10 µs of allocations). Text that is not valid UTF-8 is written with U+FFFD
// in place of each bad byte, as nlohmann's `replace` handler does.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace regatta::marathon {

class JsonText {
 public:
  explicit JsonText(std::string& out) : out_(out) {}
  JsonText& Open(char bracket);   // '{' or '['
  JsonText& Close(char bracket);  // '}' or ']'
  JsonText& Key(std::string_view key);
  JsonText& String(std::string_view text);
  JsonText& Number(std::int64_t value);
  JsonText& Bool(bool value);
  JsonText& Raw(std::string_view json);  // already JSON

 private:
  void Separate();
  std::string& out_;
  bool need_comma_ = false;
};

}  // namespace regatta::marathon

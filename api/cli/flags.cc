#include "api/cli/flags.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <sstream>

namespace regatta::cli {
namespace {

std::string Number(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

std::string Range(double min, double max, bool above_min) {
  return std::string(above_min ? "(" : "[") + Number(min) + ", " + Number(max) + "]";
}

}  // namespace

std::string CheckAmount(const std::string& text, double min, double max, bool above_min) {
  const char* begin = text.c_str();
  char* end = nullptr;
  const double v = std::strtod(begin, &end);
  const std::string want = "a finite number in " + Range(min, max, above_min);
  // Decimal notation only: strtod would also take " 1", "0x10" and "infinity".
  const bool decimal = text.find_first_not_of("0123456789.eE+-") == std::string::npos;
  if (text.empty() || !decimal || end != begin + text.size() || !std::isfinite(v)) {
    return "'" + text + "' is not " + want;
  }
  if (v < min || v > max || (above_min && v == min)) return text + " is not " + want;
  return "";
}

std::string CheckCount(const std::string& text, std::uint64_t min, std::uint64_t max) {
  const std::string want = "a whole number in [" + std::to_string(min) + ", " + std::to_string(max) + "]";
  std::uint64_t v = 0;
  const auto parsed = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || parsed.ec != std::errc() || parsed.ptr != text.data() + text.size()) {
    return "'" + text + "' is not " + want;
  }
  if (v < min || v > max) return text + " is not " + want;
  return "";
}

CLI::Validator Amount(double min, double max, bool above_min) {
  return CLI::Validator([=](std::string& text) { return CheckAmount(text, min, max, above_min); },
                        "in " + Range(min, max, above_min));
}

CLI::Validator Count(std::uint64_t min, std::uint64_t max) {
  return CLI::Validator([=](std::string& text) { return CheckCount(text, min, max); },
                        "in [" + std::to_string(min) + ", " + std::to_string(max) + "]");
}

}  // namespace regatta::cli

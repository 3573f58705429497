#include "api/cli/cli.h"

#include "events/domain/text.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <iostream>

namespace regatta::cli {

int ExitCodeFor(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk: return 0;
    case StatusCode::kIoError: return 1;
    case StatusCode::kInvalidArgument: return 2;
    case StatusCode::kNotFound: return 3;
    case StatusCode::kCorruption: return 4;
    case StatusCode::kConflict: return 5;
    case StatusCode::kFailedPrecondition: return 6;
    case StatusCode::kUnavailable: return 7;
  }
  return 1;
}

int Fail(const Status& status) {
  // One line, whatever the message quotes.
  std::cerr << "regatta: " << domain::OneLine(status.message()) << "\n";
  return ExitCodeFor(status);
}

Result<std::pair<std::string, std::uint16_t>> ParseHostPort(const std::string& flag, const std::string& text) {
  const std::size_t colon = text.rfind(':');
  const Status bad = Status::InvalidArgument(flag + ": '" + text + "' is not HOST:PORT");
  if (colon == std::string::npos || colon == 0) return bad;
  const std::string port = text.substr(colon + 1);
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos) return bad;
  const unsigned long value = std::stoul(port);
  if (value == 0 || value > 65535) return bad;
  return std::make_pair(text.substr(0, colon), static_cast<std::uint16_t>(value));
}

Result<Revision> ParseRevision(const std::string& flag, const std::string& text) {
  if (text.empty() || text.size() > 19 || text.find_first_not_of("0123456789") != std::string::npos) {
    return Status::InvalidArgument(flag + ": '" + text + "' is not a revision (a whole number)");
  }
  return static_cast<Revision>(std::stoull(text));
}

namespace {

bool ReadDigits(const std::string& s, std::size_t& pos, std::size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  pos += n;
  *out = v;
  return true;
}

bool Expect(const std::string& s, std::size_t& pos, const char* choices) {
  if (pos >= s.size() || std::string(choices).find(s[pos]) == std::string::npos) return false;
  ++pos;
  return true;
}

}  // namespace

Result<std::int64_t> ParseRfc3339(const std::string& s) {
  std::tm tm{};
  std::size_t pos = 0;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  const bool ok = ReadDigits(s, pos, 4, &year) && Expect(s, pos, "-") && ReadDigits(s, pos, 2, &month) &&
                  Expect(s, pos, "-") && ReadDigits(s, pos, 2, &day) && Expect(s, pos, "Tt ") &&
                  ReadDigits(s, pos, 2, &hour) && Expect(s, pos, ":") && ReadDigits(s, pos, 2, &minute) &&
                  Expect(s, pos, ":") && ReadDigits(s, pos, 2, &second);
  const Status bad = Status::InvalidArgument("'" + s + "' is not an RFC 3339 time (2026-11-25T19:00:00Z)");
  if (!ok || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return bad;
  }
  std::int64_t fraction = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    std::int64_t scale = 100000000;
    const std::size_t start = pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      fraction += (s[pos++] - '0') * scale;
      scale /= 10;
    }
    if (pos == start) return bad;
  }
  std::int64_t offset_seconds = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    const int sign = s[pos++] == '+' ? 1 : -1;
    int oh, om;
    if (!ReadDigits(s, pos, 2, &oh) || !Expect(s, pos, ":") || !ReadDigits(s, pos, 2, &om)) return bad;
    offset_seconds = sign * (oh * 3600 + om * 60);
  } else {
    return bad;
  }
  if (pos != s.size()) return bad;
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  const std::int64_t seconds = static_cast<std::int64_t>(::timegm(&tm)) - offset_seconds;
  return seconds * 1'000'000'000 + fraction;
}

Result<PointInHistory> ParsePointInHistory(const std::string& flag, const std::string& text) {
  PointInHistory point;
  if (!text.empty() && text.find_first_not_of("0123456789") == std::string::npos) {
    auto revision = ParseRevision(flag, text);
    if (!revision.ok()) return revision.status();
    point.revision = *revision;
    return point;
  }
  auto time = ParseRfc3339(text);
  if (!time.ok()) {
    return Status::InvalidArgument(flag + ": '" + text +
                                   "' is neither a revision nor an RFC 3339 time (2026-11-25T19:00:00Z)");
  }
  point.time_nanos = *time;
  return point;
}


}  // namespace regatta::cli

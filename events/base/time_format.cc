#include "events/base/time_format.h"

#include <cstdio>
#include <ctime>

namespace regatta {

std::string FormatRfc3339(std::int64_t time_nanos) {
  const std::time_t seconds = static_cast<std::time_t>(time_nanos / 1'000'000'000);
  std::tm tm{};
  ::gmtime_r(&seconds, &tm);
  char out[64];
  std::snprintf(out, sizeof out, "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<long long>((time_nanos % 1'000'000'000) / 1000));
  return out;
}

}  // namespace regatta

// Times as people and Marathon write them.
#pragma once

#include <cstdint>
#include <string>

namespace regatta {

// "2026-11-25T19:00:00.123456Z" (UTC, microseconds).
std::string FormatRfc3339(std::int64_t time_nanos);

}  // namespace regatta

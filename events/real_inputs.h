// Where time and randomness enter Regatta. Only the edges (the CLI, the
// master and agent processes) call these; everything below takes time and
// ids as inputs, so replay and tests are deterministic.
#pragma once

#include <cstdint>
#include <string>

namespace regatta {

std::int64_t WallClockNanos();
// A random (version 4) UUID, as text.
std::string NewUuid();

}  // namespace regatta

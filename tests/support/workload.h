// A deterministic, realistic stream of cluster events for property tests
// and benchmarks: agents register, apps are defined, scaled and redeployed,
// tasks launch, run, turn healthy, finish or fail, agents become unreachable
// and come back, services come and go.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "events/event.h"

namespace regatta::testing {

struct WorkloadOptions {
  std::uint64_t seed = 1;
  std::size_t agents = 100;
  std::size_t apps = 50;
  std::int64_t start_nanos = 1'700'000'000'000'000'000;
  std::int64_t step_nanos = 1'000'000;  // time between consecutive events
};

// Exactly `events` events; the same options always give the same bytes.
std::vector<EncodedEvent> GenerateWorkload(std::size_t events, const WorkloadOptions& options = {});

}  // namespace regatta::testing

// Shared fixtures for regatta_bench: event payloads of a chosen size, a
// scratch directory on the real disk, and a cached generated workload.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "events/event.h"

namespace regatta::bench {

// An event whose encoded envelope is about `bytes` long (>= ~100).
EncodedEvent EventOfSize(std::size_t bytes, std::uint64_t n);

// A fresh, empty directory under $REGATTA_BENCH_DIR (default /var/tmp):
// on the machine's disk, so fdatasync costs what it really costs.
std::string FreshDir(const std::string& name);

// GenerateWorkload(n) computed once per n and kept for the process.
const std::vector<EncodedEvent>& CachedWorkload(std::size_t n);

}  // namespace regatta::bench

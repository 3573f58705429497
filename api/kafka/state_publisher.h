// Keeps the compacted state topics (<cluster>.state.apps, .state.services,
// .state.agents) current: it follows the history topic, folds each event
// into the projections, and writes the current state of every object the
// event touched, or a tombstone when the object is gone.
//
// Derived data, at least once: after a restart it replays history and writes
// every object again; compaction keeps the newest value per key, and each
// record's "revision" header says which history revision it reflects.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "events/kafka/kafka_log.h"
#include "events/base/status.h"

namespace regatta {

struct StatePublisherOptions {
  KafkaLogOptions log;
  bool follow = false;                       // keep publishing new events
  std::chrono::milliseconds idle_exit{0};    // with follow: stop after this long idle
};

struct PublishReport {
  std::uint64_t events = 0;
  std::uint64_t records = 0;
  std::uint64_t tombstones = 0;
};

// The compacted topic name for a suffix: "<cluster>.state.apps".
std::string StateTopicName(const std::string& cluster, const char* suffix);

Result<PublishReport> PublishState(const StatePublisherOptions& options);

}  // namespace regatta

// What Regatta publishes to its compacted state topics, computed purely from
// the projections: for each object an event touched, its current state (or
// a tombstone when it is gone). The Kafka side (api/kafka/state_publisher)
// only ships these records.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "events/event.h"
#include "projections/projection_set.h"

namespace regatta::projections {

enum class StateTopic { kApps, kServices, kAgents };

// "state.apps", "state.services", "state.agents": appended to "<cluster>.".
const char* StateTopicSuffix(StateTopic topic);

struct StateRecord {
  StateTopic topic = StateTopic::kApps;
  std::string key;
  std::optional<std::string> value;  // a flat Cap'n Proto message; none = tombstone
  Revision revision = 0;             // the history revision it reflects
};

using StateKey = std::pair<StateTopic, std::string>;

// The objects `event` changes, judged on the state BEFORE it is applied (a
// task's app, agent and labels are gone from the state once it ends).
std::set<StateKey> AffectedBy(const ProjectionSet& before, const Event& event);

// The records for `keys`, from the state AFTER the event.
std::vector<StateRecord> RecordsFor(const ProjectionSet& after, const std::set<StateKey>& keys);

// Every current object: what a publisher writes when it starts.
std::vector<StateRecord> AllRecords(const ProjectionSet& set);

}  // namespace regatta::projections

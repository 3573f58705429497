// The master core's test fixture: a projection set folded from the events
// given and committed, and a context whose ids count up.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "actors/master/master_core.h"
#include "events/codec.h"

namespace regatta::master {

using schema::TaskState;

class MasterCore : public ::testing::Test {
 protected:
  void Given(const std::vector<EncodedEvent>& events) {
    for (const EncodedEvent& e : events) Fold(e);
  }
  // Appends an outcome's events, as the master does once they are durable.
  void Commit(const Outcome& outcome) {
    for (const EncodedEvent& e : outcome.events) Fold(e);
  }
  std::vector<std::string> Types(const Outcome& outcome) {
    std::vector<std::string> types;
    for (const EncodedEvent& e : outcome.events) types.push_back(e.type + ":" + e.key);
    return types;
  }
  // The state a TaskStatusChanged event in `outcome` sets, by task id.
  std::map<std::string, TaskState> Statuses(const Outcome& outcome) {
    std::map<std::string, TaskState> out;
    EventDecoder decoder;
    for (const EncodedEvent& e : outcome.events) {
      auto event = decoder.Decode(LoggedEvent{0, e.bytes});
      if (event.ok() && event->envelope.getEvent().isTaskStatusChanged()) {
        out[e.key] = event->envelope.getEvent().getTaskStatusChanged().getState();
      }
    }
    return out;
  }

  ProjectionSet state_;
  Revision next_ = 0;
  int ids_ = 0;
  CommandContext context_{1000, "regatta:master", "", "req-1", [this] { return "id-" + std::to_string(++ids_); }};

 private:
  void Fold(const EncodedEvent& e) {
    EventDecoder decoder;
    auto event = decoder.Decode(LoggedEvent{next_++, e.bytes});
    ASSERT_TRUE(event.ok());
    EXPECT_TRUE(state_.Apply(*event).ok());
  }
};

}  // namespace regatta::master

// Marathon's event bus, from the log: each event becomes the Marathon
// events its clients expect on /v2/events (status_update_event,
// deployment_info, ...), in Marathon 1.x's shapes. Pure: the event and the
// view just before it in, JSON out. Only the types python3-marathon 0.13
// knows are produced (it ends its stream on any other).
#pragma once

#include <string>
#include <vector>

#include "api/marathon/app_json.h"
#include "api/marathon/tracker.h"
#include "projections/projection_set.h"

namespace regatta::marathon {

struct MarathonEvent {
  std::string type;  // eventType
  Json data;         // with eventType and timestamp
};

std::vector<MarathonEvent> ToMarathonEvents(const Event& event, const projections::ProjectionSet& before);

// deployment_step_success and deployment_success for an app that reached
// its definition, with the view after it.
std::vector<MarathonEvent> ConvergedEvents(const Convergence& c, const projections::ProjectionSet& after);

MarathonEvent StreamAttached(const std::string& remote_address, std::int64_t now_nanos);

}  // namespace regatta::marathon

// An app's current definition, decoded once from the history projection:
// what the services and jobs planner needs to place its tasks, and nothing
// else.
//
// The history keeps every change in log order. The current definition is the
// last kDefined change, with its instance count replaced by any kScaled
// change logged after it (scaling does not write a new version). A deleted
// app has no current definition; one defined again after its deletion has.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actors/master/master_core.h"
#include "actors/scheduling/constraints.h"
#include "events/status.h"
#include "projections/history.h"
#include "regatta/events.capnp.h"

namespace regatta::frameworks {

struct AppDefinition {
  std::string id;
  std::string version;                      // the defining change's version
  std::uint32_t instances = 0;              // after scaling
  projections::ResourceVector resources;    // per task
  std::vector<std::string> port_names;      // one host port per entry, in order
  // One per port_names entry: the host port it must get (Marathon's
  // requirePorts with a nonzero port), or 0 for any free port.
  std::vector<std::uint32_t> host_ports;
  std::vector<scheduling::Constraint> constraints;
  master::Attributes labels;                // as the spec writes them
  schema::WorkloadKind kind = schema::WorkloadKind::SERVICE;
  std::uint32_t max_retries = 3;            // jobs only: failures survived
  // Not ok: the app cannot be placed, and the message says why (a
  // constraint that does not parse, spec bytes that do not decode). The
  // planner reports it as the app's waiting reason.
  Status invalid;
};

// nullopt when `app` was never defined or its last definition was deleted.
std::optional<AppDefinition> CurrentDefinition(std::string_view id,
                                               const projections::AppHistory& app);

// Every app with a current definition, sorted by id: the order the planner
// serves apps in, so equal states give equal plans.
std::vector<AppDefinition> LiveApps(const projections::HistoryProjection& history);

}  // namespace regatta::frameworks

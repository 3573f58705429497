// What the rollout planner sees of one app's tasks: the scheduling
// projection's tasks of the app that have not ended, each marked new when
// it runs the target version. Pure.
//
// A version with health or readiness checks is healthy and ready as the
// agents report (TaskHealthChanged); one without is healthy and ready once
// RUNNING, since its start. A KILLING task is being killed; an UNREACHABLE one counts,
// unhealthy, until it ends or comes back.
#pragma once

#include <functional>
#include <string_view>
#include <vector>

#include "actors/deployments/rollout.h"
#include "projections/scheduling.h"

namespace regatta::deployments {

// `checks_health(version)`: whether that version of the app has health or
// readiness checks, so that the agents report its tasks' health.
std::vector<ObservedTask> ObserveTasks(const projections::SchedulingProjection& cluster, std::string_view app_id,
                                       std::string_view target_version,
                                       const std::function<bool(std::string_view version)>& checks_health);

}  // namespace regatta::deployments

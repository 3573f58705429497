// The order a group deployment moves its apps in: every app after the apps
// of the same deployment it depends on (Marathon's dependencies, already
// resolved to app ids). Apps start or scale in these steps, and stop in
// reverse. Pure.
//
//   /db; /cache; /api -> /db, /cache; /web -> /api
//     -> [[/cache, /db], [/api], [/web]]
#pragma once

#include <string>
#include <vector>

#include "events/base/status.h"

namespace regatta::deployments {

struct AppDependencies {
  std::string app_id;
  std::vector<std::string> depends_on;  // app ids; those outside the deployment are ignored
};

using Steps = std::vector<std::vector<std::string>>;

// Steps in dependency order, each sorted by id. FailedPrecondition naming a
// cycle (the master refuses those writes; a log from elsewhere may hold one).
Result<Steps> StartOrder(const std::vector<AppDependencies>& apps);

// Whether `app` may act now: every app of the deployment it depends on is
// in `done`.
bool DependeesDone(const std::vector<AppDependencies>& apps, const std::string& app,
                   const std::vector<std::string>& done);

}  // namespace regatta::deployments

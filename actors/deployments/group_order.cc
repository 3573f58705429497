#include "actors/deployments/group_order.h"

#include <algorithm>
#include <map>
#include <set>

namespace regatta::deployments {

Result<Steps> StartOrder(const std::vector<AppDependencies>& apps) {
  std::map<std::string, std::set<std::string>> waiting;  // app -> dependees in the deployment, not yet placed
  for (const AppDependencies& a : apps) waiting[a.app_id];
  for (const AppDependencies& a : apps) {
    for (const std::string& d : a.depends_on) {
      if (d != a.app_id && waiting.count(d)) waiting[a.app_id].insert(d);
    }
  }
  Steps steps;
  while (!waiting.empty()) {
    std::vector<std::string> step;
    for (const auto& [app, dependees] : waiting) {
      if (dependees.empty()) step.push_back(app);
    }
    if (step.empty()) {
      std::string names;
      for (const auto& [app, dependees] : waiting) names += (names.empty() ? "" : ", ") + app;
      return Status::FailedPrecondition("the dependencies of " + names + " form a cycle");
    }
    for (const std::string& app : step) waiting.erase(app);
    for (auto& [app, dependees] : waiting) {
      for (const std::string& placed : step) dependees.erase(placed);
    }
    steps.push_back(std::move(step));
  }
  return steps;
}

bool DependeesDone(const std::vector<AppDependencies>& apps, const std::string& app,
                   const std::vector<std::string>& done) {
  std::set<std::string> in_deployment;
  for (const AppDependencies& a : apps) in_deployment.insert(a.app_id);
  for (const AppDependencies& a : apps) {
    if (a.app_id != app) continue;
    for (const std::string& d : a.depends_on) {
      if (d != app && in_deployment.count(d) && std::find(done.begin(), done.end(), d) == done.end()) return false;
    }
  }
  return true;
}

}  // namespace regatta::deployments

// regatta deploy list | show | watch | pause | resume | promote | cancel, and
// regatta rollback: deployments through the HTTP API (/v2/deployments and
// Regatta's GET /v2/deployments/{id}).
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <thread>

#include "api/cli/api_client.h"
#include "api/cli/commands.h"
#include "api/http/client.h"

namespace regatta::cli {
namespace {

std::string DeploymentPath(const std::string& id) { return "/v2/deployments/" + http::EscapeComponent(id); }

// A deployment id, or the id of the deployment running for an app ("/web").
Result<std::string> ResolveDeployment(const GlobalOptions& global, const std::string& id_or_app) {
  if (id_or_app.empty() || id_or_app[0] != '/') return id_or_app;
  auto list = CallApi(global, "GET", "/v2/deployments");
  if (!list.ok()) return list.status();
  for (const Json& d : *list) {
    for (const Json& app : d.value("affectedApps", Json::array())) {
      if (app == id_or_app) return d.value("id", "");
    }
  }
  return Status::NotFound("no deployment runs for " + id_or_app);
}

// "[#####.....] 5/10 new ready, 5 old, 0 killing, 593 s to the deadline  progressing"
std::string ProgressLine(const Json& d) {
  const Json r = d.value("regattaRollout", Json::object());
  if (r.is_null() || r.empty()) return d.value("regattaOutcome", "");
  const unsigned instances = r.value("instances", 0u), ready = r.value("newReady", 0u);
  constexpr unsigned kWidth = 20;
  const unsigned filled = instances == 0 ? kWidth : std::min(kWidth, ready * kWidth / instances);
  std::string bar = "[" + std::string(filled, '#') + std::string(kWidth - filled, '.') + "]";
  std::string line = bar + " " + std::to_string(ready) + "/" + std::to_string(instances) + " new ready, " +
                     std::to_string(r.value("newHealthy", 0u)) + " healthy, " + std::to_string(r.value("old", 0u)) +
                     " old, " + std::to_string(r.value("killing", 0u)) + " killing";
  if (r.contains("deadlineSecondsLeft")) {
    line += ", " + std::to_string(r.value("deadlineSecondsLeft", 0)) + " s to the deadline";
  }
  return line + "  " + r.value("phase", "");
}

}  // namespace

int DeployList(const GlobalOptions& global) {
  auto list = CallApi(global, "GET", "/v2/deployments");
  if (!list.ok()) return Fail(list.status());
  std::printf("%-38s %-24s %-30s %s\n", "ID", "APPS", "VERSION", "STEP");
  for (const Json& d : *list) {
    std::string apps;
    for (const Json& a : d.value("affectedApps", Json::array())) apps += (apps.empty() ? "" : ",") + a.get<std::string>();
    std::printf("%-38s %-24s %-30s %d/%d\n", d.value("id", "").c_str(), apps.c_str(), d.value("version", "").c_str(),
                d.value("currentStep", 0), d.value("totalSteps", 0));
  }
  return 0;
}

int DeployShow(const GlobalOptions& global, const std::string& id_or_app) {
  auto id = ResolveDeployment(global, id_or_app);
  if (!id.ok()) return Fail(id.status());
  auto d = CallApi(global, "GET", DeploymentPath(*id));
  if (!d.ok()) return Fail(d.status());
  std::cout << d->dump(2) << "\n";
  return 0;
}

int DeployWatch(const GlobalOptions& global, const std::string& id_or_app, double interval_seconds) {
  auto id = ResolveDeployment(global, id_or_app);
  if (!id.ok()) return Fail(id.status());
  const bool tty = ::isatty(STDOUT_FILENO) == 1;
  std::string last;
  for (;;) {
    auto d = CallApi(global, "GET", DeploymentPath(*id));
    if (!d.ok()) return Fail(d.status());
    const std::string outcome = d->value("regattaOutcome", "");
    const std::string line = ProgressLine(*d);
    if (line != last) {
      // On a terminal the bar redraws in place; piped, each change is a line.
      std::cout << (tty ? "\r\033[K" : "") << line << (tty ? "" : "\n") << std::flush;
      last = line;
    }
    if (outcome != "running") {
      if (tty) std::cout << "\n";
      const std::string message = d->value("regattaMessage", "");
      if (outcome == "succeeded") {
        std::cout << "deployment " << *id << " succeeded\n";
        return 0;
      }
      std::cerr << "regatta: deployment " << *id << " " << outcome << (message.empty() ? "" : ": " + message)
                << (d->contains("regattaRevertedTo") ? " (reverted to " + d->value("regattaRevertedTo", "") + ")" : "")
                << "\n";
      return 1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<long>(interval_seconds * 1000)));
  }
}

int DeployControl(const GlobalOptions& global, const std::string& id_or_app, const std::string& action,
                  const std::string& reason) {
  auto id = ResolveDeployment(global, id_or_app);
  if (!id.ok()) return Fail(id.status());
  auto d = CallApi(global, "POST", DeploymentPath(*id) + "/" + action, nullptr, reason);
  if (!d.ok()) return Fail(d.status());
  std::cout << "deployment " << *id << ": " << ProgressLine(*d) << "\n";
  return 0;
}

int DeployCancel(const GlobalOptions& global, const std::string& id_or_app, bool force, const std::string& reason) {
  auto id = ResolveDeployment(global, id_or_app);
  if (!id.ok()) return Fail(id.status());
  auto answer = CallApi(global, "DELETE", DeploymentPath(*id) + (force ? "?force=true" : ""), nullptr, reason);
  if (!answer.ok()) return Fail(answer.status());
  if (force) {
    std::cout << "deployment " << *id << " stopped where it was\n";
  } else {
    std::cout << "deployment " << *id << " canceled; rolling back in deployment "
              << answer->value("deploymentId", "?") << "\n";
  }
  return 0;
}

int Rollback(const GlobalOptions& global, const RollbackOptions& options) {
  std::string version = options.to;
  if (!version.empty() && std::all_of(version.begin(), version.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    // A revision: the version the app had at it.
    auto versions = CallApi(global, "GET", AppPath(options.app_id) + "/versions");
    if (!versions.ok()) return Fail(versions.status());
    const std::uint64_t at = std::stoull(options.to);
    version.clear();
    for (const Json& v : versions->value("regattaVersions", Json::array())) {
      if (v.value("revision", std::uint64_t{0}) <= at) version = v.value("version", "");
    }
    if (version.empty()) return Fail(Status::InvalidField("--to", options.app_id + " had no version at revision " + options.to));
  }
  auto answer = CallApi(global, "PUT", AppPath(options.app_id) + (options.force ? "?force=true" : ""),
                        {{"version", version}}, options.reason);
  if (!answer.ok()) return Fail(answer.status());
  std::cout << options.app_id << " rolling back to version " << version << " in deployment "
            << answer->value("deploymentId", "?") << "\n";
  return 0;
}

}  // namespace regatta::cli

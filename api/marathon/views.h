// Marathon's response shapes, from the API's view: tasks, apps with what a
// GET embeds, queue items, deployments, versions. Pure: the view and the
// tracker in, JSON out. Shapes follow Marathon 1.x, and avoid what Debian's
// python3-marathon 0.13 cannot read (it fails on keys it does not know:
// no tasksStats, no role in queue items, no enforceRole in groups).
#pragma once

#include <set>
#include <string>

#include "api/marathon/app_json.h"
#include "api/marathon/tracker.h"
#include "projections/projection_set.h"

namespace regatta::marathon {

using projections::ProjectionSet;

// What a GET of apps embeds (Marathon's embed=app.tasks, apps.counts, ...).
struct Embed {
  bool tasks = false;
  bool counts = true;
  bool deployments = true;
  bool last_task_failure = false;
  bool task_stats = false;
  bool readiness = false;
};
// The embed flags as a short string, to tell renderings apart.
std::string EmbedKey(const Embed& e);
// From the repeated embed parameters; prefixes app. and apps. are the same,
// unknown values are ignored as Marathon does.
Embed ParseEmbed(const std::vector<std::string>& values, Embed defaults);

// Marathon's timestamps: "2026-12-03T12:00:00.123Z".
std::string Timestamp(std::int64_t nanos);

// A task as Marathon shows it, written onto `out` (WriteTask, for long
// lists) or as a tree (EncodeTask, the same text parsed).
void WriteTask(std::string& out, const ProjectionSet& view, const std::string& task_id,
               const projections::TaskInfo& task, bool with_service_ports);
Json EncodeTask(const ProjectionSet& view, const std::string& task_id, const projections::TaskInfo& task,
                bool with_service_ports);
// The app as GET /v2/apps/{id} shows it, with its Regatta extensions
// (regattaRevision, regattaNotes). REQUIRES: the app is live.
Json EncodeAppInfo(const ProjectionSet& view, const Tracker& tracker, const domain::AppDefinition& app,
                   const Embed& embed);
// Every version of an app, oldest first, each with who made it and why.
Json EncodeVersions(const ProjectionSet& view, const std::string& app_id);
// The spec of one version (Marathon's GET /v2/apps/{id}/versions/{v}); null
// when the app never had it.
std::optional<Json> EncodeVersion(const ProjectionSet& view, const std::string& app_id, const std::string& version);

Json EncodeQueue(const ProjectionSet& view, const Tracker& tracker, std::int64_t now_nanos);
Json EncodeDeployments(const ProjectionSet& view, const Tracker& tracker);
// One deployment's plan, as the SSE deployment events carry it.
Json EncodePlan(const ProjectionSet& view, const Convergence& c);
Json DeploymentResult(const std::string& deployment_id, std::int64_t time_nanos);

}  // namespace regatta::marathon

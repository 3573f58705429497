// The inside of MarathonApi: one handler per route, spread over
// app_routes.cc, task_routes.cc and system_routes.cc, with the replies,
// errors and the way to the master in marathon_api.cc.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <capnp/message.h>

#include "api/marathon/app_json.h"
#include "api/marathon/event_hub.h"
#include "api/marathon/marathon_api.h"
#include "api/marathon/render_cache.h"
#include "api/marathon/tracker.h"
#include "api/marathon/views.h"

namespace regatta::marathon {

using ExchangePtr = std::shared_ptr<http::Exchange>;

// What a write asks of the master besides its command.
struct WriteMeta {
  std::string principal;
  std::string reason;
  std::optional<Revision> if_revision;  // If-Match
  bool create_only = false;
  bool force = false;  // ?force=true: a new version replaces a running deployment
};

struct MarathonApi::Impl {
  Impl(api::ReadModel& m, api::Commander& c, http::Loop& l, MarathonOptions o)
      : model(m), commander(c), loop(l), options(std::move(o)) {}

  api::ReadModel& model;
  api::Commander& commander;
  http::Loop& loop;
  MarathonOptions options;
  Tracker tracker;
  EventHub hub;
  bool flush_scheduled = false;
  std::chrono::steady_clock::time_point last_flush{};
  RenderCache rendered{4096};

  const ProjectionSet& view() const { return model.view(); }
  std::int64_t Now() const { return options.clock->NowNanos(); }

  // Publishes to /v2/events. A round of the hub's writes starts
  // options.sse_flush_interval after the last one ended, or at once when
  // it has been quiet that long; between its slices the loop serves others.
  void PublishEvents(Revision revision, std::vector<MarathonEvent> events);
  void ScheduleFlush();
  void FlushSlice();

  // ---------------------------------------------------------------- replies
  void Reply(const ExchangePtr& ex, int status, const Json& body, http::Headers headers = {}) const;
  void ReplyText(const ExchangePtr& ex, int status, const std::string& content_type, std::string body,
                 http::Headers headers = {}) const;
  // A refusal in Marathon's shape: 422 with details for invalid input, 404,
  // 409, 412, 503 with Retry-After, 500.
  void Fail(const ExchangePtr& ex, const Status& status) const;
  // 400 for a body that is not JSON, naming the offset.
  void FailJson(const ExchangePtr& ex, const Status& status) const;
  void Message(const ExchangePtr& ex, int status, const std::string& message) const;

  // ---------------------------------------------------------------- writes
  WriteMeta MetaOf(const http::Request& r) const;
  // Refuses (412-shaped) a bad If-Match; fills meta.if_revision.
  bool ParseIfMatch(const http::Request& r, const ExchangePtr& ex, WriteMeta& meta) const;
  // Sends a ClientMessage built by `build`; on success runs `done` once the
  // view has the command's revision (read-your-writes), else answers the error.
  void Write(const ExchangePtr& ex, const WriteMeta& meta,
             const std::function<void(protocol::ClientMessage::Builder)>& build,
             std::function<void(Revision)> done);
  // 409 unless ?force: an app a deployment is changing is locked.
  bool Locked(const http::Request& r, const ExchangePtr& ex, const std::string& app_id) const;
  void DeploymentReply(const ExchangePtr& ex, int status, Revision revision, http::Headers headers = {}) const;
  // The id of the deployment a write at `revision` started (the engine's),
  // or of the convergence it began (tracker.h).
  std::string WriteDeploymentId(Revision revision) const;

  // ---------------------------------------------------------------- routes
  void Route(http::Request& r, const ExchangePtr& ex);
  void Apps(http::Request& r, const ExchangePtr& ex);
  void App(http::Request& r, const ExchangePtr& ex, const std::string& id, const std::vector<std::string>& rest);
  void ListApps(const http::Request& r, const ExchangePtr& ex);
  void CreateApp(const http::Request& r, const ExchangePtr& ex);
  void PutApps(const http::Request& r, const ExchangePtr& ex, bool patch);
  void GetApp(const http::Request& r, const ExchangePtr& ex, const std::string& id);
  // ?dryRun=true: the diff and the rollout's steps; nothing is written.
  void DryRun(const ExchangePtr& ex, const Json& app_json, const std::string& id);
  void PutApp(const http::Request& r, const ExchangePtr& ex, const std::string& id, bool patch);
  void DeleteApp(const http::Request& r, const ExchangePtr& ex, const std::string& id);
  void RestartApp(const http::Request& r, const ExchangePtr& ex, const std::string& id);
  void AppVersions(const http::Request& r, const ExchangePtr& ex, const std::string& id,
                   const std::vector<std::string>& rest);
  void AppTasks(const http::Request& r, const ExchangePtr& ex, const std::string& id,
                const std::vector<std::string>& rest);
  void KillTasks(const http::Request& r, const ExchangePtr& ex, std::vector<std::string> ids, bool scale,
                 std::function<void(Revision, const Json& killed)> done);
  void Tasks(const http::Request& r, const ExchangePtr& ex);
  void DeleteTasks(const http::Request& r, const ExchangePtr& ex);
  void Deployments(const http::Request& r, const ExchangePtr& ex);
  // The engine's deployments (deployment_routes.cc): GET one, DELETE one.
  // False when `id` is none of the engine's (a tracker convergence, say).
  bool EngineDeployment(const http::Request& r, const ExchangePtr& ex, const std::string& id);
  // POST /v2/deployments/{id}/pause, /resume, /promote (Regatta's).
  void ControlDeployment(const http::Request& r, const ExchangePtr& ex, const std::string& id,
                         const std::string& action);
  void Queue(const http::Request& r, const ExchangePtr& ex);
  void Info(const http::Request& r, const ExchangePtr& ex);
  void Leader(const http::Request& r, const ExchangePtr& ex);
  void Ping(const http::Request& r, const ExchangePtr& ex);
  void Agents(const http::Request& r, const ExchangePtr& ex);
  void Groups(const http::Request& r, const ExchangePtr& ex);
  void GetGroup(const http::Request& r, const ExchangePtr& ex, const std::string& id);
  // POST (create) or PUT (create or update; scaleBy; {"version": V} rolls back).
  void WriteGroup(const http::Request& r, const ExchangePtr& ex, const std::string& id, bool create);
  void ScaleGroup(const ExchangePtr& ex, const WriteMeta& meta, const std::string& id, const Json& body);
  void DeleteGroup(const http::Request& r, const ExchangePtr& ex, const std::string& id);
  void Events(const http::Request& r, const ExchangePtr& ex);

  // Defines `spec` (a full app JSON) as `id`, or scales when only the
  // instance count changed; answers with Marathon's status for the route.
  void Define(const ExchangePtr& ex, const WriteMeta& meta, const Json& app, const std::string& id,
              std::function<void(Revision)> done);
};

// The app id a route names: segments from `first` up to a reserved word
// (tasks, versions, restart, delay) joined with '/', and what follows.
struct AppPath {
  std::string id;
  std::vector<std::string> rest;
};
AppPath SplitAppPath(const std::vector<std::string>& segments, std::size_t first);

}  // namespace regatta::marathon

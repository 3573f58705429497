#include "api/marathon/marathon_api.h"

#include <cstdlib>

#include "api/marathon/deployment_view.h"
#include "api/marathon/routes.h"

namespace regatta::marathon {
namespace {

int HttpStatusOf(StatusCode code) {
  switch (code) {
    case StatusCode::kInvalidArgument: return 422;
    case StatusCode::kNotFound: return 404;
    case StatusCode::kConflict: return 409;
    case StatusCode::kFailedPrecondition: return 412;
    case StatusCode::kUnavailable: return 503;
    default: return 500;
  }
}

// "17" or "\"17\"" (an ETag as sent back, quoted or not).
std::optional<Revision> ParseRevision(std::string text) {
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"') text = text.substr(1, text.size() - 2);
  if (text.empty() || text.size() > 19 || text.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  return std::stoull(text);
}

}  // namespace

AppPath SplitAppPath(const std::vector<std::string>& segments, std::size_t first) {
  AppPath out;
  std::size_t i = first;
  for (; i < segments.size(); ++i) {
    const std::string& s = segments[i];
    if (s == "tasks" || s == "versions" || s == "restart" || s == "delay") break;
    out.id += "/" + s;
  }
  out.rest.assign(segments.begin() + static_cast<std::ptrdiff_t>(std::min(i, segments.size())), segments.end());
  if (out.id.empty()) out.id = "/";
  return out;
}

MarathonApi::MarathonApi(api::ReadModel& model, api::Commander& commander, http::Loop& loop,
                         MarathonOptions options)
    : impl_(std::make_unique<Impl>(model, commander, loop, std::move(options))) {
  Impl* impl = impl_.get();
  model.Watch([impl](const Event& event, const ProjectionSet& before) {
    impl->tracker.Observe(event, before);
    impl->PublishEvents(event.revision, ToMarathonEvents(event, before));
  });
  model.WatchBatches([impl](const ProjectionSet& after) {
    const Revision at = after.next_revision() - 1;
    for (const Convergence& c : impl->tracker.Settle(after).converged) impl->PublishEvents(at, ConvergedEvents(c, after));
  });
}

MarathonApi::~MarathonApi() = default;

void MarathonApi::Impl::PublishEvents(Revision revision, std::vector<MarathonEvent> events) {
  hub.Publish(revision, std::move(events));
  ScheduleFlush();
}

void MarathonApi::Impl::ScheduleFlush() {
  if (!hub.pending() || flush_scheduled) return;
  flush_scheduled = true;
  const auto quiet = std::chrono::steady_clock::now() - last_flush;
  const auto wait = quiet >= options.sse_flush_interval
                        ? std::chrono::milliseconds(0)
                        : std::chrono::ceil<std::chrono::milliseconds>(options.sse_flush_interval - quiet);
  loop.After(wait, [this] { FlushSlice(); });
}

void MarathonApi::Impl::FlushSlice() {
  // About 5 ms of writes: a timer, unlike a ready promise, lets the loop
  // read its sockets before the next slice.
  constexpr std::size_t kWritesPerSlice = 1000;
  if (!hub.Flush(kWritesPerSlice)) {
    loop.After(std::chrono::milliseconds(0), [this] { FlushSlice(); });
    return;
  }
  flush_scheduled = false;
  last_flush = std::chrono::steady_clock::now();
  ScheduleFlush();
}

bool MarathonApi::Serves(const http::Request& r) {
  return r.path == "/ping" || r.path == "/master/slaves" || (!r.segments.empty() && r.segments[0] == "v2");
}

void MarathonApi::Heartbeat() { impl_->hub.Heartbeat(); }

void MarathonApi::Handle(http::Request request, std::shared_ptr<http::Exchange> exchange) {
  Impl* impl = impl_.get();
  // ?minRevision=R: the answer reflects at least revision R (read-your-writes
  // for a client that remembers what its write returned).
  if (auto wanted = request.Query("minRevision")) {
    auto revision = ParseRevision(*wanted);
    if (!revision) {
      impl->Fail(exchange, Status::InvalidField("minRevision", "must be a revision (a whole number)"));
      return;
    }
    if (!impl->model.HasApplied(*revision)) {
      auto shared = std::make_shared<http::Request>(std::move(request));
      impl->model.WhenApplied(*revision, std::chrono::steady_clock::now() + impl->options.catch_up_wait,
                              [impl, shared, exchange, revision](bool applied) {
                                if (exchange->done()) return;
                                if (!applied) {
                                  impl->Message(exchange, 504,
                                                "the view did not reach revision " + std::to_string(*revision) +
                                                    " in time; it is at " + std::to_string(impl->model.applied()));
                                  return;
                                }
                                impl->Route(*shared, exchange);
                              });
      return;
    }
  }
  impl->Route(request, exchange);
}

// ------------------------------------------------------------------ replies

void MarathonApi::Impl::Reply(const ExchangePtr& ex, int status, const Json& body, http::Headers headers) const {
  http::Response response{status, "application/json", std::move(headers),
                          body.dump(-1, ' ', false, Json::error_handler_t::replace)};
  response.headers.emplace_back("X-Regatta-Revision", std::to_string(model.applied()));
  ex->Respond(std::move(response));
}

void MarathonApi::Impl::ReplyText(const ExchangePtr& ex, int status, const std::string& content_type,
                                  std::string body, http::Headers headers) const {
  http::Response response{status, content_type, std::move(headers), std::move(body)};
  response.headers.emplace_back("X-Regatta-Revision", std::to_string(model.applied()));
  ex->Respond(std::move(response));
}

void MarathonApi::Impl::Message(const ExchangePtr& ex, int status, const std::string& message) const {
  Reply(ex, status, {{"message", message}});
}

void MarathonApi::Impl::Fail(const ExchangePtr& ex, const Status& status) const {
  const int code = HttpStatusOf(status.code());
  http::Response response{code, "application/json", {}, ""};
  Json body;
  if (code == 422) {
    const std::string field = status.field();
    const std::string path = field.empty() ? "/" : field[0] == '/' ? field : JsonPointer(field);
    body = {{"message", "Object is not valid"},
            {"details", Json::array({{{"path", path}, {"errors", Json::array({status.reason()})}}})}};
  } else {
    body = {{"message", status.reason()}};
    if (code == 412) body["details"] = Json::array({{{"path", status.field()}, {"errors", {status.reason()}}}});
  }
  if (code == 503) response.headers.emplace_back("Retry-After", "1");
  response.headers.emplace_back("X-Regatta-Revision", std::to_string(model.applied()));
  response.body = body.dump(-1, ' ', false, Json::error_handler_t::replace);
  ex->Respond(std::move(response));
}

void MarathonApi::Impl::FailJson(const ExchangePtr& ex, const Status& status) const {
  const bool empty = status.reason().find("the body is empty") != std::string::npos;
  Reply(ex, 400, {{"message", empty ? "Please specify data in JSON format" : "Invalid JSON"},
                  {"details", status.reason()}});
}

void MarathonApi::Impl::DeploymentReply(const ExchangePtr& ex, int status, Revision revision,
                                        http::Headers headers) const {
  http::Response response{status, "application/json", std::move(headers), ""};
  const std::string id = WriteDeploymentId(revision);
  response.headers.emplace_back("Marathon-Deployment-Id", id);
  response.headers.emplace_back("X-Regatta-Revision", std::to_string(model.applied()));
  response.body = DeploymentResult(id, view().last_time_nanos()).dump();
  ex->Respond(std::move(response));
}

std::string MarathonApi::Impl::WriteDeploymentId(Revision revision) const {
  return DeploymentStartedAt(view(), revision).value_or(DeploymentId(revision));
}

// ------------------------------------------------------------------ writes

WriteMeta MarathonApi::Impl::MetaOf(const http::Request& r) const {
  WriteMeta meta;
  meta.principal = r.Header("x-regatta-principal");
  if (meta.principal.empty()) meta.principal = "anonymous";
  meta.reason = r.Query("reason").value_or(r.Header("x-regatta-reason"));
  meta.force = r.Flag("force", false);
  return meta;
}

bool MarathonApi::Impl::ParseIfMatch(const http::Request& r, const ExchangePtr& ex, WriteMeta& meta) const {
  const std::string header = r.Header("if-match");
  if (header.empty() || header == "*") return true;
  meta.if_revision = ParseRevision(header);
  if (!meta.if_revision) {
    Fail(ex, Status::Field(StatusCode::kFailedPrecondition, "If-Match",
                           "must be an app's ETag (its revision), not " + header));
    return false;
  }
  return true;
}

void MarathonApi::Impl::Write(const ExchangePtr& ex, const WriteMeta& meta,
                              const std::function<void(protocol::ClientMessage::Builder)>& build,
                              std::function<void(Revision)> done) {
  capnp::MallocMessageBuilder message;
  auto command = message.initRoot<protocol::ClientMessage>();
  command.setPrincipal(meta.principal);
  command.setReason(meta.reason);
  if (meta.if_revision) {
    command.setHasIfRevision(true);
    command.setIfRevision(*meta.if_revision);
  }
  command.setCreateOnly(meta.create_only);
  command.setForce(meta.force);
  build(command);
  commander.Send(protocol::Flatten(message), [this, ex, done = std::move(done)](api::CommandReply reply) mutable {
    if (ex->done()) return;
    if (!reply.status.ok()) {
      Fail(ex, reply.status);
      return;
    }
    const Revision revision = reply.revision;
    model.WhenApplied(revision, std::chrono::steady_clock::now() + options.catch_up_wait,
                      [this, ex, revision, done = std::move(done)](bool applied) {
                        if (ex->done()) return;
                        if (!applied) {
                          Message(ex, 504, "the write is at revision " + std::to_string(revision) +
                                               ", which this API has not read from the log yet");
                          return;
                        }
                        done(revision);
                      });
  });
}

bool MarathonApi::Impl::Locked(const http::Request& r, const ExchangePtr& ex, const std::string& app_id) const {
  if (r.Flag("force", false)) return false;
  std::string id;
  if (const std::string* running = view().history().RunningDeployment(app_id)) {
    id = *running;
  } else if (auto it = tracker.converging().find(app_id); it != tracker.converging().end()) {
    id = DeploymentId(it->second.since);
  } else {
    return false;
  }
  Reply(ex, 409,
        {{"message", "App is locked by one or more deployments. Override with the option '?force=true'. "
                     "View details at '/v2/deployments/" + id + "'."},
         {"deployments", Json::array({{{"id", id}}})}});
  return true;
}

// ------------------------------------------------------------------ routing

void MarathonApi::Impl::Route(http::Request& r, const ExchangePtr& ex) {
  const auto& s = r.segments;
  if (r.path == "/ping") return Ping(r, ex);
  if (r.path == "/master/slaves") return Agents(r, ex);
  if (s.size() >= 2) {
    const std::string& what = s[1];
    if (what == "apps") return Apps(r, ex);
    if (what == "tasks") return s.size() == 3 && s[2] == "delete" ? DeleteTasks(r, ex) : Tasks(r, ex);
    if (what == "deployments") return Deployments(r, ex);
    if (what == "queue") return Queue(r, ex);
    if (what == "info") return Info(r, ex);
    if (what == "leader") return Leader(r, ex);
    if (what == "groups") return Groups(r, ex);
    if (what == "events") return Events(r, ex);
  }
  Message(ex, 404, "URI not found");
}

void MarathonApi::Impl::Apps(http::Request& r, const ExchangePtr& ex) {
  if (r.segments.size() == 2) {
    if (r.method == "GET") return ListApps(r, ex);
    if (r.method == "POST") return CreateApp(r, ex);
    if (r.method == "PUT" || r.method == "PATCH") return PutApps(r, ex, r.method == "PATCH");
    return Message(ex, 405, "/v2/apps takes GET, POST, PUT and PATCH");
  }
  AppPath path = SplitAppPath(r.segments, 2);
  App(r, ex, path.id, path.rest);
}

void MarathonApi::Impl::App(http::Request& r, const ExchangePtr& ex, const std::string& id,
                            const std::vector<std::string>& rest) {
  if (rest.empty()) {
    if (r.method == "GET") return GetApp(r, ex, id);
    if (r.method == "PUT" || r.method == "PATCH") return PutApp(r, ex, id, r.method == "PATCH");
    if (r.method == "DELETE") return DeleteApp(r, ex, id);
    return Message(ex, 405, "an app takes GET, PUT, PATCH and DELETE");
  }
  if (rest[0] == "restart" && rest.size() == 1) {
    if (r.method != "POST") return Message(ex, 405, "restart takes POST");
    return RestartApp(r, ex, id);
  }
  if (rest[0] == "versions") return AppVersions(r, ex, id, rest);
  if (rest[0] == "tasks") return AppTasks(r, ex, id, rest);
  Message(ex, 404, "URI not found");
}

}  // namespace regatta::marathon

#include "api/kubernetes/kube_api.h"

#include "api/kubernetes/kube_routes.h"
#include "api/kubernetes/strategic_merge.h"
#include "actors/protocol/codec.h"

namespace regatta::kube {

KubeApi::KubeApi(api::ReadModel& model, api::Commander& commander, http::Loop& loop, KubeOptions options)
    : impl_(std::make_unique<Impl>(model, commander, loop, std::move(options))) {}

KubeApi::~KubeApi() = default;

void KubeApi::Handle(http::Request request, std::shared_ptr<http::Exchange> exchange) {
  impl_->Route(request, exchange);
}

std::optional<ResourcePath> ParseResourcePath(const std::vector<std::string>& s) {
  ResourcePath p;
  std::size_t i = 0;
  if (s.size() >= 2 && s[0] == "api") {
    p.version = s[1];
    i = 2;
  } else if (s.size() >= 3 && s[0] == "apis") {
    p.group = s[1];
    p.version = s[2];
    i = 3;
  } else {
    return std::nullopt;
  }
  if (i >= s.size()) return std::nullopt;
  // namespaces/{ns}/{resource}... names a namespaced resource; namespaces
  // and namespaces/{ns} the namespaces themselves.
  if (s[i] == "namespaces" && i + 2 < s.size()) {
    p.ns = s[i + 1];
    i += 2;
  }
  p.resource = s[i++];
  if (i < s.size()) p.name = s[i++];
  if (i < s.size()) p.sub = s[i++];
  if (i < s.size()) return std::nullopt;
  return p;
}

Result<Json> ApplyPatch(const Json& original, const std::string& body, const std::string& content_type) {
  auto patch = DecodeBody(body, content_type);
  if (!patch.ok()) return patch;
  try {
    if (content_type.find("json-patch+json") != std::string::npos) return original.patch(*patch);
    if (content_type.find("merge-patch+json") != std::string::npos &&
        content_type.find("strategic") == std::string::npos) {
      Json merged = original;
      merged.merge_patch(*patch);
      return merged;
    }
  } catch (const Json::exception& e) {
    return Status::InvalidArgument(std::string("the patch does not apply: ") + e.what());
  }
  if (content_type.find("strategic-merge-patch") != std::string::npos ||
      content_type.find("apply-patch") != std::string::npos) {
    return StrategicMerge(original, *patch);
  }
  return Status::Field(StatusCode::kInvalidArgument, "Content-Type",
                       "a PATCH takes application/json-patch+json, application/merge-patch+json, "
                       "application/strategic-merge-patch+json or application/apply-patch+yaml, not " +
                           content_type);
}

void KubeApi::Impl::Reply(const ExchangePtr& ex, int status, const Json& body, const std::vector<std::string>& warnings,
                          const std::string& content_type) const {
  http::Response response{status, content_type, {}, body.dump(-1, ' ', false, Json::error_handler_t::replace)};
  for (const std::string& w : warnings) {
    std::string text;  // a quoted-string: its own quotes and backslashes escaped
    for (char ch : w) text += ch == '"' || ch == '\\' ? std::string("\\") + ch : std::string(1, ch);
    response.headers.emplace_back("Warning", "299 - \"" + text + "\"");
  }
  response.headers.emplace_back("X-Regatta-Revision", std::to_string(model.applied()));
  ex->Respond(std::move(response));
}

void KubeApi::Impl::ReplyList(const http::Request& r, const ExchangePtr& ex, TableKind kind,
                              const std::string& api_version, const std::string& list_kind,
                              std::vector<Json> items) const {
  if (WantsTable(r.Header("accept"))) {
    return Reply(ex, 200, TableOf(kind, items, model.applied(), Now()), {}, kTableContentType);
  }
  Reply(ex, 200, ListOf(api_version, list_kind, std::move(items), model.applied()));
}

void KubeApi::Impl::ReplyObject(const http::Request& r, const ExchangePtr& ex, TableKind kind, Json object) const {
  if (WantsTable(r.Header("accept"))) {
    return Reply(ex, 200, TableOf(kind, {object}, model.applied(), Now()), {}, kTableContentType);
  }
  Reply(ex, 200, object);
}

void KubeApi::Impl::Refuse(const ExchangePtr& ex, const Refusal& refusal) const {
  Reply(ex, refusal.code, StatusJson(refusal));
}

WriteOptions KubeApi::Impl::OptionsOf(const http::Request& r) const {
  WriteOptions o;
  o.dry_run = r.Query("dryRun").value_or("") == "All";
  o.validation = r.Query("fieldValidation").value_or("Warn");
  o.field_manager = r.Query("fieldManager").value_or("");
  o.principal = r.Header("x-regatta-principal");
  if (o.principal.empty()) o.principal = o.field_manager.empty() ? "kubernetes-api" : o.field_manager;
  return o;
}

void KubeApi::Impl::Write(const ExchangePtr& ex, const ResourcePath& path, const WriteOptions& options,
                          std::optional<Revision> if_revision, bool create_only,
                          const std::function<void(protocol::KubeWrite::Builder)>& build,
                          std::function<void(Revision)> done) {
  capnp::MallocMessageBuilder message;
  auto command = message.initRoot<protocol::ClientMessage>();
  command.setPrincipal(options.principal);
  if (if_revision) {
    command.setHasIfRevision(true);
    command.setIfRevision(*if_revision);
  }
  command.setCreateOnly(create_only);
  build(command.initKubeWrite());
  commander.Send(protocol::Flatten(message), [this, ex, path, done = std::move(done)](api::CommandReply reply) mutable {
    if (ex->done()) return;
    if (!reply.status.ok()) return Refuse(ex, RefusalOf(reply.status, path.resource, path.group, path.name));
    const Revision revision = reply.revision;
    model.WhenApplied(revision, std::chrono::steady_clock::now() + this->options.catch_up_wait,
                      [this, ex, revision, done = std::move(done)](bool applied) {
                        if (ex->done()) return;
                        if (!applied) {
                          return Refuse(ex, {504, "Timeout",
                                             "the write is at revision " + std::to_string(revision) +
                                                 ", which this API has not read from the log yet",
                                             "", "", "", {}});
                        }
                        done(revision);
                      });
  });
}

bool KubeApi::Impl::ListFilterOf(const http::Request& r, const ExchangePtr& ex, const std::string& what,
                                 ListFilter& filter) const {
  auto labels = ParseSelector(r.Query("labelSelector").value_or(""));
  if (!labels.ok()) return Refuse(ex, BadRequest(labels.status().message())), false;
  auto fields = ParseFieldSelector(r.Query("fieldSelector").value_or(""));
  if (!fields.ok()) return Refuse(ex, BadRequest(fields.status().message())), false;
  const std::string watch = r.Query("watch").value_or("false");
  if (r.Query("watch").has_value() && watch != "false" && watch != "0") {
    return Refuse(ex, MethodNotAllowed("watching " + what + " is not served yet")), false;
  }
  filter.labels = std::move(*labels);
  filter.fields = std::move(*fields);
  return true;
}

void KubeApi::Impl::Route(const http::Request& r, const ExchangePtr& ex) {
  if (Discovery(r, ex)) return;
  auto path = ParseResourcePath(r.segments);
  if (!path) return Refuse(ex, {404, "NotFound", "the server could not find the requested resource", "", "", "", {}});
  const bool core = path->group.empty() && path->version == "v1";
  const bool apps = path->group == "apps" && path->version == "v1";
  if (core && path->resource == "namespaces") return Namespaces(r, ex, *path);
  if (core && path->resource == "pods") return Pods(r, ex, *path);
  if (apps && path->resource == "deployments") return Deployments(r, ex, *path);
  Refuse(ex, {404, "NotFound", "the server could not find the requested resource (" + path->resource + ")", "", "",
              "", {}});
}

}  // namespace regatta::kube

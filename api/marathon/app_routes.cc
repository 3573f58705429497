// /v2/apps and /v2/apps/{id}: list, create, read, update, patch, delete,
// restart, versions.
#include <algorithm>
#include <cctype>

#include "api/marathon/deployment_view.h"
#include "api/marathon/label_selector.h"
#include "api/marathon/routes.h"
#include "events/domain/app_spec_check.h"
#include "events/domain/text.h"

namespace regatta::marathon {
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return Lower(haystack).find(Lower(needle)) != std::string::npos;
}

std::string Etag(const ProjectionSet& view, const std::string& app_id) {
  auto revision = view.history().AppRevision(app_id);
  return "\"" + std::to_string(revision.value_or(0)) + "\"";
}

// Marathon's partial update: the body's fields over the app as it stands.
Json Merge(Json base, const Json& patch) {
  if (!patch.is_object()) return patch;
  for (const auto& [key, value] : patch.items()) base[key] = value;
  return base;
}

// A PUT body that only names a version to go back to (Marathon's rollback).
std::optional<std::string> RollbackVersion(const Json& body) {
  if (!body.is_object() || !body.contains("version") || !body["version"].is_string()) return std::nullopt;
  for (const auto& [key, value] : body.items()) {
    if (key != "version" && key != "id") return std::nullopt;
  }
  return body["version"].get<std::string>();
}

}  // namespace

void MarathonApi::Impl::ListApps(const http::Request& r, const ExchangePtr& ex) {
  const Embed embed = ParseEmbed(r.QueryAll("embed"), Embed{});
  const std::optional<std::string> cmd = r.Query("cmd");
  const std::optional<std::string> id = r.Query("id");
  std::optional<LabelSelector> selector;
  if (auto label = r.Query("label")) {
    auto parsed = ParseLabelSelector(*label);
    if (!parsed.ok()) return Fail(ex, parsed.status());
    selector = std::move(*parsed);
  }
  Json apps = Json::array();
  for (const domain::AppDefinition* app : projections::LiveApps(view().history())) {
    auto spec = app->spec->root();
    if (cmd && !Contains(std::string(spec.getCmd().cStr()), *cmd)) continue;
    if (id && !Contains(app->id, *id)) continue;
    if (selector && !selector->Matches(app->labels)) continue;
    apps.push_back(EncodeAppInfo(view(), tracker, *app, embed));
  }
  Reply(ex, 200, {{"apps", std::move(apps)}});
}

void MarathonApi::Impl::CreateApp(const http::Request& r, const ExchangePtr& ex) {
  auto body = ParseBody(r.body);
  if (!body.ok()) return FailJson(ex, body.status());
  WriteMeta meta = MetaOf(r);
  meta.create_only = true;
  capnp::MallocMessageBuilder decoded;
  auto spec = decoded.initRoot<schema::AppSpec>();
  if (Status s = DecodeApp(*body, spec); !s.ok()) return Fail(ex, s);
  const std::string id = spec.getId().cStr();
  Write(ex, meta, [&](auto command) { command.setDefineApp(spec.asReader()); },
        [this, ex, id](Revision revision) {
          const domain::AppDefinition* app = view().history().Current(id);
          if (app == nullptr) return Message(ex, 409, "App '" + id + "' was deleted meanwhile");
          Reply(ex, 201, EncodeAppInfo(view(), tracker, *app, Embed{}),
                {{"Location", "http://" + options.advertised + "/v2/apps" + id},
                 {"Marathon-Deployment-Id", WriteDeploymentId(revision)},
                 {"ETag", Etag(view(), id)}});
        });
}

void MarathonApi::Impl::GetApp(const http::Request& r, const ExchangePtr& ex, const std::string& id) {
  const Embed embed = ParseEmbed(r.QueryAll("embed"), Embed{true, true, true, true, false, false});
  // "/prod/*": every app under /prod (Marathon's group wildcard).
  if (id.size() >= 2 && id.compare(id.size() - 2, 2, "/*") == 0) {
    const std::string prefix = id.substr(0, id.size() - 1);
    Json apps = Json::array();
    for (const domain::AppDefinition* app : projections::LiveApps(view().history())) {
      if (app->id.rfind(prefix, 0) == 0) apps.push_back(EncodeAppInfo(view(), tracker, *app, embed));
    }
    return Reply(ex, 200, {{"*", std::move(apps)}});
  }
  const domain::AppDefinition* app = view().history().Current(id);
  if (app == nullptr) return Message(ex, 404, "App '" + id + "' does not exist");
  const Revision next = view().next_revision();
  std::string key = id + '\n' + EmbedKey(embed);
  const std::string* body = rendered.Find(next, key);
  if (body == nullptr) {
    Json rendering = {{"app", EncodeAppInfo(view(), tracker, *app, embed)}};
    body = &rendered.Store(next, std::move(key), rendering.dump(-1, ' ', false, Json::error_handler_t::replace));
  }
  ReplyText(ex, 200, "application/json", *body, {{"ETag", Etag(view(), id)}});
}

void MarathonApi::Impl::Define(const ExchangePtr& ex, const WriteMeta& meta, const Json& app_json,
                               const std::string& id, std::function<void(Revision)> done) {
  capnp::MallocMessageBuilder decoded;
  auto spec = decoded.initRoot<schema::AppSpec>();
  if (Status s = DecodeApp(app_json, spec, id); !s.ok()) return Fail(ex, s);
  // Only the instance count changed: a scale, which writes no new version
  // (Marathon keeps the version and moves lastScalingAt).
  if (const domain::AppDefinition* current = view().history().Current(id)) {
    Json wanted = EncodeApp(spec.asReader(), current->version);
    Json now = EncodeApp(current->spec->root(), current->version);
    wanted.erase("instances");
    now.erase("instances");
    if (wanted == now) {
      const std::uint32_t instances = spec.getInstances();
      return Write(ex, meta,
                   [&](auto command) {
                     auto scale = command.initScaleApp();
                     scale.setAppId(id);
                     scale.setInstances(instances);
                   },
                   std::move(done));
    }
  }
  Write(ex, meta, [&](auto command) { command.setDefineApp(spec.asReader()); }, std::move(done));
}

void MarathonApi::Impl::DryRun(const ExchangePtr& ex, const Json& app_json, const std::string& id) {
  capnp::MallocMessageBuilder decoded;
  auto spec = decoded.initRoot<schema::AppSpec>();
  if (Status s = DecodeApp(app_json, spec, id); !s.ok()) return Fail(ex, s);
  if (Status s = domain::CheckAppSpec(spec.asReader()); !s.ok()) return Fail(ex, s);
  Reply(ex, 200, EncodeDryRun(view(), view().history().Current(id), spec.asReader()));
}

void MarathonApi::Impl::PutApp(const http::Request& r, const ExchangePtr& ex, const std::string& id, bool patch) {
  auto body = ParseBody(r.body);
  if (!body.ok()) return FailJson(ex, body.status());
  if (!body->is_object()) return Fail(ex, Status::InvalidField("/", "expected an object"));
  WriteMeta meta = MetaOf(r);
  if (!ParseIfMatch(r, ex, meta)) return;
  const domain::AppDefinition* current = view().history().Current(id);
  if (current == nullptr && patch) return Message(ex, 404, "App '" + id + "' does not exist");
  if (current != nullptr && Locked(r, ex, id)) return;
  Json app = *body;
  if (auto version = RollbackVersion(*body)) {
    auto old = EncodeVersion(view(), id, *version);
    if (!old) return Message(ex, 404, "App '" + id + "' does not exist in version " + *version);
    app = std::move(*old);
    for (const char* key : {"version", "regattaRevision", "regattaPrincipal", "regattaReason"}) app.erase(key);
  } else if (current != nullptr && (patch || r.Flag("partialUpdate", true))) {
    app = Merge(EncodeApp(current->spec->root(), current->version), *body);
    if (!body->contains("instances")) app["instances"] = current->instances;
  }
  if (r.Flag("dryRun", false)) return DryRun(ex, app, id);
  const bool created = current == nullptr;
  Define(ex, meta, app, id, [this, ex, id, created](Revision revision) {
    if (created) {
      return DeploymentReply(ex, 201, revision, {{"Location", "http://" + options.advertised + "/v2/apps" + id}});
    }
    DeploymentReply(ex, 200, revision, {{"ETag", Etag(view(), id)}});
  });
}

void MarathonApi::Impl::PutApps(const http::Request& r, const ExchangePtr& ex, bool patch) {
  auto body = ParseBody(r.body);
  if (!body.ok()) return FailJson(ex, body.status());
  if (!body->is_array()) return Fail(ex, Status::InvalidField("/", "expected an array of apps"));
  // Each app is checked before any is written, so a bad one writes none.
  std::vector<std::pair<std::string, Json>> apps;
  for (std::size_t i = 0; i < body->size(); ++i) {
    const Json& one = (*body)[i];
    if (!one.is_object() || !one.contains("id") || !one["id"].is_string()) {
      return Fail(ex, Status::InvalidField("/" + std::to_string(i) + "/id", "required"));
    }
    const std::string id = NormalizeAppId(one["id"].get<std::string>());
    const domain::AppDefinition* current = view().history().Current(id);
    if (current != nullptr && Locked(r, ex, id)) return;
    Json app = one;
    if (current != nullptr && (patch || r.Flag("partialUpdate", true))) {
      app = Merge(EncodeApp(current->spec->root(), current->version), one);
      if (!one.contains("instances")) app["instances"] = current->instances;
    }
    capnp::MallocMessageBuilder check;
    if (Status s = DecodeApp(app, check.initRoot<schema::AppSpec>(), id); !s.ok()) {
      return Fail(ex, Status::InvalidField("/" + std::to_string(i) + (s.field() == "/" ? "" : s.field()), s.reason()));
    }
    apps.emplace_back(id, std::move(app));
  }
  if (apps.empty()) return Fail(ex, Status::InvalidField("/", "no apps to update"));
  auto shared = std::make_shared<std::vector<std::pair<std::string, Json>>>(std::move(apps));
  auto next = std::make_shared<std::function<void(std::size_t)>>();
  const WriteMeta meta = MetaOf(r);
  // One after the other: a failure stops the rest, and the answer says
  // which were written (Marathon deploys them in one plan; Regatta's
  // master takes one app per command until the deployment engine lands).
  *next = [this, ex, shared, next, meta](std::size_t i) {
    Define(ex, meta, (*shared)[i].second, (*shared)[i].first, [this, ex, shared, next, i](Revision revision) {
      if (i + 1 == shared->size()) {
        DeploymentReply(ex, 200, revision);
        *next = nullptr;  // the cycle through the shared function ends here
        return;
      }
      (*next)(i + 1);
    });
  };
  (*next)(0);
}

void MarathonApi::Impl::DeleteApp(const http::Request& r, const ExchangePtr& ex, const std::string& id) {
  WriteMeta meta = MetaOf(r);
  if (!ParseIfMatch(r, ex, meta)) return;
  if (view().history().Current(id) == nullptr) return Message(ex, 404, "App '" + id + "' does not exist");
  if (Locked(r, ex, id)) return;
  Write(ex, meta, [&](auto command) { command.setDeleteApp(id); },
        [this, ex](Revision revision) { DeploymentReply(ex, 200, revision); });
}

void MarathonApi::Impl::RestartApp(const http::Request& r, const ExchangePtr& ex, const std::string& id) {
  const domain::AppDefinition* app = view().history().Current(id);
  if (app == nullptr) return Message(ex, 404, "App '" + id + "' does not exist");
  if (Locked(r, ex, id)) return;
  WriteMeta meta = MetaOf(r);
  if (meta.reason.empty()) meta.reason = "restart";
  // A restart is a new version of the same definition: every task is replaced.
  capnp::MallocMessageBuilder copy;
  copy.setRoot(app->spec->root());
  auto spec = copy.getRoot<schema::AppSpec>();
  spec.setInstances(app->instances);
  Write(ex, meta, [&](auto command) { command.setDefineApp(spec.asReader()); },
        [this, ex](Revision revision) { DeploymentReply(ex, 200, revision); });
}

void MarathonApi::Impl::AppVersions(const http::Request& r, const ExchangePtr& ex, const std::string& id,
                                    const std::vector<std::string>& rest) {
  if (r.method != "GET") return Message(ex, 405, "versions take GET");
  if (view().history().apps().count(id) == 0) return Message(ex, 404, "App '" + id + "' does not exist");
  if (rest.size() == 1) return Reply(ex, 200, EncodeVersions(view(), id));
  if (rest.size() != 2) return Message(ex, 404, "URI not found");
  auto version = EncodeVersion(view(), id, rest[1]);
  if (!version) return Message(ex, 404, "App '" + id + "' does not exist in version " + rest[1]);
  // Who made it and why go in headers: python3-marathon reads the body as
  // an app and fails on keys it does not know. /versions lists them too.
  http::Headers audit = {{"X-Regatta-Principal", domain::OneLine((*version)["regattaPrincipal"].get<std::string>())},
                         {"X-Regatta-Reason", domain::OneLine((*version)["regattaReason"].get<std::string>())},
                         {"X-Regatta-Version-Revision", std::to_string((*version)["regattaRevision"].get<Revision>())}};
  version->erase("regattaPrincipal");
  version->erase("regattaReason");
  version->erase("regattaRevision");
  Reply(ex, 200, *version, std::move(audit));
}

}  // namespace regatta::marathon

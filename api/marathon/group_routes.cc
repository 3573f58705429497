// /v2/groups: Marathon's group tree, read (group_view.h) and written
// through the master (DecideDefineGroup and friends): create, update,
// scale, roll back, delete, and every version ever.
#include <set>

#include "api/marathon/deployment_view.h"
#include "api/marathon/group_json.h"
#include "api/marathon/group_view.h"
#include "api/marathon/routes.h"
#include "events/domain/app_spec_check.h"
#include "events/domain/group_paths.h"

namespace regatta::marathon {
namespace {

// "/v2/groups/prod/web/versions/V" -> id "/prod/web", rest {"versions", "V"}.
AppPath SplitGroupPath(const std::vector<std::string>& segments) {
  std::size_t end = 2;
  while (end < segments.size() && segments[end] != "versions") ++end;
  std::string id;
  for (std::size_t i = 2; i < end; ++i) id.append(segments[i]).push_back('/');
  AppPath out;
  out.id = NormalizeAppId(id);
  out.rest.assign(segments.begin() + static_cast<std::ptrdiff_t>(end), segments.end());
  return out;
}

// A body that only names a version (and perhaps the id): a rollback.
std::optional<std::string> OnlyVersion(const Json& body) {
  if (!body.contains("version") || !body["version"].is_string()) return std::nullopt;
  for (const auto& [key, value] : body.items()) {
    if (key != "version" && key != "id") return std::nullopt;
  }
  return body["version"].get<std::string>();
}

// The written group's version as the view now has it.
std::string GroupVersion(const ProjectionSet& view, const std::string& id) {
  const projections::GroupChange* group = view.history().CurrentGroup(id);
  return group != nullptr ? group->version : Timestamp(view.last_time_nanos());
}

}  // namespace

void MarathonApi::Impl::Groups(const http::Request& r, const ExchangePtr& ex) {
  const AppPath path = SplitGroupPath(r.segments);
  if (r.method == "GET") {
    if (path.rest.empty()) return GetGroup(r, ex, path.id);
    if (path.rest.size() == 1) {
      auto versions = EncodeGroupVersions(view(), path.id);
      if (!versions) return Message(ex, 404, "Group '" + path.id + "' does not exist");
      return Reply(ex, 200, (*versions)["versions"]);  // Marathon's shape: a bare array
    }
    if (path.rest.size() == 2) {
      auto group = EncodeGroupAt(view(), path.id, path.rest[1]);
      if (!group) return Message(ex, 404, "Group '" + path.id + "' does not exist in version " + path.rest[1]);
      return Reply(ex, 200, *group);
    }
    return Message(ex, 404, "URI not found");
  }
  if (!path.rest.empty()) return Message(ex, 405, "a group's versions are read-only");
  if (r.method == "POST") return WriteGroup(r, ex, path.id, true);
  if (r.method == "PUT") return WriteGroup(r, ex, path.id, false);
  if (r.method == "DELETE") return DeleteGroup(r, ex, path.id);
  Message(ex, 405, "/v2/groups takes GET, POST, PUT and DELETE");
}

namespace {

// PUT or POST /v2/groups?dryRun=true: each app the write names, as the app
// dry run shows it (its diff, kind and steps), and, where the group lists
// its apps, the live ones it would delete. Nested groups' apps included.
// The master still checks the write as a whole (paths, dependencies) only
// when it is made.
void AddGroupDryRun(const ProjectionSet& view, schema::GroupSpec::Reader group, Json& apps) {
  std::set<std::string> named;
  for (auto app : group.getApps()) {
    named.insert(app.getId().cStr());
    Json one = EncodeDryRun(view, view.history().Current(app.getId().cStr()), app);
    if (Status s = domain::CheckAppSpec(app); !s.ok()) one["error"] = s.message();
    apps.push_back(std::move(one));
  }
  if (group.getHasApps()) {
    const std::string id = group.getId().cStr();
    for (const auto& [app_id, app] : view.history().current()) {
      if (domain::ParentPath(app_id) == id && !named.count(app_id)) {
        apps.push_back({{"dryRun", true}, {"id", app_id}, {"kind", "delete"}, {"diff", Json::array()},
                        {"steps", Json::array({{{"start", 0}, {"kill", app.instances}, {"oldAfter", 0}, {"newAfter", 0}}})}});
      }
    }
  }
  for (auto child : group.getGroups()) AddGroupDryRun(view, child, apps);
}

Json GroupDryRun(const ProjectionSet& view, schema::GroupSpec::Reader group) {
  Json apps = Json::array();
  AddGroupDryRun(view, group, apps);
  return {{"dryRun", true}, {"id", group.getId().cStr()}, {"apps", std::move(apps)}};
}

}  // namespace

void MarathonApi::Impl::GetGroup(const http::Request& r, const ExchangePtr& ex, const std::string& id) {
  const Embed embed = ParseEmbed(r.QueryAll("embed"), Embed{});
  auto group = EncodeGroupNow(view(), id, [&](const std::string& app_id) {
    return EncodeAppInfo(view(), tracker, *view().history().Current(app_id), embed);
  });
  if (!group) return Message(ex, 404, "Group '" + id + "' does not exist");
  Reply(ex, 200, *group);
}

void MarathonApi::Impl::WriteGroup(const http::Request& r, const ExchangePtr& ex, const std::string& id, bool create) {
  auto body = ParseBody(r.body);
  if (!body.ok()) return FailJson(ex, body.status());
  if (!body->is_object()) return Fail(ex, Status::InvalidField("/", "expected an object"));
  WriteMeta meta = MetaOf(r);
  if (!create && body->contains("scaleBy")) return ScaleGroup(ex, meta, id, *body);
  Json group_json = *body;
  if (auto version = OnlyVersion(*body); version && !create) {
    auto old = EncodeGroupAt(view(), id, *version);
    if (!old) return Message(ex, 404, "Group '" + id + "' does not exist in version " + *version);
    group_json = std::move(*old);  // the tree as it was, written again as a new version
  }
  meta.create_only = create;
  capnp::MallocMessageBuilder decoded;
  auto group = decoded.initRoot<schema::GroupSpec>();
  if (Status s = DecodeGroup(group_json, group, id, !create); !s.ok()) return Fail(ex, s);
  if (r.Flag("dryRun", false)) return Reply(ex, 200, GroupDryRun(view(), group.asReader()));
  for (auto app : group.asReader().getApps()) {
    if (Locked(r, ex, app.getId().cStr())) return;
  }
  const std::string group_id = group.getId().cStr();
  Write(ex, meta, [&](auto command) { command.setDefineGroup(group.asReader()); },
        [this, ex, group_id, create](Revision revision) {
          const std::string deployment = WriteDeploymentId(revision);
          http::Headers headers{{"Marathon-Deployment-Id", deployment}};
          if (create) headers.emplace_back("Location", "http://" + options.advertised + "/v2/groups" + group_id);
          Reply(ex, create ? 201 : 200, {{"version", GroupVersion(view(), group_id)}, {"deploymentId", deployment}},
                std::move(headers));
        });
}

void MarathonApi::Impl::ScaleGroup(const ExchangePtr& ex, const WriteMeta& meta, const std::string& id, const Json& body) {
  for (const auto& [key, value] : body.items()) {
    if (key != "scaleBy" && key != "id") {
      return Fail(ex, Status::InvalidField("/" + key, "scaleBy scales a whole group on its own: send it without other fields"));
    }
  }
  if (!body["scaleBy"].is_number()) return Fail(ex, Status::InvalidField("/scaleBy", "expected a number"));
  const double factor = body["scaleBy"].get<double>();
  Write(ex, meta,
        [&](auto command) {
          auto scale = command.initScaleGroup();
          scale.setGroupId(id);
          scale.setFactor(factor);
        },
        [this, ex](Revision revision) { DeploymentReply(ex, 200, revision); });
}

void MarathonApi::Impl::DeleteGroup(const http::Request& r, const ExchangePtr& ex, const std::string& id) {
  Write(ex, MetaOf(r), [&](auto command) { command.setDeleteGroup(id); },
        [this, ex](Revision revision) { DeploymentReply(ex, 200, revision); });
}

}  // namespace regatta::marathon

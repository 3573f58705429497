// /v2/groups, read-only: Marathon's group tree as app ids imply it (an app
// /prod/web/api is in /prod/web, which is in /prod, which is in /). Groups
// defined on their own, with dependencies, and group writes are not served
// yet: a write gets 405 saying so, never a silent success.
#include <map>

#include "api/marathon/routes.h"

namespace regatta::marathon {
namespace {

std::string ParentOf(const std::string& id) {
  const std::size_t slash = id.rfind('/');
  return slash == 0 || slash == std::string::npos ? "/" : id.substr(0, slash);
}

struct GroupNode {
  std::vector<const domain::AppDefinition*> apps;
  std::set<std::string> children;
};

}  // namespace

void MarathonApi::Impl::Groups(const http::Request& r, const ExchangePtr& ex) {
  if (r.method != "GET") {
    return Message(ex, 405, "Regatta serves /v2/groups read-only for now: groups are the tree of app ids");
  }
  std::string id = "/";
  for (std::size_t i = 2; i < r.segments.size(); ++i) id += (id.size() > 1 ? "/" : "") + r.segments[i];
  std::map<std::string, GroupNode> groups;
  groups["/"];
  for (const domain::AppDefinition* app : projections::LiveApps(view().history())) {
    std::string group = ParentOf(app->id);
    groups[group].apps.push_back(app);
    for (std::string child = group; child != "/"; child = ParentOf(child)) groups[ParentOf(child)].children.insert(child);
  }
  if (!groups.count(id)) return Message(ex, 404, "Group '" + id + "' does not exist");
  const Embed embed = ParseEmbed(r.QueryAll("embed"), Embed{});
  const std::string version = Timestamp(view().last_time_nanos());
  std::function<Json(const std::string&)> encode = [&](const std::string& group) {
    Json apps = Json::array(), children = Json::array();
    for (const domain::AppDefinition* app : groups[group].apps) apps.push_back(EncodeAppInfo(view(), tracker, *app, embed));
    for (const std::string& child : groups[group].children) children.push_back(encode(child));
    return Json{{"id", group}, {"apps", std::move(apps)}, {"groups", std::move(children)},
                {"dependencies", Json::array()}, {"version", version}};
  };
  Reply(ex, 200, encode(id));
}

}  // namespace regatta::marathon

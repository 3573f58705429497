// Tasks: /v2/tasks, /v2/tasks/delete, /v2/apps/{id}/tasks[/{taskId}].
#include <algorithm>
#include <cctype>

#include "api/marathon/routes.h"

namespace regatta::marathon {
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// Marathon's ?status=running|staging (also status[]=...), any case.
bool StatusTakes(const std::vector<std::string>& wanted, schema::TaskState state) {
  if (wanted.empty()) return true;
  for (const std::string& w : wanted) {
    const std::string s = Lower(w);
    if (s == "running" && state == schema::TaskState::RUNNING) return true;
    if (s == "staging" && (state == schema::TaskState::STAGING || state == schema::TaskState::STARTING)) return true;
  }
  return false;
}

}  // namespace

void MarathonApi::Impl::Tasks(const http::Request& r, const ExchangePtr& ex) {
  if (r.segments.size() != 2) return Message(ex, 404, "URI not found");
  if (r.method != "GET") return Message(ex, 405, "/v2/tasks takes GET");
  std::vector<std::string> wanted = r.QueryAll("status");
  for (const std::string& s : r.QueryAll("status[]")) wanted.push_back(s);
  std::string body = "{\"tasks\":[";
  body.reserve(400 * view().scheduling().tasks().size());  // about what one task takes
  bool first = true;
  // Written as it goes: 100,000 tasks stay one string, not a JSON tree.
  for (const auto& [id, task] : view().scheduling().tasks()) {
    if (!StatusTakes(wanted, task.state)) continue;
    if (!first) body += ',';
    first = false;
    WriteTask(body, view(), id, task, true);
  }
  body += "]}";
  ReplyText(ex, 200, "application/json", std::move(body));
}

void MarathonApi::Impl::KillTasks(const http::Request& r, const ExchangePtr& ex, std::vector<std::string> ids,
                                  bool scale, std::function<void(Revision, const Json&)> done) {
  Json killed = Json::array();
  for (const std::string& id : ids) {
    auto task = view().scheduling().tasks().find(id);
    if (task != view().scheduling().tasks().end()) killed.push_back(EncodeTask(view(), id, task->second, false));
  }
  if (ids.empty()) return done(model.applied(), killed);
  WriteMeta meta = MetaOf(r);
  Write(ex, meta,
        [&](auto command) {
          auto kill = command.initKillTasks();
          kill.setScale(scale);
          auto list = kill.initTaskIds(static_cast<unsigned>(ids.size()));
          for (unsigned i = 0; i < ids.size(); ++i) list.set(i, ids[i]);
        },
        [done = std::move(done), killed = std::move(killed)](Revision revision) { done(revision, killed); });
}

void MarathonApi::Impl::AppTasks(const http::Request& r, const ExchangePtr& ex, const std::string& id,
                                 const std::vector<std::string>& rest) {
  if (rest.size() > 2) return Message(ex, 404, "URI not found");
  const bool known = view().history().Current(id) != nullptr || !tracker.TasksOf(id).empty();
  if (!known) return Message(ex, 404, "App '" + id + "' does not exist");
  if (r.Flag("scale", false) && r.Flag("wipe", false)) {
    return Message(ex, 400, "You cannot use scale and wipe at the same time.");
  }
  const bool scale = r.Flag("scale", false);
  if (rest.size() == 2) {  // one task
    if (r.method != "DELETE") return Message(ex, 405, "a task takes DELETE");
    const std::string& task_id = rest[1];
    auto task = view().scheduling().tasks().find(task_id);
    if (task == view().scheduling().tasks().end() || task->second.app_id != id) {
      return Message(ex, 404, "Task '" + task_id + "' does not exist");
    }
    return KillTasks(r, ex, {task_id}, scale, [this, ex, scale](Revision revision, const Json& killed) {
      if (scale) return DeploymentReply(ex, 200, revision);
      Reply(ex, 200, {{"task", killed.empty() ? Json::object() : killed[0]}});
    });
  }
  if (r.method == "GET") {
    Json tasks = Json::array();
    for (const std::string& task_id : tracker.TasksOf(id)) {
      auto task = view().scheduling().tasks().find(task_id);
      if (task != view().scheduling().tasks().end()) tasks.push_back(EncodeTask(view(), task_id, task->second, false));
    }
    return Reply(ex, 200, {{"tasks", std::move(tasks)}});
  }
  if (r.method != "DELETE") return Message(ex, 405, "an app's tasks take GET and DELETE");
  const std::string host = r.Query("host").value_or("*");
  std::vector<std::string> ids;
  for (const std::string& task_id : tracker.TasksOf(id)) {
    auto task = view().scheduling().tasks().find(task_id);
    if (task == view().scheduling().tasks().end()) continue;
    if (host != "*" && host != "" && task->second.hostname != host) continue;
    ids.push_back(task_id);
  }
  KillTasks(r, ex, ids, scale, [this, ex, scale](Revision revision, const Json& killed) {
    if (scale) return DeploymentReply(ex, 200, revision);
    Reply(ex, 200, {{"tasks", killed}});
  });
}

void MarathonApi::Impl::DeleteTasks(const http::Request& r, const ExchangePtr& ex) {
  if (r.method != "POST") return Message(ex, 405, "/v2/tasks/delete takes POST");
  auto body = ParseBody(r.body);
  if (!body.ok()) return FailJson(ex, body.status());
  if (!body->is_object() || !body->contains("ids") || !(*body)["ids"].is_array()) {
    return Fail(ex, Status::InvalidField("/ids", "expected an array of task ids"));
  }
  for (const auto& [key, value] : body->items()) {
    if (key != "ids") return Fail(ex, Status::InvalidField("/" + key, "is not a field Marathon defines here"));
  }
  std::vector<std::string> ids;
  const Json& list = (*body)["ids"];
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (!list[i].is_string()) return Fail(ex, Status::InvalidField("/ids/" + std::to_string(i), "expected a string"));
    // Marathon skips ids it does not know.
    if (view().scheduling().tasks().count(list[i].get<std::string>())) ids.push_back(list[i].get<std::string>());
  }
  if (r.Flag("scale", false) && r.Flag("wipe", false)) {
    return Message(ex, 400, "You cannot use scale and wipe at the same time.");
  }
  const bool scale = r.Flag("scale", false);
  KillTasks(r, ex, ids, scale, [this, ex, scale](Revision revision, const Json& killed) {
    if (scale) return DeploymentReply(ex, 200, revision);
    Reply(ex, 200, {{"tasks", killed}});
  });
}

}  // namespace regatta::marathon

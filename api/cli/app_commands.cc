// regatta run | scale | kill | tasks | agents: the cluster through its HTTP
// API (api_client.h), never the log or the master directly.
#include <cstdio>
#include <iostream>

#include "api/cli/api_client.h"
#include "api/cli/commands.h"
#include "api/http/client.h"

namespace regatta::cli {
namespace {

// "/sleep" for `sleep 100`: a readable default id.
std::string DefaultAppId(const std::string& command) {
  std::string word = command.substr(0, command.find(' '));
  word = word.substr(word.rfind('/') + 1);
  std::string id = "/";
  for (char c : word) id += (std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '-');
  return id.size() > 1 ? id : "/app";
}

Result<Json> Constraints(const std::vector<std::string>& constraints) {
  Json list = Json::array();
  for (const std::string& c : constraints) {
    const std::size_t first = c.find(':');
    if (first == std::string::npos || first == 0) {
      return Status::InvalidArgument("--constraint: '" + c + "' is not FIELD:OPERATOR[:VALUE]");
    }
    const std::size_t second = c.find(':', first + 1);
    Json one = {c.substr(0, first),
                c.substr(first + 1, second == std::string::npos ? std::string::npos : second - first - 1)};
    if (second != std::string::npos) one.push_back(c.substr(second + 1));
    list.push_back(std::move(one));
  }
  return list;
}

// The app as Marathon's JSON, for PUT /v2/apps/{id}.
Result<Json> AppJson(const RunOptions& options, const std::string& id) {
  Json app = {{"id", id}, {"instances", options.instances}, {"cpus", options.cpus}, {"mem", options.mem}};
  std::string joined;
  for (const auto& word : options.command) joined += (joined.empty() ? "" : " ") + word;
  if (options.command.size() == 1) {
    app["cmd"] = options.command[0];
  } else {
    app["args"] = options.command;
  }
  const bool required = !options.host_ports.empty();
  Json ports = Json::array();
  if (required) {
    for (std::uint32_t port : options.host_ports) ports.push_back({{"port", port}, {"protocol", "tcp"}});
  } else {
    for (std::uint32_t i = 0; i < options.ports; ++i) ports.push_back({{"port", 0}, {"protocol", "tcp"}});
  }
  app["portDefinitions"] = std::move(ports);
  app["requirePorts"] = required;
  auto constraints = Constraints(options.constraints);
  if (!constraints.ok()) return constraints.status();
  app["constraints"] = std::move(*constraints);
  if (options.job) {
    app["kind"] = "job";
    app["maxRetries"] = options.max_retries;
  }
  return app;
}

std::string Force(bool force) { return force ? "?force=true" : ""; }

}  // namespace

int Run(const GlobalOptions& global, const RunOptions& options) {
  if (options.command.empty()) return Fail(Status::InvalidArgument("run: give the command after --"));
  if (options.id_given && options.id.empty()) return Fail(Status::InvalidField("--id", "must not be empty"));
  std::string joined;
  for (const auto& word : options.command) joined += (joined.empty() ? "" : " ") + word;
  const std::string id = options.id.empty() ? DefaultAppId(joined) : options.id;
  auto app = AppJson(options, id);
  if (!app.ok()) return Fail(app.status());
  // PUT creates the app or replaces its definition, as `run` always has.
  auto answer = CallApi(global, "PUT", AppPath(id) + Force(options.force), *app, options.reason);
  if (!answer.ok()) return Fail(answer.status());
  std::cout << (options.job ? "job " : "app ") << id << " defined: " << options.instances
            << (options.job ? " completion(s)\n" : " instance(s)\n");
  return 0;
}

int Scale(const GlobalOptions& global, const ScaleOptions& options) {
  // PATCH, not PUT: an app that does not exist is 404, not a new app.
  auto answer = CallApi(global, "PATCH", AppPath(options.app_id) + Force(options.force),
                        {{"instances", options.instances}}, options.reason);
  if (!answer.ok()) return Fail(answer.status());
  return 0;
}

int Kill(const GlobalOptions& global, const KillOptions& options) {
  auto answer = CallApi(global, "POST", "/v2/tasks/delete", {{"ids", {options.task_id}}}, options.reason);
  if (!answer.ok()) return Fail(answer.status());
  // Marathon answers the tasks it knew; an unknown id is simply absent.
  if (!answer->contains("tasks") || (*answer)["tasks"].empty()) {
    return Fail(Status::NotFound("no live task " + options.task_id));
  }
  return 0;
}

int Tasks(const GlobalOptions& global) {
  auto answer = CallApi(global, "GET", "/v2/tasks");
  if (!answer.ok()) return Fail(answer.status());
  Json tasks = answer->value("tasks", Json::array());
  std::sort(tasks.begin(), tasks.end(),
            [](const Json& a, const Json& b) { return a.value("id", "") < b.value("id", ""); });
  std::printf("%-44s %-16s %-16s %-18s %s\n", "TASK", "APP", "HOST", "STATE", "PORTS");
  for (const Json& t : tasks) {
    std::string ports;
    for (const Json& p : t.value("ports", Json::array())) ports += (ports.empty() ? "" : ",") + p.dump();
    std::printf("%-44s %-16s %-16s %-18s %s\n", t.value("id", "").c_str(), t.value("appId", "").c_str(),
                t.value("host", "").c_str(), t.value("state", "").c_str(), ports.c_str());
  }
  return 0;
}

int Agents(const GlobalOptions& global) {
  auto answer = CallApi(global, "GET", "/master/slaves");
  if (!answer.ok()) return Fail(answer.status());
  std::printf("%-38s %-16s %-12s %-13s %-17s %s\n", "ID", "HOSTNAME", "STATUS", "CPUS", "MEM (MB)", "TASKS");
  for (const Json& a : answer->value("slaves", Json::array())) {
    const Json total = a.value("resources", Json::object()), used = a.value("used_resources", Json::object());
    std::printf("%-38s %-16s %-12s %5.2f/%-7.2f %7.0f/%-9.0f %llu\n", a.value("id", "").c_str(),
                a.value("hostname", "").c_str(), a.value("regatta_status", "").c_str(), used.value("cpus", 0.0),
                total.value("cpus", 0.0), used.value("mem", 0.0), total.value("mem", 0.0),
                static_cast<unsigned long long>(a.value("regatta_task_count", 0)));
  }
  return 0;
}

}  // namespace regatta::cli

#include "agents/containerizer/launch_spec.h"

#include <cctype>
#include <cmath>
#include <map>

namespace regatta::agent {
namespace {

constexpr size_t kMaxTaskIdBytes = 200;
constexpr char kDefaultPath[] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

bool IsTaskIdChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-' ||
         c == ':' || c == '@' || c == '+';
}

Status ValidateTaskId(const std::string& id) {
  if (id.empty()) return Status::InvalidArgument("task_id is empty");
  if (id.size() > kMaxTaskIdBytes) return Status::InvalidArgument("task_id is too long: " + id);
  if (id == "." || id == "..") return Status::InvalidArgument("task_id may not be " + id);
  for (char c : id) {
    if (!IsTaskIdChar(c)) {
      return Status::InvalidArgument("task_id '" + id + "' has a character outside [A-Za-z0-9._:@+-]");
    }
  }
  return Status::Ok();
}

Status ValidateEnv(const EnvVars& env) {
  for (const auto& [key, value] : env) {
    if (key.empty() || key.find('=') != std::string::npos || key.find('\0') != std::string::npos) {
      return Status::InvalidArgument("env: bad variable name '" + key + "'");
    }
    if (value.find('\0') != std::string::npos) {
      return Status::InvalidArgument("env: " + key + " holds a NUL byte");
    }
  }
  return Status::Ok();
}

}  // namespace

Status ValidateLaunchSpec(const LaunchSpec& spec) {
  REGATTA_RETURN_IF_ERROR(ValidateTaskId(spec.task_id));
  if (spec.app_id.find('\n') != std::string::npos) {
    return Status::InvalidArgument("app_id holds a newline");
  }
  if (!spec.container_image.empty()) {
    return Status::FailedPrecondition("task " + spec.task_id + ": image " + spec.container_image +
                                      " needs a container runtime, and this agent has only the process "
                                      "containerizer (no OCI runtime)");
  }
  if (!spec.cmd.empty() && !spec.argv.empty()) {
    return Status::InvalidArgument("task " + spec.task_id + ": set cmd or argv, not both");
  }
  if (spec.cmd.empty() && (spec.argv.empty() || spec.argv[0].empty())) {
    return Status::InvalidArgument("task " + spec.task_id + ": no cmd and no argv");
  }
  if (!std::isfinite(spec.cpus) || spec.cpus < 0) {
    return Status::InvalidArgument("task " + spec.task_id + ": cpus must be >= 0");
  }
  if (spec.port_names.size() > spec.host_ports.size()) {
    return Status::InvalidArgument("task " + spec.task_id + ": more port names than ports");
  }
  if (spec.kill_grace.count() < 0) {
    return Status::InvalidArgument("task " + spec.task_id + ": negative kill_grace");
  }
  if (spec.hostname.find('\n') != std::string::npos) {
    return Status::InvalidArgument("hostname holds a newline");
  }
  return ValidateEnv(spec.env);
}

std::vector<std::string> CommandLine(const LaunchSpec& spec) {
  if (!spec.cmd.empty()) return {"/bin/sh", "-c", spec.cmd};
  return spec.argv;
}

std::string PortVariableName(const std::string& port_name) {
  std::string name = "PORT_";
  for (char c : port_name) {
    auto u = static_cast<unsigned char>(c);
    name += std::isalnum(u) ? static_cast<char>(std::toupper(u)) : '_';
  }
  return name;
}

std::vector<std::string> BuildTaskEnvironment(const LaunchSpec& spec, const std::string& sandbox,
                                              const EnvVars& inherited) {
  std::map<std::string, std::string> env = {{"PATH", kDefaultPath}};
  for (const auto& [key, value] : inherited) env[key] = value;
  for (size_t i = 0; i < spec.host_ports.size(); ++i) {
    std::string port = std::to_string(spec.host_ports[i]);
    env["PORT" + std::to_string(i)] = port;
    if (i == 0) env["PORT"] = port;
    if (i < spec.port_names.size() && !spec.port_names[i].empty()) {
      env[PortVariableName(spec.port_names[i])] = port;
    }
  }
  if (!spec.hostname.empty()) env["HOST"] = spec.hostname;
  for (const auto& [key, value] : spec.env) env[key] = value;
  env["REGATTA_TASK_ID"] = spec.task_id;
  env["REGATTA_APP_ID"] = spec.app_id;
  env["REGATTA_SANDBOX"] = sandbox;
  std::vector<std::string> out;
  for (const auto& [key, value] : env) out.push_back(key + "=" + value);
  return out;
}

}  // namespace regatta::agent

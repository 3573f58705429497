#include "agents/containerizer/executor_args.h"

#include <charconv>

namespace regatta::agent {

std::vector<std::string> EncodeExecutorArgs(const ExecutorConfig& c) {
  std::vector<std::string> args = {"--task-id", c.task_id, "--app-id", c.app_id,
                                   "--kill-grace-ms", std::to_string(c.kill_grace.count())};
  for (const std::string& dir : c.cgroups) {
    args.push_back("--cgroup");
    args.push_back(dir);
  }
  if (c.isolate_namespaces) args.push_back("--isolate");
  if (!c.hostname.empty()) {
    args.push_back("--hostname");
    args.push_back(c.hostname);
  }
  args.push_back("--");
  args.insert(args.end(), c.command.begin(), c.command.end());
  return args;
}

namespace {

Status ApplyFlag(const std::string& flag, const std::string& value, ExecutorConfig& c) {
  if (flag == "--task-id") {
    c.task_id = value;
  } else if (flag == "--app-id") {
    c.app_id = value;
  } else if (flag == "--cgroup") {
    c.cgroups.push_back(value);
  } else if (flag == "--hostname") {
    c.hostname = value;
  } else if (flag == "--kill-grace-ms") {
    long long ms = 0;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), ms);
    if (ec != std::errc() || ptr != value.data() + value.size() || ms < 0) {
      return Status::InvalidArgument("--kill-grace-ms: not a count of milliseconds: " + value);
    }
    c.kill_grace = std::chrono::milliseconds(ms);
  } else {
    return Status::InvalidArgument("unknown flag " + flag);
  }
  return Status::Ok();
}

}  // namespace

Result<ExecutorConfig> DecodeExecutorArgs(const std::vector<std::string>& args) {
  ExecutorConfig c;
  size_t i = 0;
  for (; i < args.size() && args[i] != "--"; ++i) {
    if (args[i] == "--isolate") {
      c.isolate_namespaces = true;
      continue;
    }
    if (i + 1 >= args.size()) return Status::InvalidArgument(args[i] + " needs a value");
    REGATTA_RETURN_IF_ERROR(ApplyFlag(args[i], args[i + 1], c));
    ++i;
  }
  if (i == args.size()) return Status::InvalidArgument("missing '--' before the command");
  c.command.assign(args.begin() + static_cast<long>(i) + 1, args.end());
  if (c.command.empty()) return Status::InvalidArgument("no command after '--'");
  if (c.task_id.empty()) return Status::InvalidArgument("--task-id is required");
  return c;
}

}  // namespace regatta::agent

// ProcessContainerizer: creating, launching, killing and describing tasks.
// Watching them end and recovering them is in containerizer_watch.cc.
#include "agents/containerizer/containerizer.h"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "agents/containerizer/executor_args.h"
#include "agents/containerizer/process.h"

namespace regatta::agent {
namespace {

EnvVars InheritedEnvironment() {
  EnvVars vars;
  for (const char* name : kInheritedVariables) {
    if (const char* value = std::getenv(name)) vars.emplace_back(name, value);
  }
  return vars;
}

Result<std::string> PrepareWorkDir(const std::string& work_dir) {
  if (work_dir.empty()) return Status::InvalidArgument("work dir is empty");
  std::error_code ec;
  std::filesystem::create_directories(work_dir + "/sandboxes", ec);
  if (ec) return Status::IoError("work dir " + work_dir + ": " + ec.message());
  std::filesystem::path absolute = std::filesystem::canonical(work_dir, ec);
  if (ec) return Status::IoError("work dir " + work_dir + ": " + ec.message());
  return absolute.string();
}

ExecutorConfig ConfigFor(const LaunchSpec& spec, std::vector<std::string> cgroups) {
  ExecutorConfig config;
  config.task_id = spec.task_id;
  config.app_id = spec.app_id;
  config.kill_grace = spec.kill_grace;
  config.cgroups = std::move(cgroups);
  config.isolate_namespaces = spec.isolate_namespaces;
  if (spec.isolate_namespaces) config.hostname = spec.hostname;
  config.command = CommandLine(spec);
  return config;
}

}  // namespace

Result<std::unique_ptr<ProcessContainerizer>> ProcessContainerizer::Create(
    const std::string& work_dir, ContainerizerOptions options) {
  if (options.executor_path.empty()) return Status::InvalidArgument("no executor path");
  if (::access(options.executor_path.c_str(), X_OK) != 0) {
    return Status::NotFound("executor " + options.executor_path + ": " + std::strerror(errno));
  }
  Result<std::string> dir = PrepareWorkDir(work_dir);
  if (!dir.ok()) return dir.status();
  Cgroups cgroups = options.enable_cgroups ? Cgroups::Detect(options.cgroup_parent)
                                           : Cgroups::Disabled("disabled by the agent's options");
  std::unique_ptr<ProcessContainerizer> c(new ProcessContainerizer(
      *dir, std::move(options), std::move(cgroups), InheritedEnvironment()));
  if (c->options_.enable_cgroups && !c->cgroups_.disabled_reason().empty()) {
    c->Warn(std::string(c->cgroups_.enabled() ? "some cgroups are unusable"
                                              : "cgroups unusable, tasks run without limits") +
            ": " + c->cgroups_.disabled_reason());
  }
  return c;
}

ProcessContainerizer::ProcessContainerizer(std::string work_dir, ContainerizerOptions options,
                                           Cgroups cgroups, EnvVars inherited)
    : work_dir_(std::move(work_dir)),
      options_(std::move(options)),
      cgroups_(std::move(cgroups)),
      inherited_env_(std::move(inherited)) {}

std::optional<TaskShell> ProcessContainerizer::ShellOf(const LaunchSpec& spec) const {
  const std::string sandbox = SandboxPath(spec.task_id);
  return TaskShell{BuildTaskEnvironment(spec, sandbox, inherited_env_), sandbox};
}

std::string ProcessContainerizer::SandboxPath(const std::string& task_id) const {
  return work_dir_ + "/sandboxes/" + task_id;
}

void ProcessContainerizer::Warn(const std::string& message) const {
  if (options_.warn) {
    options_.warn(message);
  } else {
    std::fprintf(stderr, "regatta containerizer: warning: %s\n", message.c_str());
  }
}

// Limits are best effort by design: an unwritable cgroup tree (a container,
// a read-only /sys) must not stop the agent from running tasks.
std::vector<std::string> ProcessContainerizer::MakeTaskCgroups(const LaunchSpec& spec) {
  if (!cgroups_.enabled()) return {};
  Result<std::vector<std::string>> dirs =
      cgroups_.CreateTaskCgroups(spec.task_id, spec.cpus, spec.mem_mb);
  if (dirs.ok()) return *dirs;
  if (!warned_cgroup_launch_) {
    Warn("task " + spec.task_id + " runs without limits: " + dirs.status().ToString());
    warned_cgroup_launch_ = true;
  }
  return {};
}

Status ProcessContainerizer::Launch(const LaunchSpec& spec) {
  REGATTA_RETURN_IF_ERROR(ValidateLaunchSpec(spec));
  if (tasks_.count(spec.task_id)) return Status::Conflict("task " + spec.task_id + " is running");
  std::string sandbox = SandboxPath(spec.task_id);
  if (::mkdir(sandbox.c_str(), 0755) != 0) {
    if (errno == EEXIST) {
      return Status::Conflict("task " + spec.task_id + ": sandbox " + sandbox +
                              " exists (task ids are never reused)");
    }
    return Status::FromErrno("mkdir(" + sandbox + ")", errno);
  }
  std::vector<std::string> cgroups = MakeTaskCgroups(spec);
  ExecutorCommand command{options_.executor_path, {"regatta-executor"},
                          BuildTaskEnvironment(spec, sandbox, inherited_env_), sandbox};
  for (std::string& arg : EncodeExecutorArgs(ConfigFor(spec, cgroups))) {
    command.argv.push_back(std::move(arg));
  }
  Result<pid_t> executor = StartExecutor(command, options_.launch_timeout);
  Result<std::string> text = executor.ok() ? ReadWholeFile(sandbox + "/" + kCheckpointFile)
                                           : Result<std::string>(executor.status());
  Result<Checkpoint> checkpoint = text.ok() ? ParseCheckpoint(*text) : text.status();
  if (!checkpoint.ok()) {
    if (executor.ok()) ::kill(*executor, SIGKILL);  // cannot watch it: stop it
    for (const std::string& dir : cgroups) (void)DestroyCgroup(dir);
    return Status(checkpoint.status().code(),
                  "task " + spec.task_id + ": " + checkpoint.status().message());
  }
  tasks_.insert_or_assign(spec.task_id, Task(*checkpoint, sandbox));
  return Status::Ok();
}

void ProcessContainerizer::SignalGroup(const Task& task, int sig) const {
  const Checkpoint& c = task.checkpoint;
  // Only while the leader (maybe a zombie) is ours does its pgid name our group.
  if (SameProcess(c.pid, c.start_time)) ::kill(-c.pgid, sig);
}

Status ProcessContainerizer::Kill(const std::string& task_id, Clock::time_point now,
                                  std::optional<std::chrono::milliseconds> grace) {
  auto it = tasks_.find(task_id);
  if (it == tasks_.end()) return Status::NotFound("task " + task_id + " is not running here");
  Task& task = it->second;
  std::chrono::milliseconds period = grace.value_or(task.checkpoint.kill_grace);
  if (!task.kill_requested) {
    Status marked = WriteFileAtomically(task.sandbox + "/" + kKillRequestedFile,
                                        SerializeKillRequest(period));
    // Killing matters more than the marker; without it, only a restarted
    // agent would misreport the end as FAILED instead of KILLED.
    if (!marked.ok()) Warn("task " + task_id + ": " + marked.ToString());
    task.kill_requested = true;
  }
  Clock::time_point deadline = now + period;
  if (!task.kill_deadline || deadline < *task.kill_deadline) task.kill_deadline = deadline;
  SignalGroup(task, period.count() == 0 ? SIGKILL : SIGTERM);
  return Status::Ok();
}

Status ProcessContainerizer::Acknowledge(const std::string& task_id) {
  if (tasks_.count(task_id)) {
    return Status::FailedPrecondition("task " + task_id + " is still running");
  }
  std::string sandbox = SandboxPath(task_id);
  std::string path = sandbox + "/" + kCheckpointFile;
  if (::unlink(path.c_str()) == 0) return Status::Ok();
  if (errno != ENOENT) return Status::FromErrno("unlink(" + path + ")", errno);
  struct stat st {};
  if (::stat(sandbox.c_str(), &st) != 0) return Status::NotFound("task " + task_id + ": no sandbox");
  return Status::Ok();
}

std::vector<std::string> ProcessContainerizer::Running() const {
  std::vector<std::string> ids;
  for (const auto& [id, task] : tasks_) ids.push_back(id);
  return ids;
}

TaskInfo ProcessContainerizer::InfoOf(const Task& t) const {
  const Checkpoint& c = t.checkpoint;
  return TaskInfo{c.task_id, c.app_id, t.sandbox, c.pid, c.pgid, c.cgroups, t.kill_requested};
}

Result<TaskInfo> ProcessContainerizer::Describe(const std::string& task_id) const {
  auto it = tasks_.find(task_id);
  if (it == tasks_.end()) return Status::NotFound("task " + task_id + " is not running here");
  return InfoOf(it->second);
}

}  // namespace regatta::agent

#include "tests/support/workload.h"

#include <algorithm>
#include <random>
#include <string>

#include "tests/support/workload_model.h"

namespace regatta::testing {
namespace {

using schema::TaskState;
using namespace workload;  // NOLINT: the model is this file's vocabulary

constexpr int kTeams = 4;
constexpr int kPlacementTries = 8;  // random picks before a launch gives up

// Plays a cluster forward one command at a time. Every choice comes from one
// seeded generator and every time from the event's position, so the same
// options always give the same bytes.
class Generator {
 public:
  Generator(std::size_t n, const WorkloadOptions& options)
      : n_(n), options_(options), rng_(options.seed) {}

  std::vector<EncodedEvent> Run() {
    Bootstrap();
    while (out_.size() < n_) Step();
    out_.resize(n_);  // the last command may have emitted past n
    return std::move(out_);
  }

 private:
  // The std:: distributions are implementation-defined; plain modulo keeps
  // the bytes identical across standard libraries (its bias is harmless).
  std::uint64_t Below(std::uint64_t n) { return rng_() % n; }
  bool Chance(std::uint64_t percent) { return Below(100) < percent; }
  std::int64_t Now() const {
    return options_.start_nanos + static_cast<std::int64_t>(out_.size()) * options_.step_nanos;
  }

  // Who, when and why for the next event; one correlation id per command.
  EnvelopeStamp Stamp(const std::string& principal, const std::string& reason = "") const {
    EnvelopeStamp stamp;
    stamp.event_id = "evt-" + std::to_string(options_.seed) + "-" + std::to_string(out_.size());
    stamp.time_nanos = Now();
    stamp.principal = principal;
    stamp.correlation_id = "req-" + std::to_string(command_);
    stamp.reason = reason;
    return stamp;
  }

  void Bootstrap() {
    // At least one agent and one app, so that every Step can make progress.
    for (std::size_t i = 0; i < std::max<std::size_t>(1, options_.agents); ++i) RegisterAgent(i);
    out_.push_back(FrameworkRegisteredEvent(Stamp("regatta:master")));
    for (std::size_t j = 0; j < std::max<std::size_t>(1, options_.apps); ++j) CreateApp(j);
    for (std::size_t k = 0; k < std::max<std::size_t>(1, apps_.size() / 10); ++k) {
      const std::size_t a = Below(apps_.size());
      services_.push_back({apps_[a].role, "svc" + std::to_string(k), a});
      DefineService(services_.back());
    }
  }

  void RegisterAgent(std::size_t i) {
    ++command_;
    AgentState agent;
    agent.id = "agent-" + std::to_string(i);
    agent.zone = "z" + std::to_string(i % 3 + 1);
    agent.address = "10.0." + std::to_string(i / 250) + "." + std::to_string(i % 250 + 1) + ":5051";
    agents_.push_back(std::move(agent));
    out_.push_back(AgentRegisteredEvent(Stamp("regatta:master"), agents_.back(), false));
  }

  void CreateApp(std::size_t j) {
    static constexpr int kMillicpus[] = {100, 250, 500, 1000};
    static constexpr int kMemMb[] = {128, 256, 512, 1024};
    ++command_;
    AppState app;
    app.role = "team" + std::to_string(j % kTeams + 1);
    app.id = "/" + app.role + "/app" + std::to_string(j);
    app.instances = static_cast<std::uint32_t>(1 + Below(6));
    app.millicpus = kMillicpus[Below(4)];
    app.mem_mb = kMemMb[Below(4)];
    apps_.push_back(std::move(app));
    DefineApp(apps_.back(), "created by " + apps_.back().role);
  }

  void DefineApp(AppState& app, const std::string& reason) {
    app.version = Rfc3339(Now());
    out_.push_back(AppDefinedEvent(Stamp("user:" + app.role, reason), app));
  }

  void DefineService(ServiceModel& service) {
    service.defined = true;
    out_.push_back(ServiceDefinedEvent(Stamp("user:" + service.ns), service, apps_[service.app]));
  }

  // One command from the cluster's mix. Task traffic dominates, as it does
  // in a real cluster.
  void Step() {
    ++command_;
    const std::uint64_t roll = Below(100);
    if (roll < 30) return LaunchTask();
    if (roll < 94) return AdvanceTask();
    if (roll < 96) return ScaleApp();
    if (roll < 97) return Redeploy(apps_[Below(apps_.size())]);
    if (roll < 99) return FlapAgent();
    ToggleService();
  }

  void LaunchTask() {
    for (int tries = 0; tries < kPlacementTries; ++tries) {
      const std::size_t a = Below(apps_.size());
      if (apps_[a].live >= apps_[a].instances) continue;
      const std::size_t g = Below(agents_.size());
      if (Fits(agents_[g], apps_[a])) return Place(a, g);
    }
  }

  static bool Fits(const AgentState& agent, const AppState& app) {
    return agent.reachable && agent.free_millicpus >= app.millicpus &&
           agent.free_mem_mb >= app.mem_mb;
  }

  // A free port of the agent's range; Fits() guarantees one (a task holds at
  // least 100 millicpus, so at most 160 tasks share the 1001 ports).
  std::uint32_t TakePort(AgentState& agent) {
    std::size_t slot = Below(agent.port_used.size());
    while (agent.port_used[slot]) slot = (slot + 1) % agent.port_used.size();
    agent.port_used[slot] = true;
    return kPortBegin + static_cast<std::uint32_t>(slot);
  }

  void Place(std::size_t a, std::size_t g) {
    AppState& app = apps_[a];
    AgentState& agent = agents_[g];
    agent.free_millicpus -= app.millicpus;
    agent.free_mem_mb -= app.mem_mb;
    ++app.live;
    TaskModel task{app.id.substr(1) + "." + std::to_string(next_task_++), a, g, TakePort(agent)};
    std::replace(task.id.begin(), task.id.end(), '/', '_');  // "team2_app5.17", as Marathon
    tasks_.push_back(task);
    out_.push_back(TaskLaunchedEvent(Stamp("regatta:master"), task, app, agent));
  }

  void SetState(TaskModel& task, TaskState state) {
    task.state = state;
    EmitStatus(task);
  }

  void EmitStatus(const TaskModel& task, const std::string& reason = "", std::int32_t exit_code = 0) {
    out_.push_back(
        TaskStatusEvent(Stamp("regatta:agent"), task, agents_[task.agent], reason, exit_code));
  }

  void AdvanceTask() {
    if (tasks_.empty()) return;
    const std::size_t i = Below(tasks_.size());
    TaskModel& task = tasks_[i];
    if (!agents_[task.agent].reachable) return;  // partitioned: nothing is heard from it
    if (task.state == TaskState::STAGING) return SetState(task, TaskState::STARTING);
    if (task.state == TaskState::STARTING) return SetState(task, TaskState::RUNNING);
    // Services run long: most news about a running task is its health.
    const std::uint64_t roll = Below(100);
    if (roll < 75) return ToggleHealth(task);
    if (roll < 90) return EmitStatus(task);  // at-least-once: the agent says it again
    if (roll < 95) return Finish(i, TaskState::KILLED, "", 143);
    if (roll < 98) return Finish(i, TaskState::FAILED, "REASON_COMMAND_EXECUTOR_FAILED", 1);
    Finish(i, TaskState::FINISHED, "", 0);
  }

  void ToggleHealth(TaskModel& task) {
    task.healthy = !task.healthy;
    out_.push_back(TaskHealthEvent(Stamp("regatta:agent"), task));
  }

  void Finish(std::size_t i, TaskState state, const std::string& reason, std::int32_t exit_code) {
    TaskModel& task = tasks_[i];
    task.state = state;
    EmitStatus(task, reason, exit_code);
    AgentState& agent = agents_[task.agent];
    AppState& app = apps_[task.app];
    agent.free_millicpus += app.millicpus;
    agent.free_mem_mb += app.mem_mb;
    agent.port_used[task.port - kPortBegin] = false;
    --app.live;
    if (i + 1 != tasks_.size()) tasks_[i] = std::move(tasks_.back());  // unordered erase
    tasks_.pop_back();
  }

  void ScaleApp() {
    AppState& app = apps_[Below(apps_.size())];
    const std::uint32_t previous = app.instances;
    app.instances = static_cast<std::uint32_t>(1 + Below(8));
    const EnvelopeStamp stamp = Stamp("regatta:autoscaler", "scaled by hpa " + app.id);
    out_.push_back(AppScaledEvent(stamp, app, previous));
  }

  // A new version rolled out in two steps; one in five rollouts fails and
  // is reverted to the version before.
  void Redeploy(AppState& app) {
    Rollout rollout{"deploy-" + std::to_string(command_), app.id, app.version, ""};
    DefineApp(app, "rollout by ci");
    rollout.to_version = app.version;
    const std::string deployer = "regatta:deployer";
    out_.push_back(DeploymentStartedEvent(Stamp(deployer), rollout, Now() + 600'000'000'000));
    out_.push_back(DeploymentStepEvent(Stamp(deployer), rollout, 0));
    if (Chance(80)) {
      out_.push_back(DeploymentStepEvent(Stamp(deployer), rollout, 1));
      out_.push_back(DeploymentSucceededEvent(Stamp(deployer), rollout));
      return;
    }
    out_.push_back(DeploymentFailedEvent(Stamp(deployer), rollout));
    out_.push_back(DeploymentRevertedEvent(Stamp(deployer, "auto revert"), rollout));
    app.version = rollout.from_version;
  }

  // Heals a partitioned agent or (less often, so few stay away) partitions
  // a reachable one. Its tasks turn UNREACHABLE with it and RUNNING after.
  void FlapAgent() {
    if (!unreachable_.empty() && Chance(70)) {
      const std::size_t g = unreachable_.front();
      unreachable_.erase(unreachable_.begin());
      agents_[g].reachable = true;
      out_.push_back(AgentRegisteredEvent(Stamp("regatta:master"), agents_[g], true));
      return SetStateOnAgent(g, TaskState::RUNNING);
    }
    const std::size_t g = Below(agents_.size());
    if (!agents_[g].reachable) return;
    agents_[g].reachable = false;
    unreachable_.push_back(g);
    out_.push_back(AgentUnreachableEvent(Stamp("regatta:master"), agents_[g]));
    SetStateOnAgent(g, TaskState::UNREACHABLE);
  }

  void SetStateOnAgent(std::size_t g, TaskState state) {
    for (TaskModel& task : tasks_) {
      if (task.agent == g) SetState(task, state);
    }
  }

  // Deletes a Service, defines it again, or re-applies it unchanged (as
  // `kubectl apply` does); so about two in three are defined at any time.
  void ToggleService() {
    ServiceModel& service = services_[Below(services_.size())];
    if (!service.defined || Chance(50)) return DefineService(service);
    service.defined = false;
    out_.push_back(ServiceDeletedEvent(Stamp("user:" + service.ns), service));
  }

  std::size_t n_;
  WorkloadOptions options_;
  std::mt19937_64 rng_;
  std::uint64_t command_ = 0;
  std::uint64_t next_task_ = 0;
  std::vector<EncodedEvent> out_;
  std::vector<AgentState> agents_;
  std::vector<AppState> apps_;
  std::vector<TaskModel> tasks_;
  std::vector<std::size_t> unreachable_;
  std::vector<ServiceModel> services_;
};

}  // namespace

std::vector<EncodedEvent> GenerateWorkload(std::size_t events, const WorkloadOptions& options) {
  return Generator(events, options).Run();
}

}  // namespace regatta::testing

#include "agents/agent/agent_actor.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include <filesystem>
#include <fstream>
#include <iostream>

#include <caf/io/all.hpp>

#include "actors/protocol/node_config.h"
#include "actors/protocol/wire.h"
#include "agents/agent/agent_core.h"
#include "agents/agent/agent_health.h"
#include "agents/agent/agent_spawn.h"
#include "agents/containerizer/containerizer.h"
#include "agents/containerizer/simulated_runner.h"
#include "actors/runtime/signals.h"

namespace regatta::agent {
namespace {

using protocol::agent_actor;
using protocol::master_actor;
using protocol::Wire;

struct AgentState {
  AgentOptions options;
  std::shared_ptr<TaskRunner> runner;  // shared: the spawn lambda must be copyable
  UpdateBook updates;                  // what the master has not acknowledged yet
  std::string agent_id;      // empty until the master names us
  bool registered = false;   // the master knows our session
  master_actor master;       // invalid until connected
  master_actor in_process;   // set: the master is in this process (no network)
  std::uint64_t generation = 0;  // bumped on every new connection
  bool in_flight = false;        // one request at a time: none pile up on a dead master
  std::shared_ptr<AgentHealth> health;  // shared: the spawn lambda must be copyable
  bool check_timer = false;             // a check_atom is on its way
  static inline const char* name = "regatta.agent";
};

using AgentPointer = agent_actor::stateful_pointer<AgentState>;

// Status updates per request: bounds a message after a long disconnection.
constexpr std::size_t kMaxUpdatesPerRequest = 1000;
// How often due health probes are looked for while any task has checks.
constexpr std::chrono::milliseconds kCheckPeriod{100};

std::int64_t SteadyNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string IdFile(const AgentOptions& o) { return o.work_dir + "/agent_id"; }

std::string LoadId(const AgentOptions& o) {
  if (!o.persist_id) return "";
  std::ifstream in(IdFile(o));
  std::string id;
  std::getline(in, id);
  return id;
}

// Writes the id to a new file, syncs it and renames it into place, so a
// crash leaves the old id or the new one, never half of one.
Status SaveId(const AgentOptions& o, const std::string& id) {
  if (!o.persist_id) return Status::Ok();
  const std::string path = IdFile(o);
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::FromErrno("open(" + tmp + ")", errno);
  const std::string line = id + "\n";
  const bool written = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  const int write_errno = errno;
  const bool synced = written && ::fsync(fd) == 0;
  const int sync_errno = errno;
  ::close(fd);
  if (!written) return Status::FromErrno("write(" + tmp + ")", write_errno);
  if (!synced) return Status::FromErrno("fsync(" + tmp + ")", sync_errno);
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);  // the overload that does not throw
  if (ec) return Status::IoError("rename(" + tmp + ", " + path + "): " + ec.message());
  return Status::Ok();
}

void Lost(AgentPointer self, const std::string& why) {
  if (self->state.registered) std::cerr << "regatta agent: lost the master: " << why << "\n";
  self->state.registered = false;
  self->state.master = master_actor{};
}

void HandleReply(AgentPointer self, const Wire& reply, bool registering) {
  auto message = protocol::Received<protocol::MasterReply>::Read(reply.bytes, "master reply");
  if (!message.ok()) return Lost(self, message.status().message());
  auto root = message->root();
  if (root.isRegistered()) {
    self->state.agent_id = root.getRegistered();
    self->state.registered = true;
    if (Status saved = SaveId(self->state.options, self->state.agent_id); !saved.ok()) {
      // The id stays in memory, so this run is unaffected; a restart would
      // register afresh and its tasks would be replaced.
      std::cerr << "regatta agent: could not keep the agent id " << self->state.agent_id << ": "
                << saved.message() << "\n";
    }
    if (!self->state.options.quiet) std::cerr << "regatta agent: registered as " << self->state.agent_id << "\n";
    return;
  }
  const Status answer = protocol::StatusOfReply(root);
  if (answer.ok()) return;
  if (answer.code() != StatusCode::kUnavailable) std::cerr << "regatta agent: master refused: " << answer.message() << "\n";
  // A master that lost our session wants a reregistration; one that does
  // not know our id at all (NotFound) wants a fresh registration.
  if (registering && answer.code() == StatusCode::kNotFound) self->state.agent_id.clear();
  self->state.registered = false;
}

bool Connect(AgentPointer self) {
  if (self->state.master) return true;
  if (self->state.in_process) {
    self->state.master = self->state.in_process;
  } else {
    auto& o = self->state.options;
    auto master = self->system().middleman().remote_actor<master_actor>(o.master_host, o.master_port);
    if (!master) return false;
    self->state.master = *master;
  }
  ++self->state.generation;
  // Hear at once when the connection drops, rather than at a timeout.
  self->monitor(self->state.master);
  return true;
}

Wire RegistrationMessage(const AgentState& s) {
  domain::RegisterAgent command;
  command.agent_id = s.agent_id;
  command.hostname = s.options.hostname;
  command.address = s.options.hostname;
  command.resources = s.options.resources;
  command.ports = s.options.ports;
  command.attributes = s.options.attributes;
  for (const std::string& task : s.runner->Running()) {
    command.running.push_back({task, schema::TaskState::RUNNING});
  }
  return Wire{protocol::RegisterAgentMessage(command)};
}

void Queue(AgentPointer self, const std::string& task, schema::TaskState state, const std::string& reason,
           const std::string& message, int exit_code) {
  self->state.updates.Queue(domain::StatusUpdate{task, "", state, reason, message, exit_code});
}

// The master acknowledged a task's end: the runner may forget it.
void ForgetEnded(AgentPointer self, const std::vector<std::string>& ended) {
  for (const std::string& task : ended) {
    if (Status forgot = self->state.runner->Acknowledge(task); !forgot.ok()) {
      std::cerr << "regatta agent: task " << task << ": " << forgot.message() << "\n";
    }
  }
}

// Sends every update not yet in flight, in one request: the master commits
// them together (agent_core.h says what happens to the answer).
void SendUpdates(AgentPointer self) {
  if (!self->state.registered) return;
  auto sent = std::make_shared<std::vector<UpdateBook::Sent>>();
  const std::vector<domain::StatusUpdate> updates =
      self->state.updates.TakeToSend(self->state.agent_id, kMaxUpdatesPerRequest, *sent);
  if (updates.empty()) return;
  self->request(self->state.master, std::chrono::seconds(5), protocol::agent_atom::value,
                caf::actor_cast<agent_actor>(self), Wire{protocol::StatusUpdatesMessage(updates)})
      .then(
          [=](Wire& reply) {
            auto answer = protocol::Received<protocol::MasterReply>::Read(reply.bytes, "reply");
            const bool acknowledged = answer.ok() && protocol::StatusOfReply(answer->root()).ok();
            ForgetEnded(self, self->state.updates.Answered(*sent, acknowledged));
          },
          [=](caf::error&) { (void)self->state.updates.Answered(*sent, false); });
}

// Sends the health reports not yet in flight, in one request.
void SendHealth(AgentPointer self) {
  if (!self->state.registered) return;
  auto sent = std::make_shared<std::vector<HealthBook::Sent>>();
  const std::vector<domain::HealthUpdate> updates =
      self->state.health->outbox().TakeToSend(self->state.agent_id, kMaxUpdatesPerRequest, *sent);
  if (updates.empty()) return;
  self->request(self->state.master, std::chrono::seconds(5), protocol::agent_atom::value,
                caf::actor_cast<agent_actor>(self), Wire{protocol::HealthUpdatesMessage(updates)})
      .then(
          [=](Wire& reply) {
            auto answer = protocol::Received<protocol::MasterReply>::Read(reply.bytes, "reply");
            const bool acknowledged = answer.ok() && protocol::StatusOfReply(answer->root()).ok();
            (void)self->state.health->outbox().Answered(*sent, acknowledged);
          },
          [=](caf::error&) { (void)self->state.health->outbox().Answered(*sent, false); });
}

// Health probes are looked for every kCheckPeriod while some task has checks.
void ArmChecks(AgentPointer self) {
  if (self->state.check_timer || !self->state.health->watching()) return;
  self->state.check_timer = true;
  self->delayed_send(self, kCheckPeriod, protocol::check_atom::value);
}

void Probe(AgentPointer self) {
  self->state.check_timer = false;
  // The probe's result comes back from the runner's thread as a message;
  // weakly held, so pending probes do not keep a stopped agent alive.
  caf::weak_actor_ptr me = caf::actor_cast<caf::weak_actor_ptr>(self->ctrl());
  self->state.health->Probe(SteadyNanos(), [me](ProbeDone done) {
    if (auto strong = me.lock()) {
      caf::anon_send(caf::actor_cast<agent_actor>(strong), protocol::probed_atom::value, done.task_id, done.index,
                     done.readiness, done.result.passed, static_cast<std::int32_t>(done.result.http_status),
                     done.result.message);
    }
  });
  ArmChecks(self);
}

// A probe's result: a report for the master when health changed, and a kill
// once the task failed its checks too often (replaced under backoff, as
// its end is reported a failure).
void OnProbed(AgentPointer self, ProbeDone done) {
  const std::optional<double> kill = self->state.health->Done(done, SteadyNanos());
  if (kill) {
    const auto grace = std::chrono::milliseconds(static_cast<long>(*kill * 1000));
    if (Status s = self->state.runner->Kill(done.task_id, TaskRunner::Clock::now(), grace); !s.ok()) {
      std::cerr << "regatta agent: kill unhealthy " << done.task_id << ": " << s.message() << "\n";
    } else if (ReportKilling(self->state.updates, done.task_id)) {
      Queue(self, done.task_id, schema::TaskState::KILLING, "REASON_TASK_UNHEALTHY", *self->state.health->UnhealthyKill(done.task_id), 0);
      SendUpdates(self);
    }
  }
  SendHealth(self);
}

void Reap(AgentPointer self) {
  for (TaskExit& exit : self->state.runner->Poll(TaskRunner::Clock::now())) {
    if (!self->state.options.quiet) {
      std::cerr << "regatta agent: task " << exit.task_id << " ended: " << exit.message << "\n";
    }
    self->state.health->Stopped(exit.task_id);
    std::string reason;
    if (const std::string* why = self->state.health->UnhealthyKill(exit.task_id)) {
      exit.state = schema::TaskState::FAILED;  // a failure: its replacement waits out the app's backoff
      exit.message = *why;
      reason = "REASON_TASK_UNHEALTHY";
      self->state.health->ForgetKill(exit.task_id);
    }
    Queue(self, exit.task_id, exit.state, reason, exit.message, exit.exit_code);
  }
}

LaunchSpec ToLaunchSpec(const AgentState& s, protocol::RunTask::Reader run) {
  auto task = run.getTask();
  auto spec = run.getSpec();
  LaunchSpec launch;
  launch.task_id = task.getTaskId();
  launch.app_id = task.getAppId();
  launch.cmd = spec.getCmd();
  for (auto arg : spec.getArgs()) launch.argv.emplace_back(arg);
  for (auto kv : spec.getEnv()) launch.env.emplace_back(kv.getKey(), kv.getValue());
  for (auto port : task.getHostPorts()) launch.host_ports.push_back(port);
  for (auto def : spec.getPortDefinitions()) launch.port_names.emplace_back(def.getName());
  launch.port_names.resize(launch.host_ports.size());
  launch.hostname = s.options.hostname;
  launch.cpus = task.getResources().getCpus();
  launch.mem_mb = static_cast<std::uint64_t>(task.getResources().getMemMb());
  launch.kill_grace = std::chrono::milliseconds(static_cast<long>(spec.getKillGracePeriodSeconds() * 1000));
  launch.isolate_namespaces = s.options.isolate_namespaces;
  if (spec.getContainer().getKind() == schema::ContainerSpec::Kind::OCI) launch.container_image = spec.getContainer().getImage();
  return launch;
}

void Run(AgentPointer self, protocol::RunTask::Reader task) {
  const LaunchSpec launch = ToLaunchSpec(self->state, task);
  Status launched = self->state.runner->Launch(launch);
  if (launched.ok()) {
    Queue(self, launch.task_id, schema::TaskState::RUNNING, "", "", 0);
    std::optional<health::CommandShell> shell;
    if (auto task_shell = self->state.runner->ShellOf(launch)) {
      shell = health::CommandShell{std::move(task_shell->env), std::move(task_shell->cwd)};
    }
    self->state.health->Started(launch.task_id, task.getSpec(), launch.host_ports,
                                task.getSpec().getKillGracePeriodSeconds(), SteadyNanos(), shell);
    ArmChecks(self);
  } else {
    std::cerr << "regatta agent: launch " << launch.task_id << ": " << launched.message() << "\n";
    Queue(self, launch.task_id, schema::TaskState::FAILED, "REASON_CONTAINER_LAUNCH_FAILED", launched.message(), -1);
  }
}

void OnOrder(AgentPointer self, const Wire& wire) {
  auto message = protocol::Received<protocol::MasterMessage>::Read(wire.bytes, "master order");
  if (!message.ok()) {
    std::cerr << "regatta agent: " << message.status().message() << "\n";
    return;
  }
  auto root = message->root();
  if (root.isKillTask()) {
    auto kill = root.getKillTask();
    auto grace = std::chrono::milliseconds(static_cast<long>(kill.getGracePeriodSeconds() * 1000));
    const std::string task = kill.getTaskId();
    self->state.health->Stopped(task);  // a task being killed is judged no more
    Status s = self->state.runner->Kill(task, TaskRunner::Clock::now(), grace);
    if (!s.ok()) {
      std::cerr << "regatta agent: kill " << task << ": " << s.message() << "\n";
      return;
    }
    if (ReportKilling(self->state.updates, task)) {
      Queue(self, task, schema::TaskState::KILLING, "", "", 0);
      SendUpdates(self);
    }
    return;
  }
  std::vector<protocol::RunTask::Reader> orders;
  if (root.isRunTask()) orders.push_back(root.getRunTask());
  if (root.isRunTasks()) {
    for (auto task : root.getRunTasks()) orders.push_back(task);
  }
  std::vector<std::string> ids;
  for (auto order : orders) ids.emplace_back(order.getTask().getTaskId());
  const RunOrderPlan plan = PlanRunOrder(
      ids, [&](const std::string& task) { return self->state.runner->Runs(task); }, self->state.updates);
  for (const std::string& task : plan.still_running) Queue(self, task, schema::TaskState::RUNNING, "", "", 0);
  std::vector<protocol::RunTask::Reader> tasks;
  for (std::size_t i : plan.launch) tasks.push_back(orders[i]);
  if (self->state.runner->HasStartingPhase() && !tasks.empty()) {
    // The master hears STARTING while the launches run (each takes a fork,
    // cgroups and the executor's handshake), RUNNING once they are done.
    for (auto task : tasks) Queue(self, task.getTask().getTaskId(), schema::TaskState::STARTING, "", "", 0);
    SendUpdates(self);
  }
  for (auto task : tasks) Run(self, task);
  SendUpdates(self);  // RUNNING should not wait for the next tick
}

void Tick(AgentPointer self) {
  if (self->state.in_flight || !Connect(self)) return;
  const bool registering = !self->state.registered;
  const std::uint64_t generation = self->state.generation;
  self->state.in_flight = true;
  Wire message = registering ? RegistrationMessage(self->state)
                             : Wire{protocol::HeartbeatMessage(self->state.agent_id)};
  self->request(self->state.master, std::chrono::seconds(5), protocol::agent_atom::value,
                caf::actor_cast<agent_actor>(self), std::move(message))
      .then(
          [=](Wire& reply) {
            self->state.in_flight = false;
            if (generation == self->state.generation) HandleReply(self, reply, registering);
          },
          [=](caf::error& e) {
            self->state.in_flight = false;
            // A late answer about an old connection says nothing about this one.
            if (generation == self->state.generation) Lost(self, self->system().render(e));
          });
}

agent_actor::behavior_type AgentBehavior(AgentPointer self) {
  self->set_down_handler([=](caf::down_msg& down) {
    if (self->state.master && down.source == self->state.master.address()) {
      ++self->state.generation;  // answers still due from it are stale
      self->state.in_flight = false;
      Lost(self, "connection closed");
    }
  });
  self->send(self, protocol::tick_atom::value);
  return {
      [=](protocol::master_atom, Wire wire) { OnOrder(self, wire); },
      [=](protocol::check_atom) { Probe(self); },
      [=](protocol::probed_atom, std::string task, std::uint32_t index, bool readiness, bool passed,
          std::int32_t http_status, std::string message) {
        OnProbed(self, ProbeDone{std::move(task), index, readiness, {passed, http_status, std::move(message)}});
      },
      [=](protocol::tick_atom) {
        Reap(self);
        Tick(self);
        SendUpdates(self);
        SendHealth(self);
        self->delayed_send(self, self->state.options.heartbeat_interval, protocol::tick_atom::value);
      },
  };
}

}  // namespace

namespace {

// A real agent probes on its own kj loop thread; a simulated one passes
// every probe at once.
std::shared_ptr<AgentHealth> MakeHealth(const AgentOptions& options) {
  if (options.simulated) return std::make_shared<AgentHealth>(nullptr, options.hostname);
  auto runner = health::CheckRunner::Start();
  if (!runner.ok()) {
    std::cerr << "regatta agent: health checks cannot run: " << runner.status().message() << "\n";
    return std::make_shared<AgentHealth>(nullptr, options.hostname, "health checks cannot run on this agent");
  }
  return std::make_shared<AgentHealth>(std::move(*runner), options.hostname);
}

}  // namespace

agent_actor SpawnAgent(caf::actor_system& system, AgentOptions options, std::unique_ptr<TaskRunner> runner,
                       std::vector<RecoveredTask> recovered, master_actor in_process) {
  // The unused int gives CAF 0.17 a non-empty argument tuple: with none, its
  // init_fun_factory binds a reference through a null shared_ptr (UBSan
  // aborts on it; see docs/architecture.md). Detached: a real agent's
  // launches block on fork and exec; simulated ones share the scheduler.
  auto init = [options, runner = std::shared_ptr<TaskRunner>(std::move(runner)), recovered = std::move(recovered),
               in_process](AgentPointer self, int) mutable {
    self->state.options = options;
    self->state.agent_id = LoadId(options);
    self->state.runner = std::move(runner);
    self->state.in_process = in_process;
    self->state.health = MakeHealth(options);
    for (const RecoveredTask& task : recovered) {
      std::cerr << "regatta agent: recovered task " << task.info.task_id << (task.running() ? " (running)" : " (ended)") << "\n";
      if (!task.running()) {
        Queue(self, task.info.task_id, task.exit->state, "", task.exit->message, task.exit->exit_code);
      }
    }
    return AgentBehavior(self);
  };
  if (options.simulated) return system.spawn(init, 0);
  return system.spawn<caf::detached>(init, 0);
}

namespace {

Result<std::unique_ptr<TaskRunner>> ProcessRunner(const AgentOptions& options, std::vector<RecoveredTask>& recovered) {
  ContainerizerOptions containment;
  containment.executor_path = options.executor_path;
  containment.enable_cgroups = options.enable_cgroups;
  auto containerizer = ProcessContainerizer::Create(options.work_dir, containment);
  if (!containerizer.ok()) return containerizer.status();
  auto found = (*containerizer)->Recover(ProcessContainerizer::Clock::now());
  if (!found.ok()) return found.status();
  recovered = std::move(*found);
  return std::unique_ptr<TaskRunner>(std::move(*containerizer));
}

}  // namespace

Status RunAgent(const AgentOptions& given, std::uint32_t simulate) {
  runtime::BlockStopSignals();  // before CAF starts its threads

  AgentOptions options = given;
  std::error_code ec;
  std::filesystem::create_directories(options.work_dir, ec);
  if (ec) return Status::IoError("--work-dir " + options.work_dir + ": " + ec.message());
  if (options.hostname.empty()) {
    char host[256] = {};
    ::gethostname(host, sizeof host - 1);
    options.hostname = host;
  }
  std::vector<RecoveredTask> recovered;
  std::unique_ptr<TaskRunner> runner;
  if (simulate == 0) {
    auto made = ProcessRunner(options, recovered);
    if (!made.ok()) return made.status();
    runner = std::move(*made);
  }
  caf::actor_system_config cfg;
  protocol::ConfigureNode(cfg);
  caf::actor_system system{cfg};
  std::vector<agent_actor> agents;
  if (simulate == 0) {
    agents.push_back(SpawnAgent(system, options, std::move(runner), std::move(recovered)));
  } else {
    for (std::uint32_t i = 0; i < simulate; ++i) {
      agents.push_back(SpawnAgent(system, SimulatedAgentOptions(options, i), std::make_unique<SimulatedRunner>(), {}));
    }
  }
  std::cerr << "regatta agent: work dir " << options.work_dir << ", master " << options.master_host << ":"
            << options.master_port << (simulate ? ", " + std::to_string(simulate) + " simulated agents" : "") << "\n";
  runtime::WaitForStopSignal();
  std::cerr << "regatta agent: stopping\n";
  runtime::ExitIfStillStoppingAfter(std::chrono::seconds(5), "regatta agent");
  for (const auto& agent : agents) caf::anon_send_exit(agent, caf::exit_reason::user_shutdown);
  return Status::Ok();
}

AgentOptions SimulatedAgentOptions(const AgentOptions& base, std::uint32_t index) {
  AgentOptions o = base;
  o.hostname = base.hostname + "-sim-" + std::to_string(index);
  o.simulated = true;
  o.persist_id = false;
  o.quiet = true;
  return o;
}

}  // namespace regatta::agent

#include "actors/master/master_actor.h"

#include <iostream>
#include <map>

#include <caf/io/all.hpp>

#include "actors/allocator/allocator_actor.h"
#include "actors/deployments/controller_actor.h"
#include "actors/frameworks/framework_actor.h"
#include "actors/master/heartbeats.h"
#include "actors/master/master_spawn.h"
#include "actors/master/master_state.h"
#include "actors/protocol/node_config.h"
#include "actors/protocol/offer_codec.h"
#include "actors/runtime/signals.h"
#include "events/codec.h"
#include "events/log_uri.h"
#include "events/snapshot_store.h"
#include "events/base/time_format.h"
#include "projections/replay.h"

namespace regatta::master {
namespace {

using protocol::agent_actor;
using protocol::master_actor;
using protocol::Wire;

constexpr int kIdleTicksBeforeSnapshot = 10;

}  // namespace

void SendKills(MasterPointer self, const Outcome& outcome) {
  for (const Effect& effect : outcome.effects) {
    if (effect.kind != Effect::Kind::kKillTask) continue;
    auto session = self->state.sessions.find(effect.agent_id);
    if (session == self->state.sessions.end()) continue;  // told on reregistration (master_core.h)
    self->send(session->second.handle, protocol::master_atom::value,
               Wire{protocol::KillTaskMessage(effect.task_id, effect.grace_seconds)});
  }
}

namespace {

// Orders the agent of every task the outcome launched to run it, with the
// app's current spec: one RunTasks message per agent. The launches are
// read from the committed batch, the specs from the history's current
// definitions: both decoded already.
void DispatchRunTasks(MasterPointer self, const Outcome& outcome, const Committed& committed) {
  std::map<std::string, std::vector<std::pair<schema::TaskLaunched::Reader, schema::AppSpec::Reader>>> by_agent;
  for (const Effect& effect : outcome.effects) {
    if (effect.kind != Effect::Kind::kRunTask || !self->state.sessions.count(effect.agent_id)) continue;
    auto task = committed.event(effect.event).envelope.getEvent().getTaskLaunched();
    const domain::AppDefinition* app = self->state.projections.history().Current(projections::View(task.getAppId()));
    if (app == nullptr) continue;  // deleted meanwhile: the task is excess, and killed as such
    by_agent[effect.agent_id].emplace_back(task, app->spec->root());
  }
  for (const auto& [agent, tasks] : by_agent) {
    self->send(self->state.sessions.at(agent).handle, protocol::master_atom::value,
               Wire{protocol::RunTasksMessage(tasks)});
  }
}

// Updates the decision acknowledged but would not record: each one names a
// confused sender, so it is counted and logged, never dropped in silence.
void ReportRefusedUpdates(MasterState& st, const Outcome& outcome) {
  for (const std::string& why : outcome.refused_updates) {
    ++st.refused_updates;
    std::cerr << "regatta master: status update not recorded (" << st.refused_updates << " so far): " << why << "\n";
  }
}

void TellAllocator(MasterPointer self, const std::string& agent_id, bool connected) {
  self->send(self->state.allocator, protocol::session_atom::value,
             Wire{protocol::AgentSessionMessage(agent_id, connected)});
}

// What a registration reads and writes: nothing shared for a new agent (its
// id is fresh), the agent and every task it had or reports for a returning
// one (reconciliation rewrites them).
std::vector<std::string> RegistrationKeys(const ProjectionSet& state, const RegisterAgent& command) {
  if (command.agent_id.empty()) return {};
  std::vector<std::string> keys{"agent:" + command.agent_id};
  for (const std::string& task : state.scheduling().TasksOn(command.agent_id)) keys.push_back("task:" + task);
  for (const TaskReport& report : command.running) keys.push_back("task:" + report.task_id);
  return keys;
}

caf::result<Wire> OnRegister(MasterPointer self, agent_actor agent, protocol::RegisterAgent::Reader message) {
  RegisterAgent command = protocol::ToCommand(message);
  const std::vector<std::string> keys = RegistrationKeys(self->state.projections, command);
  const std::string hostname = command.hostname;
  return Submit(
      self, keys,
      [self, command] { return DecideRegisterAgent(self->state.projections, command, Context(self->state)); },
      [self, agent, hostname](const Outcome& outcome, const Committed&) {
        std::string id;
        for (const Effect& e : outcome.effects) {
          if (e.kind == Effect::Kind::kAgentRegistered) id = e.agent_id;
        }
        self->state.sessions[id] = AgentSession{agent, self->state.clock->NowNanos()};
        TellAllocator(self, id, true);
        SendKills(self, outcome);
        if (self->state.options.log_registrations) {
          std::cerr << "regatta master: agent " << id << " (" << hostname << ") registered\n";
        }
        return Wire{protocol::RegisteredReply(id)};
      });
}

Wire OnHeartbeat(MasterPointer self, protocol::Heartbeat::Reader message) {
  auto session = self->state.sessions.find(message.getAgentId());
  if (session == self->state.sessions.end()) {
    // This master does not know the agent's session (it restarted, or
    // declared the agent unreachable): the agent must reregister.
    return ReplyFor(Status::Field(StatusCode::kFailedPrecondition, "agentId", "no session: register again"));
  }
  session->second.last_seen_nanos = self->state.clock->NowNanos();
  return Wire{protocol::AcknowledgedReply(Applied(self->state))};
}

caf::result<Wire> OnStatus(MasterPointer self, protocol::StatusUpdate::Reader message) {
  StatusUpdate command = protocol::ToCommand(message);
  return Submit(
      self, {"task:" + command.task_id},
      [self, command] { return DecideStatusUpdate(self->state.projections, command, Context(self->state)); },
      [self](const Outcome& outcome, const Committed& committed) {
        ReportRefusedUpdates(self->state, outcome);
        SendKills(self, outcome);
        return Acknowledged(self->state, outcome, committed);
      });
}

// An agent's updates for several tasks (each task once): decided one by
// one and committed together. One the master cannot take is dropped with a
// warning rather than refused, since the agent could only resend it.
caf::result<Wire> OnStatuses(MasterPointer self, capnp::List<protocol::StatusUpdate>::Reader list) {
  std::vector<StatusUpdate> commands;
  std::vector<std::string> keys;
  for (auto message : list) {
    commands.push_back(protocol::ToCommand(message));
    keys.push_back("task:" + commands.back().task_id);
  }
  return Submit(
      self, keys,
      [self, commands]() -> Result<Outcome> {
        Outcome all;
        const CommandContext context = Context(self->state);
        for (const StatusUpdate& command : commands) {
          auto outcome = DecideStatusUpdate(self->state.projections, command, context);
          if (!outcome.ok()) {
            all.refused_updates.push_back(outcome.status().message());
            continue;
          }
          for (auto& e : outcome->events) all.events.push_back(std::move(e));
          for (auto& e : outcome->effects) all.effects.push_back(std::move(e));
          for (auto& r : outcome->refused_updates) all.refused_updates.push_back(std::move(r));
        }
        return all;
      },
      [self](const Outcome& outcome, const Committed& committed) {
        ReportRefusedUpdates(self->state, outcome);
        SendKills(self, outcome);
        return Acknowledged(self->state, outcome, committed);
      });
}

caf::result<Wire> OnHealth(MasterPointer self, capnp::List<protocol::HealthUpdate>::Reader list) {
  std::vector<domain::HealthUpdate> updates;
  std::vector<std::string> keys;
  for (auto message : list) {
    updates.push_back(protocol::ToCommand(message));
    keys.push_back("task:" + updates.back().task_id);
  }
  return Submit(
      self, keys, [self, updates] { return DecideHealthUpdates(self->state.projections, updates, Context(self->state)); },
      [self](const Outcome& outcome, const Committed& committed) { return Acknowledged(self->state, outcome, committed); });
}

caf::result<Wire> OnLaunch(MasterPointer self, protocol::Launch::Reader message) {
  AcceptOffer command = protocol::ToCommand(message);
  std::vector<std::string> keys{"agent:" + command.agent_id};
  for (const auto& task : command.tasks) keys.push_back("task:" + task.task_id);
  return Submit(
      self, keys,
      [self, command] { return DecideAcceptOffer(self->state.projections, command, Context(self->state)); },
      [self](const Outcome& outcome, const Committed& committed) {
        DispatchRunTasks(self, outcome, committed);
        return Acknowledged(self->state, outcome, committed);
      });
}

// Leaves a snapshot every 100,000 events, so a restart replays a short
// tail. Serializing the state holds the master's thread for a while (about
// half a second at 100,000 tasks), so it waits until the master has been
// idle for a second, unless the tail has grown to five times that. (A
// snapshotter actor with its own fold was tried: on two cores its extra
// fold and serialization slowed placement by a quarter.)
void Snapshot(MasterState& st) {
  const Revision now = st.projections.next_revision();
  st.idle_ticks = now == st.revision_at_last_tick ? st.idle_ticks + 1 : 0;
  st.revision_at_last_tick = now;
  const Revision every = projections::SnapshotPolicy{}.every_events;
  const bool idle = st.idle_ticks >= kIdleTicksBeforeSnapshot;
  if (now < st.last_snapshot + every || (!idle && now < st.last_snapshot + 5 * every)) return;
  SnapshotStore store(st.options.snapshot_dir);
  auto wrote = projections::MaybeSnapshot(st.projections, store, {});
  if (!wrote.ok()) std::cerr << "regatta master: snapshot: " << wrote.status().message() << "\n";
  st.last_snapshot = now;
}

// Agents not heard from for --heartbeat-timeout become UNREACHABLE, all in
// one append: one sync for a rack that went away, not one per agent (the
// master would stop hearing the others' heartbeats meanwhile).
// (heartbeats.h says when.)
void CheckHeartbeats(MasterPointer self) {
  auto& st = self->state;
  const HeartbeatTick tick{st.clock->NowNanos(), st.last_tick_nanos,
                           std::chrono::nanoseconds(st.options.tick_period).count(),
                           std::chrono::nanoseconds(st.options.heartbeat_timeout).count()};
  st.last_tick_nanos = tick.now_nanos;
  if (TickIsLate(tick)) return;
  Flush(self);  // decide against everything acknowledged so far
  for (const auto& [id, session] : st.sessions) {
    if (!MissedHeartbeats(session.last_seen_nanos, tick)) continue;
    auto outcome = DecideAgentUnreachable(st.projections, id, Context(st));
    if (!outcome.ok()) {
      std::cerr << "regatta master: agent " << id << ": " << outcome.status().message() << "\n";
      continue;
    }
    std::vector<std::string> keys{"agent:" + id};
    for (const std::string& task : st.projections.scheduling().TasksOn(id)) keys.push_back("task:" + task);
    st.batch.Stage(keys, std::move(*outcome), [self, id = id](const Status& appended, const Outcome&, const Committed&) {
      if (!appended.ok()) return;  // the log did not take it: try again next tick
      std::cerr << "regatta master: agent " << id << " is unreachable\n";
      self->state.sessions.erase(id);
      TellAllocator(self, id, false);
    });
  }
  Flush(self);
}

template <class T>
Result<protocol::Received<T>> Read(const Wire& wire, const char* what) {
  auto message = protocol::Received<T>::Read(wire.bytes, what);
  if (!message.ok()) return Status::InvalidArgument(message.status().message());
  return message;
}

void ScheduleTick(MasterPointer self) {
  if (self->state.options.tick_period.count() > 0) {
    self->delayed_send(self, self->state.options.tick_period, protocol::tick_atom::value);
  }
}

master_actor::behavior_type MasterBehavior(MasterPointer self) {
  self->state.last_tick_nanos = self->state.clock->NowNanos();
  ScheduleTick(self);
  return {
      [=](protocol::agent_atom, agent_actor agent, Wire wire) -> caf::result<Wire> {
        auto message = Read<protocol::AgentMessage>(wire, "agent message");
        if (!message.ok()) return ReplyFor(message.status());
        auto root = message->root();
        switch (root.which()) {
          case protocol::AgentMessage::REGISTER_AGENT: return OnRegister(self, agent, root.getRegisterAgent());
          case protocol::AgentMessage::HEARTBEAT: return OnHeartbeat(self, root.getHeartbeat());
          case protocol::AgentMessage::STATUS_UPDATE: return OnStatus(self, root.getStatusUpdate());
          case protocol::AgentMessage::STATUS_UPDATES: return OnStatuses(self, root.getStatusUpdates());
          case protocol::AgentMessage::HEALTH_UPDATES: return OnHealth(self, root.getHealthUpdates());
        }
        return ReplyFor(Status::InvalidArgument("agent message of an unknown kind"));
      },
      [=](protocol::client_atom, Wire wire) -> caf::result<Wire> {
        auto message = Read<protocol::ClientMessage>(wire, "client message");
        if (!message.ok()) return ReplyFor(message.status());
        return OnClient(self, std::move(*message));
      },
      [=](protocol::launch_atom, Wire wire) -> caf::result<Wire> {
        auto message = Read<protocol::Launch>(wire, "launch");
        if (!message.ok()) return ReplyFor(message.status());
        return OnLaunch(self, message->root());
      },
      [=](protocol::flush_atom) {
        self->state.flush_pending = false;
        Flush(self);
      },
      [=](protocol::tick_atom) {
        CheckHeartbeats(self);
        Snapshot(self->state);
        ScheduleTick(self);
      },
  };
}

// The built-in frameworks, registered in the log, and the deployment
// controller: each spawned with a copy of the master's projections as its
// starting view.
void StartFrameworks(MasterPointer self) {
  const master_actor me = caf::actor_cast<master_actor>(self);
  allocator::AllocatorOptions allocation = self->state.options.allocation;
  allocation.clock = self->state.options.clock;
  if (self->state.options.tick_period.count() == 0) allocation.interval = std::chrono::milliseconds(0);
  self->state.allocator = allocator::SpawnAllocator(self->system(), me, self->state.projections, allocation);
  self->link_to(self->state.allocator);
  for (const frameworks::FrameworkConfig& config : frameworks::BuiltInFrameworks(self->state.options)) {
    auto registered = CommitAlone(self, [&] {
      return DecideRegisterFramework(self->state.projections, {config.framework_id, config.framework_id, config.role},
                                     Context(self->state));
    });
    if (!registered.ok()) {
      std::cerr << "regatta master: framework " << config.framework_id << ": " << registered.status().message() << "\n";
    }
    auto framework = frameworks::SpawnFramework(self->system(), config, me, self->state.allocator,
                                                self->state.projections);
    self->link_to(framework);
    self->state.frameworks.push_back(framework);
  }
  deployments::ControllerConfig controller;
  controller.clock = self->state.options.clock;
  if (self->state.options.tick_period.count() == 0) controller.tick_period = std::chrono::milliseconds(0);
  auto deployments = deployments::SpawnDeploymentController(self->system(), controller, me, self->state.projections);
  self->link_to(deployments);
  self->state.controllers.push_back(deployments);
}

Result<ProjectionSet> Rebuild(EventLog& log, const MasterOptions& options) {
  SnapshotStore snapshots(options.snapshot_dir);
  projections::ReplayReport report;
  auto set = projections::Replay(log, &snapshots, {}, {}, &report);
  if (!set.ok()) return set.status();
  for (const auto& why : report.rejected_snapshots) std::cerr << "regatta master: skipped snapshot: " << why << "\n";
  std::cerr << "regatta master: rebuilt state at revision " << set->next_revision() << " ("
            << report.events_replayed << " events replayed"
            << (report.used_snapshot ? ", from a snapshot" : "") << ")\n";
  return set;
}

}  // namespace

Result<master_actor> SpawnMaster(caf::actor_system& system, const MasterOptions& options) {
  auto log = OpenEventLog(options.log_uri, LogMode::kWriter);
  if (!log.ok()) return log.status();
  return SpawnMaster(system, options, std::shared_ptr<EventLog>(std::move(*log)));
}

Result<master_actor> SpawnMaster(caf::actor_system& system, const MasterOptions& options,
                                 std::shared_ptr<EventLog> owned_log) {
  if (const std::string repaired = owned_log->RecoveryNote(); !repaired.empty()) {
    std::cerr << "regatta master: repaired the log: " << repaired << "\n";
  }
  auto projections = Rebuild(*owned_log, options);
  if (!projections.ok()) return projections.status();
  // The unused int gives CAF 0.17 a non-empty argument tuple: with none, its
  // init_fun_factory binds a reference through a null shared_ptr (UBSan
  // aborts on it; see docs/architecture.md).
  // A detached actor runs its init on its own thread, possibly after this
  // returns: the lambda owns what it hands over.
  return system.spawn<caf::detached>([owned_log, state = std::move(*projections), options](MasterPointer self,
                                                                                          int) mutable {
    self->state.log = std::move(owned_log);
    self->state.clock = options.clock;
    self->state.projections = std::move(state);
    self->state.options = options;
    StartFrameworks(self);
    return MasterBehavior(self);
  }, 0);
}

Status RunMaster(const MasterOptions& options) { return RunMaster(options, Sidecar{}); }

Status RunMaster(const MasterOptions& options, const Sidecar& sidecar) {
  runtime::BlockStopSignals();  // before CAF starts its threads
  caf::actor_system_config cfg;
  protocol::ConfigureNode(cfg);
  caf::actor_system system{cfg};
  auto opened = OpenEventLog(options.log_uri, LogMode::kWriter);
  if (!opened.ok()) return opened.status();
  std::shared_ptr<EventLog> log(std::move(*opened));
  auto master = SpawnMaster(system, options, log);
  if (!master.ok()) return master.status();
  std::shared_ptr<void> beside;
  if (sidecar) {
    auto started = sidecar(system, *master, log);
    if (!started.ok()) {
      caf::anon_send_exit(*master, caf::exit_reason::user_shutdown);
      return started.status();
    }
    beside = std::move(*started);
  }
  auto port = system.middleman().publish(*master, options.listen_port, options.listen_host.c_str(), true);
  if (!port) {
    caf::anon_send_exit(*master, caf::exit_reason::user_shutdown);
    return Status::Unavailable("listen on " + options.listen_host + ":" + std::to_string(options.listen_port) +
                               ": " + system.render(port.error()));
  }
  std::cerr << "regatta master: listening on " << options.listen_host << ":" << *port << "\n";
  runtime::WaitForStopSignal();
  std::cerr << "regatta master: stopping\n";
  // Long enough for a group commit in progress to finish its append.
  runtime::ExitIfStillStoppingAfter(std::chrono::seconds(10), "regatta master");
  beside.reset();  // the API stops taking requests before the master stops
  caf::anon_send_exit(*master, caf::exit_reason::user_shutdown);
  return Status::Ok();
}

}  // namespace regatta::master

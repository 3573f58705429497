#include "actors/master/master_actor.h"

#include <iostream>
#include <map>

#include <caf/io/all.hpp>

#include "actors/allocator/allocator_actor.h"
#include "actors/frameworks/framework_actor.h"
#include "actors/master/master_spawn.h"
#include "actors/master/master_state.h"
#include "actors/protocol/node_config.h"
#include "actors/protocol/offer_codec.h"
#include "actors/runtime/signals.h"
#include "events/codec.h"
#include "events/log_uri.h"
#include "events/real_inputs.h"
#include "events/snapshot_store.h"
#include "events/time_format.h"
#include "projections/replay.h"

namespace regatta::master {
namespace {

using protocol::agent_actor;
using protocol::master_actor;
using protocol::Wire;

// How often the master checks heartbeats and considers a snapshot.
constexpr std::chrono::milliseconds kTickPeriod{100};
constexpr int kIdleTicksBeforeSnapshot = 10;

Wire Acknowledged(const Outcome&) { return Wire{protocol::AcknowledgedReply()}; }

void SendKills(MasterPointer self, const Outcome& outcome) {
  for (const Effect& effect : outcome.effects) {
    if (effect.kind != Effect::Kind::kKillTask) continue;
    auto session = self->state.sessions.find(effect.agent_id);
    if (session == self->state.sessions.end()) continue;
    self->send(session->second.handle, protocol::master_atom::value,
               Wire{protocol::KillTaskMessage(effect.task_id, 3.0)});
  }
}

// The app's current spec, as the history projection stores it.
const std::string* CurrentSpec(const MasterState& st, const std::string& app_id) {
  auto app = st.projections.history().apps().find(app_id);
  if (app == st.projections.history().apps().end()) return nullptr;
  const std::string* spec = nullptr;
  for (const auto& change : app->second.changes) {
    if (change.kind == projections::ChangeKind::kDefined) spec = &change.spec;
  }
  return spec;
}

// Orders the agent of every task the outcome launched to run it, with the
// app's current spec: one RunTasks message per agent.
void DispatchRunTasks(MasterPointer self, const Outcome& outcome) {
  std::map<std::string, protocol::Received<schema::AppSpec>> specs;  // by app; the readers point into them
  std::map<std::string, std::vector<std::pair<schema::TaskLaunched::Reader, schema::AppSpec::Reader>>> by_agent;
  std::vector<std::unique_ptr<EventDecoder>> decoders;  // an Event borrows from its decoder
  for (const EncodedEvent& encoded : outcome.events) {
    decoders.push_back(std::make_unique<EventDecoder>());
    auto event = decoders.back()->Decode(LoggedEvent{0, encoded.bytes});
    if (!event.ok() || !event->envelope.getEvent().isTaskLaunched()) continue;
    auto task = event->envelope.getEvent().getTaskLaunched();
    if (!self->state.sessions.count(task.getAgentId())) continue;
    auto spec = specs.find(task.getAppId().cStr());
    if (spec == specs.end()) {
      const std::string* bytes = CurrentSpec(self->state, task.getAppId());
      if (bytes == nullptr) continue;
      auto reader = protocol::Received<schema::AppSpec>::Read(protocol::Bytes(bytes->begin(), bytes->end()), "app spec");
      if (!reader.ok()) continue;
      spec = specs.emplace(task.getAppId().cStr(), std::move(*reader)).first;
    }
    by_agent[task.getAgentId()].emplace_back(task, spec->second.root());
  }
  for (const auto& [agent, tasks] : by_agent) {
    self->send(self->state.sessions.at(agent).handle, protocol::master_atom::value,
               Wire{protocol::RunTasksMessage(tasks)});
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
      self, keys, [self, command] { return DecideRegisterAgent(self->state.projections, command, Context()); },
      [self, agent, hostname](const Outcome& outcome) {
        std::string id;
        for (const Effect& e : outcome.effects) {
          if (e.kind == Effect::Kind::kAgentRegistered) id = e.agent_id;
        }
        self->state.sessions[id] = AgentSession{agent, WallClockNanos()};
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
    return Wire{protocol::RefusedReply("unknown session: register again")};
  }
  session->second.last_seen_nanos = WallClockNanos();
  return Wire{protocol::AcknowledgedReply()};
}

caf::result<Wire> OnStatus(MasterPointer self, protocol::StatusUpdate::Reader message) {
  StatusUpdate command = protocol::ToCommand(message);
  return Submit(
      self, {"task:" + command.task_id},
      [self, command] { return DecideStatusUpdate(self->state.projections, command, Context()); },
      [self](const Outcome& outcome) {
        SendKills(self, outcome);
        return Acknowledged(outcome);
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
        const CommandContext context = Context();
        for (const StatusUpdate& command : commands) {
          auto outcome = DecideStatusUpdate(self->state.projections, command, context);
          if (!outcome.ok()) {
            std::cerr << "regatta master: status update dropped: " << outcome.status().message() << "\n";
            continue;
          }
          for (auto& e : outcome->events) all.events.push_back(std::move(e));
          for (auto& e : outcome->effects) all.effects.push_back(std::move(e));
        }
        return all;
      },
      [self](const Outcome& outcome) {
        SendKills(self, outcome);
        return Acknowledged(outcome);
      });
}

caf::result<Wire> OnKill(MasterPointer self, const std::string& task_id) {
  const auto& tasks = self->state.projections.scheduling().tasks();
  auto task = tasks.find(task_id);
  if (task == tasks.end()) return ReplyFor(Status::NotFound("no live task " + task_id));
  if (!self->state.sessions.count(task->second.agent_id)) {
    return ReplyFor(Status::Unavailable("the agent of " + task_id + " is not connected; try again"));
  }
  Outcome kill;
  kill.effects.push_back({Effect::Kind::kKillTask, task->second.agent_id, task_id});
  SendKills(self, kill);
  return Acknowledged(kill);
}

caf::result<Wire> OnClient(MasterPointer self, protocol::Received<protocol::ClientMessage> received) {
  // The decision may run after this returns (after a flush): it reads the
  // message through this shared copy.
  auto keep = std::make_shared<protocol::Received<protocol::ClientMessage>>(std::move(received));
  auto message = keep->root();
  CommandContext context = Context();
  if (message.getPrincipal().size()) context.principal = message.getPrincipal();
  switch (message.which()) {
    case protocol::ClientMessage::DEFINE_APP: {
      return Submit(
          self, {"app:" + std::string(message.getDefineApp().getId().cStr())},
          [self, keep, context] {
            return DecideDefineApp(self->state.projections, keep->root().getDefineApp(),
                                   FormatRfc3339(context.now_nanos), context);
          },
          Acknowledged);
    }
    case protocol::ClientMessage::SCALE_APP: {
      const std::string app = message.getScaleApp().getAppId();
      const std::uint32_t instances = message.getScaleApp().getInstances();
      return Submit(
          self, {"app:" + app},
          [self, app, instances, context] {
            return DecideScaleApp(self->state.projections, app, instances, context);
          },
          Acknowledged);
    }
    case protocol::ClientMessage::KILL_TASK:
      return OnKill(self, message.getKillTask());
    case protocol::ClientMessage::PING:
      if (!self->current_sender()) {
        std::cerr << "regatta master: a client's ping arrived without a sender CAF could resolve; "
                     "the client retries from a new process\n";
      }
      return Wire{protocol::AcknowledgedReply()};
  }
  return ReplyFor(Status::InvalidArgument("client message of an unknown kind"));
}

caf::result<Wire> OnLaunch(MasterPointer self, protocol::Launch::Reader message) {
  AcceptOffer command = protocol::ToCommand(message);
  std::vector<std::string> keys{"agent:" + command.agent_id};
  for (const auto& task : command.tasks) keys.push_back("task:" + task.task_id);
  return Submit(
      self, keys, [self, command] { return DecideAcceptOffer(self->state.projections, command, Context()); },
      [self](const Outcome& outcome) {
        DispatchRunTasks(self, outcome);
        return Acknowledged(outcome);
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
void CheckHeartbeats(MasterPointer self) {
  auto& st = self->state;
  const std::int64_t now = WallClockNanos();
  const std::int64_t timeout = std::chrono::nanoseconds(st.options.heartbeat_timeout).count();
  // A master that could not read its mailbox for a while (a long append, a
  // starved machine) has not heard heartbeats that were sent: it judges
  // nobody on this tick, and gives everyone until the next.
  const std::int64_t late_tick = now - st.last_tick_nanos - std::chrono::nanoseconds(kTickPeriod).count();
  st.last_tick_nanos = now;
  if (late_tick > timeout / 2) return;
  Flush(self);  // decide against everything acknowledged so far
  for (const auto& [id, session] : st.sessions) {
    if (now - session.last_seen_nanos <= timeout) continue;
    auto outcome = DecideAgentUnreachable(st.projections, id, Context());
    if (!outcome.ok()) continue;
    std::vector<std::string> keys{"agent:" + id};
    for (const std::string& task : st.projections.scheduling().TasksOn(id)) keys.push_back("task:" + task);
    st.batch.Stage(keys, std::move(*outcome), [self, id = id](const Status& appended, const Outcome&) {
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

master_actor::behavior_type MasterBehavior(MasterPointer self) {
  self->delayed_send(self, kTickPeriod, protocol::tick_atom::value);
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
        self->delayed_send(self, kTickPeriod, protocol::tick_atom::value);
      },
  };
}

// The built-in frameworks: registered in the log, then spawned with a copy
// of the master's projections as their starting view.
void StartFrameworks(MasterPointer self) {
  const master_actor me = caf::actor_cast<master_actor>(self);
  self->state.allocator = allocator::SpawnAllocator(self->system(), me, self->state.projections,
                                                    self->state.options.allocation);
  self->link_to(self->state.allocator);
  for (const frameworks::FrameworkConfig& config : frameworks::BuiltInFrameworks(self->state.options)) {
    auto registered = CommitAlone(self, [&] {
      return DecideRegisterFramework(self->state.projections, {config.framework_id, config.framework_id, config.role},
                                     Context());
    });
    if (!registered.ok()) {
      std::cerr << "regatta master: framework " << config.framework_id << ": " << registered.status().message() << "\n";
    }
    auto framework = frameworks::SpawnFramework(self->system(), config, me, self->state.allocator,
                                                self->state.projections);
    self->link_to(framework);
    self->state.frameworks.push_back(framework);
  }
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
  auto projections = Rebuild(**log, options);
  if (!projections.ok()) return projections.status();
  // The unused int gives CAF 0.17 a non-empty argument tuple: with none, its
  // init_fun_factory binds a reference through a null shared_ptr (UBSan
  // aborts on it; see docs/architecture.md).
  // A detached actor runs its init on its own thread, possibly after this
  // returns: the lambda owns what it hands over.
  std::shared_ptr<EventLog> owned_log = std::move(*log);
  return system.spawn<caf::detached>([owned_log, state = std::move(*projections), options](MasterPointer self,
                                                                                          int) mutable {
    self->state.log = std::move(owned_log);
    self->state.projections = std::move(state);
    self->state.options = options;
    StartFrameworks(self);
    return MasterBehavior(self);
  }, 0);
}

Status RunMaster(const MasterOptions& options) {
  runtime::BlockStopSignals();  // before CAF starts its threads
  caf::actor_system_config cfg;
  protocol::ConfigureNode(cfg);
  caf::actor_system system{cfg};
  auto master = SpawnMaster(system, options);
  if (!master.ok()) return master.status();
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
  caf::anon_send_exit(*master, caf::exit_reason::user_shutdown);
  return Status::Ok();
}

}  // namespace regatta::master

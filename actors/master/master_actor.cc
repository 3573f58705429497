#include "actors/master/master_actor.h"

#include <iostream>
#include <map>

#include <caf/io/all.hpp>

#include "actors/allocator/snapshot_input.h"
#include "actors/frameworks/services_planner.h"
#include "actors/master/master_core.h"
#include "actors/protocol/wire.h"
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

struct AgentSession {
  agent_actor handle;
  std::int64_t last_seen_nanos = 0;
};

struct MasterState {
  std::unique_ptr<EventLog> log;
  ProjectionSet projections;
  std::map<std::string, AgentSession> sessions;
  projections::StringMap<scheduling::BackoffState> backoff;  // by app id
  std::map<std::string, std::int64_t> kills_sent;             // task -> when, to resend slowly
  std::uint64_t cycles = 0;
  Revision last_snapshot = 0;  // cheap check before listing snapshot files
  MasterOptions options;
  static inline const char* name = "regatta.master";
};

using MasterPointer = master_actor::stateful_pointer<MasterState>;

// How often the master checks heartbeats and runs an allocation cycle.
constexpr std::chrono::milliseconds kCyclePeriod{100};

CommandContext Context() {
  return CommandContext{WallClockNanos(), "regatta:master", NewUuid(), [] { return NewUuid(); }};
}

// Appends the outcome's events and, once durable, folds them in.
Status Commit(MasterState& state, const Outcome& outcome) {
  if (outcome.events.empty()) return Status::Ok();
  auto revisions = state.log->Append(outcome.events);
  if (!revisions.ok()) {
    // The outcome of a failed append can be unknown (a Kafka commit that
    // timed out may still land): fold in whatever the log now holds, so
    // memory never trails the log for long, and never runs ahead of it.
    (void)projections::CatchUp(*state.log, state.projections);
    return revisions.status();
  }
  EventDecoder decoder;
  for (std::size_t i = 0; i < outcome.events.size(); ++i) {
    auto event = decoder.Decode(LoggedEvent{(*revisions)[i], outcome.events[i].bytes});
    if (!event.ok()) return event.status();
    state.projections.Apply(*event);
  }
  return Status::Ok();
}

void SendKills(MasterPointer self, const Outcome& outcome) {
  for (const Effect& effect : outcome.effects) {
    if (effect.kind != Effect::Kind::kKillTask) continue;
    auto session = self->state.sessions.find(effect.agent_id);
    if (session == self->state.sessions.end()) continue;
    self->send(session->second.handle, protocol::master_atom::value,
               Wire{protocol::KillTaskMessage(effect.task_id, 3.0)});
  }
}

// Sends RunTask to the agent of every task the outcome launched, with the
// app's current spec from the history projection.
void DispatchRunTasks(MasterPointer self, const Outcome& outcome) {
  EventDecoder decoder;
  for (const EncodedEvent& encoded : outcome.events) {
    auto event = decoder.Decode(LoggedEvent{0, encoded.bytes});
    if (!event.ok() || !event->envelope.getEvent().isTaskLaunched()) continue;
    auto task = event->envelope.getEvent().getTaskLaunched();
    auto session = self->state.sessions.find(task.getAgentId());
    auto app = self->state.projections.history().apps().find(task.getAppId().cStr());
    if (session == self->state.sessions.end() || app == self->state.projections.history().apps().end()) continue;
    const std::string* spec = nullptr;
    for (const auto& change : app->second.changes) {
      if (change.kind == projections::ChangeKind::kDefined) spec = &change.spec;
    }
    if (spec == nullptr) continue;
    auto reader = protocol::Received<schema::AppSpec>::Read(protocol::Bytes(spec->begin(), spec->end()), "app spec");
    if (!reader.ok()) continue;
    self->send(session->second.handle, protocol::master_atom::value,
               Wire{protocol::RunTaskMessage(task, reader->root())});
  }
}

Wire ReplyFor(const Status& status) {
  if (status.code() == StatusCode::kUnavailable || status.code() == StatusCode::kIoError) {
    return Wire{protocol::UnavailableReply(status.message())};
  }
  return Wire{protocol::RefusedReply(status.message())};
}

Wire OnRegister(MasterPointer self, agent_actor agent, protocol::RegisterAgent::Reader message) {
  auto outcome = DecideRegisterAgent(self->state.projections, protocol::ToCommand(message), Context());
  if (!outcome.ok()) return ReplyFor(outcome.status());
  if (Status s = Commit(self->state, *outcome); !s.ok()) return ReplyFor(s);
  std::string id;
  for (const Effect& e : outcome->effects) {
    if (e.kind == Effect::Kind::kAgentRegistered) id = e.agent_id;
  }
  self->state.sessions[id] = AgentSession{agent, WallClockNanos()};
  SendKills(self, *outcome);
  std::cerr << "regatta master: agent " << id << " (" << message.getHostname().cStr() << ") registered\n";
  return Wire{protocol::RegisteredReply(id)};
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

void NoteTaskEnd(MasterState& st, const std::string& app_id, schema::TaskState state, std::int64_t now);

Wire OnStatus(MasterPointer self, protocol::StatusUpdate::Reader message) {
  const CommandContext context = Context();
  auto outcome = DecideStatusUpdate(self->state.projections, protocol::ToCommand(message), context);
  if (!outcome.ok()) return ReplyFor(outcome.status());
  const auto& tasks = self->state.projections.scheduling().tasks();
  auto task = tasks.find(message.getTaskId().cStr());
  const std::string app = task == tasks.end() ? "" : task->second.app_id;
  if (Status s = Commit(self->state, *outcome); !s.ok()) return ReplyFor(s);
  if (!outcome->events.empty() && !app.empty()) NoteTaskEnd(self->state, app, message.getState(), context.now_nanos);
  SendKills(self, *outcome);
  return Wire{protocol::AcknowledgedReply()};
}

Wire OnClient(MasterPointer self, protocol::ClientMessage::Reader message) {
  CommandContext context = Context();
  if (message.getPrincipal().size()) context.principal = message.getPrincipal();
  Result<Outcome> outcome = Status::InvalidArgument("client message of an unknown kind");
  switch (message.which()) {
    case protocol::ClientMessage::DEFINE_APP:
      outcome = DecideDefineApp(self->state.projections, message.getDefineApp(),
                                FormatRfc3339(context.now_nanos), context);
      break;
    case protocol::ClientMessage::SCALE_APP:
      outcome = DecideScaleApp(self->state.projections, message.getScaleApp().getAppId(),
                               message.getScaleApp().getInstances(), context);
      break;
    case protocol::ClientMessage::KILL_TASK: {
      const auto& tasks = self->state.projections.scheduling().tasks();
      auto task = tasks.find(message.getKillTask().cStr());
      if (task == tasks.end()) return ReplyFor(Status::NotFound(std::string("no live task ") + message.getKillTask().cStr()));
      if (!self->state.sessions.count(task->second.agent_id)) {
        return ReplyFor(Status::Unavailable("the agent of " + task->first + " is not connected; try again"));
      }
      Outcome kill;
      kill.effects.push_back({Effect::Kind::kKillTask, task->second.agent_id, task->first});
      outcome = std::move(kill);
      break;
    }
  }
  if (!outcome.ok()) return ReplyFor(outcome.status());
  if (Status s = Commit(self->state, *outcome); !s.ok()) return ReplyFor(s);
  SendKills(self, *outcome);
  return Wire{protocol::AcknowledgedReply()};
}

allocator::AllocationInput AllocationFor(const MasterState& st, std::int64_t now) {
  const auto& usage = st.projections.scheduling().usage_by_framework();
  auto services = usage.find("services");
  return allocator::InputFromState(
      st.projections, [&](const std::string& id) { return st.sessions.count(id) > 0; },
      {{"services", "*", services == usage.end() ? ResourceVector{} : services->second.allocated}}, now, st.cycles);
}

// Kills tasks beyond their app's count (scale-down, deleted apps, the
// originals of replaced tasks that came back), resending every 10 s until
// their end is recorded.
void KillExcess(MasterPointer self, std::int64_t now) {
  auto& st = self->state;
  constexpr std::int64_t kResendNanos = 10'000'000'000;
  for (const frameworks::Excess& task : frameworks::ExcessTasks(st.projections)) {
    auto sent = st.kills_sent.find(task.task_id);
    if (sent != st.kills_sent.end() && now - sent->second < kResendNanos) continue;
    auto session = st.sessions.find(task.agent_id);
    if (session == st.sessions.end()) continue;
    self->send(session->second.handle, protocol::master_atom::value, Wire{protocol::KillTaskMessage(task.task_id, 3.0)});
    st.kills_sent[task.task_id] = now;
  }
  for (auto it = st.kills_sent.begin(); it != st.kills_sent.end();) {
    it = st.projections.scheduling().tasks().count(it->first) ? std::next(it) : st.kills_sent.erase(it);
  }
}

// One allocation and launch cycle of the built-in services framework.
void SchedulingCycle(MasterPointer self) {
  auto& st = self->state;
  const CommandContext context = Context();
  ++st.cycles;
  KillExcess(self, context.now_nanos);
  frameworks::PlannerInput planner;
  planner.state = &st.projections;
  planner.offers = allocator::Allocate(AllocationFor(st, context.now_nanos));
  if (planner.offers.empty()) return;
  planner.now_nanos = context.now_nanos;
  planner.backoff = &st.backoff;
  planner.new_task_id = [](std::string_view app) {
    return projections::DnsLabelForApp(app) + "." + NewUuid();
  };
  planner.unreachable_inactive_nanos = std::chrono::nanoseconds(st.options.unreachable_inactive).count();
  const frameworks::Plan plan = frameworks::PlanLaunches(planner);
  for (const AcceptOffer& accept : plan.accepts) {
    auto outcome = DecideAcceptOffer(st.projections, accept, context);
    if (!outcome.ok()) {
      std::cerr << "regatta master: launch on " << accept.agent_id << " refused: " << outcome.status().message() << "\n";
      continue;
    }
    if (Status s = Commit(st, *outcome); !s.ok()) {
      std::cerr << "regatta master: launch not recorded: " << s.message() << "\n";
      return;
    }
    DispatchRunTasks(self, *outcome);
  }
}

// A failed task puts its app in launch backoff (Marathon's backoffSeconds,
// backoffFactor, maxLaunchDelaySeconds).
void NoteTaskEnd(MasterState& st, const std::string& app_id, schema::TaskState state, std::int64_t now) {
  if (!scheduling::CountsTowardBackoff(scheduling::ToTaskPhase(state))) return;
  auto app = st.projections.history().apps().find(app_id);
  if (app == st.projections.history().apps().end()) return;
  scheduling::BackoffPolicy policy;
  for (const auto& change : app->second.changes) {
    if (change.kind != projections::ChangeKind::kDefined) continue;
    auto spec = protocol::Received<schema::AppSpec>::Read(protocol::Bytes(change.spec.begin(), change.spec.end()), "spec");
    if (!spec.ok()) continue;
    if (auto p = scheduling::BackoffPolicyOf(spec->root()); p.ok()) policy = *p;
  }
  st.backoff[app_id].RecordFailure(policy, now);
}

// Leaves a snapshot every 100,000 events, so a restart replays a short tail.
void Snapshot(MasterState& st) {
  SnapshotStore store(st.options.snapshot_dir);
  if (st.projections.next_revision() < st.last_snapshot + projections::SnapshotPolicy{}.every_events) return;
  auto wrote = projections::MaybeSnapshot(st.projections, store, {});
  if (!wrote.ok()) std::cerr << "regatta master: snapshot: " << wrote.status().message() << "\n";
  st.last_snapshot = st.projections.next_revision();
}

void CheckHeartbeats(MasterPointer self) {
  const std::int64_t now = WallClockNanos();
  const std::int64_t timeout = std::chrono::nanoseconds(self->state.options.heartbeat_timeout).count();
  for (auto it = self->state.sessions.begin(); it != self->state.sessions.end();) {
    if (now - it->second.last_seen_nanos <= timeout) {
      ++it;
      continue;
    }
    auto outcome = DecideAgentUnreachable(self->state.projections, it->first, Context());
    if (outcome.ok() && Commit(self->state, *outcome).ok()) {
      std::cerr << "regatta master: agent " << it->first << " is unreachable\n";
      it = self->state.sessions.erase(it);
    } else {
      ++it;  // the log did not take it: try again next tick
    }
  }
}

master_actor::behavior_type MasterBehavior(MasterPointer self) {
  self->delayed_send(self, kCyclePeriod, protocol::tick_atom::value);
  return {
      [=](protocol::agent_atom, agent_actor agent, Wire wire) -> Wire {
        auto message = protocol::Received<protocol::AgentMessage>::Read(wire.bytes, "agent message");
        if (!message.ok()) return ReplyFor(Status::InvalidArgument(message.status().message()));
        auto root = message->root();
        switch (root.which()) {
          case protocol::AgentMessage::REGISTER_AGENT: return OnRegister(self, agent, root.getRegisterAgent());
          case protocol::AgentMessage::HEARTBEAT: return OnHeartbeat(self, root.getHeartbeat());
          case protocol::AgentMessage::STATUS_UPDATE: return OnStatus(self, root.getStatusUpdate());
        }
        return ReplyFor(Status::InvalidArgument("agent message of an unknown kind"));
      },
      [=](protocol::client_atom, Wire wire) -> Wire {
        auto message = protocol::Received<protocol::ClientMessage>::Read(wire.bytes, "client message");
        if (!message.ok()) return ReplyFor(Status::InvalidArgument(message.status().message()));
        return OnClient(self, message->root());
      },
      [=](protocol::tick_atom) {
        CheckHeartbeats(self);
        SchedulingCycle(self);
        Snapshot(self->state);
        self->delayed_send(self, kCyclePeriod, protocol::tick_atom::value);
      },
  };
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

Status RunMaster(const MasterOptions& options) {
  runtime::BlockStopSignals();  // before CAF starts its threads

  auto log = OpenEventLog(options.log_uri, LogMode::kWriter);
  if (!log.ok()) return log.status();
  auto projections = Rebuild(**log, options);
  if (!projections.ok()) return projections.status();

  caf::actor_system_config cfg;
  cfg.load<caf::io::middleman>();
  protocol::RegisterMessageTypes(cfg);
  caf::actor_system system{cfg};
  // The unused int gives CAF 0.17 a non-empty argument tuple: with none, its
  // init_fun_factory binds a reference through a null shared_ptr (UBSan
  // aborts on it; see docs/architecture.md).
  auto master = system.spawn<caf::detached>([&](MasterPointer self, int) {
    self->state.log = std::move(*log);
    self->state.projections = std::move(*projections);
    self->state.options = options;
    // The built-in services framework is always there.
    auto framework = DecideRegisterFramework(self->state.projections, {"services", "services", "*"}, Context());
    if (framework.ok()) (void)Commit(self->state, *framework);
    return MasterBehavior(self);
  }, 0);
  auto port = system.middleman().publish(master, options.listen_port, options.listen_host.c_str(), true);
  if (!port) {
    caf::anon_send_exit(master, caf::exit_reason::user_shutdown);
    return Status::Unavailable("listen on " + options.listen_host + ":" + std::to_string(options.listen_port) +
                               ": " + system.render(port.error()));
  }
  std::cerr << "regatta master: listening on " << options.listen_host << ":" << *port << "\n";
  runtime::WaitForStopSignal();
  std::cerr << "regatta master: stopping\n";
  caf::anon_send_exit(master, caf::exit_reason::user_shutdown);
  return Status::Ok();
}

}  // namespace regatta::master

#include "actors/frameworks/framework_actor.h"

#include <iostream>
#include <map>
#include <set>

#include "actors/frameworks/launch_planner.h"
#include "actors/protocol/offer_codec.h"

namespace regatta::frameworks {
namespace {

using protocol::Wire;

// Declining while nothing waits keeps the offers away for long (Marathon
// declines for 120 s and revives on new demand); declining while an app
// still waits (constraints, backoff) brings them back soon.
constexpr double kRefuseWhenIdleSeconds = 120;
constexpr double kRefuseWhenWaitingSeconds = 1;
constexpr std::int64_t kKillResendNanos = 10'000'000'000;
// A launch neither in the log nor reported failed after this long is
// presumed lost on the way (the allocator's request to the master times
// out after 30 s): it stops counting as live.
constexpr std::int64_t kLaunchingTimeoutNanos = 60'000'000'000;

struct FrameworkState {
  FrameworkConfig config;
  protocol::master_actor master;
  protocol::allocator_actor allocator;
  projections::ProjectionSet view;
  projections::StringMap<placement::BackoffState> backoff;  // by app id
  std::map<std::string, std::int64_t> kills_sent;             // task -> when
  std::set<std::string> apps;  // the live apps of this framework's kind
  // Accepted, not yet in the log: task id -> (app id, when accepted).
  std::map<std::string, std::pair<std::string, std::int64_t>> launching;
  projections::StringMap<std::uint32_t> launching_by_app;  // PlannerFor's count of the above
  static inline const char* name = "regatta.framework";
};

using FrameworkPointer = protocol::framework_actor::stateful_pointer<FrameworkState>;

protocol::framework_actor Me(FrameworkPointer self) { return caf::actor_cast<protocol::framework_actor>(self); }

void Call(FrameworkPointer self, protocol::Bytes call) {
  self->send(self->state.allocator, protocol::call_atom::value, Me(self), Wire{std::move(call)});
}

// A failed task puts its app in launch backoff (Marathon's backoffSeconds,
// backoffFactor, maxLaunchDelaySeconds), timed by the event, not a clock.
void NoteTaskEnd(FrameworkState& st, const std::string& app_id, schema::TaskState state, std::int64_t at) {
  if (!placement::CountsTowardBackoff(state)) return;
  const domain::AppDefinition* app = st.view.history().Current(app_id);
  if (app == nullptr) return;  // deleted: nothing left to relaunch
  st.backoff[app_id].RecordFailure(app->backoff, at);
}

// Keeps `apps` in step with an app event; true when the event may raise
// this framework's demand (one of its apps defined or scaled).
bool TrackApp(FrameworkState& st, schema::Envelope::Event::Reader e) {
  if (e.isAppDefined()) {
    const std::string id = e.getAppDefined().getSpec().getId();
    if (e.getAppDefined().getSpec().getKind() == st.config.kind) {
      st.apps.insert(id);
      return true;
    }
    st.apps.erase(id);  // redefined as the other kind
    return false;
  }
  if (e.isAppScaled()) return st.apps.count(e.getAppScaled().getAppId().cStr()) > 0;
  if (e.isAppDeleted()) st.apps.erase(e.getAppDeleted().getAppId().cStr());
  return false;
}

// A new version of an app owes nothing to the old one's failures, and an
// operator may cancel a delay (DELETE /v2/queue/{app}/delay). True when a
// delay was lifted, so planning should look again.
bool ForgetsBackoff(FrameworkState& st, schema::Envelope::Event::Reader e) {
  std::string app_id;
  if (e.isAppDefined()) app_id = e.getAppDefined().getSpec().getId();
  else if (e.isAppLaunchDelayReset()) app_id = e.getAppLaunchDelayReset().getAppId();
  else if (e.isAppDeleted()) app_id = e.getAppDeleted().getAppId();
  else return false;
  return st.backoff.erase(app_id) > 0;
}

// What a batch of events may have changed for this framework.
struct Folded {
  bool more_demand = false;  // one of its apps defined or scaled, one of its tasks ended
  bool maybe_excess = false;  // an app shrank or went, or tasks came back from a partition
};

// A new app has no tasks to be excess; a redefined one may want fewer.
bool MayLeaveExcess(const projections::ProjectionSet& view, schema::Envelope::Event::Reader e) {
  if (e.isAppDefined()) return view.history().apps().count(e.getAppDefined().getSpec().getId().cStr()) > 0;
  return e.isAppScaled() || e.isAppDeleted() || e.isAgentReregistered();
}

// A rollout moves on as its tasks start, become ready, are killed or end:
// each may let it launch or kill more. Read before the event is applied
// (an ended task leaves the view).
bool TouchesRollout(const projections::ProjectionSet& view, schema::Envelope::Event::Reader e) {
  if (e.isDeploymentStarted() || e.isDeploymentCanceled() || e.isDeploymentFailed()) return true;
  std::string task_id;
  if (e.isTaskStatusChanged()) task_id = e.getTaskStatusChanged().getTaskId().cStr();
  else if (e.isTaskHealthChanged()) task_id = e.getTaskHealthChanged().getTaskId().cStr();
  else return false;
  auto task = view.scheduling().tasks().find(task_id);
  return task != view.scheduling().tasks().end() && view.history().RunningDeployment(task->second.app_id) != nullptr;
}

Folded Fold(FrameworkPointer self, const CommittedBatch& batch) {
  auto& st = self->state;
  Folded out;
  for (const Event& event : batch.events()) {
    auto e = event.envelope.getEvent();
    if (TrackApp(st, e)) out.more_demand = true;
    if (ForgetsBackoff(st, e)) out.more_demand = true;
    if (MayLeaveExcess(st.view, e)) out.maybe_excess = true;
    if (st.config.kind == schema::WorkloadKind::SERVICE && TouchesRollout(st.view, e)) {
      out.maybe_excess = out.more_demand = true;
    }
    if (e.isTaskLaunched()) st.launching.erase(e.getTaskLaunched().getTaskId().cStr());
    if (e.isTaskStatusChanged()) {
      auto status = e.getTaskStatusChanged();
      auto task = st.view.scheduling().tasks().find(status.getTaskId().cStr());
      if (task != st.view.scheduling().tasks().end()) {
        // A task back from UNREACHABLE may have been replaced meanwhile.
        if (task->second.state == schema::TaskState::UNREACHABLE) out.maybe_excess = true;
        if (task->second.framework_id == st.config.framework_id && domain::IsTerminal(status.getState())) {
          out.more_demand = true;
          NoteTaskEnd(st, task->second.app_id, status.getState(), event.envelope.getTimeNanos());
        }
      }
    }
    if (Status folded = st.view.Apply(event); !folded.ok()) {
      std::cerr << "regatta " << st.config.framework_id << ": " << folded.message() << "\n";
    }
  }
  return out;
}

void KillExcess(FrameworkPointer self) {
  auto& st = self->state;
  // No task of ours live, no kill pending: nothing can be excess, so no
  // walk over every task (the jobs framework while only services run).
  const auto& usage = st.view.scheduling().usage_by_framework();
  const auto ours = usage.find(st.config.framework_id);
  if ((ours == usage.end() || ours->second.tasks == 0) && st.kills_sent.empty()) return;
  const std::int64_t now = st.config.clock->NowNanos();
  for (const Excess& task : ExcessTasks(st.view, now)) {
    auto info = st.view.scheduling().tasks().find(task.task_id);
    if (info == st.view.scheduling().tasks().end() || info->second.framework_id != st.config.framework_id) continue;
    auto sent = st.kills_sent.find(task.task_id);
    if (sent != st.kills_sent.end() && now - sent->second < kKillResendNanos) continue;
    capnp::MallocMessageBuilder message;
    auto kill = message.initRoot<protocol::ClientMessage>();
    kill.setKillTask(task.task_id);
    kill.setPrincipal("regatta:" + st.config.framework_id);
    kill.setReason(task.reason);
    // The answer is not waited for: a kill that does not arrive is resent
    // after kKillResendNanos. A request rather than an anonymous message,
    // so the master has a sender to answer.
    self->request(st.master, std::chrono::seconds(30), protocol::client_atom::value, Wire{protocol::Flatten(message)})
        .then([](Wire&) {}, [](caf::error&) {});
    st.kills_sent[task.task_id] = now;
  }
  for (auto it = st.kills_sent.begin(); it != st.kills_sent.end();) {
    it = st.view.scheduling().tasks().count(it->first) ? std::next(it) : st.kills_sent.erase(it);
  }
}

PlannerInput PlannerFor(FrameworkState& st) {
  PlannerInput planner;
  planner.state = &st.view;
  planner.framework_id = st.config.framework_id;
  planner.kind = st.config.kind;
  planner.now_nanos = st.config.clock->NowNanos();
  planner.backoff = &st.backoff;
  planner.new_task_id = [](std::string_view app) { return projections::DnsLabelForApp(app) + "." + NewUuid(); };
  planner.unreachable_inactive_nanos = std::chrono::nanoseconds(st.config.unreachable_inactive).count();
  st.launching_by_app.clear();
  for (const auto& [task, launch] : st.launching) ++st.launching_by_app[launch.first];
  planner.launching = &st.launching_by_app;
  return planner;
}

// Some app wants more tasks than it has, as of now: time alone changes
// that (a backoff ends, an unreachable task outlives its grace).
bool Short(FrameworkState& st) {
  if (st.apps.empty()) return false;  // the jobs framework while only services run, say
  for (const AppNeed& need : PlanLaunches(PlannerFor(st)).needs) {
    if (need.to_launch > 0) return true;
  }
  return false;
}

void Answer(FrameworkPointer self, const std::vector<domain::NamedOffer>& received) {
  auto& st = self->state;
  PlannerInput planner = PlannerFor(st);
  std::map<std::string, std::string> offer_of_agent;
  for (const auto& r : received) {
    planner.offers.push_back(r.offer);
    offer_of_agent[r.offer.agent_id] = r.offer_id;
  }
  const Plan plan = PlanLaunches(planner);
  bool waiting = false;  // some app is still short after this plan
  for (const AppNeed& need : plan.needs) waiting = waiting || need.planned < need.to_launch;
  for (const domain::AcceptOffer& accept : plan.accepts) {
    for (const auto& task : accept.tasks) st.launching[task.task_id] = {task.app_id, planner.now_nanos};
    Call(self, protocol::AcceptCall(st.config.framework_id, offer_of_agent[accept.agent_id], accept.tasks));
  }
  std::vector<std::string> declined;
  for (const std::string& agent : plan.declined_offers) declined.push_back(offer_of_agent[agent]);
  if (!declined.empty()) {
    Call(self, protocol::DeclineCall(st.config.framework_id, declined,
                                     waiting ? kRefuseWhenWaitingSeconds : kRefuseWhenIdleSeconds));
  }
}

void OnOffers(FrameworkPointer self, const Wire& wire) {
  auto message = protocol::Received<protocol::OfferEvent>::Read(wire.bytes, "offers");
  if (!message.ok()) {
    std::cerr << "regatta " << self->state.config.framework_id << ": " << message.status().message() << "\n";
    return;
  }
  auto root = message->root();
  if (root.isRescinded()) return;  // offers are answered as they come: none is held
  if (root.isLaunchFailed()) {
    for (auto task : root.getLaunchFailed()) self->state.launching.erase(task.cStr());
    return;
  }
  auto offers = protocol::ToOffers(root.getOffers(), self->state.config.framework_id);
  if (self->state.view.next_revision() < root.getRevision()) {
    // The allocator has seen launches this view has not: planning now could
    // launch an app's tasks twice. Hand the offers back for the next cycle.
    std::vector<std::string> ids;
    for (const auto& o : offers) ids.push_back(o.offer_id);
    Call(self, protocol::DeclineCall(self->state.config.framework_id, ids, 0));
    return;
  }
  Answer(self, offers);
}

void ScheduleTick(FrameworkPointer self) {
  if (self->state.config.tick_period.count() > 0) {
    self->delayed_send(self, self->state.config.tick_period, protocol::tick_atom::value);
  }
}

protocol::framework_actor::behavior_type FrameworkBehavior(FrameworkPointer self) {
  Call(self, protocol::SubscribeCall(self->state.config.framework_id, self->state.config.role));
  if (!Short(self->state)) Call(self, protocol::SuppressCall(self->state.config.framework_id));
  ScheduleTick(self);
  return {
      [=](protocol::events_atom, const CommittedBatchPtr& batch) {
        const Folded folded = Fold(self, *batch);
        if (folded.more_demand) Call(self, protocol::ReviveCall(self->state.config.framework_id));
        // ExcessTasks reads every task: only when the batch may have made
        // some (the tick catches the rest, and resends kills).
        if (folded.maybe_excess) KillExcess(self);
      },
      [=](protocol::offers_atom, Wire wire) { OnOffers(self, wire); },
      [=](protocol::tick_atom) {
        // Backoffs end and partitions outlast their grace without an event:
        // an app still short asks for offers again.
        const std::int64_t now = self->state.config.clock->NowNanos();
        std::erase_if(self->state.launching,
                      [now](const auto& entry) { return now - entry.second.second > kLaunchingTimeoutNanos; });
        // An app whose new tasks have run long enough is forgiven its failures.
        placement::ForgiveRecovered(self->state.backoff, self->state.view, now);
        if (Short(self->state)) Call(self, protocol::ReviveCall(self->state.config.framework_id));
        KillExcess(self);
        ScheduleTick(self);
      },
  };
}

}  // namespace

std::vector<FrameworkConfig> BuiltInFrameworks(const master::MasterOptions& options) {
  const auto role = [&](const std::string& framework) {
    auto it = options.framework_roles.find(framework);
    return it == options.framework_roles.end() ? std::string("*") : it->second;
  };
  std::vector<FrameworkConfig> out = {
      {"services", role("services"), schema::WorkloadKind::SERVICE, options.unreachable_inactive},
      {"jobs", role("jobs"), schema::WorkloadKind::JOB, options.unreachable_inactive}};
  for (FrameworkConfig& config : out) {
    config.clock = options.clock;
    if (options.tick_period.count() == 0) config.tick_period = std::chrono::milliseconds(0);
  }
  return out;
}

protocol::framework_actor SpawnFramework(caf::actor_system& system, FrameworkConfig config,
                                         protocol::master_actor master, protocol::allocator_actor allocator,
                                         projections::ProjectionSet view) {
  // The unused int: see SpawnMaster (CAF 0.17 and an empty argument tuple).
  return system.spawn(
      [config, master, allocator, view = std::move(view)](FrameworkPointer self, int) mutable {
        self->state.config = config;
        self->state.master = master;
        self->state.allocator = allocator;
        self->state.view = std::move(view);
        // Tasks and agents to plan on, app definitions to plan for.
        self->state.view.Narrow(projections::kSchedulingProjection | projections::kHistoryProjection);
        for (const domain::AppDefinition* app : projections::LiveApps(self->state.view.history())) {
          if (app->kind == config.kind) self->state.apps.insert(app->id);
        }
        return FrameworkBehavior(self);
      },
      0);
}

}  // namespace regatta::frameworks

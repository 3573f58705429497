#include "actors/frameworks/launch_planner.h"

#include <algorithm>
#include <functional>
#include <optional>
#include <queue>
#include <utility>

#include "actors/deployments/app_rollout.h"
#include "actors/frameworks/offer_slot.h"
#include "actors/placement/constraints.h"

namespace regatta::frameworks {
namespace {

using projections::StringMap;
using projections::TaskInfo;
using domain::Constraint;
using domain::ConstraintOperator;
using placement::PlacementContext;
using TasksByApp = StringMap<std::vector<const TaskInfo*>>;

// Live tasks by app. A task long unreachable is presumed lost: it stops
// counting, so the app is given a replacement.
TasksByApp GroupTasks(const projections::SchedulingProjection& cluster, std::int64_t now,
                      std::int64_t unreachable_inactive) {
  TasksByApp out;
  for (const auto& [id, task] : cluster.tasks()) {
    if (domain::IsTerminal(task.state)) continue;
    if (unreachable_inactive > 0 && task.state == schema::TaskState::UNREACHABLE &&
        now - task.updated_nanos >= unreachable_inactive) {
      continue;
    }
    out[task.app_id].push_back(&task);
  }
  return out;
}

// The app's tasks per offered agent (by OfferSlot::agent_index), reused from
// app to app: only the entries one app touched are reset, so serving 1,000
// apps does not clear a 10,000-entry table 1,000 times.
class SpreadCounts {
 public:
  explicit SpreadCounts(std::size_t agents) : counts_(agents, 0) {}
  std::uint32_t operator[](std::size_t agent) const { return counts_[agent]; }
  void Add(std::size_t agent) {
    if (counts_[agent]++ == 0) touched_.push_back(agent);
  }
  void Clear() {
    for (std::size_t agent : touched_) counts_[agent] = 0;
    touched_.clear();
  }

 private:
  std::vector<std::uint32_t> counts_;
  std::vector<std::size_t> touched_;
};

domain::Attributes TaskLabels(const AppDefinition& app) {
  domain::Attributes labels = app.labels;
  labels.emplace_back("regatta.app", app.id);
  return labels;
}

// Places one app's tasks. Candidates come in spreading order, (tasks of the
// app on the offer's agent, slot index), without sorting every offer per app:
// offers on agents the app does not use yet all tie at zero and, slots being
// in agent-id order, the cursor yields them in order; every other candidate
// waits in a min-heap. An offer that cannot fit one more task never will
// within this app (its resources only shrink), so it is dropped; one a
// constraint refused is held back, since a GROUP_BY may accept it once the
// other groups have caught up.
class AppPlacer {
 public:
  AppPlacer(const AppDefinition& app, std::vector<OfferSlot>& slots, SpreadCounts& counts,
            PlacementContext context)
      : app_(app), slots_(slots), counts_(counts), context_(std::move(context)),
        tally_(kShortfalls + app.constraints.size(), 0), group_minimums_(GroupMinimums()) {}

  // Places up to `wanted` tasks; returns how many it placed.
  std::uint32_t Place(std::uint32_t wanted, const PlannerInput& in) {
    std::uint32_t placed = 0;
    while (placed < wanted) {
      const auto slot = Next();
      if (!slot) break;
      if (TryPlace(*slot, in)) ++placed;
    }
    return placed;
  }

  // The refusal most offers gave (the first such in check order on a tie).
  std::string WaitingReason() const {
    const auto most = std::max_element(tally_.begin(), tally_.end());
    if (most == tally_.end() || *most == 0) return "no offers";
    const auto index = static_cast<std::size_t>(most - tally_.begin());
    if (index < kShortfalls) return ShortfallText(static_cast<Shortfall>(index));
    return "no offer satisfies " + domain::Describe(app_.constraints[index - kShortfalls]);
  }

 private:
  using Candidate = std::pair<std::uint32_t, std::size_t>;  // (app tasks on agent, slot)

  std::uint32_t Count(std::size_t slot) const { return counts_[slots_[slot].agent_index]; }

  std::optional<std::size_t> Next() {
    while (cursor_ < slots_.size() && Count(cursor_) > 0) {
      heap_.push({Count(cursor_), cursor_});
      ++cursor_;
    }
    // Counts only grow; an entry below its agent's count is stale (the
    // agent took a task through another of its offers): requeue it.
    while (!heap_.empty() && heap_.top().first != Count(heap_.top().second)) {
      const std::size_t slot = heap_.top().second;
      heap_.pop();
      heap_.push({Count(slot), slot});
    }
    if (cursor_ < slots_.size() && (heap_.empty() || Candidate{0, cursor_} < heap_.top())) {
      return cursor_++;
    }
    if (heap_.empty()) return std::nullopt;
    const std::size_t slot = heap_.top().second;
    heap_.pop();
    return slot;
  }

  bool TryPlace(std::size_t index, const PlannerInput& in) {
    OfferSlot& slot = slots_[index];
    if (const Shortfall why = CheckFits(slot, app_); why != Shortfall::kNone) {
      ++tally_[static_cast<std::size_t>(why)];
      return false;
    }
    if (const Constraint* violated = placement::FirstViolated(app_.constraints, *slot.agent, context_)) {
      ++tally_[kShortfalls + static_cast<std::size_t>(violated - app_.constraints.data())];
      held_back_.push_back(index);
      return false;
    }
    Launch(slot, in.new_task_id(app_.id));
    counts_.Add(slot.agent_index);
    heap_.push({Count(index), index});
    RetryHeldBack();
    return true;
  }

  void Launch(OfferSlot& slot, std::string task_id) {
    slot.tasks.push_back(domain::TaskToLaunch{std::move(task_id), app_.id, app_.version,
                                              app_.resources,
                                              TakePorts(slot, app_.host_ports),
                                              TaskLabels(app_)});
    slot.left -= app_.resources;
    context_.Record(*slot.agent);
  }

  // GROUP_BY accepts a group again once the fewest tasks any group holds
  // has risen: only then can a held-back offer have become acceptable.
  void RetryHeldBack() {
    if (held_back_.empty()) return;
    std::vector<std::uint32_t> now = GroupMinimums();
    if (now == group_minimums_) return;
    group_minimums_ = std::move(now);
    for (std::size_t slot : held_back_) heap_.push({Count(slot), slot});
    held_back_.clear();
  }

  std::vector<std::uint32_t> GroupMinimums() const {
    std::vector<std::uint32_t> out;
    for (const Constraint& c : app_.constraints) {
      if (c.op == ConstraintOperator::kGroupBy) out.push_back(context_.MinGroupTasks(c.field));
    }
    return out;
  }

  const AppDefinition& app_;
  std::vector<OfferSlot>& slots_;
  SpreadCounts& counts_;
  PlacementContext context_;
  std::vector<std::uint32_t> tally_;  // refusals: Shortfall codes, then one per constraint
  std::vector<std::uint32_t> group_minimums_;
  std::size_t cursor_ = 0;
  std::priority_queue<Candidate, std::vector<Candidate>, std::greater<>> heap_;
  std::vector<std::size_t> held_back_;
};

// Fills need.planned and need.waiting_reason. REQUIRES: counts all zero.
void PlaceApp(const AppDefinition& app, const std::vector<const TaskInfo*>& tasks,
              const PlannerInput& in, const StringMap<std::size_t>& agent_index,
              std::vector<OfferSlot>& slots, SpreadCounts& counts, AppNeed& need) {
  if (!app.invalid.ok()) {
    need.waiting_reason = app.invalid.message();
    return;
  }
  if (in.backoff != nullptr) {
    const auto delay = in.backoff->find(app.id);
    if (delay != in.backoff->end() && !delay->second.MayLaunch(in.now_nanos)) {
      need.waiting_reason = "backing off until " + std::to_string(delay->second.next_launch_nanos());
      return;
    }
  }
  for (const TaskInfo* task : tasks) {
    if (const auto it = agent_index.find(task->agent_id); it != agent_index.end()) counts.Add(it->second);
  }
  AppPlacer placer(app, slots, counts,
                   PlacementContext::ForTasks(in.state->scheduling().agents(), tasks, app.constraints));
  need.planned = placer.Place(need.to_launch, in);
  if (need.planned < need.to_launch) need.waiting_reason = placer.WaitingReason();
  counts.Clear();
}

// The arithmetic of one app, before placement fills planned and the reason.
AppNeed NeedOf(const AppDefinition& app, AppTarget target, std::size_t live) {
  AppNeed need;
  need.app_id = app.id;
  need.wanted = target.wanted;
  need.live = static_cast<std::uint32_t>(live);
  need.finished = target.finished;
  need.failed = target.failed;
  if (!target.stopped.empty()) {
    need.waiting_reason = std::move(target.stopped);
  } else if (need.wanted > need.live) {
    need.to_launch = need.wanted - need.live;
  }
  return need;
}

// A deployment runs: the new version launches what the rollout allows now
// (its surge, the room its kills made), less what is already on its way.
void LimitToRollout(const deployments::RolloutPlan& rollout, std::size_t on_the_way, AppNeed& need) {
  need.to_launch = rollout.launch > on_the_way ? rollout.launch - static_cast<std::uint32_t>(on_the_way) : 0;
  if (need.to_launch == 0 && rollout.phase != deployments::Phase::kComplete) need.rollout_waiting = rollout.waiting;
}

void Finish(const PlannerInput& in, std::vector<OfferSlot>& slots, Plan& plan) {
  for (OfferSlot& slot : slots) {
    const domain::Offer& offer = *slot.offer;
    if (slot.tasks.empty()) {
      plan.declined_offers.push_back(offer.agent_id);
      continue;
    }
    plan.accepts.push_back(domain::AcceptOffer{in.framework_id, offer.agent_id, offer.resources, offer.ports,
                                               std::move(slot.tasks)});
  }
}

}  // namespace

AppTarget TargetFor(const AppDefinition& app,
                    const StringMap<projections::Completions>& completions) {
  AppTarget target;
  target.wanted = app.instances;
  if (app.kind != schema::WorkloadKind::JOB) return target;
  if (const auto it = completions.find(app.id);
      it != completions.end() && it->second.app_version == app.version) {
    target.finished = it->second.finished;
    target.failed = it->second.failed;
  }
  target.wanted = target.finished >= app.instances
                      ? 0 : app.instances - static_cast<std::uint32_t>(target.finished);
  if (target.failed > app.max_retries) {
    target.stopped = "job failed: " + std::to_string(target.failed) + " failures, maxRetries " +
                     std::to_string(app.max_retries);
  }
  return target;
}

Plan PlanLaunches(const PlannerInput& in) {
  Plan plan;
  const projections::SchedulingProjection& cluster = in.state->scheduling();
  std::vector<OfferSlot> slots = MakeSlots(in.offers, in.framework_id, cluster);
  StringMap<std::size_t> agent_index;
  for (const OfferSlot& slot : slots) agent_index.emplace(slot.offer->agent_id, slot.agent_index);
  SpreadCounts counts(slots.empty() ? 0 : slots.back().agent_index + 1);
  const TasksByApp tasks_by_app = GroupTasks(cluster, in.now_nanos, in.unreachable_inactive_nanos);
  static const std::vector<const TaskInfo*> kNoTasks;

  for (const AppDefinition* current : projections::LiveApps(in.state->history())) {
    const AppDefinition& app = *current;
    if (app.kind != in.kind) continue;  // the other framework's app
    const auto found = tasks_by_app.find(app.id);
    const auto& tasks = found == tasks_by_app.end() ? kNoTasks : found->second;
    std::size_t live = tasks.size();
    if (in.launching != nullptr) {
      if (auto on_the_way = in.launching->find(app.id); on_the_way != in.launching->end()) live += on_the_way->second;
    }
    AppNeed need = NeedOf(app, TargetFor(app, cluster.completions()), live);
    if (app.kind == schema::WorkloadKind::SERVICE) {
      if (const auto rollout = deployments::PlanAppRollout(*in.state, app, in.now_nanos)) {
        LimitToRollout(*rollout, live - tasks.size(), need);
      }
    }
    if (need.to_launch > 0) PlaceApp(app, tasks, in, agent_index, slots, counts, need);
    plan.needs.push_back(std::move(need));
  }
  Finish(in, slots, plan);
  return plan;
}

std::vector<Excess> ExcessTasks(const projections::ProjectionSet& state, std::int64_t now_nanos) {
  std::vector<Excess> excess;
  StringMap<std::uint32_t> wanted;
  StringMap<bool> rolling;  // apps whose deployment picks their kills
  for (const auto& [app_id, deployment] : state.history().running_deployments()) {
    const AppDefinition* app = state.history().Current(app_id);
    if (app == nullptr || app->kind != schema::WorkloadKind::SERVICE) continue;
    const auto rollout = deployments::PlanAppRollout(state, *app, now_nanos);
    if (!rollout) continue;
    rolling[app_id] = true;
    for (const std::string& task : rollout->kill) {
      excess.push_back({task, state.scheduling().tasks().find(task)->second.agent_id,
                        "retired by deployment " + deployment + " to version " + app->version});
    }
  }
  for (const AppDefinition* app : projections::LiveApps(state.history())) {
    wanted[app->id] = TargetFor(*app, state.scheduling().completions()).wanted;
  }
  StringMap<std::vector<std::pair<std::string_view, const TaskInfo*>>> reachable;
  for (const auto& [id, task] : state.scheduling().tasks()) {
    if (task.state == schema::TaskState::UNREACHABLE || task.state == schema::TaskState::KILLING) continue;
    if (rolling.count(task.app_id)) continue;
    reachable[task.app_id].emplace_back(id, &task);
  }
  for (auto& [app, tasks] : reachable) {
    auto it = wanted.find(app);
    const std::size_t keep = it == wanted.end() ? 0 : it->second;
    if (tasks.size() <= keep) continue;
    // A deleted app stops after the deleted apps that depend on it.
    if (it == wanted.end() && !deployments::WaitingForDependents(state, std::string(app)).empty()) continue;
    // Keep running tasks before starting ones, older before newer.
    std::sort(tasks.begin(), tasks.end(), [](const auto& a, const auto& b) {
      const bool a_running = a.second->state == schema::TaskState::RUNNING;
      const bool b_running = b.second->state == schema::TaskState::RUNNING;
      if (a_running != b_running) return a_running;
      if (a.second->launched_nanos != b.second->launched_nanos) return a.second->launched_nanos < b.second->launched_nanos;
      return a.first < b.first;
    });
    for (std::size_t i = keep; i < tasks.size(); ++i) {
      excess.push_back({std::string(tasks[i].first), tasks[i].second->agent_id, "more instances than the app wants"});
    }
  }
  std::sort(excess.begin(), excess.end(), [](const Excess& a, const Excess& b) { return a.task_id < b.task_id; });
  return excess;
}

}  // namespace regatta::frameworks

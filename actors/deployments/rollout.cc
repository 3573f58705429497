#include "actors/deployments/rollout.h"

#include <algorithm>

namespace regatta::deployments {
namespace {

bool CountsAsReady(const ObservedTask& t, const RolloutInput& in) {
  return t.ready && in.now_nanos - t.ready_since_nanos >= in.strategy.min_ready_nanos;
}

Counts Count(const RolloutInput& in) {
  Counts c;
  c.last_progress_nanos = in.started_nanos;
  for (const ObservedTask& t : in.tasks) {
    if (t.killing) {
      ++c.killing;
      continue;
    }
    if (!t.is_new) {
      ++c.old_active;
      c.old_healthy += t.healthy ? 1 : 0;
      continue;
    }
    ++c.new_active;
    c.new_healthy += t.healthy ? 1 : 0;
    if (CountsAsReady(t, in)) {
      ++c.new_ready;
      c.last_progress_nanos = std::max(c.last_progress_nanos, t.ready_since_nanos + in.strategy.min_ready_nanos);
    }
  }
  return c;
}

std::string Describe(const Counts& c, std::uint32_t instances) {
  return std::to_string(c.new_ready) + " of " + std::to_string(instances) + " new instances ready, " +
         std::to_string(c.new_active - std::min(c.new_active, c.new_ready)) + " starting, " +
         std::to_string(c.old_active) + " old left" +
         (c.killing > 0 ? ", " + std::to_string(c.killing) + " being killed" : "");
}

// Old instances (or surplus new ones) in the order they go: unhealthy
// first, then by age (killSelection), then by id so the plan is stable.
std::vector<const ObservedTask*> KillOrder(const RolloutInput& in, bool is_new) {
  std::vector<const ObservedTask*> out;
  for (const ObservedTask& t : in.tasks) {
    if (!t.killing && t.is_new == is_new) out.push_back(&t);
  }
  const bool oldest_first = in.kill_oldest_first;
  std::sort(out.begin(), out.end(), [&](const ObservedTask* a, const ObservedTask* b) {
    const bool a_good = is_new ? CountsAsReady(*a, in) : a->healthy;
    const bool b_good = is_new ? CountsAsReady(*b, in) : b->healthy;
    if (a_good != b_good) return !a_good;
    if (a->launched_nanos != b->launched_nanos) {
      return oldest_first ? a->launched_nanos < b->launched_nanos : a->launched_nanos > b->launched_nanos;
    }
    return a->task_id < b->task_id;
  });
  return out;
}

// New instances beyond the target count (the app was scaled down
// mid-rollout): the least ready go.
void KillSurplusNew(const RolloutInput& in, Counts& c, RolloutPlan& plan) {
  if (c.new_active <= in.instances) return;
  const auto order = KillOrder(in, true);
  for (std::size_t i = 0; i < c.new_active - in.instances; ++i) {
    plan.kill.push_back(order[i]->task_id);
    if (CountsAsReady(*order[i], in)) --c.new_ready;
  }
  c.new_active = in.instances;
}

void PlanCanaries(const RolloutInput& in, const Counts& c, RolloutPlan& plan) {
  const std::uint32_t wanted = std::min(in.strategy.canaries, in.instances);
  plan.launch = wanted > c.new_active ? wanted - c.new_active : 0;
  const bool all_ready = c.new_ready >= wanted;
  plan.phase = all_ready ? Phase::kAwaitingPromotion : Phase::kProgressing;
  plan.waiting = std::to_string(std::min(c.new_ready, wanted)) + " of " + std::to_string(wanted) +
                 " canaries ready" + (all_ready ? "; waiting for promote" : "");
}

void PlanRecreate(const RolloutInput& in, const Counts& c, RolloutPlan& plan) {
  for (const ObservedTask* t : KillOrder(in, false)) plan.kill.push_back(t->task_id);
  // Killing old instances, whether now or earlier, must be gone first.
  const bool old_remain = c.old_active > 0 || std::any_of(in.tasks.begin(), in.tasks.end(), [](const ObservedTask& t) {
                            return t.killing && !t.is_new;
                          });
  if (old_remain) {
    plan.waiting = "stopping every old instance first: " + Describe(c, in.instances);
    return;
  }
  plan.launch = in.instances > c.new_active ? in.instances - c.new_active : 0;
  plan.waiting = Describe(c, in.instances);
}

void PlanRolling(const RolloutInput& in, const Counts& c, RolloutPlan& plan) {
  const Bounds& b = in.strategy.bounds;
  std::uint32_t healthy = c.old_healthy + c.new_ready;
  std::uint32_t capacity = b.max_capacity;
  if (b.one_extra && capacity <= healthy) ++capacity;
  std::uint32_t old_left = c.old_active;
  for (const ObservedTask* t : KillOrder(in, false)) {
    if (t->healthy) {
      if (healthy <= b.min_healthy) break;
      --healthy;
    }
    plan.kill.push_back(t->task_id);
    --old_left;
  }
  const std::uint32_t present = old_left + c.new_active;
  const std::uint32_t room = capacity > present ? capacity - present : 0;
  const std::uint32_t missing = in.instances > c.new_active ? in.instances - c.new_active : 0;
  plan.launch = std::min(missing, room);
  plan.waiting = Describe(c, in.instances);
}

bool Complete(const RolloutInput& in, const Counts& c) {
  return c.old_active == 0 && c.killing == 0 && c.new_active == in.instances && c.new_ready == in.instances;
}

}  // namespace

const char* PhaseName(Phase phase) {
  switch (phase) {
    case Phase::kProgressing: return "progressing";
    case Phase::kAwaitingPromotion: return "awaiting promotion";
    case Phase::kPaused: return "paused";
    case Phase::kComplete: return "complete";
    case Phase::kFailed: return "failed";
  }
  return "unknown";
}

RolloutPlan PlanRollout(const RolloutInput& in) {
  RolloutPlan plan;
  Counts counts = Count(in);
  plan.counts = counts;
  if (Complete(in, counts)) {
    plan.phase = Phase::kComplete;
    plan.waiting = Describe(counts, in.instances);
    return plan;
  }
  if (in.paused) {
    plan.phase = Phase::kPaused;
    plan.waiting = "paused: " + Describe(counts, in.instances);
    return plan;
  }
  const bool awaiting_promotion =
      in.strategy.canaries > 0 && !in.promoted && counts.new_ready >= std::min(in.strategy.canaries, in.instances);
  if (!awaiting_promotion && in.progress_deadline_nanos > 0 &&
      in.now_nanos - counts.last_progress_nanos >= in.progress_deadline_nanos) {
    plan.phase = Phase::kFailed;
    plan.failure = "no progress for " + std::to_string(in.progress_deadline_nanos / 1'000'000'000) +
                   " s: " + Describe(counts, in.instances);
    return plan;
  }
  KillSurplusNew(in, counts, plan);
  if (in.strategy.canaries > 0 && !in.promoted) {
    PlanCanaries(in, counts, plan);
  } else if (in.strategy.kind == StrategyKind::kRecreate) {
    PlanRecreate(in, counts, plan);
  } else {
    PlanRolling(in, counts, plan);
  }
  return plan;
}

}  // namespace regatta::deployments

namespace regatta::deployments {

std::vector<SimulatedStep> SimulateRollout(RolloutInput in, std::size_t max_steps) {
  std::vector<SimulatedStep> steps;
  in.progress_deadline_nanos = 0;
  in.strategy.min_ready_nanos = 0;
  std::uint32_t next_id = 0;
  while (steps.size() < max_steps) {
    const RolloutPlan plan = PlanRollout(in);
    if (plan.phase != Phase::kProgressing || (plan.launch == 0 && plan.kill.empty())) break;
    std::erase_if(in.tasks, [&](const ObservedTask& t) {
      return std::find(plan.kill.begin(), plan.kill.end(), t.task_id) != plan.kill.end();
    });
    for (std::uint32_t i = 0; i < plan.launch; ++i) {
      ObservedTask t;
      t.task_id = "~simulated-" + std::to_string(next_id++);
      t.is_new = t.healthy = t.ready = true;
      in.tasks.push_back(std::move(t));
    }
    SimulatedStep step{plan.launch, static_cast<std::uint32_t>(plan.kill.size()), 0, 0};
    for (const ObservedTask& t : in.tasks) ++(t.is_new ? step.new_after : step.old_after);
    steps.push_back(step);
  }
  return steps;
}

}  // namespace regatta::deployments

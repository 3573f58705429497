// The rollout planner's invariants under random health and deaths: no plan
// ever leaves fewer than min_healthy healthy instances (or fewer than were
// healthy, when deaths already took it below), nor starts instances beyond
// max_capacity (plus Marathon's one extra). And with nothing failing, every
// rollout completes.
#include <random>

#include <gtest/gtest.h>

#include "actors/deployments/rollout.h"

namespace regatta::deployments {
namespace {

struct Chaos {
  double die = 0;         // a task that has not ended dies, each step
  double sicken = 0;      // a healthy task stops passing its checks
  double recover = 0.2;   // an unhealthy old task passes again
  double become_ready = 0.3;
};

bool Counts(const ObservedTask& t) { return t.is_new ? t.ready : t.healthy; }

std::uint32_t Healthy(const std::vector<ObservedTask>& tasks) {
  std::uint32_t n = 0;
  for (const ObservedTask& t : tasks) n += !t.killing && Counts(t) ? 1 : 0;
  return n;
}

std::uint32_t Active(const std::vector<ObservedTask>& tasks) {
  std::uint32_t n = 0;
  for (const ObservedTask& t : tasks) n += t.killing ? 0 : 1;
  return n;
}

class Simulation {
 public:
  Simulation(std::uint32_t seed, RolloutInput in, Chaos chaos) : rng_(seed), in_(std::move(in)), chaos_(chaos) {}

  // Plans, checks the invariants, applies the plan, then lets the world
  // move. False once the rollout is complete.
  bool Step() {
    const RolloutPlan plan = PlanRollout(in_);
    if (plan.phase == Phase::kComplete) return false;
    const std::uint32_t healthy_before = Healthy(in_.tasks);
    for (const std::string& id : plan.kill) Find(id).killing = true;
    const Bounds& b = in_.strategy.bounds;
    EXPECT_GE(Healthy(in_.tasks), std::min(b.min_healthy, healthy_before)) << Where();
    if (plan.launch > 0) {
      EXPECT_LE(Active(in_.tasks) + plan.launch, b.max_capacity + (b.one_extra ? 1u : 0u)) << Where();
    }
    for (std::uint32_t i = 0; i < plan.launch; ++i) Launch();
    Move();
    in_.now_nanos += 1'000'000'000;
    return true;
  }

  std::string Where() const {
    return "n=" + std::to_string(in_.instances) + " min_healthy=" + std::to_string(in_.strategy.bounds.min_healthy) +
           " max_capacity=" + std::to_string(in_.strategy.bounds.max_capacity) + " at " +
           std::to_string(in_.now_nanos / 1'000'000'000) + " s";
  }

 private:
  ObservedTask& Find(const std::string& id) {
    for (ObservedTask& t : in_.tasks) {
      if (t.task_id == id) return t;
    }
    ADD_FAILURE() << "the plan named a task that is not there: " << id;
    static ObservedTask none;
    return none;
  }

  void Launch() {
    ObservedTask t;
    t.task_id = "t" + std::to_string(next_id_++);
    t.is_new = true;
    t.launched_nanos = in_.now_nanos;
    in_.tasks.push_back(t);
  }

  bool Chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }

  void Move() {
    std::vector<ObservedTask> next;
    for (ObservedTask t : in_.tasks) {
      if (t.killing ? Chance(0.5) : Chance(chaos_.die)) continue;  // ended
      if (t.healthy && Chance(chaos_.sicken)) {
        t.healthy = t.ready = false;
        t.ready_since_nanos = 0;
      } else if (!t.healthy && Chance(t.is_new ? chaos_.become_ready : chaos_.recover)) {
        t.healthy = t.ready = true;
        t.ready_since_nanos = in_.now_nanos;
      }
      next.push_back(t);
    }
    in_.tasks = std::move(next);
  }

  std::mt19937 rng_;
  RolloutInput in_;
  Chaos chaos_;
  int next_id_ = 0;
};

RolloutInput Start(std::uint32_t n, std::uint32_t old, Bounds bounds) {
  RolloutInput in;
  in.instances = n;
  in.strategy.bounds = bounds;
  for (std::uint32_t i = 0; i < old; ++i) {
    ObservedTask t;
    t.task_id = "old" + std::to_string(i);
    t.healthy = t.ready = true;
    t.launched_nanos = -static_cast<std::int64_t>(i);
    in.tasks.push_back(t);
  }
  return in;
}

std::vector<Bounds> SomeBounds(std::uint32_t n) {
  std::vector<Bounds> out;
  for (double health : {0.0, 0.3, 0.5, 0.75, 1.0}) {
    for (double over : {0.0, 0.2, 0.5, 1.0}) out.push_back(MarathonBounds(n, health, over));
  }
  for (const char* surge : {"0", "1", "25%", "100%"}) {
    for (const char* unavailable : {"0", "1", "25%", "50%"}) out.push_back(*KubernetesBounds(n, surge, unavailable));
  }
  return out;
}

TEST(RolloutPropertyTest, NoStepBreaksItsBoundsUnderRandomHealthAndDeaths) {
  std::uint32_t seed = 1;
  for (std::uint32_t n : {0u, 1u, 2u, 3u, 5u, 10u, 17u}) {
    for (const Bounds& b : SomeBounds(n)) {
      for (int run = 0; run < 3; ++run) {
        Simulation sim(seed++, Start(n, n, b), Chaos{0.03, 0.05, 0.2, 0.3});
        for (int step = 0; step < 200 && sim.Step(); ++step) {
        }
        if (HasFailure()) return;
      }
    }
  }
}

TEST(RolloutPropertyTest, WithNothingFailingEveryRolloutCompletes) {
  std::uint32_t seed = 1000;
  for (std::uint32_t n : {0u, 1u, 3u, 10u, 25u}) {
    for (const Bounds& b : SomeBounds(n)) {
      Simulation sim(seed++, Start(n, n, b), Chaos{0, 0, 0, 0.5});
      int step = 0;
      while (step < 2000 && sim.Step()) ++step;
      EXPECT_LT(step, 2000) << "did not complete: " << sim.Where();
    }
  }
}

TEST(RolloutPropertyTest, AScaleUpOrDownMidRolloutKeepsTheBounds) {
  std::uint32_t seed = 5000;
  for (auto [n, old] : {std::pair{10u, 3u}, std::pair{3u, 10u}, std::pair{0u, 5u}}) {
    for (const Bounds& b : SomeBounds(n)) {
      Simulation sim(seed++, Start(n, old, b), Chaos{0.02, 0.02, 0.2, 0.4});
      for (int step = 0; step < 300 && sim.Step(); ++step) {
      }
      if (HasFailure()) return;
    }
  }
}

}  // namespace
}  // namespace regatta::deployments

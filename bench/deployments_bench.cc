// The rollout planner at scale: one re-plan of a 10,000-instance app
// mid-rollout (target: <= 1 ms, issue 11). Half the old instances are
// still there, a third of the new ones ready.
#include <benchmark/benchmark.h>

#include "actors/deployments/rollout.h"

namespace regatta::deployments {
namespace {

RolloutInput MidRollout(std::uint32_t n) {
  RolloutInput in;
  in.instances = n;
  in.strategy.bounds = MarathonBounds(n, 0.9, 0.1);
  in.now_nanos = 1'000'000'000'000;
  for (std::uint32_t i = 0; i < n / 2; ++i) {
    ObservedTask t;
    t.task_id = "old." + std::to_string(i);
    t.healthy = t.ready = i % 50 != 0;
    t.launched_nanos = i;
    in.tasks.push_back(t);
  }
  for (std::uint32_t i = 0; i < n / 2; ++i) {
    ObservedTask t;
    t.task_id = "new." + std::to_string(i);
    t.is_new = true;
    t.healthy = t.ready = i % 3 == 0;
    t.launched_nanos = 1'000'000 + i;
    t.ready_since_nanos = t.ready ? 2'000'000 + i : 0;
    in.tasks.push_back(t);
  }
  return in;
}

void BM_DeploymentsReplan(benchmark::State& state) {
  const RolloutInput in = MidRollout(static_cast<std::uint32_t>(state.range(0)));
  std::size_t kills = 0;
  for (auto _ : state) {
    RolloutPlan plan = PlanRollout(in);
    kills = plan.kill.size();
    benchmark::DoNotOptimize(plan);
  }
  state.counters["kills"] = static_cast<double>(kills);
}
BENCHMARK(BM_DeploymentsReplan)->Arg(100)->Arg(10000)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace regatta::deployments

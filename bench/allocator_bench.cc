// Allocator*: one DRF allocation cycle over A agents and F frameworks.
#include <benchmark/benchmark.h>

#include "actors/allocator/drf.h"

namespace regatta::bench {
namespace {

using allocator::AllocationInput;
using allocator::Quantity;
using allocator::ResourceVector;

AllocationInput Cluster(int agents, int frameworks) {
  AllocationInput in;
  for (int i = 0; i < agents; ++i) {
    in.agents.push_back({"agent-" + std::to_string(i),
                         {Quantity::FromDouble(16), Quantity::FromDouble(65536), {}, {}},
                         {{31000, 32000}}});
  }
  in.cluster_total = {Quantity::FromDouble(16.0 * agents), Quantity::FromDouble(65536.0 * agents), {}, {}};
  for (int i = 0; i < frameworks; ++i) {
    // Frameworks already hold different amounts, spread over 20 roles.
    in.frameworks.push_back({"framework-" + std::to_string(i), "role-" + std::to_string(i % 20),
                             {Quantity::FromDouble(i % 7), Quantity::FromDouble(1024.0 * (i % 5)), {}, {}}});
  }
  in.seed = 7;
  return in;
}

void AllocatorCycle(benchmark::State& state) {
  const AllocationInput in = Cluster(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
  std::size_t offers = 0;
  for (auto _ : state) offers = allocator::Allocate(in).size();
  state.counters["offers"] = static_cast<double>(offers);
}
BENCHMARK(AllocatorCycle)->Args({2000, 2000})->Args({50000, 1000})->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace regatta::bench

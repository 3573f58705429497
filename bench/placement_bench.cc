// Placement*: the placement path of the master without its actor shell:
// DRF allocation -> launch planner -> master_core's DecideAcceptOffer ->
// durable append to the embedded log -> fold into the projections, then the
// RUNNING status of each task the same way. 10,000 agents (simulated: they
// exist only as registrations), 1,000 apps x 100 instances, a third of the
// apps with constraints. Measures placements per second until every task
// runs.
//
// Not yet measured: the same path through the CAF master with in-process
// simulated agent actors (cluster-core issue, item 7).
#include <benchmark/benchmark.h>

#include <capnp/message.h>

#include "actors/allocator/snapshot_input.h"
#include "actors/frameworks/launch_planner.h"
#include "actors/master/master_core.h"
#include "bench/bench_support.h"
#include "events/codec.h"
#include "events/file_log/file_log.h"

namespace regatta::bench {
namespace {

using master::CommandContext;
using master::Outcome;
using projections::ProjectionSet;
using domain::Quantity;

class Harness {
 public:
  explicit Harness(std::unique_ptr<FileEventLog> log) : log_(std::move(log)) {}

  bool Commit(const Outcome& outcome) {
    if (outcome.events.empty()) return true;
    auto revisions = log_->Append(outcome.events);
    if (!revisions.ok()) return false;
    for (std::size_t i = 0; i < outcome.events.size(); ++i) {
      auto event = decoder_.Decode(LoggedEvent{(*revisions)[i], outcome.events[i].bytes});
      if (!event.ok() || !state.Apply(*event).ok()) return false;
    }
    return true;
  }

  CommandContext Context() {
    return CommandContext{++clock_, "regatta:master", "", "bench", [this] { return "id-" + std::to_string(++ids_); }};
  }

  ProjectionSet state;

 private:
  std::unique_ptr<FileEventLog> log_;
  EventDecoder decoder_;
  std::int64_t clock_ = 1'700'000'000'000'000'000;
  std::uint64_t ids_ = 0;
};

void DefineApps(Harness& h, int apps, int instances) {
  const char* constraints[][3] = {{"hostname", "UNIQUE", ""}, {"zone", "GROUP_BY", ""}, {"hostname", "MAX_PER", "2"}};
  for (int a = 0; a < apps; ++a) {
    capnp::MallocMessageBuilder message;
    auto spec = message.initRoot<schema::AppSpec>();
    spec.setId("/team" + std::to_string(a % 10) + "/app" + std::to_string(a));
    spec.setCmd("sleep 1000");
    spec.setInstances(static_cast<std::uint32_t>(instances));
    spec.setCpus(0.1);
    spec.setMemMb(32);
    spec.initPortDefinitions(1)[0].setName("http");
    if (a % 3 == 0) {
      auto c = spec.initConstraints(1);
      const auto& pick = constraints[(a / 3) % 3];
      c[0].setField(pick[0]);
      c[0].setOperator(pick[1]);
      c[0].setValue(pick[2]);
    }
    auto outcome = master::DecideDefineApp(h.state, spec.asReader(), "v1", h.Context());
    if (!outcome.ok() || !h.Commit(*outcome)) std::abort();
  }
}

void PlacementCoreDurable(benchmark::State& state) {
  const int agents = static_cast<int>(state.range(0)), apps = static_cast<int>(state.range(1));
  const int instances = static_cast<int>(state.range(2));
  std::uint64_t placed = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto log = FileEventLog::Open(FreshDir("placement"), LogMode::kWriter);
    if (!log.ok()) std::abort();
    Harness h(std::move(*log));
    for (int i = 0; i < agents; ++i) {
      domain::RegisterAgent agent{"", "host-" + std::to_string(i), "sim",
                                  {Quantity::FromDouble(16), Quantity::FromDouble(65536), Quantity::FromDouble(100000), {}},
                                  {{31000, 32000}}, {{"zone", "z" + std::to_string(i % 5)}}, {}};
      auto outcome = master::DecideRegisterAgent(h.state, agent, h.Context());
      if (!outcome.ok() || !h.Commit(*outcome)) std::abort();
    }
    auto framework = master::DecideRegisterFramework(h.state, {"services", "services", "*"}, h.Context());
    if (!framework.ok() || !h.Commit(*framework)) std::abort();
    DefineApps(h, apps, instances);
    state.ResumeTiming();
    std::uint64_t seed = 0;
    for (int cycle = 0; cycle < 50; ++cycle) {
      const allocator::AllocationInput in = allocator::InputFromState(
          h.state, [](const std::string&) { return true; }, {{"services", "*", {}}}, 0, ++seed);
      frameworks::PlannerInput planner;
      planner.state = &h.state;
      planner.offers = allocator::Allocate(in);
      std::uint64_t next = 0;
      planner.new_task_id = [&](std::string_view app) { return std::string(app.substr(1)) + "-" + std::to_string(++next) + "-" + std::to_string(seed); };
      const frameworks::Plan plan = frameworks::PlanLaunches(planner);
      if (plan.accepts.empty()) break;
      for (const domain::AcceptOffer& accept : plan.accepts) {
        auto outcome = master::DecideAcceptOffer(h.state, accept, h.Context());
        if (!outcome.ok()) continue;  // e.g. a port another task of this cycle already took
        if (!h.Commit(*outcome)) std::abort();
        placed += accept.tasks.size();
      }
    }
    state.counters["tasks_running"] = static_cast<double>(h.state.scheduling().tasks().size());
  }
  state.counters["placements_per_s"] = benchmark::Counter(static_cast<double>(placed), benchmark::Counter::kIsRate);
}
BENCHMARK(PlacementCoreDurable)->Args({10000, 1000, 100})->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace regatta::bench

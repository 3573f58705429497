// Placement* through the actors: the CAF master (group commit on the
// embedded log, durable), the allocator actor, the services framework actor
// and agent actors, all in this process and exchanging the same Cap'n Proto
// messages they exchange between processes.
//
//   PlacementEndToEnd: 10,000 simulated agents (agents/containerizer/
//     simulated_runner.h: they accept launches and report RUNNING without
//     starting processes); 1,000 apps x 100 instances, a third with
//     constraints, submitted at once. Timed from the first submit until the
//     log shows every task RUNNING, as an outside reader of the log sees it.
//   PlacementSubmitToRunning: one real agent with the process containerizer
//     (regatta-executor, cgroups); one app of one `sleep` at a time, timed
//     from the submit until a reader of the log sees the task RUNNING.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <thread>

#include <capnp/message.h>

#include "actors/master/master_spawn.h"
#include "actors/protocol/node_config.h"
#include "agents/agent/agent_spawn.h"
#include "agents/containerizer/simulated_runner.h"
#include "bench/bench_support.h"
#include "events/log_uri.h"
#include "projections/replay.h"

namespace regatta::bench {
namespace {

using Clock = std::chrono::steady_clock;
using projections::ProjectionSet;
using domain::Quantity;

// An outside reader of the log, folding it as it grows.
class LogWatcher {
 public:
  explicit LogWatcher(const std::string& uri) {
    auto log = OpenEventLog(uri, LogMode::kReader);
    if (!log.ok()) std::abort();
    log_ = std::move(*log);
    state_.Narrow(projections::kSchedulingProjection);  // task states are all it reads
  }
  // Folds whatever is new until `done(state)` holds or `timeout` passes.
  bool WaitFor(const std::function<bool(const ProjectionSet&)>& done, std::chrono::seconds timeout,
               std::chrono::microseconds poll = std::chrono::milliseconds(10)) {
    const auto deadline = Clock::now() + timeout;
    for (bool first = true;; first = false) {
      std::uint64_t applied = 0;
      if (!projections::CatchUp(*log_, state_, kEndOfLog, &applied).ok()) std::abort();
      // Asked again only when something new came in: `done` may walk every
      // task, and the watcher shares the two cores with what it measures.
      if ((first || applied > 0) && done(state_)) return true;
      if (Clock::now() > deadline) return false;
      std::this_thread::sleep_for(poll);
    }
  }
  const ProjectionSet& state() const { return state_; }

 private:
  std::unique_ptr<EventLog> log_;
  ProjectionSet state_;
};

std::size_t Running(const ProjectionSet& s) {
  std::size_t n = 0;
  for (const auto& [id, task] : s.scheduling().tasks()) n += task.state == schema::TaskState::RUNNING;
  return n;
}

std::size_t RunningOf(const ProjectionSet& s, const std::string& app) {
  std::size_t n = 0;
  for (const auto& [id, task] : s.scheduling().tasks()) {
    n += task.app_id == app && task.state == schema::TaskState::RUNNING;
  }
  return n;
}

double PeakRssMb() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  }
  return 0;
}

protocol::Wire DefineApp(const std::string& id, std::uint32_t instances, int constraint, const char* cmd) {
  static const char* kConstraints[][3] = {{"hostname", "UNIQUE", ""}, {"zone", "GROUP_BY", ""},
                                          {"hostname", "MAX_PER", "2"}};
  capnp::MallocMessageBuilder message;
  auto client = message.initRoot<protocol::ClientMessage>();
  client.setPrincipal("bench");
  auto spec = client.initDefineApp();
  spec.setId(id);
  spec.setCmd(cmd);
  spec.setInstances(instances);
  spec.setCpus(0.1);
  spec.setMemMb(32);
  spec.initPortDefinitions(1)[0].setName("http");
  if (constraint >= 0) {
    auto c = spec.initConstraints(1);
    c[0].setField(kConstraints[constraint][0]);
    c[0].setOperator(kConstraints[constraint][1]);
    c[0].setValue(kConstraints[constraint][2]);
  }
  return protocol::Wire{protocol::Flatten(message)};
}

struct Cluster {
  explicit Cluster(const std::string& name) : dir(FreshDir(name)) {
    protocol::ConfigureNode(cfg);
    system = std::make_unique<caf::actor_system>(cfg);
    options.log_uri = "file:" + dir + "/log";
    options.snapshot_dir = dir + "/snapshots";
    options.log_registrations = false;
    options.heartbeat_timeout = std::chrono::seconds(60);
    auto spawned = master::SpawnMaster(*system, options);
    if (!spawned.ok()) std::abort();
    master = *spawned;
  }
  ~Cluster() {
    for (const auto& agent : agents) caf::anon_send_exit(agent, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(master, caf::exit_reason::user_shutdown);
    // Detached actors are waited for until their last handle goes: drop ours
    // before the system's destructor waits.
    agents.clear();
    master = nullptr;
    system.reset();
  }

  agent::AgentOptions AgentBase() const {
    agent::AgentOptions o;
    o.hostname = "host";
    o.work_dir = dir + "/agent";
    o.resources = {Quantity::FromDouble(16), Quantity::FromDouble(65536), Quantity::FromDouble(100000), {}};
    o.ports = {{31000, 32000}};
    o.heartbeat_interval = std::chrono::seconds(5);
    return o;
  }

  std::string dir;
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> system;
  master::MasterOptions options;
  protocol::master_actor master;
  std::vector<protocol::agent_actor> agents;
};

void PlacementEndToEnd(benchmark::State& state) {
  const int agents = static_cast<int>(state.range(0)), apps = static_cast<int>(state.range(1));
  const int instances = static_cast<int>(state.range(2));
  const std::size_t total = static_cast<std::size_t>(apps) * static_cast<std::size_t>(instances);
  for (auto _ : state) {
    Cluster cluster("placement-actors");
    for (int i = 0; i < agents; ++i) {
      agent::AgentOptions o = agent::SimulatedAgentOptions(cluster.AgentBase(), static_cast<std::uint32_t>(i));
      o.attributes = {{"zone", "z" + std::to_string(i % 5)}};
      cluster.agents.push_back(
          agent::SpawnAgent(*cluster.system, o, std::make_unique<agent::SimulatedRunner>(), {}, cluster.master));
    }
    LogWatcher watcher(cluster.options.log_uri);
    const auto registered = [&](const ProjectionSet& s) {
      return s.scheduling().agents().size() == static_cast<std::size_t>(agents);
    };
    if (!watcher.WaitFor(registered, std::chrono::seconds(300))) return state.SkipWithError("agents did not register");
    std::this_thread::sleep_for(std::chrono::seconds(1));  // the sessions settle
    const auto start = Clock::now();
    for (int a = 0; a < apps; ++a) {
      const std::string id = "/team" + std::to_string(a % 10) + "/app" + std::to_string(a);
      caf::anon_send(cluster.master, protocol::client_atom::value,
                     DefineApp(id, static_cast<std::uint32_t>(instances), a % 3 == 0 ? (a / 3) % 3 : -1, "sleep 1000"));
    }
    // Polled every 100 ms: the watcher shares the machine's two cores with
    // the system it measures, so it looks rarely (and may add up to 0.1 s).
    const bool all = watcher.WaitFor([&](const ProjectionSet& s) { return s.scheduling().tasks().size() >= total && Running(s) >= total; },
                                     std::chrono::seconds(600), std::chrono::milliseconds(100));
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    if (!all) return state.SkipWithError("not every task reached RUNNING");
    state.SetIterationTime(seconds);
    std::size_t launched = watcher.state().scheduling().tasks().size();
    state.counters["tasks_running"] = static_cast<double>(Running(watcher.state()));
    state.counters["tasks_live"] = static_cast<double>(launched);
    state.counters["placements_per_s"] = static_cast<double>(total) / seconds;
    state.counters["events"] = static_cast<double>(watcher.state().next_revision());
    state.counters["process_peak_rss_mb"] = PeakRssMb();
  }
}
BENCHMARK(PlacementEndToEnd)->Args({10000, 1000, 100})->Iterations(1)->Unit(benchmark::kMillisecond)->UseManualTime();

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

void PlacementSubmitToRunning(benchmark::State& state) {
  const int samples = static_cast<int>(state.range(0));
  for (auto _ : state) {
    const auto begin = Clock::now();
    Cluster cluster("submit-to-running");
    agent::AgentOptions o = cluster.AgentBase();
    o.hostname = "local";
    o.executor_path = REGATTA_EXECUTOR_PATH;
    // The agent reaps ended tasks on its ticks: a short tick keeps each
    // sample's clean-up short (it is not part of the measured latency).
    o.heartbeat_interval = std::chrono::milliseconds(100);
    agent::ContainerizerOptions containment;
    containment.executor_path = o.executor_path;
    auto runner = agent::ProcessContainerizer::Create(o.work_dir, containment);
    if (!runner.ok()) std::abort();
    cluster.agents.push_back(agent::SpawnAgent(*cluster.system, o, std::move(*runner), {}, cluster.master));
    LogWatcher watcher(cluster.options.log_uri);
    if (!watcher.WaitFor([](const ProjectionSet& s) { return s.scheduling().agents().size() == 1; },
                         std::chrono::seconds(30))) {
      return state.SkipWithError("the agent did not register");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    std::vector<double> latencies_ms;
    for (int i = 0; i < samples; ++i) {
      const std::string app = "/latency/app" + std::to_string(i);
      const auto start = Clock::now();
      caf::anon_send(cluster.master, protocol::client_atom::value, DefineApp(app, 1, -1, "sleep 600"));
      if (!watcher.WaitFor([&](const ProjectionSet& s) { return RunningOf(s, app) == 1; }, std::chrono::seconds(30),
                           std::chrono::microseconds(200))) {
        state.SkipWithError("a task did not reach RUNNING");
        break;
      }
      latencies_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
      // Stop it before the next: each sample starts from an idle agent, and
      // no task outlives the benchmark.
      capnp::MallocMessageBuilder message;
      auto scale = message.initRoot<protocol::ClientMessage>().initScaleApp();
      scale.setAppId(app);
      scale.setInstances(0);
      caf::anon_send(cluster.master, protocol::client_atom::value, protocol::Wire{protocol::Flatten(message)});
      if (!watcher.WaitFor([](const ProjectionSet& s) { return s.scheduling().tasks().empty(); },
                           std::chrono::seconds(30))) {
        state.SkipWithError("a task was not stopped");
        break;
      }
    }
    if (!latencies_ms.empty()) {
      state.counters["p50_ms"] = Percentile(latencies_ms, 0.50);
      state.counters["p99_ms"] = Percentile(latencies_ms, 0.99);
      state.counters["max_ms"] = Percentile(latencies_ms, 1.0);
      state.counters["samples"] = static_cast<double>(latencies_ms.size());
    }
    state.SetIterationTime(std::chrono::duration<double>(Clock::now() - begin).count());
  }
}
BENCHMARK(PlacementSubmitToRunning)->Arg(200)->Iterations(1)->Unit(benchmark::kMillisecond)->UseManualTime();

}  // namespace
}  // namespace regatta::bench

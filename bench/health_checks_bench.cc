// An agent's HTTP health checks: batches of probes through one CheckRunner
// against a real HTTP server on loopback (the API tier's, on its own
// thread). Reports the checks a second it sustains and the runner thread's
// CPU per check, so the share of a core that 1,000 checks a second cost
// (target: >= 1,000/s within 10 % of a core, issue 11).
#include <atomic>
#include <future>

#include <benchmark/benchmark.h>

#include "agents/health/check_runner.h"
#include "api/http/server.h"

namespace regatta::health {
namespace {

void BM_HealthChecksHttp(benchmark::State& state) {
  auto server = http::Server::Start("127.0.0.1", 0, [](http::Request, std::shared_ptr<http::Exchange> ex) {
    ex->Respond({200, "text/plain", {}, "ok"});
  });
  auto runner = CheckRunner::Start();
  if (!server.ok() || !runner.ok()) {
    state.SkipWithError("could not start the server or the runner");
    return;
  }
  Probe probe;
  probe.port = (*server)->port();
  probe.path = "/health";
  probe.timeout_nanos = 5'000'000'000;
  const int batch = static_cast<int>(state.range(0));
  const double cpu_before = (*runner)->ThreadCpuSeconds();
  std::int64_t checks = 0, failed = 0;
  for (auto _ : state) {
    std::atomic<int> left{batch};
    std::atomic<int> bad{0};
    std::promise<void> done;
    for (int i = 0; i < batch; ++i) {
      (*runner)->Run(probe, [&](const ProbeResult& r) {
        if (!r.passed) ++bad;
        if (--left == 0) done.set_value();
      });
    }
    done.get_future().wait();
    checks += batch;
    failed += bad;
  }
  const double cpu = (*runner)->ThreadCpuSeconds() - cpu_before;
  state.counters["checks_per_s"] = benchmark::Counter(static_cast<double>(checks), benchmark::Counter::kIsRate);
  state.counters["runner_cpu_us_per_check"] = cpu / static_cast<double>(checks) * 1e6;
  state.counters["core_share_at_1000_per_s"] = cpu / static_cast<double>(checks) * 1000.0;
  state.counters["failed"] = static_cast<double>(failed);
}
BENCHMARK(BM_HealthChecksHttp)->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace regatta::health

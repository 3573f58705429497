#include "agents/health/health_monitor.h"

#include <algorithm>
#include <cmath>

namespace regatta::health {
namespace {

std::int64_t Nanos(double seconds) {
  return std::isfinite(seconds) && seconds > 0 ? static_cast<std::int64_t>(seconds * 1e9) : 0;
}

// Where health check `index` probes, or why it cannot.
DueProbe HealthProbe(const std::string& task, std::uint32_t index, schema::HealthCheck::Reader check,
                     const std::vector<std::uint32_t>& ports, const std::string& host,
                     const std::optional<CommandShell>& shell) {
  DueProbe due{task, index, false, std::nullopt, ""};
  using P = schema::HealthCheck::Protocol;
  if (check.getProtocol() == P::COMMAND) {
    if (!shell) {
      due.failure = "COMMAND health checks need the task's sandbox, which this agent's runner has not";
      return due;
    }
    Probe probe;
    probe.kind = Probe::Kind::kCommand;
    probe.command = check.getCommand();
    probe.shell = *shell;
    probe.timeout_nanos = Nanos(check.getTimeoutSeconds());
    due.probe = std::move(probe);
    return due;
  }
  std::uint32_t port = check.getPort();
  if (port == 0) {
    if (check.getPortIndex() >= ports.size()) {
      due.failure = "portIndex " + std::to_string(check.getPortIndex()) + " names no port of the task";
      return due;
    }
    port = ports[check.getPortIndex()];
  }
  Probe probe;
  probe.kind = check.getProtocol() == P::TCP ? Probe::Kind::kTcp : Probe::Kind::kHttp;
  probe.host = host;
  probe.port = static_cast<std::uint16_t>(port);
  probe.path = check.getPath().size() ? std::string(check.getPath().cStr()) : "/";
  probe.timeout_nanos = Nanos(check.getTimeoutSeconds());
  probe.ignore_http_1xx = check.getIgnoreHttp1xx();
  due.probe = probe;
  return due;
}

// A readiness check's port: by name among the app's port definitions, the
// first port when it names none.
std::optional<std::uint32_t> ReadinessPort(schema::AppSpec::Reader spec, schema::ReadinessCheck::Reader check,
                                           const std::vector<std::uint32_t>& ports) {
  const std::string name = check.getPortName();
  const auto defs = spec.getPortDefinitions();
  for (unsigned i = 0; i < defs.size() && i < ports.size(); ++i) {
    if (name.empty() || name == defs[i].getName().cStr()) return ports[i];
  }
  return std::nullopt;
}

}  // namespace

std::optional<HealthReport> HealthMonitor::Watch(const std::string& task_id, schema::AppSpec::Reader spec,
                                                 const std::vector<std::uint32_t>& host_ports,
                                                 const std::string& host, std::int64_t started_nanos,
                                                 const std::optional<CommandShell>& shell) {
  std::vector<CheckPolicy> policies;
  for (auto check : spec.getHealthChecks()) policies.push_back(PolicyOf(check));
  Watched w{TaskHealth(policies, spec.getReadinessChecks().size(), started_nanos), {}, {}, {}};
  for (unsigned i = 0; i < spec.getHealthChecks().size(); ++i) {
    w.health_probes.push_back(HealthProbe(task_id, i, spec.getHealthChecks()[i], host_ports, host, shell));
  }
  w.health_in_flight.assign(w.health_probes.size(), false);
  for (auto check : spec.getReadinessChecks()) {
    Readiness r;
    r.probe.host = host;
    r.probe.port = static_cast<std::uint16_t>(ReadinessPort(spec, check, host_ports).value_or(0));
    r.probe.path = check.getPath().size() ? std::string(check.getPath().cStr()) : "/";
    r.probe.timeout_nanos = Nanos(check.getTimeoutSeconds());
    for (std::uint32_t code : check.getHttpStatusCodesForReady()) r.ready_codes.push_back(code);
    if (r.ready_codes.empty()) r.ready_codes.push_back(200);
    r.interval_nanos = std::max<std::int64_t>(Nanos(check.getIntervalSeconds()), 100'000'000);
    r.next_due = started_nanos;
    w.readiness.push_back(std::move(r));
  }
  std::optional<HealthReport> now;
  if (w.health_probes.empty()) now = w.health.Start().report;  // healthy at once; readiness decides
  tasks_.insert_or_assign(task_id, std::move(w));
  return now;
}

void HealthMonitor::Forget(const std::string& task_id) { tasks_.erase(task_id); }

std::vector<DueProbe> HealthMonitor::TakeDue(std::int64_t now) {
  std::vector<DueProbe> out;
  for (auto& [id, w] : tasks_) {
    for (std::size_t i = 0; i < w.health_probes.size(); ++i) {
      if (w.health_in_flight[i] || w.health.NextDue(i) > now) continue;
      w.health.Started(i, now);
      w.health_in_flight[i] = true;
      out.push_back(w.health_probes[i]);
    }
    for (std::size_t i = 0; i < w.readiness.size(); ++i) {
      Readiness& r = w.readiness[i];
      if (r.passed || r.in_flight || r.next_due > now) continue;
      r.in_flight = true;
      r.next_due = now + r.interval_nanos;
      DueProbe due{id, static_cast<std::uint32_t>(i), true, r.probe, ""};
      if (r.probe.port == 0) {
        due.probe.reset();
        due.failure = "the readiness check names no port of the task";
      }
      out.push_back(std::move(due));
    }
  }
  return out;
}

Outcome HealthMonitor::Record(const std::string& task_id, std::uint32_t index, bool readiness,
                              const ProbeResult& result, std::int64_t now) {
  auto it = tasks_.find(task_id);
  if (it == tasks_.end()) return {};
  Watched& w = it->second;
  if (!readiness) {
    if (index >= w.health_probes.size()) return {};
    w.health_in_flight[index] = false;
    return w.health.Record(index, result.passed, result.message, now);
  }
  if (index >= w.readiness.size()) return {};
  Readiness& r = w.readiness[index];
  r.in_flight = false;
  const bool ready = std::find(r.ready_codes.begin(), r.ready_codes.end(),
                               static_cast<std::uint32_t>(result.http_status)) != r.ready_codes.end();
  if (ready) r.passed = true;
  return w.health.RecordReadiness(index, ready, result.message);
}

}  // namespace regatta::health

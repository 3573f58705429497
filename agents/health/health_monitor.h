// Every health and readiness check of the tasks one agent runs: which
// probes are due, and what their results mean (TaskHealth, one per task).
// Pure: the agent actor runs the due probes on its CheckRunner and brings
// each result back with the time; nothing here does I/O or reads a clock.
//
// A task is watched from its start: its app's healthChecks (HTTP, HTTPS as
// HTTP, TCP, and COMMAND run in the task's `shell`, failing, saying why,
// without one) and readinessChecks (HTTP, passing on
// httpStatusCodesForReady, 200 by default), probed at `host` on the task's
// host port the check names. A
// probe in flight is not started again; a readiness check stops once it
// passed. A task with no health check is healthy from its start, which is
// reported at once, so its readiness alone decides.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "agents/health/check_runner.h"
#include "agents/health/health_state.h"
#include "regatta/events.capnp.h"

namespace regatta::health {

struct DueProbe {
  std::string task_id;
  std::uint32_t index = 0;
  bool readiness = false;
  // Unset: the check cannot be probed (no such port, a COMMAND check
  // without a shell);
  // `failure` says why, and the agent records it as a failed result.
  std::optional<Probe> probe;
  std::string failure;
};

class HealthMonitor {
 public:
  // Watches a task that started at `started_nanos`. Returns the report due
  // at once (a task without health checks is healthy), if any.
  std::optional<HealthReport> Watch(const std::string& task_id, schema::AppSpec::Reader spec,
                                    const std::vector<std::uint32_t>& host_ports, const std::string& host,
                                    std::int64_t started_nanos,
                                    const std::optional<CommandShell>& shell = std::nullopt);
  void Forget(const std::string& task_id);
  bool Watching(const std::string& task_id) const { return tasks_.count(task_id) > 0; }
  std::size_t size() const { return tasks_.size(); }

  // The probes due at `now`, each marked in flight.
  std::vector<DueProbe> TakeDue(std::int64_t now);
  // A probe's result. Nothing for a task no longer watched.
  Outcome Record(const std::string& task_id, std::uint32_t index, bool readiness, const ProbeResult& result,
                 std::int64_t now);

 private:
  struct Readiness {
    Probe probe;
    std::vector<std::uint32_t> ready_codes;
    std::int64_t interval_nanos = 30'000'000'000;
    std::int64_t next_due = 0;
    bool passed = false;
    bool in_flight = false;
  };
  struct Watched {
    TaskHealth health;
    std::vector<DueProbe> health_probes;  // by check index
    std::vector<bool> health_in_flight;
    std::vector<Readiness> readiness;
  };
  std::map<std::string, Watched> tasks_;
};

}  // namespace regatta::health

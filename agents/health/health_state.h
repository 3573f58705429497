// One task's health, as its agent judges it from the results of its checks
// (Marathon's healthChecks and readinessChecks), and what the agent must
// report: only changes, as TaskHealthChanged, and a kill once the task has
// failed too often. Pure: the checks themselves, run with asynchronous
// I/O, feed it results; time comes in with them.
//
// Marathon's rules, per health check:
//   * The first check runs delaySeconds after the task started, then one
//     every intervalSeconds; a check that takes longer than timeoutSeconds
//     failed (the runner's to decide).
//   * Failures are ignored for gracePeriodSeconds after the start, or until
//     the check first passes, whichever comes first: the task stays unknown.
//   * After maxConsecutiveFailures failures in a row (0: never) outside the
//     grace period, the task is killed, once.
// The task is healthy when every health check's last result passed, and
// ready when it is healthy and every readiness check has passed once (a
// task without readiness checks is ready when healthy).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "regatta/events.capnp.h"

namespace regatta::health {

struct CheckPolicy {
  std::int64_t grace_nanos = 300'000'000'000;
  std::int64_t interval_nanos = 60'000'000'000;
  std::int64_t timeout_nanos = 20'000'000'000;
  std::uint32_t max_consecutive_failures = 3;
  std::int64_t delay_nanos = 15'000'000'000;
};

// Marathon's fields of one health check, with its defaults (the schema's).
CheckPolicy PolicyOf(schema::HealthCheck::Reader check);

enum class Verdict : std::uint8_t { kUnknown, kHealthy, kUnhealthy };

// What the agent reports: a TaskHealthChanged when `report` is set.
struct HealthReport {
  bool healthy = false;
  bool ready = false;
  std::uint32_t check_index = 0;  // the check whose result changed it
  std::string message;
};

struct Outcome {
  std::optional<HealthReport> report;  // set only when (verdict, ready) changed
  bool kill = false;                   // set once, when failures ran out
};

class TaskHealth {
 public:
  TaskHealth(std::vector<CheckPolicy> health_checks, std::size_t readiness_checks, std::int64_t started_nanos);

  // A task without health checks is healthy from its start: that report,
  // once (a task with health checks waits for their first results).
  Outcome Start();
  // When health check `index` is next due (the runner starts it then).
  std::int64_t NextDue(std::size_t index) const;
  // The runner started check `index` at `now`: the next is an interval on.
  void Started(std::size_t index, std::int64_t now);
  // A health check's result (a timeout is a failure).
  Outcome Record(std::size_t index, bool passed, const std::string& message, std::int64_t now);
  // A readiness check's result; once passed, it stays passed.
  Outcome RecordReadiness(std::size_t index, bool passed, const std::string& message);

  Verdict verdict() const;
  bool ready() const;
  std::uint32_t failures(std::size_t index) const { return checks_[index].consecutive_failures; }

 private:
  struct Check {
    CheckPolicy policy;
    Verdict last = Verdict::kUnknown;
    bool ever_passed = false;
    std::uint32_t consecutive_failures = 0;
    std::optional<std::int64_t> last_started;
  };
  // A report when (verdict, ready) moved since the last one.
  Outcome Changed(std::uint32_t index, const std::string& message);

  std::vector<Check> checks_;
  std::vector<bool> readiness_passed_;
  std::int64_t started_nanos_;
  Verdict reported_verdict_ = Verdict::kUnknown;
  bool reported_ready_ = false;
  bool killed_ = false;
};

}  // namespace regatta::health

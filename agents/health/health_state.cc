#include "agents/health/health_state.h"

#include <algorithm>
#include <cmath>

namespace regatta::health {
namespace {

std::int64_t Nanos(double seconds) {
  return std::isfinite(seconds) && seconds > 0 ? static_cast<std::int64_t>(seconds * 1e9) : 0;
}

}  // namespace

CheckPolicy PolicyOf(schema::HealthCheck::Reader check) {
  CheckPolicy p;
  p.grace_nanos = Nanos(check.getGracePeriodSeconds());
  p.interval_nanos = Nanos(check.getIntervalSeconds());
  p.timeout_nanos = Nanos(check.getTimeoutSeconds());
  p.max_consecutive_failures = check.getMaxConsecutiveFailures();
  p.delay_nanos = Nanos(check.getDelaySeconds());
  return p;
}

TaskHealth::TaskHealth(std::vector<CheckPolicy> health_checks, std::size_t readiness_checks,
                       std::int64_t started_nanos)
    : readiness_passed_(readiness_checks, false), started_nanos_(started_nanos) {
  for (CheckPolicy& p : health_checks) checks_.push_back(Check{p, Verdict::kUnknown, false, 0, std::nullopt});
}

Outcome TaskHealth::Start() {
  if (!checks_.empty()) return {};
  return Changed(0, "running; no health checks");
}

std::int64_t TaskHealth::NextDue(std::size_t index) const {
  const Check& c = checks_[index];
  return c.last_started ? *c.last_started + c.policy.interval_nanos : started_nanos_ + c.policy.delay_nanos;
}

void TaskHealth::Started(std::size_t index, std::int64_t now) { checks_[index].last_started = now; }

Outcome TaskHealth::Record(std::size_t index, bool passed, const std::string& message, std::int64_t now) {
  Check& c = checks_[index];
  if (passed) {
    c.last = Verdict::kHealthy;
    c.ever_passed = true;
    c.consecutive_failures = 0;
    return Changed(static_cast<std::uint32_t>(index), message);
  }
  const bool in_grace = !c.ever_passed && now - started_nanos_ < c.policy.grace_nanos;
  if (in_grace) return {};  // ignored: the task may still be starting
  c.last = Verdict::kUnhealthy;
  ++c.consecutive_failures;
  Outcome out = Changed(static_cast<std::uint32_t>(index), message);
  if (!killed_ && c.policy.max_consecutive_failures > 0 && c.consecutive_failures >= c.policy.max_consecutive_failures) {
    killed_ = true;
    out.kill = true;
  }
  return out;
}

Outcome TaskHealth::RecordReadiness(std::size_t index, bool passed, const std::string& message) {
  if (!passed || readiness_passed_[index]) return {};
  readiness_passed_[index] = true;
  return Changed(static_cast<std::uint32_t>(index), message);
}

Verdict TaskHealth::verdict() const {
  if (checks_.empty()) return Verdict::kHealthy;
  if (std::any_of(checks_.begin(), checks_.end(), [](const Check& c) { return c.last == Verdict::kUnhealthy; })) {
    return Verdict::kUnhealthy;
  }
  if (std::all_of(checks_.begin(), checks_.end(), [](const Check& c) { return c.last == Verdict::kHealthy; })) {
    return Verdict::kHealthy;
  }
  return Verdict::kUnknown;
}

bool TaskHealth::ready() const {
  return verdict() == Verdict::kHealthy &&
         std::all_of(readiness_passed_.begin(), readiness_passed_.end(), [](bool b) { return b; });
}

Outcome TaskHealth::Changed(std::uint32_t index, const std::string& message) {
  const Verdict v = verdict();
  const bool r = ready();
  if (v == reported_verdict_ && r == reported_ready_) return {};
  reported_verdict_ = v;
  reported_ready_ = r;
  Outcome out;
  out.report = HealthReport{v == Verdict::kHealthy, r, index, message};
  return out;
}

}  // namespace regatta::health

#include "actors/scheduling/backoff.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace regatta::scheduling {

namespace {

constexpr double kNanosPerSecond = 1e9;
// A century: longer than any cluster lives, and small enough that adding it
// to a 2020s timestamp (about 1.7e18 ns) cannot overflow int64 (9.2e18).
constexpr std::int64_t kLongestDelayNanos = std::int64_t{100} * 365 * 24 * 3600 * 1'000'000'000;

std::int64_t ToNanos(double seconds) {
  const double nanos = seconds * kNanosPerSecond;
  if (nanos >= static_cast<double>(kLongestDelayNanos)) return kLongestDelayNanos;
  return std::llround(nanos);
}

Status CheckSeconds(const char* name, double value) {
  if (std::isfinite(value) && value >= 0) return Status::Ok();
  return Status::InvalidArgument(std::string(name) + " must be a finite number >= 0, not " +
                                 std::to_string(value));
}

}  // namespace

Status Validate(const BackoffPolicy& policy) {
  REGATTA_RETURN_IF_ERROR(CheckSeconds("backoffSeconds", policy.backoff_seconds));
  REGATTA_RETURN_IF_ERROR(CheckSeconds("maxLaunchDelaySeconds", policy.max_delay_seconds));
  REGATTA_RETURN_IF_ERROR(CheckSeconds("backoff reset time", policy.reset_after_seconds));
  if (!std::isfinite(policy.factor) || policy.factor < 1.0) {
    return Status::InvalidArgument("backoffFactor must be a finite number >= 1, not " +
                                   std::to_string(policy.factor));
  }
  return Status::Ok();
}

Result<BackoffPolicy> BackoffPolicyOf(schema::AppSpec::Reader spec) {
  BackoffPolicy policy;
  policy.backoff_seconds = spec.getBackoffSeconds();
  policy.factor = spec.getBackoffFactor();
  policy.max_delay_seconds = spec.getMaxLaunchDelaySeconds();
  REGATTA_RETURN_IF_ERROR(Validate(policy));
  return policy;
}

double LaunchDelaySeconds(const BackoffPolicy& policy, std::uint32_t consecutive_failures) {
  if (consecutive_failures == 0 || policy.backoff_seconds == 0) return 0;
  // factor^(n-1) overflows to +inf for long crash loops (1.15^5000); the
  // ceiling absorbs that. (The zero check above keeps 0 * inf from being NaN.)
  const double growth = std::pow(policy.factor, consecutive_failures - 1.0);
  return std::min(policy.backoff_seconds * growth, policy.max_delay_seconds);
}

std::int64_t LaunchDelayNanos(const BackoffPolicy& policy, std::uint32_t consecutive_failures) {
  return ToNanos(LaunchDelaySeconds(policy, consecutive_failures));
}

bool CountsTowardBackoff(TaskPhase phase) {
  return phase == TaskPhase::kFailed || phase == TaskPhase::kError;
}

void BackoffState::RecordFailure(const BackoffPolicy& policy, std::int64_t now_nanos) {
  if (consecutive_failures_ < std::numeric_limits<std::uint32_t>::max()) ++consecutive_failures_;
  last_failure_nanos_ = now_nanos;
  next_launch_nanos_ = now_nanos + LaunchDelayNanos(policy, consecutive_failures_);
}

void BackoffState::RecordRunning(const BackoffPolicy& policy, std::int64_t running_since_nanos,
                                 std::int64_t now_nanos) {
  if (consecutive_failures_ == 0) return;
  const bool launched_after_failures = running_since_nanos >= last_failure_nanos_;
  const bool ran_long_enough = now_nanos - running_since_nanos >= ToNanos(policy.reset_after_seconds);
  if (launched_after_failures && ran_long_enough) Reset();
}

}  // namespace regatta::scheduling

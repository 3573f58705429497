#include "actors/placement/backoff.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace regatta::placement {

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

}  // namespace

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

bool CountsTowardBackoff(domain::TaskState state) {
  return state == domain::TaskState::FAILED || state == domain::TaskState::ERROR;
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

}  // namespace regatta::placement

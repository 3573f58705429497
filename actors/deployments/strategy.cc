#include "actors/deployments/strategy.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace regatta::deployments {
namespace {

// 10 * 0.7 is 7.000000000000001 in binary floating point; Marathon's ceil
// makes that 8. Regatta means what the user wrote: within a billionth of a
// whole number is that number.
constexpr double kSlack = 1e-9;

std::uint32_t Ceil(double x) { return static_cast<std::uint32_t>(std::max(0.0, std::ceil(x - kSlack))); }
std::uint32_t Floor(double x) { return static_cast<std::uint32_t>(std::max(0.0, std::floor(x + kSlack))); }

}  // namespace

Bounds MarathonBounds(std::uint32_t instances, double minimum_health_capacity, double maximum_over_capacity) {
  const double health = std::clamp(std::isfinite(minimum_health_capacity) ? minimum_health_capacity : 1.0, 0.0, 1.0);
  const double over = std::max(0.0, std::isfinite(maximum_over_capacity) ? maximum_over_capacity : 1.0);
  Bounds b;
  b.min_healthy = Ceil(instances * health);
  b.max_capacity = std::max(instances, Floor(instances * (1.0 + over)));
  b.one_extra = b.min_healthy == b.max_capacity;
  return b;
}

Result<std::uint32_t> ScaledValue(std::string_view value, std::uint32_t total, bool round_up,
                                  const std::string& field) {
  const bool percent = !value.empty() && value.back() == '%';
  const std::string_view digits = percent ? value.substr(0, value.size() - 1) : value;
  std::uint64_t n = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (digits.empty() || error != std::errc() || end != digits.data() + digits.size() || n > 1'000'000'000) {
    return Status::InvalidField(field, "must be a whole number or a percentage such as \"25%\", not \"" +
                                           std::string(value) + "\"");
  }
  if (!percent) return static_cast<std::uint32_t>(n);
  const std::uint64_t scaled = n * total;
  return static_cast<std::uint32_t>(round_up ? (scaled + 99) / 100 : scaled / 100);
}

Result<Bounds> KubernetesBounds(std::uint32_t replicas, std::string_view max_surge, std::string_view max_unavailable) {
  auto surge = ScaledValue(max_surge.empty() ? "25%" : max_surge, replicas, true, "maxSurge");
  if (!surge.ok()) return surge.status();
  auto unavailable = ScaledValue(max_unavailable.empty() ? "25%" : max_unavailable, replicas, false, "maxUnavailable");
  if (!unavailable.ok()) return unavailable.status();
  if (*surge == 0 && *unavailable == 0) *unavailable = 1;
  Bounds b;
  b.min_healthy = replicas - std::min(replicas, *unavailable);
  b.max_capacity = replicas + *surge;
  return b;
}

}  // namespace regatta::deployments

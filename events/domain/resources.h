// Resource amounts and port ranges, as every layer counts them: the
// master's checks, the projections' folds, DRF, the planner and the agents.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "events/base/status.h"
#include "regatta/events.capnp.h"

namespace regatta::domain {

// The largest amount of any one resource that a command may name: a
// billion cpus, or a petabyte of memory in MB. Anything above it is a typo
// or an attack, and it keeps the sums below exact: a million tasks at the
// bound still add up without leaving the range of the fixed point below.
inline constexpr double kMaxResourceAmount = 1e9;

// A resource amount in fixed point (thousandths), as Mesos keeps them: in
// doubles, charging 0.1 + 0.2 + 0.3 cpus and releasing them leaves 1e-16
// behind, and an idle agent would never be quite empty again.
//
// Saturating: a value from a log written before amounts were checked (inf,
// NaN, 1e308) can never overflow a fold. FromDouble clamps to the range of
// the fixed point (NaN becomes 0), and + and - stop at its ends. Commands
// never get there: CheckResourceAmount refuses such values first.
class Quantity {
 public:
  Quantity() = default;
  static Quantity FromDouble(double v);
  static Quantity FromMilli(std::int64_t milli) { return Quantity(milli); }
  std::int64_t milli() const { return milli_; }
  double value() const { return static_cast<double>(milli_) / 1000.0; }
  operator double() const { return value(); }  // NOLINT: reads as the amount it is
  Quantity& operator+=(Quantity o);
  Quantity& operator-=(Quantity o);
  bool operator==(const Quantity&) const = default;

 private:
  explicit Quantity(std::int64_t milli) : milli_(milli) {}
  std::int64_t milli_ = 0;
};

struct ResourceVector {
  Quantity cpus;
  Quantity mem_mb;
  Quantity disk_mb;
  Quantity gpus;

  ResourceVector& operator+=(const ResourceVector& o);
  ResourceVector& operator-=(const ResourceVector& o);
  bool operator==(const ResourceVector&) const = default;
};

// A range of ports, inclusive on both ends as Mesos writes them: [31000-32000].
struct PortRange {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  bool operator==(const PortRange&) const = default;
};

// The amounts of a schema Resources, and its port ranges.
ResourceVector ResourcesOf(schema::Resources::Reader r);
std::vector<PortRange> PortRangesOf(schema::Resources::Reader r);
// REQUIRES: `out` freshly initialized.
void ToSchema(schema::Resources::Builder out, const ResourceVector& resources,
              const std::vector<PortRange>& ports = {});

// InvalidArgument naming `field` unless `value` is a finite amount in
// [0, kMaxResourceAmount]: "cpus: must be a finite number, not inf".
[[nodiscard]] Status CheckResourceAmount(const std::string& field, double value);

// Every amount of `r` through CheckResourceAmount, fields named
// "<prefix>cpus", "<prefix>mem", "<prefix>disk", "<prefix>gpus"; and every
// port range within 1..65535, begin <= end ("<prefix>ports[2]").
[[nodiscard]] Status CheckResources(const std::string& prefix, schema::Resources::Reader r);
[[nodiscard]] Status CheckPortRanges(const std::string& field, const std::vector<PortRange>& ranges);

}  // namespace regatta::domain

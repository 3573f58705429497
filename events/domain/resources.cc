#include "events/domain/resources.h"

#include <cmath>
#include <limits>

namespace regatta::domain {
namespace {

constexpr std::int64_t kMilliMax = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMilliMin = std::numeric_limits<std::int64_t>::min();

std::string Number(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  std::string s = std::to_string(v);
  s.erase(s.find_last_not_of('0') + 1);
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

}  // namespace

Quantity Quantity::FromDouble(double v) {
  if (std::isnan(v)) return Quantity(0);
  const double milli = v * 1000;
  // 2^63 is exactly representable; anything at or beyond it saturates.
  if (milli >= 9223372036854775807.0) return Quantity(kMilliMax);
  if (milli <= -9223372036854775808.0) return Quantity(kMilliMin);
  return Quantity(std::llround(milli));
}

Quantity& Quantity::operator+=(Quantity o) {
  if (__builtin_add_overflow(milli_, o.milli_, &milli_)) milli_ = o.milli_ > 0 ? kMilliMax : kMilliMin;
  return *this;
}

Quantity& Quantity::operator-=(Quantity o) {
  if (__builtin_sub_overflow(milli_, o.milli_, &milli_)) milli_ = o.milli_ < 0 ? kMilliMax : kMilliMin;
  return *this;
}

ResourceVector& ResourceVector::operator+=(const ResourceVector& o) {
  cpus += o.cpus;
  mem_mb += o.mem_mb;
  disk_mb += o.disk_mb;
  gpus += o.gpus;
  return *this;
}

ResourceVector& ResourceVector::operator-=(const ResourceVector& o) {
  cpus -= o.cpus;
  mem_mb -= o.mem_mb;
  disk_mb -= o.disk_mb;
  gpus -= o.gpus;
  return *this;
}

ResourceVector ResourcesOf(schema::Resources::Reader r) {
  return {Quantity::FromDouble(r.getCpus()), Quantity::FromDouble(r.getMemMb()),
          Quantity::FromDouble(r.getDiskMb()), Quantity::FromDouble(r.getGpus())};
}

std::vector<PortRange> PortRangesOf(schema::Resources::Reader r) {
  std::vector<PortRange> out;
  out.reserve(r.getPorts().size());
  for (auto range : r.getPorts()) out.push_back({range.getBegin(), range.getEnd()});
  return out;
}

void ToSchema(schema::Resources::Builder out, const ResourceVector& r, const std::vector<PortRange>& ports) {
  out.setCpus(r.cpus.value());
  out.setMemMb(r.mem_mb.value());
  out.setDiskMb(r.disk_mb.value());
  out.setGpus(r.gpus.value());
  auto list = out.initPorts(static_cast<unsigned>(ports.size()));
  for (unsigned i = 0; i < ports.size(); ++i) {
    list[i].setBegin(ports[i].begin);
    list[i].setEnd(ports[i].end);
  }
}

Status CheckResourceAmount(const std::string& field, double value) {
  if (!std::isfinite(value)) return Status::InvalidField(field, "must be a finite number, not " + Number(value));
  if (value < 0) return Status::InvalidField(field, "must not be negative, not " + Number(value));
  if (value > kMaxResourceAmount) {
    return Status::InvalidField(field, "must be at most " + Number(kMaxResourceAmount) + ", not " + Number(value));
  }
  return Status::Ok();
}

Status CheckPortRanges(const std::string& field, const std::vector<PortRange>& ranges) {
  for (std::size_t i = 0; i < ranges.size(); ++i) {
    const PortRange& r = ranges[i];
    if (r.begin == 0 || r.begin > r.end || r.end > 65535) {
      return Status::InvalidField(field + "[" + std::to_string(i) + "]",
                                  std::to_string(r.begin) + "-" + std::to_string(r.end) +
                                      " is not a range of ports within 1-65535");
    }
  }
  return Status::Ok();
}

Status CheckResources(const std::string& prefix, schema::Resources::Reader r) {
  REGATTA_RETURN_IF_ERROR(CheckResourceAmount(prefix + "cpus", r.getCpus()));
  REGATTA_RETURN_IF_ERROR(CheckResourceAmount(prefix + "mem", r.getMemMb()));
  REGATTA_RETURN_IF_ERROR(CheckResourceAmount(prefix + "disk", r.getDiskMb()));
  REGATTA_RETURN_IF_ERROR(CheckResourceAmount(prefix + "gpus", r.getGpus()));
  return CheckPortRanges(prefix + "ports", PortRangesOf(r));
}

}  // namespace regatta::domain

#include "actors/frameworks/offer_slot.h"

#include <algorithm>

namespace regatta::frameworks {
namespace {

using domain::PortRange;

// Sorted and merged, so "the lowest free port" is the front and no port can
// be handed out twice even if the offer listed overlapping ranges.
std::vector<PortRange> Normalize(std::vector<PortRange> ranges) {
  std::erase_if(ranges, [](const PortRange& r) { return r.begin > r.end; });
  std::sort(ranges.begin(), ranges.end(),
            [](const PortRange& a, const PortRange& b) { return a.begin < b.begin; });
  std::vector<PortRange> merged;
  for (const PortRange& r : ranges) {
    if (!merged.empty() && r.begin <= merged.back().end + 1ULL) {
      merged.back().end = std::max(merged.back().end, r.end);
    } else {
      merged.push_back(r);
    }
  }
  return merged;
}

std::uint64_t CountPorts(const std::vector<PortRange>& ranges) {
  std::uint64_t n = 0;
  for (const PortRange& r : ranges) n += std::uint64_t{r.end} - r.begin + 1;
  return n;
}

bool Below(domain::Quantity have, domain::Quantity want) {
  return have.milli() < want.milli();
}

// The index of the free range holding `port`, or free_ports.size().
std::size_t FindPort(const OfferSlot& slot, std::uint32_t port) {
  for (std::size_t i = 0; i < slot.free_ports.size(); ++i) {
    if (slot.free_ports[i].begin <= port && port <= slot.free_ports[i].end) return i;
  }
  return slot.free_ports.size();
}

// Takes `port` out of free range `i`, which holds it, splitting the range
// when the port is inside it; a range left empty goes, so every range stays
// non-empty and the lowest free port is always free_ports.front().begin.
std::uint32_t TakePort(OfferSlot& slot, std::size_t i, std::uint32_t port) {
  PortRange& range = slot.free_ports[i];
  if (range.begin == range.end) {
    slot.free_ports.erase(slot.free_ports.begin() + static_cast<std::ptrdiff_t>(i));
  } else if (port == range.begin) {
    ++range.begin;
  } else if (port == range.end) {
    --range.end;
  } else {
    const PortRange upper{port + 1, range.end};
    range.end = port - 1;
    slot.free_ports.insert(slot.free_ports.begin() + static_cast<std::ptrdiff_t>(i) + 1, upper);
  }
  --slot.ports_left;
  return port;
}

}  // namespace

const char* ShortfallText(Shortfall why) {
  switch (why) {
    case Shortfall::kNone: return "fits";
    case Shortfall::kAgent: return "offer from an unknown or inactive agent";
    case Shortfall::kCpus: return "insufficient cpus";
    case Shortfall::kMem: return "insufficient memMb";
    case Shortfall::kDisk: return "insufficient diskMb";
    case Shortfall::kGpus: return "insufficient gpus";
    case Shortfall::kPorts: return "insufficient ports";
  }
  return "unknown";
}

std::vector<OfferSlot> MakeSlots(const std::vector<domain::Offer>& offers,
                                 std::string_view framework_id,
                                 const projections::SchedulingProjection& cluster) {
  std::vector<OfferSlot> slots;
  for (const domain::Offer& offer : offers) {
    if (offer.framework_id != framework_id) continue;  // not ours to use or decline
    OfferSlot slot;
    slot.offer = &offer;
    const auto agent = cluster.agents().find(offer.agent_id);
    if (agent != cluster.agents().end() && agent->second.status == projections::AgentStatus::kActive) {
      slot.agent = &agent->second;
    }
    slot.left = offer.resources;
    slot.free_ports = Normalize(offer.ports);
    slot.ports_left = CountPorts(slot.free_ports);
    slots.push_back(std::move(slot));
  }
  std::stable_sort(slots.begin(), slots.end(), [](const OfferSlot& a, const OfferSlot& b) {
    return a.offer->agent_id < b.offer->agent_id;
  });
  for (std::size_t i = 1; i < slots.size(); ++i) {
    const bool same = slots[i].offer->agent_id == slots[i - 1].offer->agent_id;
    slots[i].agent_index = slots[i - 1].agent_index + (same ? 0 : 1);
  }
  return slots;
}

Shortfall CheckFits(const OfferSlot& slot, const AppDefinition& app) {
  if (slot.agent == nullptr) return Shortfall::kAgent;
  if (Below(slot.left.cpus, app.resources.cpus)) return Shortfall::kCpus;
  if (Below(slot.left.mem_mb, app.resources.mem_mb)) return Shortfall::kMem;
  if (Below(slot.left.disk_mb, app.resources.disk_mb)) return Shortfall::kDisk;
  if (Below(slot.left.gpus, app.resources.gpus)) return Shortfall::kGpus;
  if (slot.ports_left < app.host_ports.size()) return Shortfall::kPorts;
  for (std::uint32_t port : app.host_ports) {
    if (port != 0 && FindPort(slot, port) == slot.free_ports.size()) return Shortfall::kPorts;
  }
  return Shortfall::kNone;
}

std::vector<std::uint32_t> TakePorts(OfferSlot& slot, const std::vector<std::uint32_t>& wanted) {
  std::vector<std::uint32_t> ports(wanted.size(), 0);
  // Named ports first, so a 0 cannot take one of them.
  for (std::size_t i = 0; i < wanted.size(); ++i) {
    if (wanted[i] != 0) ports[i] = TakePort(slot, FindPort(slot, wanted[i]), wanted[i]);
  }
  for (std::size_t i = 0; i < wanted.size(); ++i) {
    if (wanted[i] == 0) ports[i] = TakePort(slot, 0, slot.free_ports.front().begin);
  }
  return ports;
}

}  // namespace regatta::frameworks

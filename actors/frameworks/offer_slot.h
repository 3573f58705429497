// One offer as a plan fills it: what is left of its resources and ports,
// and the tasks placed on it so far. Internal to the launch planner.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "events/domain/app_definition.h"
#include "events/domain/commands.h"
#include "projections/scheduling.h"

namespace regatta::frameworks {

using domain::AppDefinition;

struct OfferSlot {
  const domain::Offer* offer = nullptr;
  const projections::AgentInfo* agent = nullptr;  // nullptr: unknown or not active
  std::size_t agent_index = 0;  // dense over the offers' agents, in id order
  domain::ResourceVector left;
  std::vector<domain::PortRange> free_ports;  // sorted, disjoint, none empty
  std::uint64_t ports_left = 0;
  std::vector<domain::TaskToLaunch> tasks;
};

// Why an offer cannot take one more task of an app, whatever its
// constraints say. The order is the order of the checks.
enum class Shortfall : std::uint8_t { kNone, kAgent, kCpus, kMem, kDisk, kGpus, kPorts };
inline constexpr std::size_t kShortfalls = 7;
const char* ShortfallText(Shortfall why);

// The offers addressed to `framework_id`, sorted by agent id (then input
// order), with their agents looked up in `cluster`. The slots point into
// `offers` and `cluster`: both must outlive them.
std::vector<OfferSlot> MakeSlots(const std::vector<domain::Offer>& offers,
                                 std::string_view framework_id,
                                 const projections::SchedulingProjection& cluster);

Shortfall CheckFits(const OfferSlot& slot, const AppDefinition& app);

// Takes one host port per entry of `wanted`, in order: the port named, or
// for a 0 the lowest one still free. REQUIRES: CheckFits said kNone.
std::vector<std::uint32_t> TakePorts(OfferSlot& slot, const std::vector<std::uint32_t>& wanted);

}  // namespace regatta::frameworks

#include "api/cli/role_options.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <set>
#include <utility>

namespace regatta::cli {
namespace {

using domain::Quantity;
using domain::ResourceVector;

Status Bad(const std::string& flag, const std::string& item, const std::string& why) {
  return Status::InvalidArgument(flag + ": '" + item + "' " + why);
}

constexpr const char* kBadRoleName = "has an invalid role name (letters, digits, - _ . or *)";

// Mesos' rules, short of its path-like hierarchies: "*" or a name of
// letters, digits and - _ . that is neither "." nor "..".
bool ValidRole(const std::string& role) {
  if (role == "*") return true;
  if (role.empty() || role == "." || role == "..") return false;
  for (char c : role) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') return false;
  }
  return true;
}

// "KEY=VALUE" with both sides non-empty.
Result<std::pair<std::string, std::string>> SplitPair(const std::string& flag, const std::string& item,
                                                      const char* shape) {
  const std::size_t eq = item.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == item.size()) return Bad(flag, item, std::string("is not ") + shape);
  return std::make_pair(item.substr(0, eq), item.substr(eq + 1));
}

// A finite number >= 0 with nothing after it.
bool ParseAmount(const std::string& text, double& out) {
  if (text.empty()) return false;
  char* end = nullptr;
  out = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size() && std::isfinite(out) && out >= 0;
}

Result<ResourceVector> ParseQuota(const std::string& flag, const std::string& item, const std::string& spec) {
  ResourceVector quota;
  std::size_t start = 0;
  while (start <= spec.size()) {
    const std::size_t comma = std::min(spec.find(',', start), spec.size());
    const std::string part = spec.substr(start, comma - start);
    const std::size_t colon = part.find(':');
    double amount = 0;
    if (colon == std::string::npos || !ParseAmount(part.substr(colon + 1), amount)) {
      return Bad(flag, item, "is not ROLE=RESOURCE:AMOUNT[,...] with amounts >= 0");
    }
    const std::string name = part.substr(0, colon);
    Quantity* field = name == "cpus"   ? &quota.cpus
                      : name == "mem"  ? &quota.mem_mb
                      : name == "disk" ? &quota.disk_mb
                      : name == "gpus" ? &quota.gpus
                                       : nullptr;
    if (field == nullptr) return Bad(flag, item, "names '" + name + "'; the resources are cpus, mem, disk, gpus");
    *field = Quantity::FromDouble(amount);
    start = comma + 1;
  }
  return quota;
}

Status ApplyFrameworkRoles(const std::vector<std::string>& items, master::MasterOptions& options) {
  const std::string flag = "--framework-role";
  for (const std::string& item : items) {
    auto pair = SplitPair(flag, item, "FRAMEWORK=ROLE");
    if (!pair.ok()) return pair.status();
    const auto& [framework, role] = *pair;
    if (framework != "services" && framework != "jobs") {
      return Bad(flag, item, "names framework '" + framework + "'; the built-in ones are services and jobs");
    }
    if (!ValidRole(role)) return Bad(flag, item, kBadRoleName);
    if (!options.framework_roles.emplace(framework, role).second) return Bad(flag, item, "sets " + framework + " twice");
  }
  return Status::Ok();
}

// Walks ROLE=VALUE items: a bad shape, a bad role name or a role given
// twice is refused here, and `apply(item, role, value)` does the rest.
template <class Apply>
Status ForEachRoleItem(const std::string& flag, const std::vector<std::string>& items, const char* shape,
                       Apply apply) {
  std::set<std::string> seen;
  for (const std::string& item : items) {
    auto pair = SplitPair(flag, item, shape);
    if (!pair.ok()) return pair.status();
    const auto& [role, value] = *pair;
    if (!ValidRole(role)) return Bad(flag, item, kBadRoleName);
    if (!seen.insert(role).second) return Bad(flag, item, "sets " + role + " twice");
    REGATTA_RETURN_IF_ERROR(apply(item, role, value));
  }
  return Status::Ok();
}

Status ApplyWeights(const std::vector<std::string>& items, master::MasterOptions& options) {
  const std::string flag = "--role-weight";
  return ForEachRoleItem(flag, items, "ROLE=WEIGHT", [&](const std::string& item, const std::string& role,
                                                         const std::string& text) {
    double weight = 0;
    if (!ParseAmount(text, weight) || weight <= 0) return Bad(flag, item, "needs a weight greater than 0");
    options.allocation.roles[role].weight = weight;
    return Status::Ok();
  });
}

Status ApplyQuotas(const std::vector<std::string>& items, master::MasterOptions& options) {
  const std::string flag = "--role-quota";
  return ForEachRoleItem(flag, items, "ROLE=RESOURCE:AMOUNT[,...]", [&](const std::string& item,
                                                                       const std::string& role,
                                                                       const std::string& spec) {
    auto quota = ParseQuota(flag, item, spec);
    if (!quota.ok()) return quota.status();
    options.allocation.roles[role].quota = *quota;
    return Status::Ok();
  });
}

}  // namespace

Status ApplyRoleFlags(const RoleFlags& flags, master::MasterOptions& options) {
  REGATTA_RETURN_IF_ERROR(ApplyFrameworkRoles(flags.framework_roles, options));
  REGATTA_RETURN_IF_ERROR(ApplyWeights(flags.weights, options));
  return ApplyQuotas(flags.quotas, options);
}

}  // namespace regatta::cli

// `regatta audit APP`: who changed an app, what, when and why, folded from
// the log's events (pure: the command feeds it what it scans).
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "events/event.h"

namespace regatta::cli {

struct AuditEntry {
  Revision revision = 0;
  std::int64_t time_nanos = 0;
  std::string principal;
  std::string reason;
  std::string change;  // "created version V", "changed cmd, instances (version V)", "scaled 2 -> 5", ...
};

class AuditTrail {
 public:
  explicit AuditTrail(std::string app_id) : app_id_(std::move(app_id)) {}
  void Observe(const Event& event);
  const std::vector<AuditEntry>& entries() const { return entries_; }

 private:
  void Add(const Event& event, std::string change);
  const std::string app_id_;
  std::string last_spec_;  // the previous definition's fields as JSON, to name what changed
  std::set<std::string> tasks_;
  std::vector<AuditEntry> entries_;
};

}  // namespace regatta::cli

#include "api/cli/audit.h"

#include "api/marathon/app_json.h"
#include "projections/string_map.h"

namespace regatta::cli {
namespace {

using Json = marathon::Json;
using projections::View;
using Which = schema::Envelope::Event::Which;

// The top-level fields whose values differ, in Marathon's names (its
// encoding spells out every default, so an absent field and its default
// compare equal).
std::string ChangedFields(const Json& before, const Json& after) {
  std::set<std::string> keys;
  for (const auto& [key, value] : before.items()) keys.insert(key);
  for (const auto& [key, value] : after.items()) keys.insert(key);
  std::string changed;
  for (const std::string& key : keys) {
    if (key == "id" || key == "version") continue;
    const Json none;
    if (before.value(key, none) != after.value(key, none)) changed += (changed.empty() ? "" : ", ") + key;
  }
  return changed;
}

}  // namespace

void AuditTrail::Add(const Event& event, std::string change) {
  auto env = event.envelope;
  entries_.push_back({event.revision, env.getTimeNanos(), std::string(View(env.getPrincipal())),
                      std::string(View(env.getReason())), std::move(change)});
}

void AuditTrail::Observe(const Event& event) {
  auto e = event.envelope.getEvent();
  switch (e.which()) {
    case Which::APP_DEFINED: {
      auto defined = e.getAppDefined();
      if (View(defined.getSpec().getId()) != app_id_) return;
      const std::string version(View(defined.getVersion()));
      const Json spec = marathon::EncodeApp(defined.getSpec(), version);
      if (last_spec_.empty()) {
        Add(event, "created version " + version);
      } else {
        const std::string changed = ChangedFields(Json::parse(last_spec_), spec);
        Add(event, (changed.empty() ? "redefined, unchanged" : "changed " + changed) + " (version " + version + ")");
      }
      last_spec_ = spec.dump();
      return;
    }
    case Which::APP_SCALED: {
      auto scaled = e.getAppScaled();
      if (View(scaled.getAppId()) != app_id_) return;
      Add(event, "scaled " + std::to_string(scaled.getPreviousInstances()) + " -> " +
                     std::to_string(scaled.getInstances()));
      if (!last_spec_.empty()) {  // the next definition is compared with the scaled one
        Json spec = Json::parse(last_spec_);
        spec["instances"] = scaled.getInstances();
        last_spec_ = spec.dump();
      }
      return;
    }
    case Which::APP_DELETED:
      if (View(e.getAppDeleted().getAppId()) != app_id_) return;
      Add(event, "deleted");
      last_spec_.clear();
      return;
    case Which::APP_LAUNCH_DELAY_RESET:
      if (View(e.getAppLaunchDelayReset().getAppId()) != app_id_) return;
      Add(event, "reset the launch delay");
      return;
    case Which::TASK_LAUNCHED:
      if (View(e.getTaskLaunched().getAppId()) == app_id_) tasks_.insert(std::string(View(e.getTaskLaunched().getTaskId())));
      return;
    case Which::TASK_STATUS_CHANGED: {
      auto status = e.getTaskStatusChanged();
      const std::string task(View(status.getTaskId()));
      if (!tasks_.count(task)) return;
      // A kill is asked for (KILLING); how tasks end otherwise is no one's change.
      if (status.getState() == schema::TaskState::KILLING) Add(event, "killed task " + task);
      return;
    }
    default:
      return;
  }
}

}  // namespace regatta::cli

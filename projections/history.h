// The deployment history projection: for each app, every version it ever
// had (full spec, who, when, why, at which revision), and every deployment
// with its steps and outcome. Unbounded by design: rollback to any revision
// ever needs every spec ever.
//
// Explicit groups (GroupDefined, GroupDeleted) have their versions here
// too; the groups app ids imply are counted, not stored (GroupExists).
//
// It also keeps each live app's current definition, decoded once
// (Current): the last AppDefined, with its instance count replaced by any
// AppScaled logged after it (scaling writes no new version). A deleted app
// has none; one defined again after its deletion has. This is the one place
// that answers "what is app X now"; nothing else walks the changes for it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "events/domain/app_definition.h"
#include "events/event.h"
#include "projections/kube_objects.h"
#include "projections/state_codec.h"
#include "projections/string_map.h"

namespace regatta::projections {

struct Audit {
  Revision revision = 0;
  std::int64_t time_nanos = 0;
  std::string principal;
  std::string reason;
  std::string correlation_id;
  bool operator==(const Audit&) const = default;
};

enum class ChangeKind : std::uint8_t { kDefined, kScaled, kDeleted };
const char* ChangeKindName(ChangeKind kind);

struct AppChange {
  ChangeKind kind = ChangeKind::kDefined;
  std::string version;     // for kDefined
  std::uint32_t instances = 0;
  std::string spec;        // kDefined: a flat Cap'n Proto AppSpec message
  Audit audit;
};

struct AppHistory {
  std::vector<AppChange> changes;  // in log order
  bool deleted = false;
};

// One version of an explicit group (GroupDefined), or its deletion.
struct GroupChange {
  bool deleted = false;
  std::string version;
  std::vector<std::string> apps;          // directly in it, as written
  std::vector<std::string> groups;        // directly in it, as written
  std::vector<std::string> dependencies;  // absolute ids
  Audit audit;
};

struct GroupHistory {
  std::vector<GroupChange> changes;  // in log order
};

enum class DeploymentOutcome : std::uint8_t { kRunning, kSucceeded, kFailed, kCanceled, kReverted };
const char* DeploymentOutcomeName(DeploymentOutcome outcome);

struct DeploymentStepRecord {
  std::uint32_t index = 0;
  Audit audit;
};

struct DeploymentRecord {
  std::vector<std::string> apps;
  std::string from_version;
  std::string to_version;
  std::uint32_t total_steps = 0;
  std::int64_t deadline_nanos = 0;
  std::string revert_of;  // the failed deployment this one reverts; empty if none
  bool paused = false;    // DeploymentPaused, until resumed
  bool promoted = false;  // DeploymentPromoted: its canaries may give way
  Audit started;
  std::vector<DeploymentStepRecord> steps_completed;
  DeploymentOutcome outcome = DeploymentOutcome::kRunning;
  // Why it failed or was canceled. A revert after a failure keeps the
  // failure's message: the revert says where it went, not why.
  std::string message;
  std::string reverted_to;
  Audit ended;
};

class HistoryProjection {
 public:
  void Apply(const Event& event);

  const StringMap<AppHistory>& apps() const { return apps_; }
  // The current definition of a live app; nullptr when it was never
  // defined or is deleted. Valid until the next Apply.
  const domain::AppDefinition* Current(std::string_view app_id) const;
  // The revision of the app's last change (defined, scaled or deleted): its
  // ETag. nullopt for an app the log never named.
  std::optional<Revision> AppRevision(std::string_view app_id) const;
  // Every live app's current definition, by id.
  const StringMap<domain::AppDefinition>& current() const { return current_; }
  const StringMap<DeploymentRecord>& deployments() const { return deployments_; }
  // App id -> the id of its running deployment, for every app with one.
  const StringMap<std::string>& running_deployments() const;
  // The id of the app's running deployment; nullptr when none runs.
  const std::string* RunningDeployment(std::string_view app_id) const;
  // The version the app's last succeeded deployment brought it to (its last
  // stable version); empty when none ever succeeded. Linear in deployments:
  // read when a deployment fails, not per event.
  std::string LastSucceededVersion(std::string_view app_id) const;
  // The change that defined `version` of the app; nullptr when none did.
  const AppChange* DefinedVersion(std::string_view app_id, std::string_view version) const;
  // Explicit groups (Marathon's /v2/groups writes), live or deleted. Groups
  // that app ids imply alone are not here.
  const StringMap<GroupHistory>& groups() const { return groups_; }
  // The current version of a live explicit group; nullptr when it was never
  // defined or is deleted.
  const GroupChange* CurrentGroup(std::string_view group_id) const;
  // True for "/", for a live explicit group, and for every group a live app
  // or explicit group lies under (/prod for /prod/web): the groups Marathon's
  // /v2/groups shows. Constant time: writes ask it for every app id.
  bool GroupExists(std::string_view group_id) const;
  // Kubernetes objects as their API wrote them.
  const KubeObjects& kube() const { return kube_; }

  void Serialize(StateWriter& out) const;
  bool Deserialize(StateReader& in);

 private:
  void End(std::string_view id, DeploymentOutcome outcome, std::string_view message,
           const Audit& audit);

  // Replays one change of `id` onto current_, as Apply does.
  void Track(const std::string& id, const AppChange& change,
             std::shared_ptr<const domain::FlatSpec> spec);
  // Replays every change of a deserialized app; false when a stored spec
  // does not decode.
  bool RebuildCurrent(const std::string& id, const AppHistory& app);

  StringMap<AppHistory> apps_;
  StringMap<DeploymentRecord> deployments_;
  StringMap<GroupHistory> groups_;
  KubeObjects kube_;
  // Derived from deployments_ (not serialized; rebuilt on load): app id ->
  // its running deployment's id.
  StringMap<std::string> running_by_app_;
  // Derived from apps_ and groups_ (not serialized; rebuilt on load).
  StringMap<domain::AppDefinition> current_;
  // For each group path, how many live apps and explicit groups lie at or
  // under it (an app only strictly under): GroupExists.
  StringMap<std::uint32_t> group_paths_;
  void CountPaths(std::string_view id, bool include_self, int delta);
};

// The live apps' current definitions, sorted by id: the order the planner
// serves apps in, so equal states give equal plans.
std::vector<const domain::AppDefinition*> LiveApps(const HistoryProjection& history);

}  // namespace regatta::projections

#include "projections/history.h"

#include <algorithm>

#include <capnp/message.h>
#include <capnp/serialize.h>

namespace regatta::projections {

using Which = schema::Envelope::Event::Which;

const char* ChangeKindName(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::kDefined: return "defined";
    case ChangeKind::kScaled: return "scaled";
    case ChangeKind::kDeleted: return "deleted";
  }
  return "?";
}

const char* DeploymentOutcomeName(DeploymentOutcome outcome) {
  switch (outcome) {
    case DeploymentOutcome::kRunning: return "running";
    case DeploymentOutcome::kSucceeded: return "succeeded";
    case DeploymentOutcome::kFailed: return "failed";
    case DeploymentOutcome::kCanceled: return "canceled";
    case DeploymentOutcome::kReverted: return "reverted";
  }
  return "?";
}

namespace {

Audit AuditOf(const Event& event) {
  auto env = event.envelope;
  return Audit{event.revision, env.getTimeNanos(), Copy(env.getPrincipal()),
               Copy(env.getReason()), Copy(env.getCorrelationId())};
}

}  // namespace

const domain::AppDefinition* HistoryProjection::Current(std::string_view app_id) const {
  auto it = current_.find(app_id);
  return it == current_.end() ? nullptr : &it->second;
}

const GroupChange* HistoryProjection::CurrentGroup(std::string_view group_id) const {
  auto it = groups_.find(group_id);
  if (it == groups_.end() || it->second.changes.empty() || it->second.changes.back().deleted) return nullptr;
  return &it->second.changes.back();
}

bool HistoryProjection::GroupExists(std::string_view group_id) const {
  return group_id == "/" || group_paths_.find(group_id) != group_paths_.end();
}

void HistoryProjection::CountPaths(std::string_view id, bool include_self, int delta) {
  std::string_view path = id;
  if (!include_self) path = path.substr(0, path.rfind('/'));
  while (path.size() > 1) {
    auto it = group_paths_.try_emplace(std::string(path), 0).first;
    it->second += delta;
    if (it->second == 0) group_paths_.erase(it);
    const std::size_t slash = path.rfind('/');
    path = path.substr(0, slash == std::string_view::npos ? 0 : slash);
  }
}

std::optional<Revision> HistoryProjection::AppRevision(std::string_view app_id) const {
  auto it = apps_.find(app_id);
  if (it == apps_.end() || it->second.changes.empty()) return std::nullopt;
  return it->second.changes.back().audit.revision;
}

void HistoryProjection::Track(const std::string& id, const AppChange& change,
                              std::shared_ptr<const domain::FlatSpec> spec) {
  switch (change.kind) {
    case ChangeKind::kDefined:
      if (!current_.count(id)) CountPaths(id, false, +1);
      current_[id] = domain::DecodeAppDefinition(std::move(spec), change.version);
      break;
    case ChangeKind::kScaled:
      if (auto it = current_.find(id); it != current_.end()) it->second.instances = change.instances;
      break;
    case ChangeKind::kDeleted:
      if (current_.erase(id)) CountPaths(id, false, -1);
      break;
  }
}

std::vector<const domain::AppDefinition*> LiveApps(const HistoryProjection& history) {
  std::vector<const domain::AppDefinition*> out;
  for (const auto* entry : Sorted(history.current())) out.push_back(&entry->second);
  return out;
}

void HistoryProjection::Apply(const Event& event) {
  const auto e = event.envelope.getEvent();
  switch (e.which()) {
    case Which::APP_DEFINED: {
      auto defined = e.getAppDefined();
      auto spec = defined.getSpec();
      auto flat = domain::FlatSpec::Copy(spec);
      const std::string id = Copy(spec.getId());
      AppHistory& app = apps_[id];
      app.deleted = false;
      app.changes.push_back(AppChange{ChangeKind::kDefined, Copy(defined.getVersion()),
                                      spec.getInstances(), std::string(flat->bytes()), AuditOf(event)});
      Track(id, app.changes.back(), std::move(flat));
      break;
    }
    case Which::APP_SCALED: {
      auto scaled = e.getAppScaled();
      const std::string id = Copy(scaled.getAppId());
      AppHistory& app = apps_[id];
      app.changes.push_back(AppChange{ChangeKind::kScaled, "", scaled.getInstances(), "",
                                      AuditOf(event)});
      Track(id, app.changes.back(), nullptr);
      break;
    }
    case Which::APP_DELETED: {
      const std::string id = Copy(e.getAppDeleted().getAppId());
      AppHistory& app = apps_[id];
      app.deleted = true;
      app.changes.push_back(AppChange{ChangeKind::kDeleted, "", 0, "", AuditOf(event)});
      Track(id, app.changes.back(), nullptr);
      break;
    }
    case Which::GROUP_DEFINED: {
      auto defined = e.getGroupDefined();
      GroupChange change;
      change.version = Copy(defined.getVersion());
      for (auto id : defined.getApps()) change.apps.push_back(Copy(id));
      for (auto id : defined.getGroups()) change.groups.push_back(Copy(id));
      for (auto id : defined.getDependencies()) change.dependencies.push_back(Copy(id));
      change.audit = AuditOf(event);
      const std::string id = Copy(defined.getGroupId());
      if (CurrentGroup(id) == nullptr) CountPaths(id, true, +1);
      groups_[id].changes.push_back(std::move(change));
      break;
    }
    case Which::GROUP_DELETED: {
      GroupChange change;
      change.deleted = true;
      change.audit = AuditOf(event);
      const std::string id = Copy(e.getGroupDeleted().getGroupId());
      if (CurrentGroup(id) != nullptr) CountPaths(id, true, -1);
      groups_[id].changes.push_back(std::move(change));
      break;
    }
    case Which::DEPLOYMENT_STARTED: {
      auto s = e.getDeploymentStarted();
      DeploymentRecord& d = deployments_[std::string(View(s.getDeploymentId()))];
      d = DeploymentRecord{};
      for (auto app : s.getAffectedApps()) d.apps.emplace_back(View(app));
      d.from_version = View(s.getFromVersion());
      d.to_version = View(s.getToVersion());
      d.total_steps = s.getSteps().size();
      d.deadline_nanos = s.getDeadlineNanos();
      d.revert_of = View(s.getRevertOf());
      d.started = AuditOf(event);
      for (const std::string& app : d.apps) running_by_app_[app] = View(s.getDeploymentId());
      break;
    }
    case Which::DEPLOYMENT_PAUSED: {
      auto p = e.getDeploymentPaused();
      if (auto it = deployments_.find(View(p.getDeploymentId())); it != deployments_.end()) it->second.paused = p.getPaused();
      break;
    }
    case Which::DEPLOYMENT_PROMOTED:
      if (auto it = deployments_.find(View(e.getDeploymentPromoted().getDeploymentId())); it != deployments_.end()) {
        it->second.promoted = true;
      }
      break;
    case Which::DEPLOYMENT_STEP_COMPLETED: {
      auto s = e.getDeploymentStepCompleted();
      if (auto it = deployments_.find(View(s.getDeploymentId())); it != deployments_.end()) {
        it->second.steps_completed.push_back({s.getStepIndex(), AuditOf(event)});
      }
      break;
    }
    case Which::DEPLOYMENT_SUCCEEDED:
      End(View(e.getDeploymentSucceeded().getDeploymentId()), DeploymentOutcome::kSucceeded, "",
          AuditOf(event));
      break;
    case Which::DEPLOYMENT_FAILED: {
      auto f = e.getDeploymentFailed();
      End(View(f.getDeploymentId()), DeploymentOutcome::kFailed, View(f.getMessage()), AuditOf(event));
      break;
    }
    case Which::DEPLOYMENT_CANCELED: {
      auto c = e.getDeploymentCanceled();
      End(View(c.getDeploymentId()), DeploymentOutcome::kCanceled, View(c.getMessage()), AuditOf(event));
      break;
    }
    case Which::DEPLOYMENT_REVERTED: {
      auto r = e.getDeploymentReverted();
      End(View(r.getDeploymentId()), DeploymentOutcome::kReverted, View(r.getMessage()), AuditOf(event));
      if (auto it = deployments_.find(View(r.getDeploymentId())); it != deployments_.end()) {
        it->second.reverted_to = View(r.getToVersion());
      }
      break;
    }
    case Which::KUBE_OBJECT_PUT:
    case Which::KUBE_OBJECT_DELETED:
      kube_.Apply(event);
      break;
    default:
      break;
  }
}

bool HistoryProjection::RebuildCurrent(const std::string& id, const AppHistory& app) {
  for (const AppChange& change : app.changes) {
    std::shared_ptr<const domain::FlatSpec> spec;
    if (change.kind == ChangeKind::kDefined) {
      auto flat = domain::FlatSpec::FromBytes(change.spec);
      if (!flat.ok()) return false;  // the snapshot is damaged: rebuild from the log
      spec = std::move(*flat);
    }
    Track(id, change, std::move(spec));
  }
  return true;
}

void HistoryProjection::End(std::string_view id, DeploymentOutcome outcome,
                            std::string_view message, const Audit& audit) {
  auto it = deployments_.find(id);
  if (it == deployments_.end()) return;
  DeploymentRecord& d = it->second;
  for (const std::string& app : d.apps) {
    if (auto running = running_by_app_.find(app); running != running_by_app_.end() && running->second == id) {
      running_by_app_.erase(running);
    }
  }
  d.outcome = outcome;
  if (outcome != DeploymentOutcome::kReverted || d.message.empty()) d.message = message;
  d.ended = audit;
}

const StringMap<std::string>& HistoryProjection::running_deployments() const { return running_by_app_; }

const std::string* HistoryProjection::RunningDeployment(std::string_view app_id) const {
  auto it = running_by_app_.find(app_id);
  return it == running_by_app_.end() ? nullptr : &it->second;
}

std::string HistoryProjection::LastSucceededVersion(std::string_view app_id) const {
  std::string version;
  Revision at = 0;
  for (const auto& [id, d] : deployments_) {
    if (d.outcome != DeploymentOutcome::kSucceeded || d.ended.revision < at) continue;
    if (std::find(d.apps.begin(), d.apps.end(), app_id) == d.apps.end()) continue;
    version = d.to_version;
    at = d.ended.revision;
  }
  return version;
}

const AppChange* HistoryProjection::DefinedVersion(std::string_view app_id, std::string_view version) const {
  auto it = apps_.find(app_id);
  if (it == apps_.end()) return nullptr;
  for (auto change = it->second.changes.rbegin(); change != it->second.changes.rend(); ++change) {
    if (change->kind == ChangeKind::kDefined && change->version == version) return &*change;
  }
  return nullptr;
}

// ------------------------------------------------------------ serialization

namespace {

void WriteAudit(StateWriter& w, const Audit& a) {
  w.U64(a.revision);
  w.I64(a.time_nanos);
  w.Str(a.principal);
  w.Str(a.reason);
  w.Str(a.correlation_id);
}

Audit ReadAudit(StateReader& r) {
  Audit a;
  a.revision = r.U64();
  a.time_nanos = r.I64();
  a.principal = r.Str();
  a.reason = r.Str();
  a.correlation_id = r.Str();
  return a;
}

}  // namespace

void HistoryProjection::Serialize(StateWriter& w) const {
  w.U64(apps_.size());
  for (const auto* item : Sorted(apps_)) {
    w.Str(item->first);
    w.Bool(item->second.deleted);
    w.List(item->second.changes, [](StateWriter& w, const AppChange& c) {
      w.U8(static_cast<std::uint8_t>(c.kind));
      w.Str(c.version);
      w.U64(c.instances);
      w.Str(c.spec);
      WriteAudit(w, c.audit);
    });
  }
  w.U64(deployments_.size());
  for (const auto* item : Sorted(deployments_)) {
    const DeploymentRecord& d = item->second;
    w.Str(item->first);
    w.List(d.apps, [](StateWriter& w, const std::string& a) { w.Str(a); });
    w.Str(d.from_version);
    w.Str(d.to_version);
    w.U64(d.total_steps);
    w.I64(d.deadline_nanos);
    w.Str(d.revert_of);
    w.Bool(d.paused);
    w.Bool(d.promoted);
    WriteAudit(w, d.started);
    w.List(d.steps_completed, [](StateWriter& w, const DeploymentStepRecord& s) {
      w.U64(s.index);
      WriteAudit(w, s.audit);
    });
    w.U8(static_cast<std::uint8_t>(d.outcome));
    w.Str(d.message);
    w.Str(d.reverted_to);
    WriteAudit(w, d.ended);
  }
  auto strings = [](StateWriter& w, const std::string& s) { w.Str(s); };
  w.U64(groups_.size());
  for (const auto* item : Sorted(groups_)) {
    w.Str(item->first);
    w.List(item->second.changes, [&](StateWriter& w, const GroupChange& c) {
      w.Bool(c.deleted);
      w.Str(c.version);
      w.List(c.apps, strings);
      w.List(c.groups, strings);
      w.List(c.dependencies, strings);
      WriteAudit(w, c.audit);
    });
  }
  kube_.Serialize(w);
}

bool HistoryProjection::Deserialize(StateReader& r) {
  for (std::uint64_t n = r.Count(); n > 0 && !r.failed(); --n) {
    const std::string id = r.Str();
    AppHistory& app = apps_[id];
    app.deleted = r.Bool();
    for (std::uint64_t k = r.Count(); k > 0 && !r.failed(); --k) {
      AppChange c;
      c.kind = static_cast<ChangeKind>(r.U8());
      c.version = r.Str();
      c.instances = static_cast<std::uint32_t>(r.U64());
      c.spec = r.Str();
      c.audit = ReadAudit(r);
      app.changes.push_back(std::move(c));
    }
    if (!RebuildCurrent(id, app)) return false;
  }
  for (std::uint64_t n = r.Count(); n > 0 && !r.failed(); --n) {
    DeploymentRecord& d = deployments_[r.Str()];
    for (std::uint64_t k = r.Count(); k > 0 && !r.failed(); --k) d.apps.push_back(r.Str());
    d.from_version = r.Str();
    d.to_version = r.Str();
    d.total_steps = static_cast<std::uint32_t>(r.U64());
    d.deadline_nanos = r.I64();
    d.revert_of = r.Str();
    d.paused = r.Bool();
    d.promoted = r.Bool();
    d.started = ReadAudit(r);
    for (std::uint64_t k = r.Count(); k > 0 && !r.failed(); --k) {
      DeploymentStepRecord s;
      s.index = static_cast<std::uint32_t>(r.U64());
      s.audit = ReadAudit(r);
      d.steps_completed.push_back(std::move(s));
    }
    d.outcome = static_cast<DeploymentOutcome>(r.U8());
    d.message = r.Str();
    d.reverted_to = r.Str();
    d.ended = ReadAudit(r);
  }
  for (const auto& [id, d] : deployments_) {
    if (d.outcome != DeploymentOutcome::kRunning) continue;
    for (const std::string& app : d.apps) {
      // Only one runs per app; should a log hold two, the later one counts, as in Apply.
      auto [it, fresh] = running_by_app_.try_emplace(app, id);
      if (!fresh && deployments_.find(it->second)->second.started.revision < d.started.revision) it->second = id;
    }
  }
  auto strings = [&r](std::vector<std::string>& out) {
    for (std::uint64_t k = r.Count(); k > 0 && !r.failed(); --k) out.push_back(r.Str());
  };
  for (std::uint64_t n = r.Count(); n > 0 && !r.failed(); --n) {
    const std::string id = r.Str();
    GroupHistory& group = groups_[id];
    for (std::uint64_t k = r.Count(); k > 0 && !r.failed(); --k) {
      GroupChange c;
      c.deleted = r.Bool();
      c.version = r.Str();
      strings(c.apps);
      strings(c.groups);
      strings(c.dependencies);
      c.audit = ReadAudit(r);
      group.changes.push_back(std::move(c));
    }
    if (CurrentGroup(id) != nullptr) CountPaths(id, true, +1);
  }
  return kube_.Deserialize(r) && !r.failed();
}

}  // namespace regatta::projections

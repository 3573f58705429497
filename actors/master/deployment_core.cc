// Deployments as the master records them: started with each new version
// of a service app (deployment_rules.h), ended on the controller's verdict,
// reverted on failure to the app's last stable version.
#include <capnp/message.h>

#include "actors/master/deployment_rules.h"
#include "actors/master/master_core.h"

namespace regatta::master {
namespace {

using projections::DeploymentOutcome;
using projections::DeploymentRecord;

schema::DeploymentAction::Kind ActionOf(const projections::ProjectionSet& state, const std::string& app_id) {
  return state.history().Current(app_id) == nullptr ? schema::DeploymentAction::Kind::START_APPLICATION
                                                    : schema::DeploymentAction::Kind::RESTART_APPLICATION;
}

void EmitCanceled(const std::string& id, const std::string& message, Emitter& emit) {
  emit.Emit([&](auto e) {
    auto c = e.initDeploymentCanceled();
    c.setDeploymentId(id);
    c.setMessage(message);
  });
}

// The spec the revert defines: the stable version's, at the app's current
// instance count, so that a revert never takes away instances the operator
// asked for since; at the stable version's own count if that is 0.
struct RevertSpec {
  capnp::MallocMessageBuilder message;
  schema::AppSpec::Reader spec;
};

Status BuildRevertSpec(const projections::ProjectionSet& state, const domain::AppDefinition& app,
                       const std::string& stable, RevertSpec& out) {
  const projections::AppChange* change = state.history().DefinedVersion(app.id, stable);
  if (change == nullptr) return Status::Field(StatusCode::kNotFound, "version", "no version " + stable);
  auto flat = domain::FlatSpec::FromBytes(change->spec);
  if (!flat.ok()) return flat.status();
  out.message.setRoot((*flat)->root());
  auto spec = out.message.getRoot<schema::AppSpec>();
  if (app.instances > 0) spec.setInstances(app.instances);
  out.spec = spec.asReader();
  return Status::Ok();
}

// A failed deployment's app goes back to its last stable version (the same
// version id, defined again) when its
// upgradeStrategy says autoRevert, unless the failed one already was a
// revert, or the failed version is the stable one.
void MaybeRevert(const projections::ProjectionSet& state, const std::string& id, const DeploymentRecord& d,
                 const std::string& message, const CommandContext& context, Emitter& emit) {
  if (d.apps.size() != 1 || !d.revert_of.empty()) return;
  const domain::AppDefinition* app = state.history().Current(d.apps.front());
  if (app == nullptr || app->version != d.to_version) return;
  if (!app->spec->root().getUpgradeStrategy().getAutoRevert()) return;
  const std::string stable = state.history().LastSucceededVersion(app->id);
  if (stable.empty() || stable == d.to_version) return;
  RevertSpec revert;
  if (!BuildRevertSpec(state, *app, stable, revert).ok()) return;
  // Back to that very version, not a copy under a new one: its instances
  // still running are the revert's new ones, so none of them restarts.
  const std::string& version = stable;
  emit.Emit([&](auto e) {
    auto r = e.initDeploymentReverted();
    r.setDeploymentId(id);
    r.setToVersion(stable);
    r.setMessage("reverted to version " + stable + ": " + message);
  });
  emit.Emit([&](auto e) {
    auto defined = e.initAppDefined();
    defined.setSpec(revert.spec);
    defined.setVersion(version);
  });
  EmitDeploymentStart(state, revert.spec, version, id, context, emit);
}

}  // namespace

Status CheckDeploymentLock(const projections::ProjectionSet& state, const std::string& app_id, bool force) {
  const std::string* running = state.history().RunningDeployment(app_id);
  if (running == nullptr || force) return Status::Ok();
  return Status::Field(StatusCode::kConflict, "id",
                       "App is locked by deployment " + *running + "; override with force");
}

void EmitDeploymentStart(const projections::ProjectionSet& state, schema::AppSpec::Reader spec,
                         const std::string& version, const std::string& revert_of, const CommandContext& context,
                         Emitter& emit) {
  if (spec.getKind() != schema::WorkloadKind::SERVICE) return;
  const std::string app_id = spec.getId();
  const domain::AppDefinition* before = state.history().Current(app_id);
  if (const std::string* running = state.history().RunningDeployment(app_id); running && *running != revert_of) {
    EmitCanceled(*running, "superseded by version " + version, emit);
  }
  const std::string id = context.new_id ? context.new_id() : version;
  const double deadline = spec.getUpgradeStrategy().getProgressDeadlineSeconds();
  emit.Emit([&](auto e) {
    auto s = e.initDeploymentStarted();
    s.setDeploymentId(id);
    s.initAffectedApps(1).set(0, app_id);
    s.setFromVersion(before == nullptr ? "" : before->version);
    s.setToVersion(version);
    auto action = s.initSteps(1)[0].initActions(1)[0];
    action.setKind(ActionOf(state, app_id));
    action.setAppId(app_id);
    action.setInstances(spec.getInstances());
    s.setDeadlineNanos(deadline > 0 ? context.now_nanos + static_cast<std::int64_t>(deadline * 1e9) : 0);
    s.setRevertOf(revert_of);
  });
}

Result<Outcome> DecideControlDeployment(const ProjectionSet& state, const std::string& deployment_id,
                                        DeploymentControl control, const CommandContext& context) {
  auto found = state.history().deployments().find(deployment_id);
  if (found == state.history().deployments().end()) {
    return Status::Field(StatusCode::kNotFound, "deploymentId", "no deployment " + deployment_id);
  }
  const DeploymentRecord& d = found->second;
  if (d.outcome != DeploymentOutcome::kRunning) {
    return Status::Field(StatusCode::kFailedPrecondition, "deploymentId",
                         "deployment " + deployment_id + " has ended (" + projections::DeploymentOutcomeName(d.outcome) + ")");
  }
  Outcome out;
  Emitter emit(context, &out);
  if (control == DeploymentControl::kPromote) {
    const domain::AppDefinition* app = d.apps.empty() ? nullptr : state.history().Current(d.apps.front());
    if (app == nullptr || app->spec->root().getUpgradeStrategy().getCanaries() == 0) {
      return Status::Field(StatusCode::kFailedPrecondition, "deploymentId",
                           "deployment " + deployment_id + " has no canaries to promote");
    }
    if (!d.promoted) emit.Emit([&](auto e) { e.initDeploymentPromoted().setDeploymentId(deployment_id); });
    return out;
  }
  const bool pause = control == DeploymentControl::kPause;
  if (d.paused == pause) return out;
  emit.Emit([&](auto e) {
    auto p = e.initDeploymentPaused();
    p.setDeploymentId(deployment_id);
    p.setPaused(pause);
  });
  return out;
}

Result<Outcome> DecideEndDeployment(const ProjectionSet& state, const std::string& deployment_id,
                                    DeploymentEnd end, const std::string& message, const CommandContext& context) {
  auto found = state.history().deployments().find(deployment_id);
  if (found == state.history().deployments().end()) {
    return Status::Field(StatusCode::kNotFound, "deploymentId", "no deployment " + deployment_id);
  }
  const DeploymentRecord& d = found->second;
  Outcome out;
  if (d.outcome != DeploymentOutcome::kRunning) return out;  // already ended: a verdict sent twice
  Emitter emit(context, &out);
  switch (end) {
    case DeploymentEnd::kSucceeded:
      for (std::uint32_t step = 0; step < d.total_steps; ++step) {
        emit.Emit([&](auto e) {
          auto s = e.initDeploymentStepCompleted();
          s.setDeploymentId(deployment_id);
          s.setStepIndex(step);
        });
      }
      emit.Emit([&](auto e) { e.initDeploymentSucceeded().setDeploymentId(deployment_id); });
      break;
    case DeploymentEnd::kFailed:
      emit.Emit([&](auto e) {
        auto f = e.initDeploymentFailed();
        f.setDeploymentId(deployment_id);
        f.setMessage(message);
      });
      MaybeRevert(state, deployment_id, d, message, context, emit);
      break;
    case DeploymentEnd::kCanceled:
      EmitCanceled(deployment_id, message, emit);
      break;
  }
  return out;
}

}  // namespace regatta::master

// DecideKubeWrite: a Kubernetes object and its app, in one batch.
#include "actors/master/deployment_rules.h"
#include "actors/master/emitter.h"
#include "actors/master/master_core.h"

namespace regatta::master {
namespace {

std::string Text(capnp::Text::Reader text) { return std::string(text.cStr(), text.size()); }

Status CheckObjectPreconditions(const projections::KubeObject* existing, const KubeWrite& write,
                                const AppPreconditions& p) {
  const std::string name = Text(write.object.getName());
  const std::string kind = Text(write.object.getKind());
  if (p.create_only && existing != nullptr) {
    return Status::Field(StatusCode::kConflict, "metadata.name",
                         kind + " \"" + name + "\" already exists");
  }
  if (!p.create_only && existing == nullptr && (write.remove || p.if_revision)) {
    return Status::Field(StatusCode::kNotFound, "metadata.name", kind + " \"" + name + "\" not found");
  }
  // A resourceVersion read at or after the object's last put is current:
  // the revisions between are other objects' (or its app's status).
  if (p.if_revision && existing != nullptr && existing->revision > *p.if_revision) {
    return Status::Field(StatusCode::kConflict, "metadata.resourceVersion",
                         "Operation cannot be fulfilled on " + kind + " \"" + name +
                             "\": the object has been modified (it is at resourceVersion " +
                             std::to_string(existing->revision) + ", not " + std::to_string(*p.if_revision) +
                             "); please apply your changes to the latest version and try again");
  }
  return Status::Ok();
}

// The app's part of the write, decided as its own command would be.
Result<Outcome> DecideAppChange(const ProjectionSet& state, const KubeWrite& write, const std::string& version,
                                const CommandContext& context) {
  const std::string app_id = Text(write.object.getAppId());
  AppPreconditions app;
  app.force = true;  // Kubernetes rolls to the newest template: a new one replaces a running rollout
  switch (write.app) {
    case KubeWrite::AppChange::kNone: return Outcome{};
    case KubeWrite::AppChange::kDefine:
      if (!write.spec || Text(write.spec->getId()) != app_id) {
        return Status::InvalidArgument("a Kubernetes write defines the app its object names");
      }
      return DecideDefineApp(state, *write.spec, version, context, app);
    case KubeWrite::AppChange::kScale: return DecideScaleApp(state, app_id, write.instances, context, app);
    case KubeWrite::AppChange::kRemove:
      if (state.history().Current(app_id) == nullptr) return Outcome{};  // already gone: the object still goes
      return DecideDeleteApp(state, app_id, context, app);
  }
  return Outcome{};
}

}  // namespace

Result<Outcome> DecideKubeWrite(const ProjectionSet& state, const KubeWrite& write, const std::string& version,
                                const CommandContext& context, const AppPreconditions& preconditions) {
  const std::string kind = Text(write.object.getKind());
  const std::string ns = Text(write.object.getNamespace());
  const std::string name = Text(write.object.getName());
  if (kind.empty()) return Status::Field(StatusCode::kInvalidArgument, "kind", "must be set");
  if (name.empty()) return Status::Field(StatusCode::kInvalidArgument, "metadata.name", "must be set");
  const projections::KubeObject* existing = state.history().kube().Find(kind, ns, name);
  REGATTA_RETURN_IF_ERROR(CheckObjectPreconditions(existing, write, preconditions));
  Result<Outcome> app = DecideAppChange(state, write, version, context);
  if (!app.ok()) return app.status();
  Outcome out = std::move(*app);
  Emitter emit(context, &out);
  if (write.remove) {
    emit.Emit([&](auto e) {
      auto deleted = e.initKubeObjectDeleted();
      deleted.setKind(kind);
      deleted.setNamespace(ns);
      deleted.setName(name);
    });
  } else {
    emit.Emit([&](auto e) { e.setKubeObjectPut(write.object); });
  }
  return out;
}

}  // namespace regatta::master

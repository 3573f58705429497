// /v2/deployments/{id} for the deployment engine's deployments: GET shows
// one with its rollout's progress (a Regatta extension); DELETE cancels it
// as Marathon does: by rolling back to the version it started from, or,
// with ?force=true, by stopping where it is.
#include "api/marathon/deployment_view.h"
#include "api/marathon/routes.h"

#include <optional>

namespace regatta::marathon {
namespace {

// The app's instance count just before `revision` (scales included), as a
// rollback restores it.
std::uint32_t InstancesBefore(const projections::ProjectionSet& view, const std::string& app_id, Revision revision) {
  std::uint32_t instances = 0;
  const auto& changes = view.history().apps().find(app_id)->second.changes;
  for (const projections::AppChange& change : changes) {
    if (change.audit.revision >= revision) break;
    instances = change.instances;
  }
  return instances;
}

}  // namespace

void MarathonApi::Impl::ControlDeployment(const http::Request& r, const ExchangePtr& ex, const std::string& id,
                                          const std::string& action) {
  using Action = protocol::ControlDeployment::Action;
  std::optional<Action> wanted;
  if (action == "pause") wanted = Action::PAUSE;
  if (action == "resume") wanted = Action::RESUME;
  if (action == "promote") wanted = Action::PROMOTE;
  if (!wanted) return Message(ex, 404, "URI not found: a deployment takes pause, resume or promote");
  if (r.method != "POST") return Message(ex, 405, "/v2/deployments/{id}/" + action + " takes POST");
  if (view().history().deployments().count(id) == 0) return Message(ex, 404, "DeploymentPlan " + id + " does not exist");
  Write(ex, MetaOf(r),
        [&](auto command) {
          auto control = command.initControlDeployment();
          control.setDeploymentId(id);
          control.setAction(*wanted);
        },
        [this, ex, id](Revision) {
          const auto found = view().history().deployments().find(id);
          Reply(ex, 200, EncodeDeploymentDetail(view(), id, found->second, Now()));
        });
}

bool MarathonApi::Impl::EngineDeployment(const http::Request& r, const ExchangePtr& ex, const std::string& id) {
  const auto& all = view().history().deployments();
  const auto found = all.find(id);
  if (found == all.end()) return false;
  const projections::DeploymentRecord& d = found->second;
  if (r.method == "GET") {
    Reply(ex, 200, EncodeDeploymentDetail(view(), id, d, Now()));
    return true;
  }
  if (r.method != "DELETE") {
    Message(ex, 405, "a deployment takes GET or DELETE");
    return true;
  }
  if (d.outcome != projections::DeploymentOutcome::kRunning) {
    Message(ex, 404, "DeploymentPlan " + id + " does not exist (it " +
                         projections::DeploymentOutcomeName(d.outcome) + ")");
    return true;
  }
  WriteMeta meta = MetaOf(r);
  if (meta.reason.empty()) meta.reason = "deployment " + id + " canceled";
  if (r.Flag("force", false)) {
    // Stop where it is: the app keeps the tasks it has now, old and new.
    const std::string message = "canceled by " + meta.principal;
    Write(ex, meta,
          [&](auto command) {
            auto end = command.initEndDeployment();
            end.setDeploymentId(id);
            end.setOutcome(protocol::EndDeployment::Outcome::CANCELED);
            end.setMessage(message);
          },
          [this, ex](Revision) { ReplyText(ex, 202, "", ""); });
    return true;
  }
  // Roll back: a deployment to the version it started from, or, for an
  // app it created, the app's deletion.
  const std::string app_id = d.apps.empty() ? "" : d.apps.front();
  auto done = [this, ex](Revision revision) { DeploymentReply(ex, 200, revision); };
  meta.force = true;  // the rollback replaces the deployment it cancels
  if (d.from_version.empty()) {
    Write(ex, meta, [&](auto command) { command.setDeleteApp(app_id); }, done);
    return true;
  }
  const projections::AppChange* before = view().history().DefinedVersion(app_id, d.from_version);
  if (before == nullptr) {
    Message(ex, 409, "App '" + app_id + "' has no version " + d.from_version + " to go back to");
    return true;
  }
  auto spec = domain::FlatSpec::FromBytes(before->spec);
  if (!spec.ok()) {
    Fail(ex, spec.status());
    return true;
  }
  capnp::MallocMessageBuilder copy;
  copy.setRoot((*spec)->root());
  // Before the AppDefined the deployment came with (just before it).
  const projections::AppChange* target = view().history().DefinedVersion(app_id, d.to_version);
  copy.getRoot<schema::AppSpec>().setInstances(
      InstancesBefore(view(), app_id, target != nullptr ? target->audit.revision : d.started.revision));
  Write(ex, meta, [&](auto command) { command.setDefineApp(copy.getRoot<schema::AppSpec>().asReader()); }, done);
  return true;
}

}  // namespace regatta::marathon

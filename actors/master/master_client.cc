// The commands of the HTTP APIs (and, through them, the CLI): each decoded,
// decided by master_core, committed, and answered with its revision.
#include <iostream>

#include "actors/master/group_rules.h"
#include "actors/master/master_state.h"
#include "events/base/time_format.h"

namespace regatta::master {
namespace {

using protocol::Wire;

AppPreconditions PreconditionsOf(protocol::ClientMessage::Reader message) {
  AppPreconditions p;
  if (message.getHasIfRevision()) p.if_revision = message.getIfRevision();
  p.create_only = message.getCreateOnly();
  p.force = message.getForce();
  return p;
}

caf::result<Wire> OnKill(MasterPointer self, const std::string& task_id, const CommandContext& context) {
  const domain::KillTask command{task_id};
  return Submit(
      self, {"task:" + task_id}, [self, command, context] { return DecideKillTask(self->state.projections, command, context); },
      [self](const Outcome& outcome, const Committed& committed) {
        SendKills(self, outcome);
        return Acknowledged(self->state, outcome, committed);
      });
}

// Several tasks, and with scale their apps: read across aggregates, so
// committed alone (CommitBatch::kEverything).
caf::result<Wire> OnKillTasks(MasterPointer self, protocol::KillTasks::Reader message, const CommandContext& context) {
  std::vector<std::string> ids;
  for (auto id : message.getTaskIds()) ids.emplace_back(id.cStr(), id.size());
  const bool scale = message.getScale();
  return Submit(
      self, {CommitBatch::kEverything},
      [self, ids, scale, context] { return DecideKillTasks(self->state.projections, ids, scale, context); },
      [self](const Outcome& outcome, const Committed& committed) {
        SendKills(self, outcome);
        return Acknowledged(self->state, outcome, committed);
      });
}

DeploymentEnd EndOf(protocol::EndDeployment::Outcome outcome) {
  switch (outcome) {
    case protocol::EndDeployment::Outcome::SUCCEEDED: return DeploymentEnd::kSucceeded;
    case protocol::EndDeployment::Outcome::FAILED: return DeploymentEnd::kFailed;
    case protocol::EndDeployment::Outcome::CANCELED: break;
  }
  return DeploymentEnd::kCanceled;
}

DeploymentControl ControlOf(protocol::ControlDeployment::Action action) {
  switch (action) {
    case protocol::ControlDeployment::Action::PAUSE: return DeploymentControl::kPause;
    case protocol::ControlDeployment::Action::RESUME: return DeploymentControl::kResume;
    case protocol::ControlDeployment::Action::PROMOTE: break;
  }
  return DeploymentControl::kPromote;
}

// Ending a deployment reads it and its apps, and a revert redefines them.
caf::result<Wire> OnEndDeployment(MasterPointer self, protocol::EndDeployment::Reader end,
                                  const CommandContext& context) {
  const std::string id = end.getDeploymentId();
  const DeploymentEnd outcome = EndOf(end.getOutcome());
  const std::string message = end.getMessage();
  std::vector<std::string> keys{"deployment:" + id};
  const auto& deployments = self->state.projections.history().deployments();
  if (auto d = deployments.find(id); d != deployments.end()) {
    for (const std::string& app : d->second.apps) keys.push_back("app:" + app);
  }
  return Submit(
      self, keys,
      [self, id, outcome, message, context] {
        return DecideEndDeployment(self->state.projections, id, outcome, message, context);
      },
      [self](const Outcome& o, const Committed& c) { return Acknowledged(self->state, o, c); });
}

// What defining an app reads and writes (commit_batch.h): the app itself;
// whether its groups are apps, and whether it is a group; the groups it
// joins. With dependencies, the whole graph.
std::vector<std::string> DefineAppKeys(const ProjectionSet& state, schema::AppSpec::Reader spec) {
  if (HasDependencies(state, spec)) return {CommitBatch::kEverything};
  const std::string id = spec.getId().cStr();
  std::vector<std::string> keys{"app:" + id, "r:tree:" + id};
  for (std::string group = domain::ParentPath(id); group != "/"; group = domain::ParentPath(group)) {
    keys.push_back("r:app:" + group);
    keys.push_back("m:tree:" + group);
  }
  return keys;
}

KubeWrite KubeWriteOf(protocol::KubeWrite::Reader w) {
  KubeWrite write;
  write.object = w.getObject();
  write.remove = w.getDelete();
  auto app = w.getApp();
  switch (app.which()) {
    case protocol::KubeWrite::App::NONE: break;
    case protocol::KubeWrite::App::DEFINE:
      write.app = KubeWrite::AppChange::kDefine;
      write.spec = app.getDefine();
      break;
    case protocol::KubeWrite::App::SCALE:
      write.app = KubeWrite::AppChange::kScale;
      write.instances = app.getScale();
      break;
    case protocol::KubeWrite::App::REMOVE: write.app = KubeWrite::AppChange::kRemove; break;
  }
  return write;
}

}  // namespace

caf::result<Wire> OnClient(MasterPointer self, protocol::Received<protocol::ClientMessage> received) {
  // The decision may run after this returns (after a flush): it reads the
  // message through this shared copy.
  auto keep = std::make_shared<protocol::Received<protocol::ClientMessage>>(std::move(received));
  auto message = keep->root();
  CommandContext context = Context(self->state);
  if (message.getPrincipal().size()) context.principal = message.getPrincipal();
  context.reason = message.getReason();
  const AppPreconditions preconditions = PreconditionsOf(message);
  const AfterCommit after = [self](const Outcome& o, const Committed& c) { return Acknowledged(self->state, o, c); };
  switch (message.which()) {
    case protocol::ClientMessage::DEFINE_APP:
      return Submit(
          self, DefineAppKeys(self->state.projections, message.getDefineApp()),
          [self, keep, context, preconditions] {
            return DecideDefineApp(self->state.projections, keep->root().getDefineApp(),
                                   FormatRfc3339(context.now_nanos), context, preconditions);
          },
          after);
    case protocol::ClientMessage::SCALE_APP: {
      const std::string app = message.getScaleApp().getAppId();
      const std::uint32_t instances = message.getScaleApp().getInstances();
      return Submit(
          self, {"app:" + app},
          [self, app, instances, context, preconditions] {
            return DecideScaleApp(self->state.projections, app, instances, context, preconditions);
          },
          after);
    }
    case protocol::ClientMessage::DELETE_APP: {
      const std::string app = message.getDeleteApp();
      return Submit(
          self, {"app:" + app},
          [self, app, context, preconditions] {
            return DecideDeleteApp(self->state.projections, app, context, preconditions);
          },
          after);
    }
    case protocol::ClientMessage::RESET_LAUNCH_DELAY: {
      const std::string app = message.getResetLaunchDelay();
      return Submit(
          self, {"app:" + app},
          [self, app, context] { return DecideResetLaunchDelay(self->state.projections, app, context); }, after);
    }
    // A group write reads and changes many apps: committed alone.
    case protocol::ClientMessage::DEFINE_GROUP:
      return Submit(
          self, {CommitBatch::kEverything},
          [self, keep, context, preconditions] {
            return DecideDefineGroup(self->state.projections, keep->root().getDefineGroup(),
                                     FormatRfc3339(context.now_nanos), context, preconditions);
          },
          after);
    case protocol::ClientMessage::DELETE_GROUP: {
      const std::string group = message.getDeleteGroup();
      return Submit(
          self, {CommitBatch::kEverything},
          [self, group, context] { return DecideDeleteGroup(self->state.projections, group, context); }, after);
    }
    case protocol::ClientMessage::SCALE_GROUP: {
      const std::string group = message.getScaleGroup().getGroupId();
      const double factor = message.getScaleGroup().getFactor();
      return Submit(
          self, {CommitBatch::kEverything},
          [self, group, factor, context] { return DecideScaleGroup(self->state.projections, group, factor, context); },
          after);
    }
    // An object and its app, read across aggregates: committed alone.
    case protocol::ClientMessage::KUBE_WRITE:
      return Submit(
          self, {CommitBatch::kEverything},
          [self, keep, context, preconditions] {
            return DecideKubeWrite(self->state.projections, KubeWriteOf(keep->root().getKubeWrite()),
                                   FormatRfc3339(context.now_nanos), context, preconditions);
          },
          after);
    case protocol::ClientMessage::END_DEPLOYMENT:
      return OnEndDeployment(self, message.getEndDeployment(), context);
    case protocol::ClientMessage::CONTROL_DEPLOYMENT: {
      const std::string id = message.getControlDeployment().getDeploymentId();
      const DeploymentControl control = ControlOf(message.getControlDeployment().getAction());
      return Submit(
          self, {"deployment:" + id},
          [self, id, control, context] { return DecideControlDeployment(self->state.projections, id, control, context); },
          after);
    }
    case protocol::ClientMessage::KILL_TASK:
      return OnKill(self, message.getKillTask(), context);
    case protocol::ClientMessage::KILL_TASKS:
      return OnKillTasks(self, message.getKillTasks(), context);
    case protocol::ClientMessage::PING:
      return Wire{protocol::AcknowledgedReply(Applied(self->state))};
  }
  return ReplyFor(Status::InvalidArgument("client message of an unknown kind"));
}

}  // namespace regatta::master

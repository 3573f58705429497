// The master's business rules, as pure functions: decide(state, command) ->
// events to append + effects to carry out once they are durable.
//
// The master actor (a thin CAF shell) decodes a message into one of the
// commands below, calls Decide*, appends the events to the log, waits until
// they are durable, applies them to its projections, and only then performs
// the effects (sends RunTask to an agent, acknowledges a status update).
// Nothing here touches a clock, a socket or the log: time and ids come in
// with the CommandContext, so tests state exactly what they expect.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "events/domain/commands.h"
#include "events/event.h"
#include "events/base/status.h"
#include "projections/projection_set.h"

namespace regatta::master {

using domain::AcceptOffer;
using domain::KillTask;
using domain::RegisterAgent;
using domain::RegisterFramework;
using domain::ResourceVector;
using domain::StatusUpdate;
using domain::HealthUpdate;
using domain::TaskReport;
using domain::TaskToLaunch;
using projections::ProjectionSet;

// Who asks, when, and why: stamped on every event a command writes, so the
// log answers an auditor's "who changed what, when and why".
struct CommandContext {
  std::int64_t now_nanos = 0;
  std::string principal = "regatta:master";
  std::string reason;  // in words: "scaled down by the operator"; may be empty
  std::string correlation_id;
  std::function<std::string()> new_id;  // event ids and new agent ids
};

// ------------------------------------------------------------ results

struct Effect {
  enum class Kind {
    kRunTask,          // tell agent_id to start task_id: event `event` is its TaskLaunched
    kKillTask,         // tell agent_id to kill task_id, within grace_seconds
    kAcknowledge,      // tell agent_id its update for task_id arrived
    kAgentRegistered,  // answer the agent with its (possibly new) id
  };
  Kind kind;
  std::string agent_id;
  std::string task_id;
  std::size_t event = 0;       // kRunTask: an index into Outcome::events
  double grace_seconds = 0;    // kKillTask: SIGTERM, then SIGKILL after this long
};

struct Outcome {
  std::vector<EncodedEvent> events;  // append these, atomically, first
  std::vector<Effect> effects;       // then do these
  // What the decision refused to record although the command as a whole
  // went through (a status update that breaks the task lifecycle): the
  // actor logs and counts each, rather than acknowledge it silently.
  std::vector<std::string> refused_updates;
};

// A new agent gets a fresh id; a returning one keeps its id and is
// reconciled: tasks the log says it runs but it does not report become
// LOST, tasks it reports that the log does not know are killed, known tasks
// move to the state it reports (UNREACHABLE -> RUNNING after a partition
// heals), and tasks the log has as KILLING are ordered killed again. Its
// resources must be amounts (domain/resources.h); NotFound (field agentId)
// for an id the log does not know.
[[nodiscard]] Result<Outcome> DecideRegisterAgent(const ProjectionSet& state,
                                                  const RegisterAgent& command,
                                                  const CommandContext& context);

[[nodiscard]] Result<Outcome> DecideRegisterFramework(const ProjectionSet& state,
                                                      const RegisterFramework& command,
                                                      const CommandContext& context);

// Idempotent: a duplicate or late update appends nothing but is still
// acknowledged, so the agent stops resending it. One the lifecycle rejects
// (task_state.h) is acknowledged too, since resending cannot help, and is
// listed in refused_updates.
[[nodiscard]] Result<Outcome> DecideStatusUpdate(const ProjectionSet& state,
                                                 const StatusUpdate& command,
                                                 const CommandContext& context);

// InvalidArgument, naming the task and the field, when the tasks do not fit
// the offer or the agent (resources, ports, duplicate ids).
[[nodiscard]] Result<Outcome> DecideAcceptOffer(const ProjectionSet& state,
                                                const AcceptOffer& command,
                                                const CommandContext& context);

// What a write of an app may require of the app as it stands.
struct AppPreconditions {
  // The app must have been last changed at this revision (HTTP If-Match):
  // FailedPrecondition otherwise, naming the revision it is at.
  std::optional<Revision> if_revision;
  // The app must not exist yet (Marathon's POST /v2/apps): Conflict otherwise.
  bool create_only = false;
  // A new version replaces the app's running deployment (Marathon's
  // ?force=true); without it, a running deployment refuses it (Conflict).
  bool force = false;
};

// Checks a Marathon-style app definition (domain/app_spec_check.h) and
// records it as a new version. InvalidArgument names the field:
// "id: must be an absolute path like /prod/web". The app may not stand where
// a group is or inside another app, and its dependencies must name apps or
// groups and close no cycle (domain/group_paths.h).
[[nodiscard]] Result<Outcome> DecideDefineApp(const ProjectionSet& state, schema::AppSpec::Reader spec,
                                              const std::string& version, const CommandContext& context,
                                              const AppPreconditions& preconditions = {});

// Records a Marathon group write in one atomic batch: GroupDefined for the
// group and each group in it, AppDefined for each app that is new or changed
// (AppScaled when only its instance count did), and, where the spec names
// its apps or groups (hasApps, hasGroups), AppDeleted and GroupDeleted for
// those it no longer lists. Every app id must lie directly in its group and
// every group id directly in its parent; the apps pass CheckAppSpec; the
// dependencies must name apps or groups and close no cycle
// (domain/group_paths.h). InvalidArgument names the field as a path into
// the group ("groups[0].apps[1].cmd"); Conflict for create_only and a group
// that exists.
[[nodiscard]] Result<Outcome> DecideDefineGroup(const ProjectionSet& state, schema::GroupSpec::Reader group,
                                                const std::string& version, const CommandContext& context,
                                                const AppPreconditions& preconditions = {});

// Deletes a group with everything under it: AppDeleted for each live app,
// GroupDeleted for each explicit group. NotFound (field groupId) for a
// group that neither was defined nor is implied by an app's id.
[[nodiscard]] Result<Outcome> DecideDeleteGroup(const ProjectionSet& state, const std::string& group_id,
                                                const CommandContext& context);

// Scales every live app under the group to ceil(instances x factor)
// (Marathon's scaleBy). InvalidArgument (field scaleBy) for a factor that is
// negative or not finite, NotFound (field groupId) for no such group.
[[nodiscard]] Result<Outcome> DecideScaleGroup(const ProjectionSet& state, const std::string& group_id,
                                               double factor, const CommandContext& context);

// A Kubernetes API write: an object's record, and what it changes of the
// app it drives, if any.
struct KubeWrite {
  enum class AppChange : std::uint8_t { kNone, kDefine, kScale, kRemove };
  schema::KubeObjectPut::Reader object;  // kind, namespace and name name it
  bool remove = false;                   // KubeObjectDeleted rather than put
  AppChange app = AppChange::kNone;      // of object.appId
  std::optional<schema::AppSpec::Reader> spec;  // kDefine
  std::uint32_t instances = 0;                  // kScale
};

// Records a Kubernetes API write in one batch: the app's change first
// (AppDefined with its deployment, which replaces a running one as
// Kubernetes rolls to the newest template; AppScaled; AppDeleted), then
// KubeObjectPut or KubeObjectDeleted. Conflict (field metadata.name) for
// create_only and an object that exists; Conflict (field
// metadata.resourceVersion) when the object was put after if_revision;
// NotFound (field metadata.name) deleting or updating an object that does
// not exist; InvalidArgument for a put without kind or name; and the
// app's own refusals as DecideDefineApp gives them.
[[nodiscard]] Result<Outcome> DecideKubeWrite(const ProjectionSet& state, const KubeWrite& write,
                                              const std::string& version, const CommandContext& context,
                                              const AppPreconditions& preconditions = {});

// Deletes a live app (AppDeleted); its framework then kills its tasks.
// NotFound (field appId) for an app that is not live.
[[nodiscard]] Result<Outcome> DecideDeleteApp(const ProjectionSet& state, const std::string& app_id,
                                              const CommandContext& context,
                                              const AppPreconditions& preconditions = {});

// Clears a live app's launch backoff (AppLaunchDelayReset). NotFound (field
// appId) for an app that is not live.
[[nodiscard]] Result<Outcome> DecideResetLaunchDelay(const ProjectionSet& state, const std::string& app_id,
                                                     const CommandContext& context);

// Kills several tasks at once, each as DecideKillTask does; with `scale`,
// each app's instance count drops by the tasks of it killed (AppScaled), so
// none is replaced. NotFound (field taskIds[i]) for a task that is not live.
[[nodiscard]] Result<Outcome> DecideKillTasks(const ProjectionSet& state, const std::vector<std::string>& task_ids,
                                              bool scale, const CommandContext& context);

// NotFound (field appId) for an app that is not live.
[[nodiscard]] Result<Outcome> DecideScaleApp(const ProjectionSet& state, const std::string& app_id,
                                             std::uint32_t instances, const CommandContext& context,
                                             const AppPreconditions& preconditions = {});

// Kills a live task, on behalf of the context's principal and for its
// reason, both of which land in the log with the task's move to KILLING.
// The agent is told to kill it within its app's killGracePeriodSeconds.
//   - a task already KILLING: nothing new to record, the order goes again;
//   - a task UNREACHABLE: its agent cannot hear the order, so it is
//     recorded KILLED now; if the agent comes back with it, reconciliation
//     kills it (a task the log says ended must not keep running).
// NotFound (field taskId) for a task that is not live.
[[nodiscard]] Result<Outcome> DecideKillTask(const ProjectionSet& state, const KillTask& command,
                                             const CommandContext& context);

// An agent's health reports: TaskHealthChanged for each live task of that
// agent whose (healthy, ready) differs from the log's. Reports for tasks
// that ended, or that the agent does not run, are dropped (the agent
// resends nothing once acknowledged).
[[nodiscard]] Result<Outcome> DecideHealthUpdates(const ProjectionSet& state,
                                                  const std::vector<domain::HealthUpdate>& updates,
                                                  const CommandContext& context);

// The deployment controller's verdict on a running deployment: succeeded
// (every step completed), failed (and, with the app's autoRevert, reverted
// to its last stable version: DeploymentReverted keeping the failure's
// message, the stable spec as a new version at the app's current instance
// count, and its deployment), or canceled. A deployment that has already
// ended writes nothing (the verdict came twice). NotFound (field
// deploymentId) for a deployment the log never started.
enum class DeploymentEnd : std::uint8_t { kSucceeded, kFailed, kCanceled };
[[nodiscard]] Result<Outcome> DecideEndDeployment(const ProjectionSet& state, const std::string& deployment_id,
                                                  DeploymentEnd end, const std::string& message,
                                                  const CommandContext& context);

// Pauses, resumes or promotes a running deployment (DeploymentPaused,
// DeploymentPromoted); nothing when it is already so. NotFound (field
// deploymentId) for one the log never started; FailedPrecondition for one
// that has ended, and for a promote of one without canaries.
enum class DeploymentControl : std::uint8_t { kPause, kResume, kPromote };
[[nodiscard]] Result<Outcome> DecideControlDeployment(const ProjectionSet& state, const std::string& deployment_id,
                                                      DeploymentControl control, const CommandContext& context);

// The agent missed its heartbeats: it and its live tasks become UNREACHABLE.
[[nodiscard]] Result<Outcome> DecideAgentUnreachable(const ProjectionSet& state,
                                                     const std::string& agent_id,
                                                     const CommandContext& context);

}  // namespace regatta::master

# Messages between Regatta's actors: master, agents, frameworks. They travel
# as Cap'n Proto bytes inside one CAF message type (actors/protocol/wire.h),
# the same in-process and between processes over CAF's middleman.
# The same evolution rules as events.capnp apply.

@0xd7bb8264ced3c74d;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("regatta::protocol");

using E = import "/regatta/events.capnp";

# ------------------------------------------------------------ agent -> master

struct TaskReport {
  taskId @0 :Text;
  state @1 :E.TaskState;
}

struct RegisterAgent {
  agentId @0 :Text;        # empty on first registration
  hostname @1 :Text;
  address @2 :Text;
  resources @3 :E.Resources;
  attributes @4 :List(E.KeyValue);
  running @5 :List(TaskReport);  # on reregistration: what it runs now
}

struct Heartbeat {
  agentId @0 :Text;
}

struct StatusUpdate {
  taskId @0 :Text;
  agentId @1 :Text;
  state @2 :E.TaskState;
  reason @3 :Text;
  message @4 :Text;
  exitCode @5 :Int32;
}

struct AgentMessage {
  union {
    registerAgent @0 :RegisterAgent;
    heartbeat @1 :Heartbeat;
    statusUpdate @2 :StatusUpdate;
    # Several at once (an agent that launched many tasks): one request, one
    # reply, one group commit. Acknowledged as a whole; an update the
    # master cannot take (a task of another agent) is dropped, not retried.
    statusUpdates @3 :List(StatusUpdate);
    # Health changes its checks found (health_monitor.h), acknowledged as a
    # whole like statusUpdates; the newest per task is resent until then.
    healthUpdates @4 :List(HealthUpdate);
  }
}

struct HealthUpdate {
  taskId @0 :Text;
  agentId @1 :Text;
  healthy @2 :Bool;
  ready @3 :Bool;
  checkIndex @4 :UInt32;
  message @5 :Text;
}

# ------------------------------------------------------------ master -> agent

# Why a request failed, in the order of events/base/status.h's StatusCode,
# so the code a decide step returned reaches every edge unchanged.
enum ReplyCode {
  ok @0;
  invalidArgument @1;
  notFound @2;
  conflict @3;
  corruption @4;
  unavailable @5;        # try again: the log did not take it, a peer is away
  failedPrecondition @6;
  ioError @7;
}

struct Failure {
  code @0 :ReplyCode;
  field @1 :Text;    # the field at fault ("portDefinitions[2].port"), or empty
  message @2 :Text;  # for humans; starts with "<field>: " when a field is named
}

struct MasterReply {
  union {
    registered @0 :Text;     # the agent's id
    acknowledged @1 :Void;
    refused @2 :Text;        # written by older masters: read as InvalidArgument
    unavailable @3 :Text;    # written by older masters: read as Unavailable
    failed @4 :Failure;      # what a master writes for every failure
  }
  # Acknowledged: the revision of the last event the command wrote, or,
  # for one that wrote nothing, the last revision the master had applied.
  # A reader that has applied it sees the command's effect (read-your-writes).
  revision @5 :UInt64;
}

struct RunTask {
  task @0 :E.TaskLaunched;   # placement, resources, ports, labels
  spec @1 :E.AppSpec;        # what to run
}

struct KillTask {
  taskId @0 :Text;
  gracePeriodSeconds @1 :Float64;
}

struct MasterMessage {
  union {
    runTask @0 :RunTask;
    killTask @1 :KillTask;
    runTasks @2 :List(RunTask);   # every task one accept placed on the agent
  }
}

# ------------------------------------------------------------ client -> master

struct ScaleApp {
  appId @0 :Text;
  instances @1 :UInt32;
}

struct ScaleGroup {
  # Every app under the group to ceil(instances x factor) (Marathon's scaleBy).
  groupId @0 :Text;
  factor @1 :Float64;
}

struct KillTasks {
  taskIds @0 :List(Text);
  # Also lower each app's instance count by the tasks of it killed, so none
  # is replaced (Marathon's ?scale=true).
  scale @1 :Bool;
}

struct ClientMessage {
  # What the HTTP APIs (and through them the CLI) ask of the master. The
  # master answers with a MasterReply.
  union {
    defineApp @0 :E.AppSpec;
    scaleApp @1 :ScaleApp;
    killTask @2 :Text;
    ping @5 :Void;
    # Changes nothing; acknowledged at once.
    deleteApp @6 :Text;       # the app id; its tasks are killed
    killTasks @8 :KillTasks;
    resetLaunchDelay @11 :Text;  # the app id (AppLaunchDelayReset)
    defineGroup @12 :E.GroupSpec;
    deleteGroup @13 :Text;       # the group id; its apps and groups go too
    scaleGroup @14 :ScaleGroup;
    # The deployment controller's verdict on a running deployment.
    endDeployment @16 :EndDeployment;
    # An operator's pause, resume or promote (or the controller's
    # autoPromote).
    controlDeployment @17 :ControlDeployment;
    # A Kubernetes object written through its API, with what it changes
    # of the workload model.
    kubeWrite @18 :KubeWrite;
  }
  principal @3 :Text;
  reason @4 :Text;
  # Optimistic concurrency (HTTP If-Match): with hasIfRevision, the command
  # is refused (FailedPrecondition) unless the app it names was last changed
  # at ifRevision.
  hasIfRevision @7 :Bool;
  ifRevision @9 :UInt64;
  # defineApp, defineGroup: refuse (Conflict) if it exists (Marathon's POST).
  createOnly @10 :Bool;
  # defineApp: replace a running deployment of the app (Marathon's
  # ?force=true) rather than refuse (Conflict).
  force @15 :Bool;
}

struct KubeWrite {
  # The object's record and its app's change commit together or not at all.
  # With hasIfRevision (above) the write is refused (Conflict) unless the
  # object was last put at ifRevision: Kubernetes' resourceVersion
  # precondition. With createOnly, refused (Conflict) if the object exists.
  object @0 :E.KubeObjectPut;
  delete @1 :Bool;             # KubeObjectDeleted of the object's kind, namespace and name
  app :union {
    none @2 :Void;             # the object alone (labels, annotations)
    define @3 :E.AppSpec;      # a new version of object.appId: a template change
    scale @4 :UInt32;          # object.appId's instance count alone
    remove @5 :Void;           # object.appId goes with the object
  }
}

struct ControlDeployment {
  deploymentId @0 :Text;
  action @1 :Action;
  enum Action {
    pause @0;
    resume @1;
    promote @2;
  }
}

struct EndDeployment {
  deploymentId @0 :Text;
  outcome @1 :Outcome;
  message @2 :Text;     # failed, canceled: why
  enum Outcome {
    succeeded @0;
    failed @1;          # reverts the app when its upgradeStrategy.autoRevert
    canceled @2;
  }
}

# ------------------------------------------------------------ master -> subscribers

# What the master appended, in log order. No longer sent: the master hands
# its subscribers, which live in its process, the decoded batch itself
# (events/committed_batch.h). Kept, as the schema only grows.
struct CommittedEvent {
  revision @0 :UInt64;
  envelope @1 :Data;   # one flat events.capnp Envelope
}

struct EventBatch {
  events @0 :List(CommittedEvent);
}

# Whether the master holds a live session with an agent: only those are offered.
struct AgentSession {
  agentId @0 :Text;
  connected @1 :Bool;
}

# ------------------------------------------------------------ allocator -> framework

struct Offer {
  offerId @0 :Text;
  agentId @1 :Text;
  resources @2 :E.Resources;   # all of the agent's free resources, ports included
}

struct OfferEvent {
  union {
    offers @0 :List(Offer);
    rescinded @1 :List(Text);  # offer ids no longer valid (agent lost, offer timed out)
    launchFailed @3 :List(Text);  # task ids of an accept the master refused or that came too late
  }
  # The allocator's view of the log when it offered: a framework whose own
  # view is behind it declines rather than plan on stale state.
  revision @2 :UInt64;
}

# ------------------------------------------------------------ framework -> allocator

struct TaskToLaunch {
  taskId @0 :Text;
  appId @1 :Text;
  appVersion @2 :Text;
  resources @3 :E.Resources;
  hostPorts @4 :List(UInt32);
  labels @5 :List(E.KeyValue);
}

struct Decline {
  offerIds @0 :List(Text);
  refuseSeconds @1 :Float64;   # the agent is not offered to this framework again before then
}

struct FrameworkCall {
  frameworkId @0 :Text;
  union {
    subscribe @1 :Text;        # the framework's role
    accept @2 :Accept;
    decline @3 :Decline;
    revive @4 :Void;           # drop this framework's refuse filters and suppression: it has new work
    suppress @5 :Void;         # no offers until the next revive: it has nothing to launch
  }
}

struct Accept {
  offerId @0 :Text;
  tasks @1 :List(TaskToLaunch);
}

# ------------------------------------------------------------ allocator -> master

# A validated accept: the master checks it against the log's state, appends
# the launches, and answers with a MasterReply.
struct Launch {
  frameworkId @0 :Text;
  agentId @1 :Text;
  offered @2 :E.Resources;
  tasks @3 :List(TaskToLaunch);
}

# Regatta's event schema: every state change of the cluster is one Envelope.
#
# This file is published: integrations decode Kafka records and log files with
# it (`capnp decode events.capnp Envelope`). The evolution rules below keep
# every event ever written readable, forever.
#
# EVOLUTION RULES (see docs/events.md)
#  1. Fields, enumerants and union members are only ever ADDED, with the next
#     ordinal. Nothing is removed, renamed in meaning, retyped or renumbered.
#  2. A reader meets union members it does not know (written by a newer
#     Regatta). It skips them and counts them; it never fails on them,
#     unless the envelope says mustUnderstand: then it stops, with an error
#     naming the revision, rather than fold a state it would get wrong.
#  3. The golden files under tests/events/golden/ must keep decoding forever.
#     A change that breaks one of them is a breaking change and is refused.
#  4. Event names are in the past tense: they record what happened.
#  5. `schemaVersion` is bumped when the meaning of existing fields is
#     refined in a way readers must know about; upcasters live in events/.

@0xe2d84e96853358c1;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("regatta::schema");

# ---------------------------------------------------------------- the envelope

struct Envelope {
  # Position in the log, which is the cluster's global revision. The log
  # assigns it: writers leave it 0, and readers receive it from the log
  # (the file log's record header, or the Kafka offset).
  revision @0 :UInt64;

  # A unique id for this event (a UUID, as text), chosen by the writer.
  eventId @1 :Text;

  # Nanoseconds since the Unix epoch, read once by the writer. Replay never
  # reads a clock: this is the only time an event has.
  timeNanos @2 :Int64;

  # Who made the change: a user, a service account, or "regatta:<component>".
  principal @3 :Text;

  # The request this event belongs to (shared by all events of one command).
  correlationId @4 :Text;

  # The command or event that caused this one.
  causationId @5 :Text;

  # Why, in words: "scaled by HPA web", "kubectl rollout undo". Optional.
  reason @6 :Text;

  schemaVersion @7 :UInt16;

  # Set by a writer on an event an older reader must not skip: one whose
  # absence from a fold would leave a state that is wrong, not merely
  # incomplete (Nomad marks its log entries the same way). A reader that
  # does not know the event's type stops at it with an error; one that
  # knows it folds it as usual. Unset (false) on every event so far.
  mustUnderstand @33 :Bool;

  event :union {
    agentRegistered @8 :AgentRegistered;
    agentReregistered @9 :AgentReregistered;
    agentResourcesUpdated @10 :AgentResourcesUpdated;
    agentUnreachable @11 :AgentUnreachable;
    agentGone @12 :AgentGone;

    frameworkRegistered @13 :FrameworkRegistered;
    frameworkRemoved @14 :FrameworkRemoved;

    appDefined @15 :AppDefined;
    appScaled @16 :AppScaled;
    appDeleted @17 :AppDeleted;
    groupDefined @18 :GroupDefined;
    groupDeleted @19 :GroupDeleted;

    deploymentStarted @20 :DeploymentStarted;
    deploymentStepCompleted @21 :DeploymentStepCompleted;
    deploymentSucceeded @22 :DeploymentSucceeded;
    deploymentFailed @23 :DeploymentFailed;
    deploymentCanceled @24 :DeploymentCanceled;
    deploymentReverted @25 :DeploymentReverted;

    taskLaunched @26 :TaskLaunched;
    taskStatusChanged @27 :TaskStatusChanged;
    taskHealthChanged @28 :TaskHealthChanged;

    serviceDefined @29 :ServiceDefined;
    serviceDeleted @30 :ServiceDeleted;

    volumeReserved @31 :VolumeReserved;
    volumeReleased @32 :VolumeReleased;

    appLaunchDelayReset @34 :AppLaunchDelayReset;
    deploymentPaused @35 :DeploymentPaused;
    deploymentPromoted @36 :DeploymentPromoted;

    kubeObjectPut @37 :KubeObjectPut;
    kubeObjectDeleted @38 :KubeObjectDeleted;
  }
}

# ---------------------------------------------------------------- shared types

struct KeyValue {
  key @0 :Text;
  value @1 :Text;
}

struct PortRange {
  # Inclusive on both ends, as Mesos writes them: [31000-32000].
  begin @0 :UInt32;
  end @1 :UInt32;
}

struct Resources {
  cpus @0 :Float64;
  memMb @1 :Float64;
  diskMb @2 :Float64;
  gpus @3 :Float64;
  ports @4 :List(PortRange);
}

# ---------------------------------------------------------------- agents

struct AgentRegistered {
  agentId @0 :Text;
  hostname @1 :Text;
  # Where the agent's actor listens, host:port.
  address @2 :Text;
  resources @3 :Resources;
  # rack, zone, or any key:value; constraints match on these.
  attributes @4 :List(KeyValue);
  version @5 :Text;
}

struct AgentReregistered {
  # The agent came back (after a restart or a partition) with its old id.
  agentId @0 :Text;
  hostname @1 :Text;
  address @2 :Text;
  resources @3 :Resources;
  attributes @4 :List(KeyValue);
  version @5 :Text;
}

struct AgentResourcesUpdated {
  agentId @0 :Text;
  resources @1 :Resources;
}

struct AgentUnreachable {
  agentId @0 :Text;
  lastSeenNanos @1 :Int64;
}

struct AgentGone {
  # Terminal: the agent will not return; its tasks are GONE.
  agentId @0 :Text;
}

# ---------------------------------------------------------------- frameworks

struct FrameworkRegistered {
  frameworkId @0 :Text;
  name @1 :Text;
  role @2 :Text;
  failoverTimeoutSeconds @3 :Float64;
}

struct FrameworkRemoved {
  frameworkId @0 :Text;
}

# ---------------------------------------------------------------- apps, groups

struct AppSpec {
  # A Marathon app definition; Kubernetes Deployments map onto it too.
  id @0 :Text;                # an absolute path: /prod/web
  cmd @1 :Text;               # run by /bin/sh -c when set
  args @2 :List(Text);        # exec'd directly when cmd is empty
  container @3 :ContainerSpec;
  instances @4 :UInt32;       # service: kept running; job: completions needed
  cpus @5 :Float64;
  memMb @6 :Float64;
  diskMb @7 :Float64;
  gpus @8 :Float64;
  env @9 :List(KeyValue);
  labels @10 :List(KeyValue);
  portDefinitions @11 :List(PortDefinition);
  requirePorts @12 :Bool;
  constraints @13 :List(Constraint);
  healthChecks @14 :List(HealthCheck);
  readinessChecks @15 :List(ReadinessCheck);
  upgradeStrategy @16 :UpgradeStrategy;
  backoffSeconds @17 :Float64 = 1.0;
  backoffFactor @18 :Float64 = 1.15;
  maxLaunchDelaySeconds @19 :Float64 = 300.0;
  dependencies @20 :List(Text);
  volumes @21 :List(Volume);
  networking @22 :NetworkMode;
  portMappings @23 :List(PortMapping);
  role @24 :Text;
  killGracePeriodSeconds @25 :Float64 = 3.0;
  kind @26 :WorkloadKind;
  user @27 :Text;
  autoscale @28 :Autoscale;
  # For kind = job: how many failed tasks the job survives. A task that ends
  # FAILED, ERROR, LOST, DROPPED or GONE is retried (with the backoff above)
  # until more than this many have failed; then the job is failed and
  # launches nothing more. Ignored for services, which always restart.
  maxRetries @29 :UInt32 = 3;

  # Marathon fields kept as given (docs/marathon.md says which Regatta acts on).
  acceptedResourceRoles @30 :List(Text);
  fetch @31 :List(FetchUri);
  killSelection @32 :KillSelection;
  unreachableStrategy @33 :UnreachableStrategy;
  executor @34 :Text;
  networkName @35 :Text;     # for networking = container: the network's name
}

struct FetchUri {
  uri @0 :Text;
  extract @1 :Bool = true;
  executable @2 :Bool;
  cache @3 :Bool;
  destPath @4 :Text;
}

enum KillSelection {
  youngestFirst @0;
  oldestFirst @1;
}

struct UnreachableStrategy {
  # Marathon: a task unreachable this long is replaced, and this long later
  # forgotten. disabled: never replaced.
  disabled @0 :Bool;
  inactiveAfterSeconds @1 :Float64 = 0;
  expungeAfterSeconds @2 :Float64 = 0;
  # Set when the app named a strategy; unset, the master's
  # --unreachable-inactive applies.
  given @3 :Bool;
}

enum WorkloadKind {
  service @0;   # long-running: restarted when it exits
  job @1;       # run to completion: retried only when it fails
}

enum NetworkMode {
  host @0;       # shares the agent's network; ports come from the offer
  bridge @1;     # own namespace; portMappings map host ports in
  container @2;  # own namespace and IP per task
}

struct ContainerSpec {
  kind @0 :Kind;
  image @1 :Text;   # OCI image or rootfs path, for kind = oci
  enum Kind {
    process @0;
    oci @1;
  }
  # As the API named it: "DOCKER" or "MESOS" (Marathon), "" otherwise.
  apiType @2 :Text;
  forcePullImage @3 :Bool;
  privileged @4 :Bool;
  parameters @5 :List(KeyValue);
}

struct PortDefinition {
  port @0 :UInt32;     # 0 = any port from the offer
  protocol @1 :Text;   # tcp | udp
  name @2 :Text;
  labels @3 :List(KeyValue);
}

struct PortMapping {
  containerPort @0 :UInt32;
  hostPort @1 :UInt32;
  servicePort @2 :UInt32;
  protocol @3 :Text;
  name @4 :Text;
}

struct Constraint {
  # Marathon's form: [field, operator, value], e.g. ["rack", "GROUP_BY", "3"].
  field @0 :Text;      # "hostname" or an attribute key
  operator @1 :Text;   # UNIQUE CLUSTER GROUP_BY LIKE UNLIKE MAX_PER IS
  value @2 :Text;
}

struct HealthCheck {
  protocol @0 :Protocol;
  path @1 :Text;
  portIndex @2 :UInt32;
  command @3 :Text;
  gracePeriodSeconds @4 :Float64 = 300.0;
  intervalSeconds @5 :Float64 = 60.0;
  timeoutSeconds @6 :Float64 = 20.0;
  maxConsecutiveFailures @7 :UInt32 = 3;
  delaySeconds @8 :Float64 = 15.0;
  port @9 :UInt32;            # a fixed port, instead of portIndex (0: use portIndex)
  ignoreHttp1xx @10 :Bool;
  enum Protocol {
    http @0;
    https @1;
    tcp @2;
    command @3;
  }
}

struct ReadinessCheck {
  name @0 :Text;
  path @1 :Text;
  portName @2 :Text;
  intervalSeconds @3 :Float64 = 30.0;
  timeoutSeconds @4 :Float64 = 10.0;
  httpStatusCodesForReady @5 :List(UInt32);
  protocol @6 :Text;          # HTTP | HTTPS ("" = HTTP)
  preserveLastResponse @7 :Bool;
}

struct UpgradeStrategy {
  kind @0 :Kind;
  # Marathon: minHealthy = ceil(instances * minimumHealthCapacity),
  # maxCapacity = floor(instances * (1 + maximumOverCapacity)).
  minimumHealthCapacity @1 :Float64 = 1.0;
  maximumOverCapacity @2 :Float64 = 1.0;
  # Kubernetes: "25%" or "2"; when set they take precedence.
  maxSurge @3 :Text;
  maxUnavailable @4 :Text;
  progressDeadlineSeconds @5 :Float64 = 600.0;
  # Revert to the previous version when the deadline passes.
  autoRevert @6 :Bool = true;
  # Kubernetes' minReadySeconds: a new instance counts as ready only once
  # it has been ready this long (a version that crashes soon after it
  # starts never replaces a good one).
  minReadySeconds @7 :Float64;
  # Nomad's canaries: this many new instances start beside the old ones,
  # and the rollout goes no further until promoted (POST
  # /v2/deployments/{id}/promote), or by itself once they are all ready
  # with autoPromote.
  canaries @8 :UInt32;
  autoPromote @9 :Bool;
  enum Kind {
    rollingUpdate @0;
    recreate @1;
  }
}

struct Volume {
  kind @0 :Kind;
  containerPath @1 :Text;
  hostPath @2 :Text;        # for kind = host
  sizeMb @3 :Float64;       # for kind = persistent or scratch
  readOnly @4 :Bool;
  enum Kind {
    host @0;
    persistent @1;          # bound to a reservation on one agent
    scratch @2;             # removed with the task's sandbox
  }
}

struct Autoscale {
  # Horizontal autoscaling, as Kubernetes' HPA computes it.
  enabled @0 :Bool;
  minInstances @1 :UInt32;
  maxInstances @2 :UInt32;
  targetCpuUtilization @3 :Float64;
}

struct AppDefined {
  # The app's full spec at this version: history needs no other source.
  spec @0 :AppSpec;
  # The version id, chosen by the writer (an RFC 3339 time, as Marathon).
  version @1 :Text;
}

struct AppScaled {
  appId @0 :Text;
  instances @1 :UInt32;
  previousInstances @2 :UInt32;
}

struct AppDeleted {
  appId @0 :Text;
}

struct AppLaunchDelayReset {
  # The operator cleared the app's launch backoff (Marathon's DELETE
  # /v2/queue/{app}/delay): its next launch need not wait.
  appId @0 :Text;
}

struct GroupDefined {
  # A version of an explicit group (Marathon's POST or PUT /v2/groups). The
  # apps it names are defined by AppDefined events in the same batch or
  # before; groups an app id implies (/prod for /prod/web) write none.
  groupId @0 :Text;
  apps @1 :List(Text);          # the apps directly in it, absolute ids
  dependencies @2 :List(Text);  # absolute ids of apps or groups
  version @3 :Text;
  groups @4 :List(Text);        # the groups directly in it, absolute ids
}

struct GroupDeleted {
  groupId @0 :Text;
}

struct GroupSpec {
  # Not an event: a group write as a command carries it (Marathon's group
  # JSON, ids made absolute). A PUT changes only what it names: without
  # hasApps the group's apps stay as they are; with it they become exactly
  # `apps`, and so on for groups and dependencies.
  id @0 :Text;
  dependencies @1 :List(Text);
  apps @2 :List(AppSpec);
  groups @3 :List(GroupSpec);
  hasDependencies @4 :Bool;
  hasApps @5 :Bool;
  hasGroups @6 :Bool;
}

# ---------------------------------------------------------------- deployments

struct DeploymentAction {
  kind @0 :Kind;
  appId @1 :Text;
  instances @2 :UInt32;
  enum Kind {
    startApplication @0;
    scaleApplication @1;
    restartApplication @2;
    stopApplication @3;
  }
}

struct DeploymentStep {
  actions @0 :List(DeploymentAction);
}

struct DeploymentStarted {
  deploymentId @0 :Text;
  affectedApps @1 :List(Text);
  fromVersion @2 :Text;
  toVersion @3 :Text;
  steps @4 :List(DeploymentStep);
  # Absolute deadline (ns since epoch); 0 = none.
  deadlineNanos @5 :Int64;
  # Set when this deployment reverts a failed one: that deployment's id. A
  # revert that fails in turn does not revert again.
  revertOf @6 :Text;
}

struct DeploymentStepCompleted {
  deploymentId @0 :Text;
  stepIndex @1 :UInt32;
}

struct DeploymentSucceeded {
  deploymentId @0 :Text;
}

struct DeploymentFailed {
  deploymentId @0 :Text;
  message @1 :Text;
}

struct DeploymentCanceled {
  deploymentId @0 :Text;
  message @1 :Text;
}

struct DeploymentPaused {
  # An operator paused (paused) or resumed (not paused) a running
  # deployment: while paused it launches and kills nothing, and its
  # progress deadline does not run.
  deploymentId @0 :Text;
  paused @1 :Bool;
}

# ---------------------------------------------------------------- Kubernetes objects

struct KubeObjectPut {
  # A Kubernetes object as its API last wrote it: the record of what has no
  # home in the workload model (a Deployment's labels, annotations and
  # selector; later Services, autoscalers, namespaces). What runs is still
  # the app's: a Deployment's AppDefined or AppScaled is in the same batch.
  # Its resourceVersion is the revision of this event.
  apiVersion @0 :Text;   # "apps/v1"
  kind @1 :Text;         # "Deployment"
  namespace @2 :Text;
  name @3 :Text;
  uid @4 :Text;          # fixed at creation
  object @5 :Text;       # the object as JSON, without status or resourceVersion
  appId @6 :Text;        # the app it drives, if any: "/default/hello-world"
}

struct KubeObjectDeleted {
  kind @0 :Text;
  namespace @1 :Text;
  name @2 :Text;
}

struct DeploymentPromoted {
  # Its canaries may give way to the rest of the new version (an
  # operator's promote, or autoPromote once every canary is ready).
  deploymentId @0 :Text;
}

struct DeploymentReverted {
  deploymentId @0 :Text;
  # The version the apps went back to.
  toVersion @1 :Text;
  message @2 :Text;
}

# ---------------------------------------------------------------- tasks

enum TaskState {
  # Mesos' task states, in Mesos' order.
  staging @0;
  starting @1;
  running @2;
  killing @3;
  finished @4;
  failed @5;
  killed @6;
  error @7;
  dropped @8;
  lost @9;
  unreachable @10;
  gone @11;
  unknown @12;
}

struct TaskLaunched {
  taskId @0 :Text;
  appId @1 :Text;
  appVersion @2 :Text;
  frameworkId @3 :Text;
  agentId @4 :Text;
  hostname @5 :Text;
  role @6 :Text;
  resources @7 :Resources;    # what the task holds, host ports included
  hostPorts @8 :List(UInt32); # $PORT0.. in order
  ipAddress @9 :Text;         # set when the task has its own namespace
  labels @10 :List(KeyValue);
}

struct TaskStatusChanged {
  taskId @0 :Text;
  agentId @1 :Text;
  state @2 :TaskState;
  reason @3 :Text;      # Mesos-style: REASON_COMMAND_EXECUTOR_FAILED, ...
  message @4 :Text;
  exitCode @5 :Int32;   # meaningful for finished and failed
}

struct TaskHealthChanged {
  taskId @0 :Text;
  healthy @1 :Bool;
  checkIndex @2 :UInt32;
  message @3 :Text;
  # True once the task also passed its readiness checks.
  ready @4 :Bool;
}

# ---------------------------------------------------------------- services

struct ServicePort {
  name @0 :Text;
  port @1 :UInt32;
  targetPort @2 :Text;    # a number or a named port
  protocol @3 :Text;
}

struct ServiceSpec {
  # A Kubernetes-style Service: a stable name for the tasks it selects.
  namespace @0 :Text;
  name @1 :Text;
  selector @2 :List(KeyValue);
  ports @3 :List(ServicePort);
  type @4 :Text;          # ClusterIP | NodePort | LoadBalancer
  clusterIp @5 :Text;
}

struct ServiceDefined {
  spec @0 :ServiceSpec;
}

struct ServiceDeleted {
  namespace @0 :Text;
  name @1 :Text;
}

# ---------------------------------------------------------------- volumes

struct VolumeReserved {
  volumeId @0 :Text;
  agentId @1 :Text;
  role @2 :Text;
  sizeMb @3 :Float64;
  containerPath @4 :Text;
  appId @5 :Text;
}

struct VolumeReleased {
  volumeId @0 :Text;
  agentId @1 :Text;
}

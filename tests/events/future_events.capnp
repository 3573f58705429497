# The Envelope as a newer Regatta might write it: the same fields and union
# members as events/schema/regatta/events.capnp, plus one member this build
# does not know. Tests write events with it to check rule 2 of the evolution
# rules (a reader skips and counts what it does not know).
#
# KEEP IN STEP: fields @0..@7 and @33 and members @8..@32 must match the
# real Envelope exactly (names aside, only ordinals and types decide the layout).
# tests/projections/projection_set_test.cc checks that a known member written
# through this schema reads back the same through the real one.

@0xcf63663682a4c176;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("regatta::future");

using E = import "/regatta/events.capnp";

struct Envelope {
  revision @0 :UInt64;
  eventId @1 :Text;
  timeNanos @2 :Int64;
  principal @3 :Text;
  correlationId @4 :Text;
  causationId @5 :Text;
  reason @6 :Text;
  schemaVersion @7 :UInt16;
  mustUnderstand @33 :Bool;

  event :union {
    agentRegistered @8 :E.AgentRegistered;
    agentReregistered @9 :E.AgentReregistered;
    agentResourcesUpdated @10 :E.AgentResourcesUpdated;
    agentUnreachable @11 :E.AgentUnreachable;
    agentGone @12 :E.AgentGone;

    frameworkRegistered @13 :E.FrameworkRegistered;
    frameworkRemoved @14 :E.FrameworkRemoved;

    appDefined @15 :E.AppDefined;
    appScaled @16 :E.AppScaled;
    appDeleted @17 :E.AppDeleted;
    groupDefined @18 :E.GroupDefined;
    groupDeleted @19 :E.GroupDeleted;

    deploymentStarted @20 :E.DeploymentStarted;
    deploymentStepCompleted @21 :E.DeploymentStepCompleted;
    deploymentSucceeded @22 :E.DeploymentSucceeded;
    deploymentFailed @23 :E.DeploymentFailed;
    deploymentCanceled @24 :E.DeploymentCanceled;
    deploymentReverted @25 :E.DeploymentReverted;

    taskLaunched @26 :E.TaskLaunched;
    taskStatusChanged @27 :E.TaskStatusChanged;
    taskHealthChanged @28 :E.TaskHealthChanged;

    serviceDefined @29 :E.ServiceDefined;
    serviceDeleted @30 :E.ServiceDeleted;

    volumeReserved @31 :E.VolumeReserved;
    volumeReleased @32 :E.VolumeReleased;

    # Room for the members the real schema will add (@34 appLaunchDelayReset
    # so far, mirrored; the rest placeholders): the "newer" member below
    # keeps a discriminant the real schema will not reach for a long time,
    # so the golden file written with it stays unknown to this build.
    appLaunchDelayReset @34 :E.AppLaunchDelayReset;
    reserved35 @35 :Void;
    reserved36 @36 :Void;
    reserved37 @37 :Void;
    reserved38 @38 :Void;
    reserved39 @39 :Void;
    reserved40 @40 :Void;
    reserved41 @41 :Void;
    reserved42 @42 :Void;
    reserved43 @43 :Void;
    reserved44 @44 :Void;
    reserved45 @45 :Void;
    reserved46 @46 :Void;
    reserved47 @47 :Void;
    reserved48 @48 :Void;
    reserved49 @49 :Void;
    reserved50 @50 :Void;
    reserved51 @51 :Void;
    reserved52 @52 :Void;
    reserved53 @53 :Void;
    reserved54 @54 :Void;
    reserved55 @55 :Void;
    reserved56 @56 :Void;
    reserved57 @57 :Void;
    reserved58 @58 :Void;
    reserved59 @59 :Void;
    reserved60 @60 :Void;
    reserved61 @61 :Void;
    reserved62 @62 :Void;
    reserved63 @63 :Void;
    reserved64 @64 :Void;
    reserved65 @65 :Void;
    reserved66 @66 :Void;
    reserved67 @67 :Void;
    reserved68 @68 :Void;
    reserved69 @69 :Void;
    reserved70 @70 :Void;
    reserved71 @71 :Void;
    reserved72 @72 :Void;
    reserved73 @73 :Void;
    reserved74 @74 :Void;
    reserved75 @75 :Void;
    reserved76 @76 :Void;
    reserved77 @77 :Void;
    reserved78 @78 :Void;
    reserved79 @79 :Void;
    reserved80 @80 :Void;
    reserved81 @81 :Void;
    reserved82 @82 :Void;
    reserved83 @83 :Void;
    reserved84 @84 :Void;
    reserved85 @85 :Void;
    reserved86 @86 :Void;
    reserved87 @87 :Void;
    reserved88 @88 :Void;
    reserved89 @89 :Void;
    reserved90 @90 :Void;
    reserved91 @91 :Void;
    reserved92 @92 :Void;
    reserved93 @93 :Void;
    reserved94 @94 :Void;
    reserved95 @95 :Void;
    reserved96 @96 :Void;
    reserved97 @97 :Void;
    reserved98 @98 :Void;
    reserved99 @99 :Void;
    # New in the "future" release: discriminant 91.
    clusterRenamed @100 :Text;
  }
}

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

    # New in the "future" release: the 26th member, discriminant 25.
    clusterRenamed @34 :Text;
  }
}

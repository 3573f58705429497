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
  }
}

# ------------------------------------------------------------ master -> agent

struct MasterReply {
  union {
    registered @0 :Text;     # the agent's id
    acknowledged @1 :Void;
    refused @2 :Text;        # why: the agent's request was invalid
    unavailable @3 :Text;    # why: try again (the log did not take it)
  }
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
  }
}

# ------------------------------------------------------------ client -> master

struct ScaleApp {
  appId @0 :Text;
  instances @1 :UInt32;
}

struct ClientMessage {
  # What `regatta run`, `regatta kill` and the APIs ask of the master. The
  # master answers with a MasterReply (acknowledged, refused or unavailable).
  union {
    defineApp @0 :E.AppSpec;
    scaleApp @1 :ScaleApp;
    killTask @2 :Text;
  }
  principal @3 :Text;
  reason @4 :Text;
}

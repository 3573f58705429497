# Values of Regatta's compacted state topics (<cluster>.state.apps,
# .state.services, .state.agents): the current state of one object, keyed
# by its id, so an integration can bootstrap without replaying history.
# They are derived from the history topic, which stays the only source of
# truth. The same evolution rules as events.capnp apply.

@0xbb9c0b5aac4ff9a2;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("regatta::schema");

using E = import "events.capnp";

struct AppState {
  # The app's current definition, and who last changed it.
  spec @0 :E.AppSpec;
  version @1 :Text;
  instances @2 :UInt32;      # after any scaling since the definition
  revision @3 :UInt64;       # the history revision of the last change
  principal @4 :Text;
  timeNanos @5 :Int64;
}

struct Endpoint {
  taskId @0 :Text;
  host @1 :Text;
  ports @2 :List(UInt32);
  healthy @3 :Bool;
  ready @4 :Bool;
}

struct ServiceState {
  # A Service or an app, with the endpoints that serve it now.
  kind @0 :Kind;
  id @1 :Text;               # "namespace/name" or the app id
  dnsA @2 :Text;
  dnsSrv @3 :List(Text);
  endpoints @4 :List(Endpoint);
  revision @5 :UInt64;
  enum Kind {
    service @0;
    app @1;
  }
}

struct AgentState {
  agentId @0 :Text;
  hostname @1 :Text;
  status @2 :Text;           # active | unreachable | gone
  total @3 :E.Resources;
  used @4 :E.Resources;
  attributes @5 :List(E.KeyValue);
  tasks @6 :UInt64;
  revision @7 :UInt64;
}

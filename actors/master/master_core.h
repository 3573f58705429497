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
#include <string>
#include <utility>
#include <vector>

#include "events/event.h"
#include "events/status.h"
#include "projections/projection_set.h"

namespace regatta::master {

using projections::ProjectionSet;
using projections::ResourceVector;

struct CommandContext {
  std::int64_t now_nanos = 0;
  std::string principal = "regatta:master";
  std::string correlation_id;
  std::function<std::string()> new_id;  // event ids and new agent ids
};

struct PortRange {
  std::uint32_t begin = 0;  // inclusive
  std::uint32_t end = 0;
};

using Attributes = std::vector<std::pair<std::string, std::string>>;

// Resources (and port ranges) as the schema writes them.
void ToSchema(schema::Resources::Builder out, const ResourceVector& resources,
              const std::vector<PortRange>& ports);

// Key-value pairs (attributes, labels) into a list initialized to their size:
// ToSchema(x.initLabels(n), labels).
void ToSchema(capnp::List<schema::KeyValue>::Builder out, const Attributes& pairs);

// ------------------------------------------------------------ commands

struct TaskReport {
  std::string task_id;
  schema::TaskState state = schema::TaskState::RUNNING;
};

struct RegisterAgent {
  std::string agent_id;  // empty: a new agent; set: one coming back
  std::string hostname;
  std::string address;
  ResourceVector resources;
  std::vector<PortRange> ports;
  Attributes attributes;
  std::vector<TaskReport> running;  // what it runs now (reregistration)
};

struct RegisterFramework {
  std::string framework_id;
  std::string name;
  std::string role = "*";
};

struct StatusUpdate {
  std::string task_id;
  std::string agent_id;
  schema::TaskState state = schema::TaskState::RUNNING;
  std::string reason;
  std::string message;
  std::int32_t exit_code = 0;
};

struct TaskToLaunch {
  std::string task_id;
  std::string app_id;
  std::string app_version;
  ResourceVector resources;
  std::vector<std::uint32_t> host_ports;
  Attributes labels;
};

// A framework's answer to an offer: launch these tasks with its resources.
struct AcceptOffer {
  std::string framework_id;
  std::string agent_id;
  ResourceVector offered;
  std::vector<PortRange> offered_ports;
  std::vector<TaskToLaunch> tasks;
};

// ------------------------------------------------------------ results

struct Effect {
  enum class Kind {
    kRunTask,          // tell agent_id to start task_id (spec from the event)
    kKillTask,         // tell agent_id to kill task_id
    kAcknowledge,      // tell agent_id its update for task_id arrived
    kAgentRegistered,  // answer the agent with its (possibly new) id
  };
  Kind kind;
  std::string agent_id;
  std::string task_id;
};

struct Outcome {
  std::vector<EncodedEvent> events;  // append these, atomically, first
  std::vector<Effect> effects;       // then do these
};

// A new agent gets a fresh id; a returning one keeps its id and is
// reconciled: tasks the log says it runs but it does not report become
// LOST, tasks it reports that the log does not know are killed, and known
// tasks move to the state it reports (UNREACHABLE -> RUNNING after a
// partition heals).
[[nodiscard]] Result<Outcome> DecideRegisterAgent(const ProjectionSet& state,
                                                  const RegisterAgent& command,
                                                  const CommandContext& context);

[[nodiscard]] Result<Outcome> DecideRegisterFramework(const ProjectionSet& state,
                                                      const RegisterFramework& command,
                                                      const CommandContext& context);

// Idempotent: a duplicate or late update appends nothing but is still
// acknowledged, so the agent stops resending it.
[[nodiscard]] Result<Outcome> DecideStatusUpdate(const ProjectionSet& state,
                                                 const StatusUpdate& command,
                                                 const CommandContext& context);

// InvalidArgument, naming the task and the field, when the tasks do not fit
// the offer or the agent (resources, ports, duplicate ids).
[[nodiscard]] Result<Outcome> DecideAcceptOffer(const ProjectionSet& state,
                                                const AcceptOffer& command,
                                                const CommandContext& context);

// Checks a Marathon-style app definition and records it as a new version.
// InvalidArgument names the field: "id: must be an absolute path like /prod/web".
[[nodiscard]] Result<Outcome> DecideDefineApp(const ProjectionSet& state, schema::AppSpec::Reader spec,
                                              const std::string& version, const CommandContext& context);

[[nodiscard]] Result<Outcome> DecideScaleApp(const ProjectionSet& state, const std::string& app_id,
                                             std::uint32_t instances, const CommandContext& context);

// The agent missed its heartbeats: it and its live tasks become UNREACHABLE.
[[nodiscard]] Result<Outcome> DecideAgentUnreachable(const ProjectionSet& state,
                                                     const std::string& agent_id,
                                                     const CommandContext& context);

}  // namespace regatta::master

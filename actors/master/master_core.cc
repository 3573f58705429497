#include "actors/master/master_core.h"

#include <algorithm>
#include <set>

#include <capnp/message.h>

#include "actors/scheduling/task_lifecycle.h"
#include "events/codec.h"

namespace regatta::master {
namespace {

using scheduling::Decide;
using scheduling::Decision;
using scheduling::ToTaskPhase;

// Builds the events of one command, all stamped alike.
class Emitter {
 public:
  Emitter(const CommandContext& context, Outcome* out) : context_(context), out_(out) {}

  template <class Fill>
  void Emit(Fill&& fill) {
    EnvelopeStamp stamp;
    stamp.event_id = context_.new_id ? context_.new_id() : "";
    stamp.time_nanos = context_.now_nanos;
    stamp.principal = context_.principal;
    stamp.correlation_id = context_.correlation_id;
    capnp::MallocMessageBuilder message;
    auto envelope = InitEnvelope(message, stamp);
    fill(envelope.initEvent());
    out_->events.push_back(EncodeEnvelope(message));
  }

  void Status(const std::string& task, const std::string& agent, schema::TaskState state,
              const std::string& reason, const std::string& message, std::int32_t exit_code = 0) {
    Emit([&](auto e) {
      auto s = e.initTaskStatusChanged();
      s.setTaskId(task);
      s.setAgentId(agent);
      s.setState(state);
      s.setReason(reason);
      s.setMessage(message);
      s.setExitCode(exit_code);
    });
  }

 private:
  const CommandContext& context_;
  Outcome* out_;
};

template <class Builder>
void FillAgent(Builder a, const std::string& id, const RegisterAgent& command) {
  a.setAgentId(id);
  a.setHostname(command.hostname);
  a.setAddress(command.address);
  ToSchema(a.initResources(), command.resources, command.ports);
  ToSchema(a.initAttributes(static_cast<unsigned>(command.attributes.size())), command.attributes);
}

// The reported task states against the log's, for a returning agent.
void Reconcile(const ProjectionSet& state, const RegisterAgent& command, Emitter& emit,
               Outcome& out) {
  const auto& tasks = state.scheduling().tasks();
  std::set<std::string> reported;
  for (const TaskReport& report : command.running) {
    reported.insert(report.task_id);
    auto known = tasks.find(report.task_id);
    if (known == tasks.end() || known->second.agent_id != command.agent_id) {
      // Unknown to the log (or ended there): it must not keep running.
      out.effects.push_back({Effect::Kind::kKillTask, command.agent_id, report.task_id});
      continue;
    }
    const auto decision = Decide(ToTaskPhase(known->second.state), ToTaskPhase(report.state));
    if (decision.decision == Decision::kApply) {
      emit.Status(report.task_id, command.agent_id, report.state, "REASON_RECONCILIATION",
                  "reported by the agent on reregistration");
    }
  }
  for (const std::string& task : state.scheduling().TasksOn(command.agent_id)) {
    if (!reported.count(task)) {
      emit.Status(task, command.agent_id, schema::TaskState::LOST, "REASON_RECONCILIATION",
                  "the agent came back without this task");
    }
  }
}

Status CheckFits(const std::string& where, const ResourceVector& want, const ResourceVector& have) {
  auto check = [&](const char* name, projections::Quantity w, projections::Quantity h) -> Status {
    if (w.milli() <= h.milli()) return Status::Ok();
    return Status::InvalidArgument(where + "." + name + ": " + std::to_string(w.value()) +
                                   " exceeds the " + std::to_string(h.value()) + " available");
  };
  REGATTA_RETURN_IF_ERROR(check("cpus", want.cpus, have.cpus));
  REGATTA_RETURN_IF_ERROR(check("memMb", want.mem_mb, have.mem_mb));
  REGATTA_RETURN_IF_ERROR(check("diskMb", want.disk_mb, have.disk_mb));
  return check("gpus", want.gpus, have.gpus);
}

bool InRanges(std::uint32_t port, const std::vector<PortRange>& ranges) {
  return std::any_of(ranges.begin(), ranges.end(),
                     [&](const PortRange& r) { return port >= r.begin && port <= r.end; });
}

Status CheckTasks(const ProjectionSet& state, const AcceptOffer& command) {
  std::set<std::string> ids;
  // Ports live tasks on the agent hold are taken, whatever a stale offer says.
  std::set<std::uint32_t> held;
  for (const std::string& task : state.scheduling().TasksOn(command.agent_id)) {
    for (std::uint32_t port : state.scheduling().tasks().find(task)->second.host_ports) held.insert(port);
  }
  std::set<std::uint32_t> ports;
  ResourceVector total;
  for (std::size_t i = 0; i < command.tasks.size(); ++i) {
    const TaskToLaunch& task = command.tasks[i];
    const std::string where = "tasks[" + std::to_string(i) + "]";
    if (task.task_id.empty() || task.app_id.empty()) {
      return Status::InvalidArgument(where + ": taskId and appId are required");
    }
    if (!ids.insert(task.task_id).second || state.scheduling().tasks().count(task.task_id)) {
      return Status::InvalidArgument(where + ".taskId: " + task.task_id + " is already in use");
    }
    for (std::uint32_t port : task.host_ports) {
      if (!InRanges(port, command.offered_ports)) {
        return Status::InvalidArgument(where + ".hostPorts: " + std::to_string(port) + " is not in the offer");
      }
      if (!ports.insert(port).second) {
        return Status::InvalidArgument(where + ".hostPorts: " + std::to_string(port) + " is used twice");
      }
      if (held.count(port)) {
        return Status::InvalidArgument(where + ".hostPorts: " + std::to_string(port) +
                                       " is held by a running task on the agent");
      }
    }
    total += task.resources;
    REGATTA_RETURN_IF_ERROR(CheckFits(where, total, command.offered));
  }
  return Status::Ok();
}

}  // namespace

void ToSchema(capnp::List<schema::KeyValue>::Builder out, const Attributes& pairs) {
  for (unsigned i = 0; i < pairs.size(); ++i) {
    out[i].setKey(pairs[i].first);
    out[i].setValue(pairs[i].second);
  }
}

void ToSchema(schema::Resources::Builder out, const ResourceVector& r, const std::vector<PortRange>& ports) {
  out.setCpus(r.cpus.value());
  out.setMemMb(r.mem_mb.value());
  out.setDiskMb(r.disk_mb.value());
  out.setGpus(r.gpus.value());
  auto list = out.initPorts(static_cast<unsigned>(ports.size()));
  for (unsigned i = 0; i < ports.size(); ++i) {
    list[i].setBegin(ports[i].begin);
    list[i].setEnd(ports[i].end);
  }
}

Result<Outcome> DecideRegisterAgent(const ProjectionSet& state, const RegisterAgent& command,
                                    const CommandContext& context) {
  if (command.hostname.empty()) return Status::InvalidArgument("hostname: required");
  Outcome out;
  Emitter emit(context, &out);
  const auto& agents = state.scheduling().agents();
  const bool returning = !command.agent_id.empty() && agents.count(command.agent_id);
  if (!command.agent_id.empty() && !returning) {
    return Status::NotFound("agentId: " + command.agent_id + " is not known; register without an id");
  }
  const std::string id = returning ? command.agent_id : (context.new_id ? context.new_id() : "");
  if (id.empty()) return Status::FailedPrecondition("no id source to name a new agent");
  if (returning) {
    emit.Emit([&](auto e) { FillAgent(e.initAgentReregistered(), id, command); });
    Reconcile(state, command, emit, out);
  } else {
    emit.Emit([&](auto e) { FillAgent(e.initAgentRegistered(), id, command); });
  }
  out.effects.push_back({Effect::Kind::kAgentRegistered, id, ""});
  return out;
}

Result<Outcome> DecideRegisterFramework(const ProjectionSet& state, const RegisterFramework& command,
                                        const CommandContext& context) {
  if (command.framework_id.empty()) return Status::InvalidArgument("frameworkId: required");
  Outcome out;
  auto known = state.scheduling().frameworks().find(command.framework_id);
  if (known != state.scheduling().frameworks().end() && known->second.active &&
      known->second.role == command.role) {
    return out;  // already registered as asked: nothing to record
  }
  Emitter(context, &out).Emit([&](auto e) {
    auto f = e.initFrameworkRegistered();
    f.setFrameworkId(command.framework_id);
    f.setName(command.name.empty() ? command.framework_id : command.name);
    f.setRole(command.role);
  });
  return out;
}

Result<Outcome> DecideStatusUpdate(const ProjectionSet& state, const StatusUpdate& command,
                                   const CommandContext& context) {
  if (command.task_id.empty()) return Status::InvalidArgument("taskId: required");
  Outcome out;
  out.effects.push_back({Effect::Kind::kAcknowledge, command.agent_id, command.task_id});
  const auto& tasks = state.scheduling().tasks();
  auto known = tasks.find(command.task_id);
  if (known == tasks.end()) {
    // Ended already (a late duplicate), or never launched by this master:
    // a task nobody accounts for must not keep running.
    if (!scheduling::IsTerminal(ToTaskPhase(command.state))) {
      out.effects.push_back({Effect::Kind::kKillTask, command.agent_id, command.task_id});
    }
    return out;
  }
  if (known->second.agent_id != command.agent_id) {
    return Status::InvalidArgument("agentId: task " + command.task_id + " runs on " +
                                   known->second.agent_id + ", not " + command.agent_id);
  }
  const auto decision = Decide(ToTaskPhase(known->second.state), ToTaskPhase(command.state));
  if (decision.decision == Decision::kApply) {
    Emitter(context, &out).Status(command.task_id, command.agent_id, command.state, command.reason,
                                  command.message, command.exit_code);
  }
  return out;
}

Result<Outcome> DecideAcceptOffer(const ProjectionSet& state, const AcceptOffer& command,
                                  const CommandContext& context) {
  const auto& sched = state.scheduling();
  auto agent = sched.agents().find(command.agent_id);
  if (agent == sched.agents().end() || agent->second.status != projections::AgentStatus::kActive) {
    return Status::FailedPrecondition("agentId: " + command.agent_id + " is not an active agent");
  }
  auto framework = sched.frameworks().find(command.framework_id);
  if (framework == sched.frameworks().end() || !framework->second.active) {
    return Status::FailedPrecondition("frameworkId: " + command.framework_id + " is not registered");
  }
  // The offer must still be free on the agent: the log is the authority.
  ResourceVector free = agent->second.total;
  free -= agent->second.used;
  REGATTA_RETURN_IF_ERROR(CheckFits("offer", command.offered, free));
  REGATTA_RETURN_IF_ERROR(CheckTasks(state, command));
  Outcome out;
  Emitter emit(context, &out);
  for (const TaskToLaunch& task : command.tasks) {
    emit.Emit([&](auto e) {
      auto l = e.initTaskLaunched();
      l.setTaskId(task.task_id);
      l.setAppId(task.app_id);
      l.setAppVersion(task.app_version);
      l.setFrameworkId(command.framework_id);
      l.setAgentId(command.agent_id);
      l.setHostname(agent->second.hostname);
      l.setRole(framework->second.role);
      ToSchema(l.initResources(), task.resources, {});
      auto ports = l.initHostPorts(static_cast<unsigned>(task.host_ports.size()));
      for (unsigned i = 0; i < task.host_ports.size(); ++i) ports.set(i, task.host_ports[i]);
      ToSchema(l.initLabels(static_cast<unsigned>(task.labels.size())), task.labels);
    });
    out.effects.push_back({Effect::Kind::kRunTask, command.agent_id, task.task_id});
  }
  return out;
}

namespace {

Status CheckAppId(const std::string& id) {
  const Status bad = Status::InvalidArgument(
      "id: '" + id + "' must be an absolute path of lowercase letters, digits, '-' and '.', like /prod/web");
  if (id.size() < 2 || id[0] != '/' || id.back() == '/') return bad;
  for (std::size_t i = 1; i < id.size(); ++i) {
    const char c = id[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
                    (c == '/' && id[i - 1] != '/');
    if (!ok) return bad;
  }
  return Status::Ok();
}

// Ports are 16-bit; with requirePorts each nonzero port is a host port the
// task must get, so one app cannot name the same one twice.
Status CheckPortDefinitions(schema::AppSpec::Reader spec) {
  std::set<std::uint32_t> required;
  const auto definitions = spec.getPortDefinitions();
  for (unsigned i = 0; i < definitions.size(); ++i) {
    const std::uint32_t port = definitions[i].getPort();
    const std::string field = "portDefinitions[" + std::to_string(i) + "].port";
    if (port > 65535) return Status::InvalidArgument(field + ": " + std::to_string(port) + " is not a port");
    if (spec.getRequirePorts() && port != 0 && !required.insert(port).second) {
      return Status::InvalidArgument(field + ": host port " + std::to_string(port) + " is required twice");
    }
  }
  return Status::Ok();
}

Status CheckSpec(schema::AppSpec::Reader spec) {
  REGATTA_RETURN_IF_ERROR(CheckAppId(spec.getId()));
  if (spec.getCmd().size() == 0 && spec.getArgs().size() == 0) {
    return Status::InvalidArgument("cmd: an app needs cmd or args");
  }
  if (!(spec.getCpus() > 0)) return Status::InvalidArgument("cpus: must be greater than 0");
  if (!(spec.getMemMb() > 0)) return Status::InvalidArgument("mem: must be greater than 0");
  if (spec.getDiskMb() < 0) return Status::InvalidArgument("disk: must not be negative");
  if (spec.getKind() == schema::WorkloadKind::JOB && spec.getInstances() == 0) {
    return Status::InvalidArgument("instances: a job needs at least one completion");
  }
  return CheckPortDefinitions(spec);
}

const projections::AppHistory* LiveApp(const ProjectionSet& state, const std::string& id) {
  auto it = state.history().apps().find(id);
  return it == state.history().apps().end() || it->second.deleted ? nullptr : &it->second;
}

}  // namespace

Result<Outcome> DecideDefineApp(const ProjectionSet&, schema::AppSpec::Reader spec, const std::string& version,
                                const CommandContext& context) {
  REGATTA_RETURN_IF_ERROR(CheckSpec(spec));
  Outcome out;
  Emitter(context, &out).Emit([&](auto e) {
    auto defined = e.initAppDefined();
    defined.setSpec(spec);
    defined.setVersion(version);
  });
  return out;
}

Result<Outcome> DecideScaleApp(const ProjectionSet& state, const std::string& app_id, std::uint32_t instances,
                               const CommandContext& context) {
  const projections::AppHistory* app = LiveApp(state, app_id);
  if (app == nullptr) return Status::NotFound("appId: no app " + app_id);
  Outcome out;
  const std::uint32_t previous = app->changes.back().instances;
  if (previous == instances) return out;
  Emitter(context, &out).Emit([&](auto e) {
    auto scaled = e.initAppScaled();
    scaled.setAppId(app_id);
    scaled.setInstances(instances);
    scaled.setPreviousInstances(previous);
  });
  return out;
}

Result<Outcome> DecideAgentUnreachable(const ProjectionSet& state, const std::string& agent_id,
                                       const CommandContext& context) {
  auto agent = state.scheduling().agents().find(agent_id);
  if (agent == state.scheduling().agents().end()) return Status::NotFound("agentId: " + agent_id);
  Outcome out;
  if (agent->second.status != projections::AgentStatus::kActive) return out;  // already recorded
  Emitter emit(context, &out);
  emit.Emit([&](auto e) {
    auto u = e.initAgentUnreachable();
    u.setAgentId(agent_id);
    u.setLastSeenNanos(agent->second.updated_nanos);
  });
  for (const std::string& task : state.scheduling().TasksOn(agent_id)) {
    const auto& info = state.scheduling().tasks().find(task)->second;
    if (Decide(ToTaskPhase(info.state), scheduling::TaskPhase::kUnreachable).decision == Decision::kApply) {
      emit.Status(task, agent_id, schema::TaskState::UNREACHABLE, "REASON_AGENT_UNREACHABLE",
                  "the agent missed its heartbeats");
    }
  }
  return out;
}

}  // namespace regatta::master

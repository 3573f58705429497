#include "actors/master/master_core.h"

#include <algorithm>
#include <map>
#include <set>

#include <capnp/message.h>

#include "actors/master/deployment_rules.h"
#include "actors/master/emitter.h"
#include "actors/master/group_rules.h"
#include "events/codec.h"
#include "events/domain/app_spec_check.h"

namespace regatta::master {
namespace {

using domain::DecideTransition;
using domain::PortRange;
using domain::TaskState;
using domain::Transition;

template <class Builder>
void FillAgent(Builder a, const std::string& id, const RegisterAgent& command) {
  a.setAgentId(id);
  a.setHostname(command.hostname);
  a.setAddress(command.address);
  domain::ToSchema(a.initResources(), command.resources, command.ports);
  domain::ToSchema(a.initAttributes(static_cast<unsigned>(command.attributes.size())), command.attributes);
}

// An order to kill `task` on `agent`, with its app's grace period (Marathon's
// default of 3 s for a task whose app is gone).
Effect KillEffect(const ProjectionSet& state, const std::string& agent, const std::string& task,
                  const std::string& app_id) {
  const domain::AppDefinition* app = state.history().Current(app_id);
  Effect kill{Effect::Kind::kKillTask, agent, task};
  kill.grace_seconds = app != nullptr ? app->kill_grace_seconds : 3.0;
  return kill;
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
      out.effects.push_back(KillEffect(state, command.agent_id, report.task_id, ""));
      continue;
    }
    if (known->second.state == TaskState::KILLING && !domain::IsTerminal(report.state)) {
      // The kill was recorded while the agent was away: order it again.
      out.effects.push_back(KillEffect(state, command.agent_id, report.task_id, known->second.app_id));
      continue;
    }
    const auto decision = DecideTransition(known->second.state, report.state);
    if (decision.decision == Transition::kApply) {
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
  auto check = [&](const char* name, domain::Quantity w, domain::Quantity h) -> Status {
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
    for (auto amount : {task.resources.cpus, task.resources.mem_mb, task.resources.disk_mb, task.resources.gpus}) {
      if (amount.milli() < 0) return Status::InvalidField(where + ".resources", "amounts must not be negative");
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

Status CheckAgentResources(const RegisterAgent& command) {
  const ResourceVector& r = command.resources;
  const std::pair<const char*, domain::Quantity> amounts[] = {
      {"resources.cpus", r.cpus}, {"resources.mem", r.mem_mb}, {"resources.disk", r.disk_mb}, {"resources.gpus", r.gpus}};
  for (const auto& [field, amount] : amounts) {
    REGATTA_RETURN_IF_ERROR(domain::CheckResourceAmount(field, amount.value()));
  }
  return domain::CheckPortRanges("resources.ports", command.ports);
}

}  // namespace

Result<Outcome> DecideRegisterAgent(const ProjectionSet& state, const RegisterAgent& command,
                                    const CommandContext& context) {
  if (command.hostname.empty()) return Status::InvalidField("hostname", "required");
  REGATTA_RETURN_IF_ERROR(CheckAgentResources(command));
  Outcome out;
  Emitter emit(context, &out);
  const auto& agents = state.scheduling().agents();
  const bool returning = !command.agent_id.empty() && agents.count(command.agent_id);
  if (!command.agent_id.empty() && !returning) {
    return Status::Field(StatusCode::kNotFound, "agentId", command.agent_id + " is not known; register without an id");
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
  if (command.framework_id.empty()) return Status::InvalidField("frameworkId", "required");
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
  if (command.task_id.empty()) return Status::InvalidField("taskId", "required");
  Outcome out;
  out.effects.push_back({Effect::Kind::kAcknowledge, command.agent_id, command.task_id});
  const auto& tasks = state.scheduling().tasks();
  auto known = tasks.find(command.task_id);
  if (known == tasks.end()) {
    // Ended already (a late duplicate), or never launched by this master:
    // a task nobody accounts for must not keep running.
    if (!domain::IsTerminal(command.state)) {
      out.effects.push_back(KillEffect(state, command.agent_id, command.task_id, ""));
    }
    return out;
  }
  if (known->second.agent_id != command.agent_id) {
    return Status::InvalidField("agentId", "task " + command.task_id + " runs on " + known->second.agent_id +
                                               ", not " + command.agent_id);
  }
  const auto decision = DecideTransition(known->second.state, command.state);
  if (decision.decision == Transition::kApply) {
    Emitter(context, &out).Status(command.task_id, command.agent_id, command.state, command.reason,
                                  command.message, command.exit_code);
  } else if (decision.decision == Transition::kReject) {
    out.refused_updates.push_back("task " + command.task_id + ": " + domain::TaskStateName(known->second.state) +
                                  " -> " + domain::TaskStateName(command.state) + ": " + decision.reason);
  }
  return out;
}

Result<Outcome> DecideHealthUpdates(const ProjectionSet& state, const std::vector<HealthUpdate>& updates,
                                    const CommandContext& context) {
  Outcome out;
  Emitter emit(context, &out);
  for (const HealthUpdate& u : updates) {
    auto known = state.scheduling().tasks().find(u.task_id);
    if (known == state.scheduling().tasks().end() || known->second.agent_id != u.agent_id) continue;
    const projections::TaskInfo& task = known->second;
    if (task.health_reported && task.healthy == u.healthy && task.ready == u.ready) continue;
    emit.Emit([&](auto e) {
      auto h = e.initTaskHealthChanged();
      h.setTaskId(u.task_id);
      h.setHealthy(u.healthy);
      h.setReady(u.ready);
      h.setCheckIndex(u.check_index);
      h.setMessage(u.message);
    });
  }
  return out;
}

Result<Outcome> DecideAcceptOffer(const ProjectionSet& state, const AcceptOffer& command,
                                  const CommandContext& context) {
  const auto& sched = state.scheduling();
  auto agent = sched.agents().find(command.agent_id);
  if (agent == sched.agents().end() || agent->second.status != projections::AgentStatus::kActive) {
    return Status::Field(StatusCode::kFailedPrecondition, "agentId", command.agent_id + " is not an active agent");
  }
  auto framework = sched.frameworks().find(command.framework_id);
  if (framework == sched.frameworks().end() || !framework->second.active) {
    return Status::Field(StatusCode::kFailedPrecondition, "frameworkId",
                         command.framework_id + " is not registered");
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
      domain::ToSchema(l.initResources(), task.resources);
      auto ports = l.initHostPorts(static_cast<unsigned>(task.host_ports.size()));
      for (unsigned i = 0; i < task.host_ports.size(); ++i) ports.set(i, task.host_ports[i]);
      domain::ToSchema(l.initLabels(static_cast<unsigned>(task.labels.size())), task.labels);
    });
    Effect run{Effect::Kind::kRunTask, command.agent_id, task.task_id};
    run.event = out.events.size() - 1;
    out.effects.push_back(run);
  }
  return out;
}

namespace {

Status CheckPreconditions(const ProjectionSet& state, const std::string& app_id, const AppPreconditions& p) {
  const domain::AppDefinition* current = state.history().Current(app_id);
  if (p.create_only && current != nullptr) {
    return Status::Field(StatusCode::kConflict, "id", "An app with id [" + app_id + "] already exists.");
  }
  if (p.if_revision) {
    const std::optional<Revision> at = state.history().AppRevision(app_id);
    if (!at || *at != *p.if_revision) {
      return Status::Field(StatusCode::kFailedPrecondition, "If-Match",
                           "the app is at revision " + (at ? std::to_string(*at) : std::string("none")) + ", not " +
                               std::to_string(*p.if_revision));
    }
  }
  return Status::Ok();
}

}  // namespace

Result<Outcome> DecideDefineApp(const ProjectionSet& state, schema::AppSpec::Reader spec, const std::string& version,
                                const CommandContext& context, const AppPreconditions& preconditions) {
  REGATTA_RETURN_IF_ERROR(domain::CheckAppSpec(spec));
  const std::string id(spec.getId().cStr(), spec.getId().size());
  REGATTA_RETURN_IF_ERROR(CheckPreconditions(state, id, preconditions));
  REGATTA_RETURN_IF_ERROR(CheckAppPlace(state, id));
  REGATTA_RETURN_IF_ERROR(CheckAppDependencies(state, spec));
  REGATTA_RETURN_IF_ERROR(CheckDeploymentLock(state, id, preconditions.force));
  Outcome out;
  Emitter emit(context, &out);
  emit.Emit([&](auto e) {
    auto defined = e.initAppDefined();
    defined.setSpec(spec);
    defined.setVersion(version);
  });
  EmitDeploymentStart(state, spec, version, "", context, emit);
  return out;
}

Result<Outcome> DecideScaleApp(const ProjectionSet& state, const std::string& app_id, std::uint32_t instances,
                               const CommandContext& context, const AppPreconditions& preconditions) {
  const domain::AppDefinition* app = state.history().Current(app_id);
  if (app == nullptr) return Status::Field(StatusCode::kNotFound, "appId", "no app " + app_id);
  REGATTA_RETURN_IF_ERROR(CheckPreconditions(state, app_id, preconditions));
  Outcome out;
  const std::uint32_t previous = app->instances;
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
  if (agent == state.scheduling().agents().end()) return Status::Field(StatusCode::kNotFound, "agentId", agent_id);
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
    if (DecideTransition(info.state, TaskState::UNREACHABLE).decision == Transition::kApply) {
      emit.Status(task, agent_id, schema::TaskState::UNREACHABLE, "REASON_AGENT_UNREACHABLE",
                  "the agent missed its heartbeats");
    }
  }
  return out;
}

Result<Outcome> DecideKillTask(const ProjectionSet& state, const KillTask& command, const CommandContext& context) {
  const auto& tasks = state.scheduling().tasks();
  auto task = tasks.find(command.task_id);
  if (task == tasks.end()) return Status::Field(StatusCode::kNotFound, "taskId", "no live task " + command.task_id);
  const projections::TaskInfo& info = task->second;
  Outcome out;
  if (info.state == TaskState::UNREACHABLE) {
    Emitter(context, &out).Status(command.task_id, info.agent_id, TaskState::KILLED, "REASON_KILLED_WHILE_UNREACHABLE",
                                  "killed while its agent was unreachable; killed again if it comes back");
    return out;
  }
  if (info.state != TaskState::KILLING) {
    Emitter(context, &out).Status(command.task_id, info.agent_id, TaskState::KILLING, "", "kill requested");
  }
  out.effects.push_back(KillEffect(state, info.agent_id, command.task_id, info.app_id));
  return out;
}

Result<Outcome> DecideDeleteApp(const ProjectionSet& state, const std::string& app_id, const CommandContext& context,
                                const AppPreconditions& preconditions) {
  if (state.history().Current(app_id) == nullptr) {
    return Status::Field(StatusCode::kNotFound, "appId", "App '" + app_id + "' does not exist");
  }
  REGATTA_RETURN_IF_ERROR(CheckPreconditions(state, app_id, preconditions));
  Outcome out;
  Emitter(context, &out).Emit([&](auto e) { e.initAppDeleted().setAppId(app_id); });
  return out;
}

Result<Outcome> DecideResetLaunchDelay(const ProjectionSet& state, const std::string& app_id,
                                       const CommandContext& context) {
  if (state.history().Current(app_id) == nullptr) {
    return Status::Field(StatusCode::kNotFound, "appId", "App '" + app_id + "' does not exist");
  }
  Outcome out;
  Emitter(context, &out).Emit([&](auto e) { e.initAppLaunchDelayReset().setAppId(app_id); });
  return out;
}

Result<Outcome> DecideKillTasks(const ProjectionSet& state, const std::vector<std::string>& task_ids, bool scale,
                                const CommandContext& context) {
  Outcome all;
  std::map<std::string, std::uint32_t> killed_by_app;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < task_ids.size(); ++i) {
    if (!seen.insert(task_ids[i]).second) continue;
    auto one = DecideKillTask(state, {task_ids[i]}, context);
    if (!one.ok()) {
      return Status::Field(one.status().code(), "taskIds[" + std::to_string(i) + "]", one.status().reason());
    }
    const std::size_t first = all.events.size();
    for (auto& e : one->events) all.events.push_back(std::move(e));
    for (auto& e : one->effects) {
      if (e.kind == Effect::Kind::kRunTask) e.event += first;
      all.effects.push_back(std::move(e));
    }
    ++killed_by_app[state.scheduling().tasks().find(task_ids[i])->second.app_id];
  }
  if (!scale) return all;
  Emitter emit(context, &all);
  for (const auto& entry : killed_by_app) {
    const std::string& app_id = entry.first;  // named, not bound: clang 14 lambdas cannot capture a binding
    const std::uint32_t killed = entry.second;
    const domain::AppDefinition* app = state.history().Current(app_id);
    if (app == nullptr) continue;  // its tasks outlived it: nothing to scale
    const std::uint32_t instances = app->instances > killed ? app->instances - killed : 0;
    emit.Emit([&](auto e) {
      auto scaled = e.initAppScaled();
      scaled.setAppId(app_id);
      scaled.setInstances(instances);
      scaled.setPreviousInstances(app->instances);
    });
  }
  return all;
}

}  // namespace regatta::master

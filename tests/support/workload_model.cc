#include "tests/support/workload_model.h"

#include <capnp/message.h>

#include <cstdio>
#include <ctime>

namespace regatta::testing::workload {
namespace {

template <class Fill>
EncodedEvent Make(const EnvelopeStamp& stamp, Fill&& fill) {
  capnp::MallocMessageBuilder message;
  fill(InitEnvelope(message, stamp).initEvent());
  return EncodeEnvelope(message);
}

template <class AgentBuilder>
void FillAgent(AgentBuilder a, const AgentState& agent) {
  a.setAgentId(agent.id);
  a.setHostname(agent.id + ".cluster.local");
  a.setAddress(agent.address);
  a.setVersion("0.1.0");
  auto r = a.initResources();
  r.setCpus(kAgentMillicpus / 1000.0);
  r.setMemMb(kAgentMemMb);
  r.setDiskMb(500'000);
  auto ports = r.initPorts(1);
  ports[0].setBegin(kPortBegin);
  ports[0].setEnd(kPortEnd);
  auto attributes = a.initAttributes(1);
  attributes[0].setKey("zone");
  attributes[0].setValue(agent.zone);
}

void SetAppLabel(capnp::List<schema::KeyValue>::Builder labels, const std::string& app_id) {
  labels[0].setKey("app");
  labels[0].setValue(app_id);
}

}  // namespace

std::string Rfc3339(std::int64_t nanos) {
  const std::time_t seconds = nanos / 1'000'000'000;
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[48];
  const std::size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(text + n, sizeof text - n, ".%03dZ", static_cast<int>(nanos / 1'000'000 % 1000));
  return text;
}

EncodedEvent AgentRegisteredEvent(const EnvelopeStamp& stamp, const AgentState& agent,
                                  bool reregistered) {
  return Make(stamp, [&](auto e) {
    if (reregistered) return FillAgent(e.initAgentReregistered(), agent);
    FillAgent(e.initAgentRegistered(), agent);
  });
}

EncodedEvent AgentUnreachableEvent(const EnvelopeStamp& stamp, const AgentState& agent) {
  return Make(stamp, [&](auto e) {
    auto u = e.initAgentUnreachable();
    u.setAgentId(agent.id);
    u.setLastSeenNanos(stamp.time_nanos - 75'000'000'000);  // Mesos' default ping timeout
  });
}

EncodedEvent FrameworkRegisteredEvent(const EnvelopeStamp& stamp) {
  return Make(stamp, [&](auto e) {
    auto f = e.initFrameworkRegistered();
    f.setFrameworkId(kFramework);
    f.setName(kFramework);
    f.setRole("*");
    f.setFailoverTimeoutSeconds(604'800);
  });
}

EncodedEvent AppDefinedEvent(const EnvelopeStamp& stamp, const AppState& app) {
  return Make(stamp, [&](auto e) {
    auto d = e.initAppDefined();
    d.setVersion(app.version);
    auto spec = d.initSpec();
    spec.setId(app.id);
    spec.setCmd("exec ./server --port $PORT0");
    spec.setInstances(app.instances);
    spec.setCpus(app.millicpus / 1000.0);
    spec.setMemMb(app.mem_mb);
    spec.setRole(app.role);
    auto ports = spec.initPortDefinitions(1);
    ports[0].setName("http");
    ports[0].setProtocol("tcp");
    SetAppLabel(spec.initLabels(1), app.id);
    spec.initHealthChecks(1)[0].setPath("/healthz");
  });
}

EncodedEvent AppScaledEvent(const EnvelopeStamp& stamp, const AppState& app,
                            std::uint32_t previous) {
  return Make(stamp, [&](auto e) {
    auto s = e.initAppScaled();
    s.setAppId(app.id);
    s.setInstances(app.instances);
    s.setPreviousInstances(previous);
  });
}

EncodedEvent ServiceDefinedEvent(const EnvelopeStamp& stamp, const ServiceModel& service,
                                 const AppState& app) {
  return Make(stamp, [&](auto e) {
    auto spec = e.initServiceDefined().initSpec();
    spec.setNamespace(service.ns);
    spec.setName(service.name);
    SetAppLabel(spec.initSelector(1), app.id);
    auto port = spec.initPorts(1)[0];
    port.setName("http");
    port.setPort(80);
    port.setTargetPort("http");
    port.setProtocol("TCP");
    spec.setType("ClusterIP");
  });
}

EncodedEvent ServiceDeletedEvent(const EnvelopeStamp& stamp, const ServiceModel& service) {
  return Make(stamp, [&](auto e) {
    auto d = e.initServiceDeleted();
    d.setNamespace(service.ns);
    d.setName(service.name);
  });
}

EncodedEvent TaskLaunchedEvent(const EnvelopeStamp& stamp, const TaskModel& task,
                               const AppState& app, const AgentState& agent) {
  return Make(stamp, [&](auto e) {
    auto l = e.initTaskLaunched();
    l.setTaskId(task.id);
    l.setAppId(app.id);
    l.setAppVersion(app.version);
    l.setFrameworkId(kFramework);
    l.setAgentId(agent.id);
    l.setHostname(agent.id + ".cluster.local");
    l.setRole(app.role);
    auto r = l.initResources();
    r.setCpus(app.millicpus / 1000.0);
    r.setMemMb(app.mem_mb);
    auto range = r.initPorts(1)[0];
    range.setBegin(task.port);
    range.setEnd(task.port);
    l.initHostPorts(1).set(0, task.port);
    SetAppLabel(l.initLabels(1), app.id);
  });
}

EncodedEvent TaskStatusEvent(const EnvelopeStamp& stamp, const TaskModel& task,
                             const AgentState& agent, const std::string& reason,
                             std::int32_t exit_code) {
  return Make(stamp, [&](auto e) {
    auto s = e.initTaskStatusChanged();
    s.setTaskId(task.id);
    s.setAgentId(agent.id);
    s.setState(task.state);
    s.setReason(reason);
    s.setExitCode(exit_code);
  });
}

EncodedEvent TaskHealthEvent(const EnvelopeStamp& stamp, const TaskModel& task) {
  return Make(stamp, [&](auto e) {
    auto h = e.initTaskHealthChanged();
    h.setTaskId(task.id);
    h.setHealthy(task.healthy);
    h.setReady(task.healthy);
    if (!task.healthy) h.setMessage("HTTP 503");  // only a failing check needs explaining
  });
}

EncodedEvent DeploymentStartedEvent(const EnvelopeStamp& stamp, const Rollout& rollout,
                                    std::int64_t deadline_nanos) {
  return Make(stamp, [&](auto e) {
    auto d = e.initDeploymentStarted();
    d.setDeploymentId(rollout.id);
    d.initAffectedApps(1).set(0, rollout.app_id);
    d.setFromVersion(rollout.from_version);
    d.setToVersion(rollout.to_version);
    auto steps = d.initSteps(2);  // start the new version, then stop the old one
    auto start = steps[0].initActions(1)[0];
    start.setKind(schema::DeploymentAction::Kind::START_APPLICATION);
    start.setAppId(rollout.app_id);
    auto stop = steps[1].initActions(1)[0];
    stop.setKind(schema::DeploymentAction::Kind::STOP_APPLICATION);
    stop.setAppId(rollout.app_id);
    d.setDeadlineNanos(deadline_nanos);
  });
}

EncodedEvent DeploymentStepEvent(const EnvelopeStamp& stamp, const Rollout& rollout,
                                 std::uint32_t step) {
  return Make(stamp, [&](auto e) {
    auto s = e.initDeploymentStepCompleted();
    s.setDeploymentId(rollout.id);
    s.setStepIndex(step);
  });
}

EncodedEvent DeploymentSucceededEvent(const EnvelopeStamp& stamp, const Rollout& rollout) {
  return Make(stamp, [&](auto e) { e.initDeploymentSucceeded().setDeploymentId(rollout.id); });
}

EncodedEvent DeploymentFailedEvent(const EnvelopeStamp& stamp, const Rollout& rollout) {
  return Make(stamp, [&](auto e) {
    auto f = e.initDeploymentFailed();
    f.setDeploymentId(rollout.id);
    f.setMessage("progress deadline exceeded");
  });
}

EncodedEvent DeploymentRevertedEvent(const EnvelopeStamp& stamp, const Rollout& rollout) {
  return Make(stamp, [&](auto e) {
    auto r = e.initDeploymentReverted();
    r.setDeploymentId(rollout.id);
    r.setToVersion(rollout.from_version);
    r.setMessage("reverted to " + rollout.from_version);
  });
}

}  // namespace regatta::testing::workload

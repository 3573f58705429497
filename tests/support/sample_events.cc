#include "tests/support/sample_events.h"

#include <capnp/message.h>

namespace regatta::testing {
namespace {

// Builds one envelope: `fill` sets the event member.
template <class Fill>
EncodedEvent Make(std::int64_t t, const std::string& principal, Fill&& fill) {
  capnp::MallocMessageBuilder message;
  auto envelope = InitEnvelope(message, StampAt(t, principal));
  fill(envelope.initEvent());
  return EncodeEnvelope(message);
}

void SetResources(schema::Resources::Builder r, double cpus, double mem) {
  r.setCpus(cpus);
  r.setMemMb(mem);
  r.setDiskMb(1000);
}

}  // namespace

EnvelopeStamp StampAt(std::int64_t time_nanos, const std::string& principal) {
  EnvelopeStamp stamp;
  stamp.event_id = "ev-" + std::to_string(time_nanos);
  stamp.time_nanos = time_nanos;
  stamp.principal = principal;
  stamp.correlation_id = "req-1";
  return stamp;
}

EncodedEvent AgentRegistered(const std::string& agent, double cpus, double mem, std::int64_t t,
                             const std::string& zone) {
  return Make(t, "regatta:master", [&](auto e) {
    auto a = e.initAgentRegistered();
    a.setAgentId(agent);
    a.setHostname(agent + ".local");
    a.setAddress("127.0.0.1:5051");
    auto r = a.initResources();
    SetResources(r, cpus, mem);
    auto ports = r.initPorts(1);
    ports[0].setBegin(31000);
    ports[0].setEnd(32000);
    auto attrs = a.initAttributes(1);
    attrs[0].setKey("zone");
    attrs[0].setValue(zone);
  });
}

EncodedEvent AgentUnreachable(const std::string& agent, std::int64_t t) {
  return Make(t, "regatta:master", [&](auto e) {
    auto a = e.initAgentUnreachable();
    a.setAgentId(agent);
    a.setLastSeenNanos(t - 1);
  });
}

EncodedEvent AgentGone(const std::string& agent, std::int64_t t) {
  return Make(t, "regatta:master", [&](auto e) { e.initAgentGone().setAgentId(agent); });
}

EncodedEvent FrameworkRegistered(const std::string& framework, const std::string& role,
                                 std::int64_t t) {
  return Make(t, "regatta:master", [&](auto e) {
    auto f = e.initFrameworkRegistered();
    f.setFrameworkId(framework);
    f.setName(framework);
    f.setRole(role);
  });
}

namespace {

// The spec AppDefined and JobDefined share: 0.1 cpus, 32 MB, one port.
schema::AppSpec::Builder InitSpec(schema::AppDefined::Builder defined, const std::string& app,
                                  std::uint32_t instances, const std::string& version,
                                  const std::string& cmd) {
  defined.setVersion(version);
  auto spec = defined.initSpec();
  spec.setId(app);
  spec.setCmd(cmd);
  spec.setInstances(instances);
  spec.setCpus(0.1);
  spec.setMemMb(32);
  auto ports = spec.initPortDefinitions(1);
  ports[0].setName("http");
  ports[0].setProtocol("tcp");
  auto labels = spec.initLabels(1);
  labels[0].setKey("app");
  labels[0].setValue(app);
  return spec;
}

}  // namespace

EncodedEvent AppDefined(const std::string& app, std::uint32_t instances, const std::string& version,
                        std::int64_t t, const std::string& principal, const std::string& cmd) {
  return Make(t, principal, [&](auto e) { InitSpec(e.initAppDefined(), app, instances, version, cmd); });
}

EncodedEvent AppDefinedWith(const std::string& app, std::uint32_t instances, const std::string& version,
                            const std::function<void(schema::AppSpec::Builder)>& edit, std::int64_t t) {
  return Make(t, "tester", [&](auto e) { edit(InitSpec(e.initAppDefined(), app, instances, version, "sleep 1000")); });
}

EncodedEvent JobDefined(const std::string& app, std::uint32_t instances, std::uint32_t max_retries,
                        const std::string& version, std::int64_t t) {
  return Make(t, "tester", [&](auto e) {
    auto spec = InitSpec(e.initAppDefined(), app, instances, version, "true");
    spec.setKind(schema::WorkloadKind::JOB);
    spec.setMaxRetries(max_retries);
  });
}

EncodedEvent AppScaled(const std::string& app, std::uint32_t instances, std::uint32_t previous,
                       std::int64_t t) {
  return Make(t, "tester", [&](auto e) {
    auto s = e.initAppScaled();
    s.setAppId(app);
    s.setInstances(instances);
    s.setPreviousInstances(previous);
  });
}

EncodedEvent AppDeleted(const std::string& app, std::int64_t t) {
  return Make(t, "tester", [&](auto e) { e.initAppDeleted().setAppId(app); });
}

EncodedEvent AppLaunchDelayReset(const std::string& app, std::int64_t t) {
  return Make(t, "tester", [&](auto e) { e.initAppLaunchDelayReset().setAppId(app); });
}

EncodedEvent TaskLaunched(const std::string& task, const std::string& app, const std::string& agent,
                          double cpus, double mem, std::uint32_t port, std::int64_t t,
                          const std::string& framework, const std::string& role, const std::string& version) {
  return Make(t, "regatta:master", [&](auto e) {
    auto l = e.initTaskLaunched();
    l.setTaskId(task);
    l.setAppId(app);
    l.setAppVersion(version);
    l.setFrameworkId(framework);
    l.setAgentId(agent);
    l.setHostname(agent + ".local");
    l.setRole(role);
    SetResources(l.initResources(), cpus, mem);
    if (port != 0) l.initHostPorts(1).set(0, port);
    auto labels = l.initLabels(1);
    labels[0].setKey("app");
    labels[0].setValue(app);
  });
}

EncodedEvent TaskStatus(const std::string& task, schema::TaskState state, std::int64_t t) {
  return Make(t, "regatta:agent", [&](auto e) {
    auto s = e.initTaskStatusChanged();
    s.setTaskId(task);
    s.setState(state);
  });
}

EncodedEvent TaskHealth(const std::string& task, bool healthy, std::int64_t t) {
  return Make(t, "regatta:agent", [&](auto e) {
    auto h = e.initTaskHealthChanged();
    h.setTaskId(task);
    h.setHealthy(healthy);
    h.setReady(healthy);
  });
}

EncodedEvent ServiceDefined(const std::string& name, const std::string& selector_key,
                            const std::string& selector_value, std::uint32_t port, std::int64_t t) {
  return Make(t, "tester", [&](auto e) {
    auto spec = e.initServiceDefined().initSpec();
    spec.setNamespace("default");
    spec.setName(name);
    auto selector = spec.initSelector(1);
    selector[0].setKey(selector_key);
    selector[0].setValue(selector_value);
    auto ports = spec.initPorts(1);
    ports[0].setName("http");
    ports[0].setPort(port);
    ports[0].setProtocol("TCP");
    spec.setType("ClusterIP");
  });
}

EncodedEvent ServiceDeleted(const std::string& name, std::int64_t t) {
  return Make(t, "tester", [&](auto e) {
    auto d = e.initServiceDeleted();
    d.setNamespace("default");
    d.setName(name);
  });
}

EncodedEvent DeploymentStarted(const std::string& deployment, const std::string& app,
                               const std::string& from, const std::string& to, std::int64_t t) {
  return Make(t, "tester", [&](auto e) {
    auto d = e.initDeploymentStarted();
    d.setDeploymentId(deployment);
    d.initAffectedApps(1).set(0, app);
    d.setFromVersion(from);
    d.setToVersion(to);
    auto steps = d.initSteps(1);
    auto actions = steps[0].initActions(1);
    actions[0].setKind(schema::DeploymentAction::Kind::RESTART_APPLICATION);
    actions[0].setAppId(app);
  });
}

EncodedEvent DeploymentStepCompleted(const std::string& deployment, std::uint32_t step,
                                     std::int64_t t) {
  return Make(t, "regatta:deployer", [&](auto e) {
    auto d = e.initDeploymentStepCompleted();
    d.setDeploymentId(deployment);
    d.setStepIndex(step);
  });
}

EncodedEvent DeploymentSucceeded(const std::string& deployment, std::int64_t t) {
  return Make(t, "regatta:deployer",
              [&](auto e) { e.initDeploymentSucceeded().setDeploymentId(deployment); });
}

EncodedEvent DeploymentFailed(const std::string& deployment, const std::string& why,
                              std::int64_t t) {
  return Make(t, "regatta:deployer", [&](auto e) {
    auto d = e.initDeploymentFailed();
    d.setDeploymentId(deployment);
    d.setMessage(why);
  });
}

EncodedEvent DeploymentReverted(const std::string& deployment, const std::string& to,
                                std::int64_t t) {
  return Make(t, "regatta:deployer", [&](auto e) {
    auto d = e.initDeploymentReverted();
    d.setDeploymentId(deployment);
    d.setToVersion(to);
  });
}

}  // namespace regatta::testing

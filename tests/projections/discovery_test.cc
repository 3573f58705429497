#include "projections/discovery.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "tests/projections/fold.h"
#include "tests/support/sample_events.h"

namespace regatta::projections {
namespace {

using schema::TaskState;
using testing::AppDefined;
using testing::AppDeleted;
using testing::BuildEvent;
using testing::ServiceDefined;
using testing::ServiceDeleted;
using testing::StampAt;
using testing::TaskHealth;
using testing::TaskLaunched;
using testing::TaskStatus;
using Events = std::vector<EncodedEvent>;
using Labels = std::vector<std::pair<std::string, std::string>>;

DiscoveryProjection Given(const Events& events, const std::string& domain = "regatta") {
  DiscoveryProjection p(domain);
  testing::FoldInto(p, events);
  return p;
}

std::vector<std::string> TaskIds(const std::vector<Endpoint>& endpoints) {
  std::vector<std::string> ids;
  for (const Endpoint& e : endpoints) ids.push_back(e.task_id);
  return ids;
}

// A task of `app` on agent a1 with the given labels, and an IP of its own
// when `ip` is set (container networking).
EncodedEvent LaunchedWith(const std::string& task, const std::string& app, const Labels& labels,
                          const std::string& ip = "") {
  return BuildEvent(StampAt(1, "regatta:master"), [&](auto e) {
    auto l = e.initTaskLaunched();
    l.setTaskId(task);
    l.setAppId(app);
    l.setFrameworkId("services");
    l.setAgentId("a1");
    l.setHostname("a1.local");
    l.setIpAddress(ip);
    l.initHostPorts(1).set(0, 31005);
    auto out = l.initLabels(labels.size());
    for (unsigned i = 0; i < labels.size(); ++i) {
      out[i].setKey(labels[i].first);
      out[i].setValue(labels[i].second);
    }
  });
}

EncodedEvent ServiceSelecting(const std::string& ns, const std::string& name, const Labels& selector) {
  return BuildEvent(StampAt(1), [&](auto e) {
    auto spec = e.initServiceDefined().initSpec();
    spec.setNamespace(ns);
    spec.setName(name);
    auto out = spec.initSelector(selector.size());
    for (unsigned i = 0; i < selector.size(); ++i) {
      out[i].setKey(selector[i].first);
      out[i].setValue(selector[i].second);
    }
  });
}

// ------------------------------------------------------------------ names

TEST(DnsLabelForApp, ReversesThePathSegments) {
  const std::pair<const char*, const char*> cases[] = {
      {"/prod/web", "web-prod"},
      {"/web", "web"},
      {"/a/b/c", "c-b-a"},
      {"web", "web"},
      {"//prod//web/", "web-prod"},
      {"", ""},
  };
  for (const auto& [app, want] : cases) {
    EXPECT_EQ(DnsLabelForApp(app), want) << app;
  }
}

TEST(DiscoveryProjection, AppNamesFollowMesosDns) {
  struct Case {
    const char* name;
    Events given;
    std::string domain;
    std::string want_a;
    std::string want_srv;
  };
  const Case cases[] = {
      {"defined app: the services framework", {AppDefined("/prod/web", 1, "v1")}, "regatta",
       "web-prod.services.regatta", "_web-prod._tcp.services.regatta"},
      {"the framework that runs its tasks",
       {TaskLaunched("w.1", "/prod/web", "a1", 1, 64, 0, 1, "marathon")}, "regatta",
       "web-prod.marathon.regatta", "_web-prod._tcp.marathon.regatta"},
      {"another domain", {AppDefined("/prod/web", 1, "v1")}, "mesos", "web-prod.services.mesos",
       "_web-prod._tcp.services.mesos"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const auto [a, srv] = Given(c.given, c.domain).AppDnsNames("/prod/web");
    EXPECT_EQ(a, c.want_a);
    EXPECT_EQ(srv, c.want_srv);
  }
}

TEST(DiscoveryProjection, ServiceANameFollowsKubernetes) {
  const DiscoveryProjection p = Given({ServiceDefined("web", "app", "/web", 80)});
  EXPECT_EQ(p.ServiceDnsNames("default/web").first, "web.default.svc.regatta");
}

TEST(DiscoveryProjection, ServiceSrvNamesStartWithEachPortName) {
  const DiscoveryProjection p = Given({ServiceDefined("web", "app", "/web", 80)});
  EXPECT_EQ(p.ServiceDnsNames("default/web").second,
            std::vector<std::string>{"_http._tcp.web.default.svc.regatta"});
}

TEST(DiscoveryProjection, AppIdsAreDefinedOrRunningAppsNotDeletedOnes) {
  const DiscoveryProjection p = Given({
      AppDefined("/a", 1, "v1"),
      AppDefined("/b", 1, "v1"),
      TaskLaunched("c.1", "/c", "a1", 1, 64),
      AppDeleted("/a"),
  });
  EXPECT_EQ(p.AppIds(), (std::vector<std::string>{"/b", "/c"}));
}

// ------------------------------------------------------------------ endpoints

TEST(DiscoveryProjection, OnlyRunningTasksAreEndpoints) {
  struct Case {
    const char* name;
    std::vector<TaskState> statuses;
    bool want_endpoint;
    bool want_tracked;  // still in tasks(): not terminal
  };
  const Case cases[] = {
      {"staging", {}, false, true},
      {"starting", {TaskState::STARTING}, false, true},
      {"running", {TaskState::STARTING, TaskState::RUNNING}, true, true},
      {"killing", {TaskState::RUNNING, TaskState::KILLING}, false, true},
      {"unreachable is not terminal", {TaskState::RUNNING, TaskState::UNREACHABLE}, false, true},
      {"back from unreachable", {TaskState::RUNNING, TaskState::UNREACHABLE, TaskState::RUNNING},
       true, true},
      {"finished", {TaskState::RUNNING, TaskState::FINISHED}, false, false},
      {"failed", {TaskState::RUNNING, TaskState::FAILED}, false, false},
      {"lost", {TaskState::RUNNING, TaskState::LOST}, false, false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Events given = {ServiceDefined("web", "app", "/web", 80), TaskLaunched("w.1", "/web", "a1", 1, 64)};
    for (TaskState s : c.statuses) given.push_back(TaskStatus("w.1", s));
    const DiscoveryProjection p = Given(given);
    const std::vector<std::string> want = c.want_endpoint ? std::vector<std::string>{"w.1"}
                                                          : std::vector<std::string>{};
    EXPECT_EQ(TaskIds(p.AppEndpoints("/web")), want);
    EXPECT_EQ(TaskIds(p.ServiceEndpoints("default/web")), want);
    EXPECT_EQ(p.tasks().contains("w.1"), c.want_tracked);
  }
}

TEST(DiscoveryProjection, EndpointCarriesAgentHostPortsAndHealth) {
  const DiscoveryProjection p = Given({
      TaskLaunched("w.1", "/web", "a1", 1, 64, 31001),
      TaskStatus("w.1", TaskState::RUNNING),
      TaskHealth("w.1", true),
  });
  const Endpoint want{"w.1", "a1", "a1.local", {31001}, true, true, true};
  EXPECT_EQ(p.AppEndpoints("/web"), std::vector<Endpoint>{want});
}

TEST(DiscoveryProjection, TaskWithItsOwnIpIsReachedAtTheIp) {
  const DiscoveryProjection p = Given({
      LaunchedWith("w.1", "/web", {{"app", "/web"}}, "10.1.2.3"),
      TaskStatus("w.1", TaskState::RUNNING),
  });
  ASSERT_EQ(p.AppEndpoints("/web").size(), 1u);
  EXPECT_EQ(p.AppEndpoints("/web")[0].host, "10.1.2.3");
}

TEST(DiscoveryProjection, EndpointsAreOrderedByTaskId) {
  Events given;
  for (const char* id : {"w.2", "w.3", "w.1"}) {
    given.push_back(TaskLaunched(id, "/web", "a1", 1, 64));
    given.push_back(TaskStatus(id, TaskState::RUNNING));
  }
  EXPECT_EQ(TaskIds(Given(given).AppEndpoints("/web")),
            (std::vector<std::string>{"w.1", "w.2", "w.3"}));
}

TEST(DiscoveryProjection, TerminalTaskLeavesAppAndServiceEndpoints) {
  const DiscoveryProjection p = Given({
      ServiceDefined("web", "app", "/web", 80),
      TaskLaunched("w.1", "/web", "a1", 1, 64),
      TaskLaunched("w.2", "/web", "a1", 1, 64),
      TaskStatus("w.1", TaskState::RUNNING),
      TaskStatus("w.2", TaskState::RUNNING),
      TaskStatus("w.1", TaskState::FAILED),
  });
  EXPECT_EQ(TaskIds(p.AppEndpoints("/web")), std::vector<std::string>{"w.2"});
  EXPECT_EQ(TaskIds(p.ServiceEndpoints("default/web")), std::vector<std::string>{"w.2"});
  EXPECT_FALSE(p.tasks().contains("w.1"));
}

// ------------------------------------------------------------------ services

TEST(DiscoveryProjection, ServiceSelectsRunningTasksWhoseLabelsMatchAll) {
  const Events tasks = {
      LaunchedWith("web.1", "/web", {{"app", "/web"}}),
      LaunchedWith("web.2", "/web", {{"app", "/web"}, {"tier", "frontend"}}),
      LaunchedWith("api.1", "/api", {{"app", "/api"}, {"tier", "frontend"}}),
      TaskStatus("web.1", TaskState::RUNNING),
      TaskStatus("web.2", TaskState::RUNNING),
      TaskStatus("api.1", TaskState::RUNNING),
  };
  struct Case {
    const char* name;
    Labels selector;
    std::vector<std::string> want;
  };
  const Case cases[] = {
      {"one label", {{"app", "/web"}}, {"web.1", "web.2"}},
      {"shared label", {{"tier", "frontend"}}, {"api.1", "web.2"}},
      {"every label must match", {{"app", "/web"}, {"tier", "frontend"}}, {"web.2"}},
      {"value must match too", {{"app", "/db"}}, {}},
      {"no selector selects nothing (Kubernetes)", {}, {}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Events given = tasks;
    given.push_back(ServiceSelecting("prod", "svc", c.selector));
    EXPECT_EQ(TaskIds(Given(given).ServiceEndpoints("prod/svc")), c.want);
  }
}

TEST(DiscoveryProjection, ServiceWithoutNamespaceIsInDefault) {
  const DiscoveryProjection p = Given({ServiceSelecting("", "web", {{"app", "/web"}})});
  EXPECT_TRUE(p.services().contains("default/web"));
}

TEST(DiscoveryProjection, RedefinedServiceReplacesItsSelector) {
  const DiscoveryProjection p = Given({
      TaskLaunched("web.1", "/web", "a1", 1, 64),
      TaskLaunched("api.1", "/api", "a1", 1, 64),
      TaskStatus("web.1", TaskState::RUNNING),
      TaskStatus("api.1", TaskState::RUNNING),
      ServiceDefined("front", "app", "/web", 80),
      ServiceDefined("front", "app", "/api", 8080),
  });
  EXPECT_EQ(TaskIds(p.ServiceEndpoints("default/front")), std::vector<std::string>{"api.1"});
  using Port = std::pair<std::string, std::uint32_t>;
  EXPECT_EQ(p.services().at("default/front").ports, (std::vector<Port>{{"http", 8080}}));
}

TEST(DiscoveryProjection, DeletedServiceHasNoEndpoints) {
  const DiscoveryProjection p = Given({
      ServiceDefined("web", "app", "/web", 80),
      TaskLaunched("w.1", "/web", "a1", 1, 64),
      TaskStatus("w.1", TaskState::RUNNING),
      ServiceDeleted("web"),
  });
  EXPECT_FALSE(p.services().contains("default/web"));
  EXPECT_TRUE(p.ServiceEndpoints("default/web").empty());
  EXPECT_EQ(TaskIds(p.AppEndpoints("/web")), std::vector<std::string>{"w.1"}) << "the app still serves";
}

}  // namespace
}  // namespace regatta::projections

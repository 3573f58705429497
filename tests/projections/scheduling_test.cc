#include "projections/scheduling.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "tests/projections/fold.h"
#include "tests/support/sample_events.h"

namespace regatta::projections {
namespace {

using schema::TaskState;
using testing::AgentGone;
using testing::AgentRegistered;
using testing::AgentUnreachable;
using testing::BuildEvent;
using testing::StampAt;
using testing::TaskHealth;
using testing::TaskLaunched;
using testing::TaskStatus;
using Events = std::vector<EncodedEvent>;

SchedulingProjection Given(const Events& events) {
  return testing::Fold<SchedulingProjection>(events);
}

ResourceVector R(double cpus, double mem, double disk, double gpus) {
  return {Quantity::FromDouble(cpus), Quantity::FromDouble(mem), Quantity::FromDouble(disk),
          Quantity::FromDouble(gpus)};
}

// What sample_events' TaskLaunched charges: its cpus and mem, and 1000 MB of disk.
ResourceVector Held(double cpus, double mem) { return R(cpus, mem, 1000, 0); }

EncodedEvent AgentReregistered(const std::string& agent, double cpus, std::int64_t t) {
  return BuildEvent(StampAt(t, "regatta:master"), [&](auto e) {
    auto a = e.initAgentReregistered();
    a.setAgentId(agent);
    a.setHostname(agent + ".rebuilt");
    a.initResources().setCpus(cpus);
  });
}

EncodedEvent FrameworkRemoved(const std::string& framework) {
  return BuildEvent(StampAt(1), [&](auto e) { e.initFrameworkRemoved().setFrameworkId(framework); });
}

EncodedEvent HealthChanged(const std::string& task, bool healthy, bool ready) {
  return BuildEvent(StampAt(1, "regatta:agent"), [&](auto e) {
    auto h = e.initTaskHealthChanged();
    h.setTaskId(task);
    h.setHealthy(healthy);
    h.setReady(ready);
  });
}

// ------------------------------------------------------------------ agents

TEST(SchedulingProjection, AgentStatusFollowsItsLifecycle) {
  struct Case {
    const char* name;
    Events given;
    AgentStatus want;
    std::int64_t want_updated;
  };
  const Case cases[] = {
      {"registered", {AgentRegistered("a1", 16, 65536, 10)}, AgentStatus::kActive, 10},
      {"unreachable",
       {AgentRegistered("a1", 16, 65536, 10), AgentUnreachable("a1", 20)},
       AgentStatus::kUnreachable, 20},
      {"reregistered after a partition",
       {AgentRegistered("a1", 16, 65536, 10), AgentUnreachable("a1", 20),
        AgentReregistered("a1", 16, 30)},
       AgentStatus::kActive, 30},
      {"known only through reregistration (master failover)",
       {AgentReregistered("a1", 16, 30)}, AgentStatus::kActive, 30},
      {"gone", {AgentRegistered("a1", 16, 65536, 10), AgentUnreachable("a1", 20), AgentGone("a1", 30)},
       AgentStatus::kGone, 30},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const SchedulingProjection p = Given(c.given);
    ASSERT_TRUE(p.agents().contains("a1"));
    EXPECT_EQ(p.agents().at("a1").status, c.want) << AgentStatusName(p.agents().at("a1").status);
    EXPECT_EQ(p.agents().at("a1").updated_nanos, c.want_updated);
  }
}

TEST(SchedulingProjection, RegistrationRecordsResourcesPortsAndAttributes) {
  const SchedulingProjection p = Given({AgentRegistered("a1", 16, 65536, 1, "z2")});

  const AgentInfo& a = p.agents().at("a1");
  EXPECT_EQ(a.hostname, "a1.local");
  EXPECT_EQ(a.address, "127.0.0.1:5051");
  EXPECT_EQ(a.total, R(16, 65536, 1000, 0));
  EXPECT_EQ(a.used, ResourceVector{});
  EXPECT_EQ(a.port_ranges, (std::vector<domain::PortRange>{{31000, 32000}}));
  using Attribute = std::pair<std::string, std::string>;
  EXPECT_EQ(a.attributes, (std::vector<Attribute>{{"zone", "z2"}}));
}

TEST(SchedulingProjection, ReregistrationReplacesTotalsButKeepsWhatTasksHold) {
  const SchedulingProjection p = Given({
      AgentRegistered("a1", 16, 65536),
      TaskLaunched("t1", "/web", "a1", 1, 128),
      AgentUnreachable("a1"),
      AgentReregistered("a1", 32, 5),
  });

  const AgentInfo& a = p.agents().at("a1");
  EXPECT_EQ(a.total.cpus, 32);
  EXPECT_EQ(a.hostname, "a1.rebuilt");
  EXPECT_EQ(a.used, Held(1, 128));
  EXPECT_EQ(a.task_count, 1u);
  EXPECT_TRUE(p.tasks().contains("t1"));
}

TEST(SchedulingProjection, AgentEventsForAnUnknownAgentAreIgnored) {
  for (const EncodedEvent& e : {AgentUnreachable("ghost"), AgentGone("ghost")}) {
    SCOPED_TRACE(e.type);
    EXPECT_TRUE(Given({e}).agents().empty());
  }
}

// ------------------------------------------------------------------ frameworks

TEST(SchedulingProjection, FrameworkIsActiveUntilRemoved) {
  const Events registered = {testing::FrameworkRegistered("batch", "analytics")};
  const SchedulingProjection before = Given(registered);
  ASSERT_TRUE(before.frameworks().contains("batch"));
  EXPECT_EQ(before.frameworks().at("batch").role, "analytics");
  EXPECT_TRUE(before.frameworks().at("batch").active);

  Events removed = registered;
  removed.push_back(FrameworkRemoved("batch"));
  EXPECT_FALSE(Given(removed).frameworks().at("batch").active);
}

// ------------------------------------------------------------------ tasks

TEST(SchedulingProjection, LaunchChargesAgentFrameworkAndRole) {
  const SchedulingProjection p = Given({
      AgentRegistered("a1", 16, 65536),
      AgentRegistered("a2", 16, 65536),
      TaskLaunched("web.1", "/web", "a1", 0.5, 256, 31001, 1, "services", "web"),
      TaskLaunched("web.2", "/web", "a1", 1.5, 1024, 31002, 1, "services", "web"),
      TaskLaunched("etl.1", "/etl", "a2", 2, 512, 0, 1, "batch", "analytics"),
  });

  EXPECT_EQ(p.agents().at("a1").used, R(2, 1280, 2000, 0));
  EXPECT_EQ(p.agents().at("a1").task_count, 2u);
  EXPECT_EQ(p.agents().at("a2").used, Held(2, 512));
  EXPECT_EQ(p.usage_by_framework().at("services"), (Usage{R(2, 1280, 2000, 0), 2}));
  EXPECT_EQ(p.usage_by_framework().at("batch"), (Usage{Held(2, 512), 1}));
  EXPECT_EQ(p.usage_by_role().at("web"), (Usage{R(2, 1280, 2000, 0), 2}));
  EXPECT_EQ(p.usage_by_role().at("analytics"), (Usage{Held(2, 512), 1}));

  const TaskInfo& t = p.tasks().at("web.1");
  EXPECT_EQ(t.state, TaskState::STAGING);
  EXPECT_EQ(t.agent_id, "a1");
  EXPECT_EQ(t.host_ports, std::vector<std::uint32_t>{31001});
}

TEST(SchedulingProjection, TerminalStatesReleaseExactlyWhatTheTaskHeld) {
  struct Case {
    TaskState state;
    bool terminal;
  };
  const Case cases[] = {
      {TaskState::STAGING, false},  {TaskState::STARTING, false}, {TaskState::RUNNING, false},
      {TaskState::KILLING, false},  {TaskState::FINISHED, true},  {TaskState::FAILED, true},
      {TaskState::KILLED, true},    {TaskState::ERROR, true},     {TaskState::DROPPED, true},
      {TaskState::LOST, true},      {TaskState::UNREACHABLE, false}, {TaskState::GONE, true},
      {TaskState::UNKNOWN, false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(domain::TaskStateName(c.state));
    EXPECT_EQ(domain::IsTerminal(c.state), c.terminal);

    // Another task stays, so "released" must mean exactly t1's share.
    const SchedulingProjection p = Given({
        AgentRegistered("a1", 16, 65536),
        TaskLaunched("t1", "/web", "a1", 0.5, 256),
        TaskLaunched("t2", "/web", "a1", 0.25, 64),
        TaskStatus("t1", c.state, 7),
    });

    const AgentInfo& a = p.agents().at("a1");
    if (c.terminal) {
      EXPECT_FALSE(p.tasks().contains("t1"));
      EXPECT_EQ(a.used, Held(0.25, 64));
      EXPECT_EQ(a.task_count, 1u);
      EXPECT_EQ(p.usage_by_framework().at("services"), (Usage{Held(0.25, 64), 1}));
      EXPECT_EQ(p.usage_by_role().at("*"), (Usage{Held(0.25, 64), 1}));
    } else {
      ASSERT_TRUE(p.tasks().contains("t1"));
      EXPECT_EQ(p.tasks().at("t1").state, c.state);
      EXPECT_EQ(p.tasks().at("t1").updated_nanos, 7);
      EXPECT_EQ(a.used, R(0.75, 320, 2000, 0));
      EXPECT_EQ(a.task_count, 2u);
    }
  }
}

TEST(SchedulingProjection, LastTerminalTaskLeavesZeroUsage) {
  const SchedulingProjection p = Given({
      AgentRegistered("a1", 16, 65536),
      TaskLaunched("t1", "/web", "a1", 0.5, 256),
      TaskStatus("t1", TaskState::RUNNING),
      TaskStatus("t1", TaskState::FINISHED),
  });
  EXPECT_EQ(p.agents().at("a1").used, ResourceVector{});
  EXPECT_EQ(p.agents().at("a1").task_count, 0u);
  EXPECT_EQ(p.usage_by_framework().at("services"), Usage{});
  EXPECT_EQ(p.usage_by_role().at("*"), Usage{});
}

// In binary floating point, charging 0.1 + 0.2 + 0.3 cpus and releasing
// them would leave ~1.1e-16 "used" on an idle agent; amounts are fixed point.
TEST(SchedulingProjection, FractionalCpusAreReleasedToExactlyZero) {
  const SchedulingProjection p = Given({
      AgentRegistered("a1", 16, 65536),
      TaskLaunched("t1", "/web", "a1", 0.1, 32),
      TaskLaunched("t2", "/web", "a1", 0.2, 32),
      TaskLaunched("t3", "/web", "a1", 0.3, 32),
      TaskStatus("t1", TaskState::FINISHED),
      TaskStatus("t2", TaskState::FINISHED),
      TaskStatus("t3", TaskState::FINISHED),
  });
  EXPECT_EQ(p.agents().at("a1").used.cpus, 0.0);
  EXPECT_EQ(p.usage_by_role().at("*").allocated.cpus, 0.0);
}

TEST(SchedulingProjection, RedeliveredStatusUpdatesAreIdempotent) {
  const Events launched = {AgentRegistered("a1", 16, 65536), TaskLaunched("t1", "/web", "a1", 1, 128)};
  struct Case {
    const char* name;
    Events updates;    // applied once, then every one of them again
  };
  const Case cases[] = {
      {"running", {TaskStatus("t1", TaskState::RUNNING, 5)}},
      {"unreachable", {TaskStatus("t1", TaskState::UNREACHABLE, 5)}},
      {"finished: released once", {TaskStatus("t1", TaskState::FINISHED, 5)}},
      {"killed, then a late running", {TaskStatus("t1", TaskState::KILLED, 5),
                                       TaskStatus("t1", TaskState::RUNNING, 4)}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Events once = launched;
    once.insert(once.end(), c.updates.begin(), c.updates.end());
    Events twice = once;
    twice.insert(twice.end(), c.updates.begin(), c.updates.end());
    EXPECT_EQ(testing::StateBytes(Given(twice)), testing::StateBytes(Given(once)));
  }
}

TEST(SchedulingProjection, LateStatusDoesNotResurrectAFinishedTask) {
  const SchedulingProjection p = Given({
      AgentRegistered("a1", 16, 65536),
      TaskLaunched("t1", "/web", "a1", 1, 128),
      TaskStatus("t1", TaskState::KILLED),
      TaskStatus("t1", TaskState::RUNNING),
  });
  EXPECT_TRUE(p.tasks().empty());
  EXPECT_EQ(p.agents().at("a1").used, ResourceVector{});
}

TEST(SchedulingProjection, RelaunchUnderTheSameIdDoesNotDoubleCharge) {
  struct Case {
    const char* name;
    Events given;
    ResourceVector want_a1;
    ResourceVector want_a2;
  };
  const Events agents = {AgentRegistered("a1", 16, 65536), AgentRegistered("a2", 16, 65536)};
  const Case cases[] = {
      {"same agent",
       {TaskLaunched("t1", "/web", "a1", 1, 128), TaskLaunched("t1", "/web", "a1", 1, 128)},
       Held(1, 128), {}},
      {"moved to another agent",
       {TaskLaunched("t1", "/web", "a1", 1, 128), TaskLaunched("t1", "/web", "a2", 2, 256)},
       {}, Held(2, 256)},
      {"relaunched while running",
       {TaskLaunched("t1", "/web", "a1", 1, 128), TaskStatus("t1", TaskState::RUNNING),
        TaskLaunched("t1", "/web", "a1", 1, 128)},
       Held(1, 128), {}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Events given = agents;
    given.insert(given.end(), c.given.begin(), c.given.end());
    const SchedulingProjection p = Given(given);
    EXPECT_EQ(p.agents().at("a1").used, c.want_a1);
    EXPECT_EQ(p.agents().at("a2").used, c.want_a2);
    EXPECT_EQ(p.agents().at("a1").task_count + p.agents().at("a2").task_count, 1u);
    EXPECT_EQ(p.usage_by_framework().at("services").tasks, 1u);
    ResourceVector held = c.want_a1;
    held += c.want_a2;
    EXPECT_EQ(p.usage_by_role().at("*").allocated, held);
    ASSERT_EQ(p.tasks().size(), 1u);
    EXPECT_EQ(p.tasks().at("t1").state, TaskState::STAGING) << "a relaunch starts over";
  }
}

TEST(SchedulingProjection, HealthChangesSetHealthyAndReady) {
  struct Case {
    const char* name;
    Events health;
    bool want_healthy;
    bool want_ready;
  };
  const Case cases[] = {
      {"never checked", {}, false, false},
      {"healthy and ready", {TaskHealth("t1", true)}, true, true},
      {"healthy, readiness pending", {HealthChanged("t1", true, false)}, true, false},
      {"healthy, then failing", {TaskHealth("t1", true), TaskHealth("t1", false)}, false, false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Events given = {AgentRegistered("a1", 16, 65536), TaskLaunched("t1", "/web", "a1", 1, 128)};
    given.insert(given.end(), c.health.begin(), c.health.end());
    const SchedulingProjection p = Given(given);
    const TaskInfo& t = p.tasks().at("t1");
    EXPECT_EQ(t.healthy, c.want_healthy);
    EXPECT_EQ(t.ready, c.want_ready);
  }
}

TEST(SchedulingProjection, ReadySinceIsWhenTheTaskLastBecameReady) {
  Events given = {AgentRegistered("a1", 16, 65536), TaskLaunched("t1", "/web", "a1", 1, 128),
                  TaskHealth("t1", true, 5)};
  EXPECT_EQ(Given(given).tasks().at("t1").ready_since_nanos, 5);
  given.push_back(TaskHealth("t1", true, 9));  // a repeated report
  EXPECT_EQ(Given(given).tasks().at("t1").ready_since_nanos, 5);
  given.push_back(TaskHealth("t1", false, 12));
  EXPECT_EQ(Given(given).tasks().at("t1").ready_since_nanos, 0);
  given.push_back(TaskHealth("t1", true, 20));
  EXPECT_EQ(Given(given).tasks().at("t1").ready_since_nanos, 20);
}

TEST(SchedulingProjection, UpdatesForAnUnknownTaskAreIgnored) {
  for (const EncodedEvent& e : {TaskStatus("ghost", TaskState::RUNNING), TaskHealth("ghost", true)}) {
    SCOPED_TRACE(e.type);
    const SchedulingProjection p = Given({AgentRegistered("a1", 16, 65536), e});
    EXPECT_TRUE(p.tasks().empty());
    EXPECT_TRUE(p.usage_by_framework().empty());
  }
}

// ------------------------------------------------------------------ completions

EncodedEvent Launched(const std::string& task, const std::string& app, const std::string& version) {
  return BuildEvent(StampAt(1, "regatta:master"), [&](auto e) {
    auto l = e.initTaskLaunched();
    l.setTaskId(task);
    l.setAppId(app);
    l.setAppVersion(version);
    l.setAgentId("a1");
  });
}

EncodedEvent Defined(const std::string& app, const std::string& version) {
  return testing::AppDefined(app, 1, version);
}

TEST(SchedulingProjection, EachTerminalStateCountsAsFinishedFailedOrNeither) {
  struct Case {
    TaskState state;
    bool counted;
    std::uint64_t finished;
    std::uint64_t failed;
  };
  const Case cases[] = {
      {TaskState::FINISHED, true, 1, 0}, {TaskState::FAILED, true, 0, 1},
      {TaskState::ERROR, true, 0, 1},    {TaskState::LOST, true, 0, 1},
      {TaskState::DROPPED, true, 0, 1},  {TaskState::GONE, true, 0, 1},
      {TaskState::KILLED, false, 0, 0},  {TaskState::RUNNING, false, 0, 0},
      {TaskState::UNREACHABLE, false, 0, 0},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(domain::TaskStateName(c.state));
    const SchedulingProjection p =
        Given({AgentRegistered("a1", 16, 65536), Launched("t1", "/job", "v1"), TaskStatus("t1", c.state)});
    ASSERT_EQ(p.completions().contains("/job"), c.counted);
    if (c.counted) {
      EXPECT_EQ(p.completions().at("/job"), (Completions{"v1", c.finished, c.failed}));
    }
  }
}

TEST(SchedulingProjection, CompletionsFollowTheAppsVersion) {
  struct Case {
    const char* name;
    Events given;
    std::map<std::string, Completions> want;
  };
  const Case cases[] = {
      {"counted per app",
       {Defined("/a", "v1"), Defined("/b", "v1"), Launched("a1", "/a", "v1"), Launched("b1", "/b", "v1"),
        Launched("b2", "/b", "v1"), TaskStatus("a1", TaskState::FINISHED), TaskStatus("b1", TaskState::FAILED),
        TaskStatus("b2", TaskState::FINISHED)},
       {{"/a", {"v1", 1, 0}}, {"/b", {"v1", 1, 1}}}},
      {"a redelivered terminal status counts once",
       {Launched("t1", "/a", "v1"), TaskStatus("t1", TaskState::FAILED), TaskStatus("t1", TaskState::FAILED)},
       {{"/a", {"v1", 0, 1}}}},
      {"a definition starts the count at its version",
       {Defined("/a", "v1")}, {{"/a", {"v1", 0, 0}}}},
      {"a new version starts over",
       {Defined("/a", "v1"), Launched("t1", "/a", "v1"), TaskStatus("t1", TaskState::FINISHED),
        Launched("t2", "/a", "v1"), TaskStatus("t2", TaskState::LOST), Defined("/a", "v2")},
       {{"/a", {"v2", 0, 0}}}},
      {"an old version's straggler does not undo the new version's progress",
       {Defined("/a", "v1"), Launched("old", "/a", "v1"), Defined("/a", "v2"), Launched("new", "/a", "v2"),
        TaskStatus("new", TaskState::FINISHED), TaskStatus("old", TaskState::FAILED)},
       {{"/a", {"v2", 1, 0}}}},
      {"without a definition in view, the first task to end sets the version",
       {Launched("t1", "/a", "v7"), TaskStatus("t1", TaskState::ERROR)}, {{"/a", {"v7", 0, 1}}}},
      {"deleting the app forgets its counts",
       {Defined("/a", "v1"), Launched("t1", "/a", "v1"), TaskStatus("t1", TaskState::FINISHED),
        testing::AppDeleted("/a")},
       {}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Events given = {AgentRegistered("a1", 16, 65536)};
    given.insert(given.end(), c.given.begin(), c.given.end());
    const SchedulingProjection p = Given(given);
    const std::map<std::string, Completions> got(p.completions().begin(), p.completions().end());
    EXPECT_EQ(got, c.want);
  }
}

TEST(SchedulingProjection, CompletionsSurviveASerializationRoundTripInCanonicalOrder) {
  const Events given = {AgentRegistered("a1", 16, 65536), Defined("/b", "v2"), Defined("/a", "v1"),
                        Launched("t1", "/a", "v1"), Launched("t2", "/b", "v2"), Launched("t3", "/b", "v2"),
                        TaskStatus("t1", TaskState::FINISHED), TaskStatus("t2", TaskState::FAILED)};
  const SchedulingProjection p = Given(given);
  const std::string bytes = testing::StateBytes(p);

  SchedulingProjection copy;
  StateReader in(bytes);
  ASSERT_TRUE(copy.Deserialize(in));
  EXPECT_TRUE(in.at_end());
  EXPECT_EQ(copy.completions().at("/a"), (Completions{"v1", 1, 0}));
  EXPECT_EQ(copy.completions().at("/b"), (Completions{"v2", 0, 1}));
  EXPECT_EQ(testing::StateBytes(copy), bytes);

  // The apps defined the other way round: the same state, the same bytes.
  Events swapped = given;
  std::swap(swapped[1], swapped[2]);
  EXPECT_EQ(testing::StateBytes(Given(swapped)), bytes);
}

}  // namespace
}  // namespace regatta::projections

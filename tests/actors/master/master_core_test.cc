// Given the events so far, when the master decides a command, then these
// events and effects (or this error).
#include "actors/master/master_core.h"

#include <gtest/gtest.h>

#include <capnp/message.h>

#include <limits>
#include <map>

#include "events/codec.h"
#include "tests/actors/master/master_core_fixture.h"
#include "tests/support/sample_events.h"

namespace regatta::master {
namespace {

using domain::Quantity;
using schema::TaskState;
namespace t = regatta::testing;

ResourceVector R(double cpus, double mem) {
  return {Quantity::FromDouble(cpus), Quantity::FromDouble(mem), {}, {}};
}

RegisterAgent Agent(const std::string& id = "") {
  return {id, "node1", "127.0.0.1:5051", R(4, 4096), {{31000, 31010}}, {{"zone", "z1"}}, {}};
}

AcceptOffer Accept(std::vector<TaskToLaunch> tasks) {
  return {"services", "a1", R(4, 4096), {{31000, 31010}}, std::move(tasks)};
}

TaskToLaunch Task(const std::string& id, double cpus, std::vector<std::uint32_t> ports = {}) {
  return {id, "/web", "v1", R(cpus, 64), std::move(ports), {{"app", "web"}}};
}

TEST_F(MasterCore, ANewAgentGetsAFreshIdAndIsRecorded) {
  auto out = DecideRegisterAgent(state_, Agent(), context_);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(Types(*out), (std::vector<std::string>{"AgentRegistered:id-1"}));
  ASSERT_EQ(out->effects.size(), 1u);
  EXPECT_EQ(out->effects[0].kind, Effect::Kind::kAgentRegistered);
  EXPECT_EQ(out->effects[0].agent_id, "id-1");
  Commit(*out);
  EXPECT_EQ(state_.scheduling().agents().at("id-1").total, R(4, 4096));
}

TEST_F(MasterCore, AnAgentClaimingAnUnknownIdIsRefused) {
  auto out = DecideRegisterAgent(state_, Agent("ghost"), context_);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kNotFound);
}

TEST_F(MasterCore, AnAgentWithoutAHostnameIsRefusedNamingTheField) {
  RegisterAgent command = Agent();
  command.hostname.clear();
  auto out = DecideRegisterAgent(state_, command, context_);
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.status().message().find("hostname"), std::string::npos);
}

TEST_F(MasterCore, AReturningAgentIsReconciledAgainstTheLog) {
  Given({t::AgentRegistered("a1", 4, 4096), t::FrameworkRegistered("services", "*"),
         t::TaskLaunched("kept", "/web", "a1", 1, 64), t::TaskLaunched("lost", "/web", "a1", 1, 64),
         t::TaskStatus("kept", TaskState::RUNNING), t::TaskStatus("lost", TaskState::RUNNING),
         t::AgentUnreachable("a1"), t::TaskStatus("kept", TaskState::UNREACHABLE)});
  RegisterAgent back = Agent("a1");
  back.running = {{"kept", TaskState::RUNNING}, {"stranger", TaskState::RUNNING}};
  auto out = DecideRegisterAgent(state_, back, context_);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(Types(*out)[0], "AgentReregistered:a1");
  EXPECT_EQ(Statuses(*out), (std::map<std::string, TaskState>{{"kept", TaskState::RUNNING},
                                                              {"lost", TaskState::LOST}}));
  bool killed_stranger = false;
  for (const Effect& e : out->effects) killed_stranger |= e.kind == Effect::Kind::kKillTask && e.task_id == "stranger";
  EXPECT_TRUE(killed_stranger) << "a task the log does not know must be killed";
}

TEST_F(MasterCore, StatusUpdatesAreAppliedOnceAndAlwaysAcknowledged) {
  Given({t::AgentRegistered("a1", 4, 4096), t::TaskLaunched("web.1", "/web", "a1", 1, 64)});
  StatusUpdate running{"web.1", "a1", TaskState::RUNNING, "", "", 0};
  auto first = DecideStatusUpdate(state_, running, context_);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(Statuses(*first), (std::map<std::string, TaskState>{{"web.1", TaskState::RUNNING}}));
  Commit(*first);
  auto duplicate = DecideStatusUpdate(state_, running, context_);
  ASSERT_TRUE(duplicate.ok());
  EXPECT_TRUE(duplicate->events.empty());
  ASSERT_EQ(duplicate->effects.size(), 1u);
  EXPECT_EQ(duplicate->effects[0].kind, Effect::Kind::kAcknowledge);
}

TEST_F(MasterCore, ALateTerminalDuplicateIsOnlyAcknowledged) {
  Given({t::AgentRegistered("a1", 4, 4096), t::TaskLaunched("web.1", "/web", "a1", 1, 64),
         t::TaskStatus("web.1", TaskState::FINISHED)});
  auto out = DecideStatusUpdate(state_, {"web.1", "a1", TaskState::FINISHED, "", "", 0}, context_);
  ASSERT_TRUE(out.ok());
  EXPECT_TRUE(out->events.empty());
  ASSERT_EQ(out->effects.size(), 1u);
  EXPECT_EQ(out->effects[0].kind, Effect::Kind::kAcknowledge);
}

TEST_F(MasterCore, ARunningTaskNobodyLaunchedIsKilled) {
  Given({t::AgentRegistered("a1", 4, 4096)});
  auto out = DecideStatusUpdate(state_, {"orphan", "a1", TaskState::RUNNING, "", "", 0}, context_);
  ASSERT_TRUE(out.ok());
  EXPECT_TRUE(out->events.empty());
  ASSERT_EQ(out->effects.size(), 2u);
  EXPECT_EQ(out->effects[1].kind, Effect::Kind::kKillTask);
}

TEST_F(MasterCore, AnUpdateFromTheWrongAgentIsRefused) {
  Given({t::AgentRegistered("a1", 4, 4096), t::TaskLaunched("web.1", "/web", "a1", 1, 64)});
  auto out = DecideStatusUpdate(state_, {"web.1", "a2", TaskState::RUNNING, "", "", 0}, context_);
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.status().message().find("agentId"), std::string::npos);
}

TEST_F(MasterCore, AcceptingAnOfferLaunchesEveryTask) {
  Given({t::AgentRegistered("a1", 4, 4096), t::FrameworkRegistered("services", "web")});
  auto out = DecideAcceptOffer(state_, Accept({Task("w.1", 1, {31000}), Task("w.2", 1, {31001})}), context_);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(Types(*out), (std::vector<std::string>{"TaskLaunched:w.1", "TaskLaunched:w.2"}));
  EXPECT_EQ(out->effects.size(), 2u);
  Commit(*out);
  EXPECT_EQ(state_.scheduling().agents().at("a1").used.cpus, 2.0);
  EXPECT_EQ(state_.scheduling().tasks().at("w.1").role, "web");
}

TEST_F(MasterCore, AnAcceptThatDoesNotFitIsRefusedNamingTheTaskAndField) {
  Given({t::AgentRegistered("a1", 4, 4096), t::FrameworkRegistered("services", "*"),
         t::TaskLaunched("old", "/web", "a1", 1, 64, 31005)});
  struct Case {
    const char* name;
    AcceptOffer command;
    const char* want;
  };
  AcceptOffer too_big = Accept({Task("n.1", 2), Task("n.2", 2.5)});
  AcceptOffer stale_offer = Accept({Task("n.1", 1)});  // 4 cpus offered, 3 free
  AcceptOffer reused_id = Accept({Task("old", 1)});
  reused_id.offered = R(3, 4000);
  too_big.offered = R(3, 4000);
  AcceptOffer bad_port = Accept({Task("n.1", 1, {40000})});
  bad_port.offered = R(3, 4000);
  AcceptOffer twice = Accept({Task("n.1", 1, {31001}), Task("n.2", 1, {31001})});
  twice.offered = R(3, 4000);
  AcceptOffer held_port = Accept({Task("n.1", 1, {31005})});
  held_port.offered = R(3, 4000);
  const Case cases[] = {
      {"port held by a live task", held_port, "tasks[0].hostPorts: 31005 is held"},
      {"too big", too_big, "tasks[1].cpus"},
      {"stale offer", stale_offer, "offer.cpus"},
      {"reused id", reused_id, "tasks[0].taskId"},
      {"port not offered", bad_port, "tasks[0].hostPorts: 40000"},
      {"port twice", twice, "tasks[1].hostPorts: 31001 is used twice"},
  };
  for (const Case& c : cases) {
    auto out = DecideAcceptOffer(state_, c.command, context_);
    ASSERT_FALSE(out.ok()) << c.name;
    EXPECT_NE(out.status().message().find(c.want), std::string::npos) << c.name << ": " << out.status().message();
  }
}

TEST_F(MasterCore, OffersOnUnreachableAgentsOrFromUnknownFrameworksAreRefused) {
  Given({t::AgentRegistered("a1", 4, 4096), t::FrameworkRegistered("services", "*"), t::AgentUnreachable("a1")});
  EXPECT_EQ(DecideAcceptOffer(state_, Accept({Task("n.1", 1)}), context_).status().code(),
            StatusCode::kFailedPrecondition);
  Given({t::AgentRegistered("a2", 4, 4096)});
  AcceptOffer stranger = Accept({Task("n.1", 1)});
  stranger.agent_id = "a2";
  stranger.framework_id = "nobody";
  EXPECT_EQ(DecideAcceptOffer(state_, stranger, context_).status().code(), StatusCode::kFailedPrecondition);
}

TEST_F(MasterCore, AnUnreachableAgentTakesItsLiveTasksWithItOnce) {
  Given({t::AgentRegistered("a1", 4, 4096), t::TaskLaunched("w.1", "/web", "a1", 1, 64),
         t::TaskStatus("w.1", TaskState::RUNNING), t::TaskLaunched("w.2", "/web", "a1", 1, 64)});
  auto out = DecideAgentUnreachable(state_, "a1", context_);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(Types(*out)[0], "AgentUnreachable:a1");
  EXPECT_EQ(Statuses(*out), (std::map<std::string, TaskState>{{"w.1", TaskState::UNREACHABLE},
                                                              {"w.2", TaskState::UNREACHABLE}}));
  Commit(*out);
  auto again = DecideAgentUnreachable(state_, "a1", context_);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->events.empty());
}

TEST_F(MasterCore, RegisteringAFrameworkTwiceRecordsItOnce) {
  auto first = DecideRegisterFramework(state_, {"services", "services", "*"}, context_);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->events.size(), 1u);
  Commit(*first);
  auto second = DecideRegisterFramework(state_, {"services", "services", "*"}, context_);
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(second->events.empty());
}

TEST_F(MasterCore, AnAppDefinitionIsCheckedFieldByField) {
  struct Case {
    const char* name;
    schema::WorkloadKind kind;
    std::uint32_t instances;
    std::string want_error;  // empty: defined
    std::vector<std::uint32_t> ports = {};  // portDefinitions[i].port
    bool require_ports = false;
  };
  constexpr auto kJob = schema::WorkloadKind::JOB;
  constexpr auto kService = schema::WorkloadKind::SERVICE;
  const Case cases[] = {
      {"a service of 0 instances", kService, 0, ""},
      {"a job of 1 completion", kJob, 1, ""},
      {"a job of 0 completions", kJob, 0, "instances: a job needs at least one completion"},
      {"required host ports, distinct", kService, 1, "", {8080, 0, 0, 8081}, true},
      {"a required host port twice", kService, 1, "portDefinitions[2].port: host port 8080 is required twice",
       {8080, 0, 8080}, true},
      {"the same service port twice, not required", kService, 1, "", {8080, 8080}, false},
      {"a port beyond 16 bits", kService, 1, "portDefinitions[0].port: 65536 is not a port (0-65535)", {65536}, false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    capnp::MallocMessageBuilder message;
    auto spec = message.initRoot<schema::AppSpec>();
    spec.setId("/batch");
    spec.setCmd("true");
    spec.setCpus(0.1);
    spec.setMemMb(32);
    spec.setKind(c.kind);
    spec.setInstances(c.instances);
    spec.setRequirePorts(c.require_ports);
    auto ports = spec.initPortDefinitions(static_cast<unsigned>(c.ports.size()));
    for (unsigned i = 0; i < c.ports.size(); ++i) ports[i].setPort(c.ports[i]);
    auto out = DecideDefineApp(state_, spec.asReader(), "v1", context_);
    if (c.want_error.empty()) {
      ASSERT_TRUE(out.ok()) << out.status().ToString();
      // A service's new version is a deployment; a job's is not.
      const std::vector<std::string> types = Types(*out);
      ASSERT_EQ(types.size(), c.kind == kService ? 2u : 1u);
      EXPECT_EQ(types[0], "AppDefined:/batch");
      if (c.kind == kService) {
        EXPECT_EQ(types[1].rfind("DeploymentStarted:", 0), 0u) << types[1];
      }
    } else {
      ASSERT_FALSE(out.ok());
      EXPECT_EQ(out.status().code(), StatusCode::kInvalidArgument);
      EXPECT_EQ(out.status().message(), c.want_error);
    }
  }
}

TEST_F(MasterCore, EventsCarryTheContextsTimePrincipalAndRequest) {
  auto out = DecideRegisterAgent(state_, Agent(), context_);
  ASSERT_TRUE(out.ok());
  EventDecoder decoder;
  auto event = decoder.Decode(LoggedEvent{0, out->events[0].bytes});
  ASSERT_TRUE(event.ok());
  EXPECT_EQ(event->envelope.getTimeNanos(), 1000);
  EXPECT_EQ(std::string(event->envelope.getPrincipal().cStr()), "regatta:master");
  EXPECT_EQ(std::string(event->envelope.getCorrelationId().cStr()), "req-1");
}

// ------------------------------------------------------------ kills

TEST_F(MasterCore, AKillIsRecordedAsKillingWithWhoAskedAndWhy) {
  Given({t::AgentRegistered("a1", 4, 4096), t::AppDefined("/web", 1, "v1"),
         t::TaskLaunched("t1", "/web", "a1", 0.5, 64), t::TaskStatus("t1", TaskState::RUNNING)});
  CommandContext operator_context = context_;
  operator_context.principal = "alice";
  operator_context.reason = "replace a slow instance";
  auto out = DecideKillTask(state_, {"t1"}, operator_context);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(Statuses(*out), (std::map<std::string, TaskState>{{"t1", TaskState::KILLING}}));
  EventDecoder decoder;
  auto event = decoder.Decode(LoggedEvent{0, out->events[0].bytes});
  ASSERT_TRUE(event.ok());
  EXPECT_EQ(std::string(event->envelope.getPrincipal().cStr()), "alice");
  EXPECT_EQ(std::string(event->envelope.getReason().cStr()), "replace a slow instance");
  ASSERT_EQ(out->effects.size(), 1u);
  EXPECT_EQ(out->effects[0].kind, Effect::Kind::kKillTask);
  EXPECT_EQ(out->effects[0].agent_id, "a1");
  EXPECT_EQ(out->effects[0].grace_seconds, 3.0);  // the app's killGracePeriodSeconds
}

TEST_F(MasterCore, AKillOfAKillingTaskOrdersItAgainAndRecordsNothing) {
  Given({t::AgentRegistered("a1", 4, 4096), t::TaskLaunched("t1", "/web", "a1", 0.5, 64),
         t::TaskStatus("t1", TaskState::KILLING)});
  auto out = DecideKillTask(state_, {"t1"}, context_);
  ASSERT_TRUE(out.ok());
  EXPECT_TRUE(out->events.empty());
  ASSERT_EQ(out->effects.size(), 1u);
  EXPECT_EQ(out->effects[0].kind, Effect::Kind::kKillTask);
}

TEST_F(MasterCore, AKillOfAnUnreachableTaskEndsItAndKillsItIfItComesBack) {
  Given({t::AgentRegistered("a1", 4, 4096), t::TaskLaunched("t1", "/web", "a1", 0.5, 64),
         t::TaskStatus("t1", TaskState::RUNNING), t::TaskStatus("t1", TaskState::UNREACHABLE)});
  auto out = DecideKillTask(state_, {"t1"}, context_);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(Statuses(*out), (std::map<std::string, TaskState>{{"t1", TaskState::KILLED}}));
  EXPECT_TRUE(out->effects.empty());  // its agent cannot hear it
  Commit(*out);
  RegisterAgent back = Agent("a1");
  back.running = {{"t1", TaskState::RUNNING}};
  auto reregistered = DecideRegisterAgent(state_, back, context_);
  ASSERT_TRUE(reregistered.ok());
  bool killed = false;
  for (const Effect& e : reregistered->effects) killed = killed || (e.kind == Effect::Kind::kKillTask && e.task_id == "t1");
  EXPECT_TRUE(killed);
}

TEST_F(MasterCore, AKillRecordedWhileTheAgentWasAwayIsOrderedAgainWhenItReturns) {
  Given({t::AgentRegistered("a1", 4, 4096), t::TaskLaunched("t1", "/web", "a1", 0.5, 64),
         t::TaskStatus("t1", TaskState::RUNNING), t::TaskStatus("t1", TaskState::KILLING)});
  RegisterAgent back = Agent("a1");
  back.running = {{"t1", TaskState::RUNNING}};
  auto out = DecideRegisterAgent(state_, back, context_);
  ASSERT_TRUE(out.ok());
  EXPECT_TRUE(Statuses(*out).empty());  // still KILLING: no move back to RUNNING
  bool killed = false;
  for (const Effect& e : out->effects) killed = killed || (e.kind == Effect::Kind::kKillTask && e.task_id == "t1");
  EXPECT_TRUE(killed);
}

TEST_F(MasterCore, AKillOfNoLiveTaskIsNotFoundNamingTheTask) {
  auto out = DecideKillTask(state_, {"nope"}, context_);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(out.status().field(), "taskId");
}

// ------------------------------------------------------------ refusals

TEST_F(MasterCore, AnUpdateTheLifecycleRejectsIsAcknowledgedAndReported) {
  Given({t::AgentRegistered("a1", 4, 4096), t::TaskLaunched("t1", "/web", "a1", 0.5, 64),
         t::TaskStatus("t1", TaskState::RUNNING)});
  auto out = DecideStatusUpdate(state_, {"t1", "a1", TaskState::STAGING, "", "", 0}, context_);
  ASSERT_TRUE(out.ok());
  EXPECT_TRUE(out->events.empty());
  ASSERT_EQ(out->refused_updates.size(), 1u);
  EXPECT_NE(out->refused_updates[0].find("TASK_RUNNING -> TASK_STAGING"), std::string::npos);
  EXPECT_EQ(out->effects[0].kind, Effect::Kind::kAcknowledge);
}

TEST_F(MasterCore, AnAgentOfferingWhatNoMachineHasIsRefusedNamingTheField) {
  const struct {
    double cpus, mem;
    const char* field;
  } cases[] = {
      {std::numeric_limits<double>::infinity(), 1024, "resources.cpus"},
      {1e308, 1024, "resources.cpus"},
      {4, -1, "resources.mem"},
  };
  for (const auto& c : cases) {
    RegisterAgent agent = Agent();
    agent.resources = R(c.cpus, c.mem);
    auto out = DecideRegisterAgent(state_, agent, context_);
    ASSERT_FALSE(out.ok()) << c.field;
    EXPECT_EQ(out.status().field(), c.field);
  }
  RegisterAgent bad_ports = Agent();
  bad_ports.ports = {{32000, 31000}};
  EXPECT_EQ(DecideRegisterAgent(state_, bad_ports, context_).status().field(), "resources.ports[0]");
}

TEST_F(MasterCore, ScalingAnAppNobodyDefinedIsNotFound) {
  auto out = DecideScaleApp(state_, "/nope", 3, context_);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(out.status().field(), "appId");
}

// ------------------------------------------------------------ the HTTP APIs' writes

TEST_F(MasterCore, CreateOnlyRefusesAnAppThatExistsAsMarathonsPostDoes) {
  Given({t::AppDefined("/web", 1, "v1")});
  capnp::MallocMessageBuilder message;
  auto spec = message.initRoot<schema::AppSpec>();
  spec.setId("/web");
  spec.setCmd("sleep 100");
  spec.setCpus(0.1);
  spec.setMemMb(32);
  auto out = DecideDefineApp(state_, spec.asReader(), "v2", context_, {std::nullopt, true});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kConflict);
  EXPECT_EQ(out.status().reason(), "An app with id [/web] already exists.");
  spec.setId("/other");
  EXPECT_TRUE(DecideDefineApp(state_, spec.asReader(), "v2", context_, {std::nullopt, true}).ok());
}

TEST_F(MasterCore, IfRevisionMustNameTheRevisionTheAppWasLastChangedAt) {
  Given({t::AgentRegistered("a1", 4, 4096), t::AppDefined("/web", 1, "v1")});  // the app at revision 1
  auto stale = DecideScaleApp(state_, "/web", 3, context_, {Revision{0}, false});
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(stale.status().message(), "If-Match: the app is at revision 1, not 0");
  auto fresh = DecideScaleApp(state_, "/web", 3, context_, {Revision{1}, false});
  ASSERT_TRUE(fresh.ok()) << fresh.status().ToString();
  EXPECT_EQ(Types(*fresh), (std::vector<std::string>{"AppScaled:/web"}));
  EXPECT_EQ(DecideDeleteApp(state_, "/web", context_, {Revision{7}, false}).status().code(),
            StatusCode::kFailedPrecondition);
}

TEST_F(MasterCore, DeletingAnAppRecordsItAndAnUnknownAppIsNotFound) {
  Given({t::AppDefined("/web", 1, "v1")});
  auto out = DecideDeleteApp(state_, "/web", context_);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(Types(*out), (std::vector<std::string>{"AppDeleted:/web"}));
  Commit(*out);
  auto again = DecideDeleteApp(state_, "/web", context_);
  EXPECT_EQ(again.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(again.status().message(), "appId: App '/web' does not exist");
}

TEST_F(MasterCore, ALaunchDelayIsResetOnlyForALiveApp) {
  Given({t::AppDefined("/web", 1, "v1")});
  auto out = DecideResetLaunchDelay(state_, "/web", context_);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(Types(*out), (std::vector<std::string>{"AppLaunchDelayReset:/web"}));
  EXPECT_EQ(DecideResetLaunchDelay(state_, "/nope", context_).status().code(), StatusCode::kNotFound);
}

TEST_F(MasterCore, KillingTasksWithScaleLowersEachAppOnceByItsKilledTasks) {
  Given({t::AgentRegistered("a1", 4, 4096), t::AppDefined("/web", 3, "v1"), t::AppDefined("/db", 2, "v1"),
         t::TaskLaunched("w1", "/web", "a1", 0.1, 64), t::TaskLaunched("w2", "/web", "a1", 0.1, 64),
         t::TaskLaunched("d1", "/db", "a1", 0.1, 64)});
  auto out = DecideKillTasks(state_, {"w1", "d1", "w2", "w1"}, true, context_);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(Types(*out), (std::vector<std::string>{"TaskStatusChanged:w1", "TaskStatusChanged:d1",
                                                   "TaskStatusChanged:w2", "AppScaled:/db", "AppScaled:/web"}));
  Commit(*out);
  EXPECT_EQ(state_.history().Current("/web")->instances, 1u);
  EXPECT_EQ(state_.history().Current("/db")->instances, 1u);
}

TEST_F(MasterCore, KillingTasksNamesTheFirstUnknownTaskAndKillsNone) {
  Given({t::AgentRegistered("a1", 4, 4096), t::AppDefined("/web", 2, "v1"),
         t::TaskLaunched("w1", "/web", "a1", 0.1, 64)});
  auto out = DecideKillTasks(state_, {"w1", "ghost"}, false, context_);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(out.status().field(), "taskIds[1]");
}

}  // namespace
}  // namespace regatta::master

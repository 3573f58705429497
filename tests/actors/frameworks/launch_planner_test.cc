// Given these events (folded into a ProjectionSet), when the services
// framework holds these offers, then it launches these tasks where.
#include "actors/frameworks/launch_planner.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <map>
#include <string>
#include <vector>

#include "tests/projections/fold.h"
#include "tests/support/sample_events.h"

namespace regatta::frameworks {
namespace {

using domain::Offer;
using domain::PortRange;
using domain::Quantity;
using domain::ResourceVector;
using schema::TaskState;
namespace t = regatta::testing;
using Events = std::vector<EncodedEvent>;
using Triple = std::array<std::string, 3>;

// ------------------------------------------------------------ builders

struct AppShape {
  double cpus = 0.1;
  double mem = 32;
  std::uint32_t ports = 1;
  std::vector<Triple> constraints;
  schema::WorkloadKind kind = schema::WorkloadKind::SERVICE;
  std::uint32_t max_retries = 3;
  std::vector<std::uint32_t> required_ports = {};  // non-empty: requirePorts, one per port (0: any)
};

EncodedEvent App(const std::string& id, std::uint32_t instances, const AppShape& shape = {},
                 const std::string& version = "v1") {
  return t::BuildEvent(t::StampAt(1), [&](auto e) {
    auto d = e.initAppDefined();
    d.setVersion(version);
    auto spec = d.initSpec();
    spec.setId(id);
    spec.setInstances(instances);
    spec.setCpus(shape.cpus);
    spec.setMemMb(shape.mem);
    spec.setDiskMb(10);
    spec.setKind(shape.kind);
    spec.setMaxRetries(shape.max_retries);
    auto ports = spec.initPortDefinitions(shape.ports);
    for (std::uint32_t i = 0; i < shape.ports; ++i) ports[i].setName("p" + std::to_string(i));
    spec.setRequirePorts(!shape.required_ports.empty());
    for (std::uint32_t i = 0; i < shape.required_ports.size() && i < shape.ports; ++i) {
      ports[i].setPort(shape.required_ports[i]);
    }
    auto labels = spec.initLabels(1);
    labels[0].setKey("team");
    labels[0].setValue("blue");
    auto constraints = spec.initConstraints(static_cast<unsigned>(shape.constraints.size()));
    for (unsigned i = 0; i < shape.constraints.size(); ++i) {
      constraints[i].setField(shape.constraints[i][0]);
      constraints[i].setOperator(shape.constraints[i][1]);
      constraints[i].setValue(shape.constraints[i][2]);
    }
  });
}

EncodedEvent Agent(const std::string& id, const std::string& zone = "z1") {
  return t::AgentRegistered(id, 8, 8192, 1, zone);
}

Offer On(const std::string& agent, double cpus = 4, double mem = 4096,
         std::vector<PortRange> ports = {{31000, 31010}}) {
  return {"services", agent,
          ResourceVector{Quantity::FromDouble(cpus), Quantity::FromDouble(mem),
                         Quantity::FromDouble(1000), {}},
          std::move(ports)};
}

struct Planned {
  projections::ProjectionSet state;
  Plan plan;
};

Planned PlanFor(const Events& given, std::vector<Offer> offers,
                const projections::StringMap<placement::BackoffState>* backoff = nullptr,
                schema::WorkloadKind kind = schema::WorkloadKind::SERVICE) {
  Planned out{t::Fold(given), {}};
  std::map<std::string, int> next;
  PlannerInput in;
  in.state = &out.state;
  in.kind = kind;
  in.offers = std::move(offers);
  in.now_nanos = 100;
  in.backoff = backoff;
  in.new_task_id = [&](std::string_view app) {
    return std::string(app) + "." + std::to_string(++next[std::string(app)]);
  };
  out.plan = PlanLaunches(in);
  return out;
}

// "agent app" per planned task, in plan order.
std::vector<std::string> Placements(const Plan& plan) {
  std::vector<std::string> out;
  for (const auto& accept : plan.accepts) {
    for (const auto& task : accept.tasks) out.push_back(accept.agent_id + " " + task.app_id);
  }
  return out;
}

std::map<std::string, std::string> Waiting(const Plan& plan) {
  std::map<std::string, std::string> out;
  for (const AppNeed& need : plan.needs) {
    if (!need.waiting_reason.empty()) out[need.app_id] = need.waiting_reason;
  }
  return out;
}

// ------------------------------------------------------------ the table

struct Case {
  const char* name;
  Events given;
  std::vector<Offer> when;
  std::vector<std::string> then_placed;
  std::vector<std::string> then_declined;
  std::map<std::string, std::string> then_waiting;
  schema::WorkloadKind serving = schema::WorkloadKind::SERVICE;  // the planner's kind
};

const AppShape kUniqueHost{0.1, 32, 1, {{"hostname", "UNIQUE", ""}}};
const AppShape kTwoPerZone{0.1, 32, 1, {{"zone", "MAX_PER", "2"}}};
const AppShape kByZone{0.1, 32, 1, {{"zone", "GROUP_BY", ""}}};
const AppShape kOneCpu{1, 32, 1, {}};
const AppShape kBigMem{0.1, 1500, 1, {}};
const AppShape kTwoPorts{0.1, 32, 2, {}};
const AppShape kBadConstraint{0.1, 32, 1, {{"hostname", "BOGUS", ""}}};
const AppShape kPort8080{0.1, 32, 1, {}, schema::WorkloadKind::SERVICE, 3, {8080}};
const AppShape kPort8080AndAny{0.1, 32, 2, {}, schema::WorkloadKind::SERVICE, 3, {8080, 0}};
const AppShape kJob{0.1, 32, 1, {}, schema::WorkloadKind::JOB, 3};
const AppShape kJobNoRetries{0.1, 32, 1, {}, schema::WorkloadKind::JOB, 0};
constexpr auto kJobs = schema::WorkloadKind::JOB;

// `n` tasks of `app` (version v1) on a1 that started and ended in `state`.
Events Ended(const std::string& app, TaskState state, int n) {
  Events out;
  for (int i = 0; i < n; ++i) {
    const std::string id = app + ".ended" + std::to_string(i);
    out.push_back(t::TaskLaunched(id, app, "a1", 0.1, 32));
    out.push_back(t::TaskStatus(id, state));
  }
  return out;
}

Events Cat(Events head, const Events& tail) {
  head.insert(head.end(), tail.begin(), tail.end());
  return head;
}

std::vector<Case> Cases() {
  return {
      {"LaunchesTheWantedCountSpreadAcrossAgents", {Agent("a1"), Agent("a2"), App("/web", 3)},
       {On("a1"), On("a2")}, {"a1 /web", "a1 /web", "a2 /web"}, {}, {}},
      {"LiveTasksCountAndTheNewOnesGoElsewhere",
       {Agent("a1"), Agent("a2"), App("/web", 3), t::TaskLaunched("old", "/web", "a1", 0.1, 32)},
       {On("a1"), On("a2")}, {"a1 /web", "a2 /web"}, {}, {}},
      {"TerminalTasksDoNotCount",
       {Agent("a1"), App("/web", 2), t::TaskLaunched("old", "/web", "a1", 0.1, 32),
        t::TaskStatus("old", TaskState::FAILED)},
       {On("a1")}, {"a1 /web", "a1 /web"}, {}, {}},
      {"AnAppAtItsCountLaunchesNothing",
       {Agent("a1"), App("/web", 1), t::TaskLaunched("old", "/web", "a1", 0.1, 32)},
       {On("a1")}, {}, {"a1"}, {}},
      {"TheScaledCountWins", {Agent("a1"), App("/web", 1), t::AppScaled("/web", 3, 1)},
       {On("a1")}, {"a1 /web", "a1 /web", "a1 /web"}, {}, {}},
      {"ScalingBelowTheLiveCountLaunchesNothing",
       {Agent("a1"), App("/web", 3), t::TaskLaunched("x", "/web", "a1", 0.1, 32),
        t::TaskLaunched("y", "/web", "a1", 0.1, 32), t::AppScaled("/web", 1, 3)},
       {On("a1")}, {}, {"a1"}, {}},
      {"ADeletedAppLaunchesNothing", {Agent("a1"), App("/web", 2), t::AppDeleted("/web")},
       {On("a1")}, {}, {"a1"}, {}},
      {"AnAppDefinedAgainAfterDeletionLaunches",
       {Agent("a1"), App("/web", 2), t::AppDeleted("/web"), App("/web", 1, {}, "v2")},
       {On("a1")}, {"a1 /web"}, {}, {}},
      {"CpusBoundHowManyFitInAnOffer", {Agent("a1"), App("/web", 5, kOneCpu)}, {On("a1", 3)},
       {"a1 /web", "a1 /web", "a1 /web"}, {}, {{"/web", "insufficient cpus"}}},
      {"MemoryBoundHowManyFitInAnOffer", {Agent("a1"), App("/web", 5, kBigMem)},
       {On("a1", 4, 3200)}, {"a1 /web", "a1 /web"}, {}, {{"/web", "insufficient memMb"}}},
      {"PortsBoundHowManyFitInAnOffer", {Agent("a1"), App("/web", 3, kTwoPorts)},
       {On("a1", 4, 4096, {{31000, 31002}})}, {"a1 /web"}, {}, {{"/web", "insufficient ports"}}},
      {"ARequiredHostPortGoesOnlyWhereItIsFree",
       {Agent("a1"), Agent("a2"), App("/web", 1, kPort8080)},
       {On("a1", 4, 4096, {{31000, 31010}}), On("a2", 4, 4096, {{8000, 8100}})}, {"a2 /web"}, {"a1"}, {}},
      {"ARequiredHostPortAllowsOneInstancePerAgent", {Agent("a1"), App("/web", 3, kPort8080)},
       {On("a1", 4, 4096, {{8000, 8100}})}, {"a1 /web"}, {}, {{"/web", "insufficient ports"}}},
      {"AnOfferWithoutEnoughPortsIsSkipped", {Agent("a1"), Agent("a2"), App("/web", 2)},
       {On("a1", 4, 4096, {}), On("a2")}, {"a2 /web", "a2 /web"}, {"a1"}, {}},
      {"UniqueHostnamePutsOnePerAgent",
       {Agent("a1"), Agent("a2"), Agent("a3"), App("/web", 5, kUniqueHost)},
       {On("a1"), On("a2"), On("a3")}, {"a1 /web", "a2 /web", "a3 /web"}, {},
       {{"/web", "no offer satisfies [\"hostname\",\"UNIQUE\"]"}}},
      {"UniqueHostnameCountsLiveTasks",
       {Agent("a1"), Agent("a2"), App("/web", 2, kUniqueHost),
        t::TaskLaunched("old", "/web", "a1", 0.1, 32)},
       {On("a1"), On("a2")}, {"a2 /web"}, {"a1"}, {}},
      {"MaxPerCapsEachZone",
       {Agent("a1", "z1"), Agent("a2", "z1"), Agent("a3", "z2"), App("/web", 6, kTwoPerZone)},
       {On("a1"), On("a2"), On("a3")}, {"a1 /web", "a2 /web", "a3 /web", "a3 /web"}, {},
       {{"/web", "no offer satisfies [\"zone\",\"MAX_PER\",\"2\"]"}}},
      {"GroupByRevisitsOffersOnceTheOtherGroupsCatchUp",
       {Agent("a1", "z1"), Agent("a2", "z1"), Agent("a3", "z2"), App("/web", 4, kByZone)},
       {On("a1"), On("a2"), On("a3")}, {"a1 /web", "a2 /web", "a3 /web", "a3 /web"}, {}, {}},
      {"UnusedOffersAreDeclined", {Agent("a1"), Agent("a2"), Agent("a3"), App("/web", 1)},
       {On("a3"), On("a1"), On("a2")}, {"a1 /web"}, {"a2", "a3"}, {}},
      {"AppsAreServedInIdOrder", {Agent("a1"), App("/b", 1, kOneCpu), App("/a", 1, kOneCpu)},
       {On("a1", 1)}, {"a1 /a"}, {}, {{"/b", "insufficient cpus"}}},
      {"NoOffersLeavesTheAppWaiting", {Agent("a1"), App("/web", 2)}, {}, {}, {},
       {{"/web", "no offers"}}},
      {"AnOfferFromAnUnknownAgentIsDeclined", {App("/web", 1)}, {On("a9")}, {}, {"a9"},
       {{"/web", "offer from an unknown or inactive agent"}}},
      {"AnUnreachableAgentTakesNothing", {Agent("a1"), t::AgentUnreachable("a1", 2), App("/web", 1)},
       {On("a1")}, {}, {"a1"}, {{"/web", "offer from an unknown or inactive agent"}}},
      {"AnAppWithABadConstraintWaitsWithTheParseError", {Agent("a1"), App("/web", 1, kBadConstraint)},
       {On("a1")}, {}, {"a1"},
       {{"/web", "app /web: constraints[0]: [\"hostname\",\"BOGUS\"]: unknown operator \"BOGUS\"; "
                 "expected UNIQUE, CLUSTER, GROUP_BY, LIKE, UNLIKE, MAX_PER or IS"}}},
      {"AServiceReplacesEvenAFinishedTask", Cat({Agent("a1"), App("/web", 1)}, Ended("/web", TaskState::FINISHED, 1)),
       {On("a1")}, {"a1 /web"}, {}, {}},
      // Jobs: run to completion, retried until they fail more than maxRetries times.
      {"AJobRunsItsInstancesInParallel", {Agent("a1"), App("/batch", 3, kJob)}, {On("a1")},
       {"a1 /batch", "a1 /batch", "a1 /batch"}, {}, {}, kJobs},
      {"AJobsFinishedTasksReduceWhatItWants",
       Cat({Agent("a1"), App("/batch", 3, kJob)}, Ended("/batch", TaskState::FINISHED, 2)), {On("a1")},
       {"a1 /batch"}, {}, {}, kJobs},
      {"AJobsRunningAndFinishedTasksBothCount",
       Cat({Agent("a1"), App("/batch", 3, kJob), t::TaskLaunched("run", "/batch", "a1", 0.1, 32)},
           Ended("/batch", TaskState::FINISHED, 1)),
       {On("a1")}, {"a1 /batch"}, {}, {}, kJobs},
      {"AFinishedJobLaunchesNothing",
       Cat({Agent("a1"), App("/batch", 2, kJob)}, Ended("/batch", TaskState::FINISHED, 2)), {On("a1")}, {},
       {"a1"}, {}, kJobs},
      {"AJobRetriesUpToMaxRetriesFailures",
       Cat({Agent("a1"), App("/batch", 2, kJob)}, Ended("/batch", TaskState::FAILED, 3)), {On("a1")},
       {"a1 /batch", "a1 /batch"}, {}, {}, kJobs},
      {"AJobFailingMoreThanMaxRetriesTimesStops",
       Cat({Agent("a1"), App("/batch", 2, kJob)}, Ended("/batch", TaskState::FAILED, 4)), {On("a1")}, {},
       {"a1"}, {{"/batch", "job failed: 4 failures, maxRetries 3"}}, kJobs},
      {"LostAndErrorCountAsFailures",
       Cat(Cat({Agent("a1"), App("/batch", 1, kJobNoRetries)}, Ended("/batch", TaskState::LOST, 1)),
           Ended("/batch", TaskState::ERROR, 1)),
       {On("a1")}, {}, {"a1"}, {{"/batch", "job failed: 2 failures, maxRetries 0"}}, kJobs},
      {"AKilledJobTaskIsRelaunchedAndIsNoFailure",
       Cat({Agent("a1"), App("/batch", 1, kJobNoRetries)}, Ended("/batch", TaskState::KILLED, 1)),
       {On("a1")}, {"a1 /batch"}, {}, {}, kJobs},
      {"ANewVersionOfAJobStartsOver",
       Cat({Agent("a1"), App("/batch", 2, kJob)},
           Cat(Ended("/batch", TaskState::FINISHED, 2), {App("/batch", 2, kJob, "v2")})),
       {On("a1")}, {"a1 /batch", "a1 /batch"}, {}, {}, kJobs},
      {"AJobsPlannerLeavesServicesAlone", {Agent("a1"), App("/web", 1), App("/batch", 1, kJob)},
       {On("a1")}, {"a1 /batch"}, {}, {}, kJobs},
      {"ALaunchPlannerLeavesJobsAlone", {Agent("a1"), App("/web", 1), App("/batch", 1, kJob)},
       {On("a1")}, {"a1 /web"}, {}, {}},
  };
}

class LaunchPlanner : public ::testing::TestWithParam<Case> {};

TEST_P(LaunchPlanner, GivenWhenThen) {
  const Case& c = GetParam();
  const Planned out = PlanFor(c.given, c.when, nullptr, c.serving);
  EXPECT_EQ(Placements(out.plan), c.then_placed);
  EXPECT_EQ(out.plan.declined_offers, c.then_declined);
  EXPECT_EQ(Waiting(out.plan), c.then_waiting);
}

INSTANTIATE_TEST_SUITE_P(Table, LaunchPlanner, ::testing::ValuesIn(Cases()),
                         [](const auto& info) { return std::string(info.param.name); });

// ------------------------------------------------------------ details

TEST(LaunchPlannerDetail, PortsAreTheLowestFreeOnesDistinctAndWithinTheRanges) {
  const Planned out = PlanFor({Agent("a1"), App("/web", 3, kTwoPorts)},
                              {On("a1", 4, 4096, {{31005, 31010}, {31000, 31001}})});
  ASSERT_EQ(out.plan.accepts.size(), 1u);
  std::vector<std::vector<std::uint32_t>> ports;
  for (const auto& task : out.plan.accepts[0].tasks) ports.push_back(task.host_ports);
  EXPECT_EQ(ports, (std::vector<std::vector<std::uint32_t>>{
                       {31000, 31001}, {31005, 31006}, {31007, 31008}}));
  ASSERT_EQ(out.plan.accepts[0].offered_ports.size(), 2u) << "the offer's ranges, as offered";
  EXPECT_EQ(out.plan.accepts[0].offered_ports[0].begin, 31005u);
}

// A required port is taken from inside a range (splitting it); a 0 then
// takes the lowest port left, never the required one.
TEST(LaunchPlannerDetail, RequiredPortsAreTakenFirstAndAnyPortsFromWhatIsLeft) {
  const Planned out = PlanFor({Agent("a1"), App("/web", 2, kPort8080AndAny)}, {On("a1", 4, 4096, {{8079, 8081}})});
  ASSERT_EQ(out.plan.accepts.size(), 1u);
  ASSERT_EQ(out.plan.accepts[0].tasks.size(), 1u) << "8080 is free for one task only";
  EXPECT_EQ(out.plan.accepts[0].tasks[0].host_ports, (std::vector<std::uint32_t>{8080, 8079}));
}

TEST(LaunchPlannerDetail, ATaskCarriesItsIdVersionResourcesAndLabels) {
  const Planned out = PlanFor({Agent("a1"), App("/web", 1, kOneCpu, "2024-01-01")}, {On("a1")});
  ASSERT_EQ(out.plan.accepts.size(), 1u);
  const domain::AcceptOffer& accept = out.plan.accepts[0];
  EXPECT_EQ(accept.framework_id, "services");
  EXPECT_EQ(accept.offered.cpus, Quantity::FromDouble(4));
  ASSERT_EQ(accept.tasks.size(), 1u);
  const domain::TaskToLaunch& task = accept.tasks[0];
  EXPECT_EQ(task.task_id, "/web.1");
  EXPECT_EQ(task.app_version, "2024-01-01");
  EXPECT_EQ(task.resources.cpus, Quantity::FromDouble(1));
  EXPECT_EQ(task.resources.mem_mb, Quantity::FromDouble(32));
  EXPECT_EQ(task.resources.disk_mb, Quantity::FromDouble(10));
  EXPECT_EQ(task.labels, (domain::Attributes{{"team", "blue"}, {"regatta.app", "/web"}}));
}

TEST(LaunchPlannerDetail, NeedsReportTheArithmeticForEveryLiveApp) {
  const Planned out = PlanFor({Agent("a1"), App("/a", 2), App("/b", 4, kOneCpu),
                               t::TaskLaunched("old", "/b", "a1", 1, 32)},
                              {On("a1", 2)});
  ASSERT_EQ(out.plan.needs.size(), 2u);
  const AppNeed& a = out.plan.needs[0];
  const AppNeed& b = out.plan.needs[1];
  EXPECT_EQ((std::vector<std::uint32_t>{a.wanted, a.live, a.to_launch, a.planned}),
            (std::vector<std::uint32_t>{2, 0, 2, 2}));
  EXPECT_EQ((std::vector<std::uint32_t>{b.wanted, b.live, b.to_launch, b.planned}),
            (std::vector<std::uint32_t>{4, 1, 3, 1}));
  EXPECT_EQ(b.waiting_reason, "insufficient cpus");
}

TEST(LaunchPlannerDetail, AJobsNeedReportsItsCompletionsAndOnlyJobsAreReported) {
  const Planned out = PlanFor(Cat(Cat({Agent("a1"), App("/web", 1), App("/batch", 5, kJob)},
                                      Ended("/batch", TaskState::FINISHED, 2)),
                                  Ended("/batch", TaskState::FAILED, 1)),
                              {On("a1")}, nullptr, kJobs);
  ASSERT_EQ(out.plan.needs.size(), 1u);
  const AppNeed& need = out.plan.needs[0];
  EXPECT_EQ(need.app_id, "/batch");
  EXPECT_EQ((std::vector<std::uint64_t>{need.wanted, need.live, need.to_launch, need.planned, need.finished,
                                        need.failed}),
            (std::vector<std::uint64_t>{3, 0, 3, 3, 2, 1}));
}

// The arithmetic alone: (definition, completions) -> target.
TEST(TargetFor, WantedIsInstancesForAServiceAndWhatIsLeftForAJob) {
  struct Case {
    const char* name;
    schema::WorkloadKind kind;
    std::uint32_t instances;
    projections::Completions done;  // for /a
    std::uint32_t want_wanted;
    std::string want_stopped;
  };
  constexpr auto kService = schema::WorkloadKind::SERVICE;
  const Case cases[] = {
      {"a service ignores completions", kService, 3, {"v1", 2, 9}, 3, ""},
      {"a job with none done wants all", kJobs, 3, {"v1", 0, 0}, 3, ""},
      {"a job wants what is left", kJobs, 5, {"v1", 2, 0}, 3, ""},
      {"a job all done wants none", kJobs, 5, {"v1", 5, 0}, 0, ""},
      {"a job scaled below its completions wants none", kJobs, 3, {"v1", 5, 0}, 0, ""},
      {"maxRetries failures still retry", kJobs, 2, {"v1", 0, 3}, 2, ""},
      {"one more fails the job", kJobs, 2, {"v1", 1, 4}, 1, "job failed: 4 failures, maxRetries 3"},
      {"another version's counts are not this one's", kJobs, 2, {"v0", 2, 7}, 2, ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    AppDefinition app;
    app.id = "/a";
    app.version = "v1";
    app.instances = c.instances;
    app.kind = c.kind;
    app.max_retries = 3;
    projections::StringMap<projections::Completions> completions;
    completions["/a"] = c.done;
    const AppTarget target = TargetFor(app, completions);
    EXPECT_EQ(target.wanted, c.want_wanted);
    EXPECT_EQ(target.stopped, c.want_stopped);
  }
}

TEST(LaunchPlannerDetail, AnAppInBackoffWaits) {
  projections::StringMap<placement::BackoffState> backoff;
  backoff["/web"].RecordFailure(placement::BackoffPolicy{}, 50);  // may launch at 50 + 1 s
  const Planned out = PlanFor({Agent("a1"), App("/web", 1)}, {On("a1")}, &backoff);
  EXPECT_TRUE(out.plan.accepts.empty());
  EXPECT_EQ(Waiting(out.plan).at("/web"), "backing off until 1000000050");
}

// Everything but the state pointer, as text: two plans are equal when this is.
std::string Render(const Plan& plan) {
  std::string out;
  for (const auto& accept : plan.accepts) {
    for (const auto& task : accept.tasks) {
      out += accept.agent_id + " " + task.task_id;
      for (std::uint32_t port : task.host_ports) out += " " + std::to_string(port);
      out += "\n";
    }
  }
  for (const auto& agent : plan.declined_offers) out += "declined " + agent + "\n";
  for (const auto& need : plan.needs) out += need.app_id + ": " + need.waiting_reason + "\n";
  return out;
}

TEST(LaunchPlannerDetail, TheSameInputInAnyOfferOrderGivesTheSamePlan) {
  Events given;
  std::vector<Offer> offers;
  for (int i = 0; i < 20; ++i) {
    const std::string agent = "a" + std::to_string(i);
    given.push_back(Agent(agent, "z" + std::to_string(i % 3)));
    offers.push_back(On(agent, 1));
  }
  for (int i = 0; i < 10; ++i) given.push_back(App("/app" + std::to_string(i), 4, kByZone));
  const std::string first = Render(PlanFor(given, offers).plan);
  std::reverse(offers.begin(), offers.end());
  EXPECT_EQ(Render(PlanFor(given, offers).plan), first);
  EXPECT_NE(first.find("/app9.4"), std::string::npos) << first;
}

TEST(LaunchPlannerDetail, ManyAppsOverManyOffersAllPlaceAndSpread) {
  Events given;
  std::vector<Offer> offers;
  for (int i = 0; i < 2000; ++i) {
    const std::string agent = "agent-" + std::to_string(10000 + i);
    given.push_back(t::AgentRegistered(agent, 8, 8192, 1, "z" + std::to_string(i % 5)));
    offers.push_back(On(agent, 8, 8192, {{31000, 32000}}));
  }
  for (int i = 0; i < 300; ++i) {
    given.push_back(App("/app" + std::to_string(1000 + i), 10, i % 2 ? kUniqueHost : AppShape{}));
  }
  const Planned out = PlanFor(given, offers);
  std::size_t placed = 0;
  for (const auto& accept : out.plan.accepts) placed += accept.tasks.size();
  EXPECT_EQ(placed, 3000u);
  EXPECT_TRUE(Waiting(out.plan).empty());
}

}  // namespace
}  // namespace regatta::frameworks

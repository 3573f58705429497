#include "actors/placement/constraints.h"

#include <gtest/gtest.h>

#include <capnp/message.h>

#include <string>
#include <utility>
#include <vector>

#include "tests/projections/fold.h"
#include "tests/support/sample_events.h"

namespace regatta::placement {
namespace {

using projections::AgentInfo;
using projections::AgentStatus;
using projections::SchedulingProjection;
using projections::StringMap;
using projections::TaskInfo;

// ------------------------------------------------------------------ fixtures

AgentInfo Agent(std::string hostname, std::vector<std::pair<std::string, std::string>> attributes,
                AgentStatus status = AgentStatus::kActive) {
  AgentInfo agent;
  agent.hostname = std::move(hostname);
  agent.attributes = std::move(attributes);
  agent.status = status;
  return agent;
}

// Three zones; racks on all but a4.
StringMap<AgentInfo> Cluster() {
  StringMap<AgentInfo> agents;
  agents["a1"] = Agent("h1", {{"zone", "z1"}, {"rack", "r1"}});
  agents["a2"] = Agent("h2", {{"zone", "z1"}, {"rack", "r2"}});
  agents["a3"] = Agent("h3", {{"zone", "z2"}, {"rack", "r3"}});
  agents["a4"] = Agent("h4", {{"zone", "z3"}});
  return agents;
}

// One task of the app on each listed agent (repeats allowed).
std::vector<TaskInfo> TasksOn(const std::vector<std::string>& agent_ids) {
  std::vector<TaskInfo> tasks;
  for (const auto& id : agent_ids) {
    TaskInfo task;
    task.app_id = "/web";
    task.agent_id = id;
    tasks.push_back(task);
  }
  return tasks;
}

std::vector<const TaskInfo*> Pointers(const std::vector<TaskInfo>& tasks) {
  std::vector<const TaskInfo*> out;
  for (const auto& t : tasks) out.push_back(&t);
  return out;
}

Constraint Must(const std::string& field, const std::string& op, const std::string& value) {
  auto parsed = domain::ParseConstraint(field, op, value);
  EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
  return parsed.ok() ? *parsed : Constraint{};
}

// ------------------------------------------------------------------ parsing

TEST(ParseConstraint, AcceptsMarathonForms) {
  struct Case {
    const char* field; const char* op; const char* value;
    ConstraintOperator want_op; std::uint32_t want_limit;
  };
  const Case cases[] = {
      {"hostname", "UNIQUE", "", ConstraintOperator::kUnique, 0},
      {"zone", "CLUSTER", "", ConstraintOperator::kCluster, 0},
      {"zone", "CLUSTER", "z1", ConstraintOperator::kCluster, 0},
      {"rack", "GROUP_BY", "", ConstraintOperator::kGroupBy, 0},
      {"rack", "GROUP_BY", "3", ConstraintOperator::kGroupBy, 3},
      {"rack", "GROUP_BY", "0", ConstraintOperator::kGroupBy, 0},
      {"rack", "LIKE", "r[0-9]+", ConstraintOperator::kLike, 0},
      {"rack", "UNLIKE", "r1|r2", ConstraintOperator::kUnlike, 0},
      {"hostname", "MAX_PER", "2", ConstraintOperator::kMaxPer, 2},
      {"hostname", "MAX_PER", "4294967295", ConstraintOperator::kMaxPer, 4294967295u},
      {"zone", "IS", "z1", ConstraintOperator::kIs, 0},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.field) + " " + c.op + " " + c.value);
    auto parsed = domain::ParseConstraint(c.field, c.op, c.value);
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    EXPECT_EQ(parsed->op, c.want_op);
    EXPECT_EQ(parsed->limit, c.want_limit);
    EXPECT_EQ(parsed->pattern != nullptr, std::string(c.op).find("LIKE") != std::string::npos);
    EXPECT_EQ(std::string(domain::ConstraintOperatorName(parsed->op)), c.op);
  }
}

TEST(ParseConstraint, RejectsWithAMessageNamingTheProblem) {
  struct Case { const char* field; const char* op; const char* value; const char* want; };
  const Case cases[] = {
      {"", "UNIQUE", "", "the field is empty"},
      {"zone", "SPREAD", "", "unknown operator \"SPREAD\""},
      {"zone", "unique", "", "unknown operator \"unique\""},
      {"zone", "UNIQUE", "z1", "UNIQUE takes no value"},
      {"rack", "GROUP_BY", "three", "\"three\" is not a whole number"},
      {"rack", "GROUP_BY", "-1", "\"-1\" is not a whole number"},
      {"rack", "GROUP_BY", "2 ", "\"2 \" is not a whole number"},
      {"host", "MAX_PER", "", "MAX_PER needs a number of tasks"},
      {"host", "MAX_PER", "0", "at least 1"},
      {"host", "MAX_PER", "1.5", "not a whole number"},
      {"host", "MAX_PER", "99999999999", "too large"},
      {"rack", "LIKE", "", "a regular expression is required"},
      {"rack", "UNLIKE", "r[1-", "not a valid regular expression"},
      {"rack", "LIKE", "(r1", "not a valid regular expression"},
      {"zone", "IS", "", "IS needs a value"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.field) + " " + c.op + " " + c.value);
    auto parsed = domain::ParseConstraint(c.field, c.op, c.value);
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(parsed.status().message().find(c.want), std::string::npos) << parsed.status().message();
    EXPECT_NE(parsed.status().message().find("constraint [\""), std::string::npos);
  }
}

TEST(ParseConstraints, ReadsAnAppSpecAndStopsAtTheFirstBadOne) {
  capnp::MallocMessageBuilder message;
  auto spec = message.initRoot<schema::AppSpec>();
  auto list = spec.initConstraints(2);
  list[0].setField("hostname");
  list[0].setOperator("UNIQUE");
  list[1].setField("rack");
  list[1].setOperator("GROUP_BY");
  list[1].setValue("2");

  auto parsed = domain::ParseConstraints(spec.asReader().getConstraints());
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  ASSERT_EQ(parsed->size(), 2u);
  EXPECT_EQ(domain::Describe((*parsed)[0]), "[\"hostname\",\"UNIQUE\"]");
  EXPECT_EQ(domain::Describe((*parsed)[1]), "[\"rack\",\"GROUP_BY\",\"2\"]");

  list[1].setValue("two");
  auto bad = domain::ParseConstraints(spec.asReader().getConstraints());
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("[\"rack\",\"GROUP_BY\",\"two\"]"), std::string::npos);
}

TEST(FieldValue, IsTheHostnameOrAnAttribute) {
  const AgentInfo agent = Agent("h1", {{"zone", "z1"}, {"rack", "r1"}});
  EXPECT_EQ(FieldValue(agent, "hostname"), "h1");
  EXPECT_EQ(FieldValue(agent, "rack"), "r1");
  EXPECT_EQ(FieldValue(agent, "gpu"), std::nullopt);
}

// ------------------------------------------------------------------ placement

TEST(Satisfies, FollowsMarathonSemantics) {
  struct Case {
    const char* name;
    const char* field; const char* op; const char* value;
    std::vector<std::string> placed;  // agents already running the app's tasks
    const char* candidate;
    bool want;
  };
  const Case cases[] = {
      {"UNIQUE hostname: a fresh host", "hostname", "UNIQUE", "", {}, "a1", true},
      {"UNIQUE hostname: host taken", "hostname", "UNIQUE", "", {"a1"}, "a1", false},
      {"UNIQUE hostname: another host", "hostname", "UNIQUE", "", {"a1"}, "a2", true},
      {"UNIQUE zone: zone taken by a sibling host", "zone", "UNIQUE", "", {"a1"}, "a2", false},
      {"UNIQUE zone: a fresh zone", "zone", "UNIQUE", "", {"a1"}, "a3", true},
      {"CLUSTER z1: in z1", "zone", "CLUSTER", "z1", {}, "a2", true},
      {"CLUSTER z1: outside z1", "zone", "CLUSTER", "z1", {"a1"}, "a3", false},
      {"CLUSTER: first task goes anywhere", "zone", "CLUSTER", "", {}, "a3", true},
      {"CLUSTER: follows the first task", "zone", "CLUSTER", "", {"a3"}, "a3", true},
      {"CLUSTER: not away from it", "zone", "CLUSTER", "", {"a3"}, "a1", false},
      {"CLUSTER: already split, joins a used value", "zone", "CLUSTER", "", {"a1", "a3"}, "a2", true},
      {"CLUSTER: already split, no new value", "zone", "CLUSTER", "", {"a1", "a3"}, "a4", false},
      {"GROUP_BY: empty cluster", "zone", "GROUP_BY", "", {}, "a1", true},
      {"GROUP_BY: z1 ahead of the others", "zone", "GROUP_BY", "", {"a1"}, "a2", false},
      {"GROUP_BY: z2 is behind", "zone", "GROUP_BY", "", {"a1"}, "a3", true},
      {"GROUP_BY: all level, any zone", "zone", "GROUP_BY", "", {"a1", "a3", "a4"}, "a2", true},
      {"GROUP_BY: z3 is the last to fill", "zone", "GROUP_BY", "", {"a1", "a2", "a3"}, "a4", true},
      {"GROUP_BY: z1 must wait for z3", "zone", "GROUP_BY", "", {"a1", "a2", "a3"}, "a1", false},
      {"GROUP_BY 4 with 3 zones: a fresh zone", "zone", "GROUP_BY", "4", {"a1"}, "a3", true},
      {"GROUP_BY 4 with 3 zones: the unseen zone holds back",
       "zone", "GROUP_BY", "4", {"a1", "a3", "a4"}, "a2", false},
      {"GROUP_BY 2 with 3 zones: as without n", "zone", "GROUP_BY", "2", {"a1", "a3", "a4"}, "a2", true},
      {"LIKE: full match", "rack", "LIKE", "r[12]", {}, "a1", true},
      {"LIKE: no match", "rack", "LIKE", "r[12]", {}, "a3", false},
      {"LIKE: a prefix is not a match", "rack", "LIKE", "r", {}, "a1", false},
      {"UNLIKE: excluded", "rack", "UNLIKE", "r[12]", {}, "a1", false},
      {"UNLIKE: not excluded", "rack", "UNLIKE", "r[12]", {}, "a3", true},
      {"MAX_PER 2: room left", "zone", "MAX_PER", "2", {"a1"}, "a2", true},
      {"MAX_PER 2: full", "zone", "MAX_PER", "2", {"a1", "a2"}, "a1", false},
      {"MAX_PER 2: another zone", "zone", "MAX_PER", "2", {"a1", "a2"}, "a3", true},
      {"MAX_PER 2 hostname: two on one host", "hostname", "MAX_PER", "2", {"a1", "a1"}, "a1", false},
      {"IS: equal", "zone", "IS", "z2", {}, "a3", true},
      {"IS: different", "zone", "IS", "z2", {}, "a1", false},
      // a4 has no rack: only UNLIKE holds.
      {"missing field: UNIQUE", "rack", "UNIQUE", "", {}, "a4", false},
      {"missing field: CLUSTER", "rack", "CLUSTER", "", {}, "a4", false},
      {"missing field: CLUSTER v", "rack", "CLUSTER", "r1", {}, "a4", false},
      {"missing field: GROUP_BY", "rack", "GROUP_BY", "", {}, "a4", false},
      {"missing field: LIKE", "rack", "LIKE", ".*", {}, "a4", false},
      {"missing field: UNLIKE", "rack", "UNLIKE", "r[12]", {}, "a4", true},
      {"missing field: MAX_PER", "rack", "MAX_PER", "5", {}, "a4", false},
      {"missing field: IS", "rack", "IS", "r1", {}, "a4", false},
  };
  const StringMap<AgentInfo> agents = Cluster();
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const std::vector<Constraint> constraints = {Must(c.field, c.op, c.value)};
    const auto tasks = TasksOn(c.placed);
    const auto context = PlacementContext::ForTasks(agents, Pointers(tasks), constraints);
    EXPECT_EQ(Satisfies(constraints[0], agents.at(c.candidate), context), c.want);
  }
}

TEST(PlacementContext, GroupsAreTheValuesOfActiveAgentsOnly) {
  StringMap<AgentInfo> agents = Cluster();
  agents["a5"] = Agent("h5", {{"zone", "z4"}}, AgentStatus::kUnreachable);
  agents["a6"] = Agent("h6", {{"zone", "z5"}}, AgentStatus::kGone);
  const std::vector<Constraint> constraints = {Must("zone", "GROUP_BY", "")};
  const auto tasks = TasksOn({"a1", "a3", "a4", "a5"});
  const auto context = PlacementContext::ForTasks(agents, Pointers(tasks), constraints);

  EXPECT_EQ(context.Groups("zone"), 3u);  // z4 and z5 cannot take a task
  EXPECT_EQ(context.MinGroupTasks("zone"), 1u);
  EXPECT_EQ(context.TasksOn("zone", "z4"), 1u);  // still counted where it runs
  EXPECT_EQ(context.TasksWithField("zone"), 4u);
  EXPECT_TRUE(Satisfies(constraints[0], agents.at("a2"), context));
}

TEST(PlacementContext, ATaskOnAnUnknownAgentStillCountsItsHostname) {
  const StringMap<AgentInfo> agents = Cluster();
  const std::vector<Constraint> constraints = {Must("hostname", "UNIQUE", ""),
                                               Must("zone", "UNIQUE", "")};
  std::vector<TaskInfo> tasks = TasksOn({"ghost"});
  tasks[0].hostname = "h1";
  const auto context = PlacementContext::ForTasks(agents, Pointers(tasks), constraints);
  EXPECT_EQ(context.TasksOn("hostname", "h1"), 1u);
  EXPECT_EQ(context.TasksWithField("zone"), 0u);
  EXPECT_FALSE(Satisfies(constraints[0], agents.at("a1"), context));
}

TEST(PlacementContext, ForAppCountsOnlyTheAppsLiveTasks) {
  using testing::AgentRegistered;
  using testing::TaskLaunched;
  const auto cluster = testing::Fold<SchedulingProjection>({
      AgentRegistered("a1", 8, 4096, 1, "z1"), AgentRegistered("a2", 8, 4096, 1, "z1"),
      AgentRegistered("a3", 8, 4096, 1, "z2"),
      TaskLaunched("t1", "/web", "a1", 1, 128),
      TaskLaunched("t2", "/other", "a3", 1, 128),
      TaskLaunched("t3", "/web", "a3", 1, 128),
      testing::TaskStatus("t3", schema::TaskState::FAILED),
  });
  const std::vector<Constraint> constraints = {Must("zone", "UNIQUE", "")};
  const auto context = PlacementContext::ForApp(cluster, "/web", constraints);

  EXPECT_EQ(context.TasksOn("zone", "z1"), 1u);
  EXPECT_EQ(context.TasksOn("zone", "z2"), 0u);  // /other's task and /web's failed one
  EXPECT_FALSE(Satisfies(constraints[0], cluster.agents().at("a2"), context));
  EXPECT_TRUE(Satisfies(constraints[0], cluster.agents().at("a3"), context));
}

// Placing nine tasks one by one, always on the first acceptable agent in
// name order, must spread them 3/3/3 over the zones, and the context kept by
// Record must equal one built afresh from the same tasks.
TEST(PlacementContext, RecordKeepsAGroupBySpreadEven) {
  const StringMap<AgentInfo> agents = Cluster();
  const std::vector<Constraint> constraints = {Must("zone", "GROUP_BY", ""),
                                               Must("hostname", "MAX_PER", "3")};
  auto context = PlacementContext::ForTasks(agents, {}, constraints);
  std::vector<std::string> placed;
  for (int i = 0; i < 9; ++i) {
    for (const char* id : {"a1", "a2", "a3", "a4"}) {
      if (!SatisfiesAll(constraints, agents.at(id), context)) continue;
      context.Record(agents.at(id));
      placed.push_back(id);
      break;
    }
  }
  ASSERT_EQ(placed.size(), 9u);
  const auto tasks = TasksOn(placed);
  const auto fresh = PlacementContext::ForTasks(agents, Pointers(tasks), constraints);
  for (const char* zone : {"z1", "z2", "z3"}) {
    SCOPED_TRACE(zone);
    EXPECT_EQ(context.TasksOn("zone", zone), 3u);
    EXPECT_EQ(fresh.TasksOn("zone", zone), 3u);
  }
  EXPECT_EQ(context.MinGroupTasks("zone"), 3u);
  EXPECT_EQ(fresh.MinGroupTasks("zone"), 3u);
  for (const char* host : {"h1", "h2", "h3", "h4"}) {
    EXPECT_EQ(context.TasksOn("hostname", host), fresh.TasksOn("hostname", host)) << host;
  }
  // A tenth task: z3's only host and h1 are full (MAX_PER 3); h2 has room.
  EXPECT_EQ(FirstViolated(constraints, agents.at("a4"), context), &constraints[1]);
  EXPECT_EQ(FirstViolated(constraints, agents.at("a1"), context), &constraints[1]);
  EXPECT_EQ(FirstViolated(constraints, agents.at("a2"), context), nullptr);
}

TEST(PlacementContext, ConstraintsThatCountNothingSkipTheScan) {
  const StringMap<AgentInfo> agents = Cluster();
  const std::vector<Constraint> constraints = {Must("zone", "IS", "z1"),
                                               Must("zone", "CLUSTER", "z1")};
  const auto tasks = TasksOn({"a1"});
  const auto context = PlacementContext::ForTasks(agents, Pointers(tasks), constraints);
  EXPECT_EQ(context.TasksWithField("zone"), 0u);
  EXPECT_TRUE(SatisfiesAll(constraints, agents.at("a2"), context));
  EXPECT_EQ(FirstViolated(constraints, agents.at("a3"), context), &constraints[0]);
}

}  // namespace
}  // namespace regatta::placement

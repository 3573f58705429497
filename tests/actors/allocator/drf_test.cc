// Given agents, frameworks and roles, when the allocator runs one cycle,
// then these offers.
#include "actors/allocator/drf.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace regatta::allocator {
namespace {

ResourceVector R(double cpus, double mem) {
  return {Quantity::FromDouble(cpus), Quantity::FromDouble(mem), {}, {}};
}

AgentSlot Agent(const std::string& id, double cpus = 4, double mem = 4096) {
  return {id, R(cpus, mem), {{31000, 32000}}};
}

std::map<std::string, std::string> OfferedTo(const std::vector<Offer>& offers) {
  std::map<std::string, std::string> by_agent;
  for (const Offer& o : offers) by_agent[o.agent_id] = o.framework_id;
  return by_agent;
}

TEST(Drf, DominantShareIsTheLargestFractionOfAnyResource) {
  EXPECT_DOUBLE_EQ(DominantShare(R(4, 2000), R(10, 100000)), 0.4);
  EXPECT_DOUBLE_EQ(DominantShare(R(1, 50000), R(10, 100000)), 0.5);
  EXPECT_DOUBLE_EQ(DominantShare(R(1, 1), ResourceVector{}), 0.0);
}

TEST(Drf, TheAgentGoesToTheFrameworkWithTheLowestDominantShare) {
  AllocationInput in;
  in.cluster_total = R(10, 10000);
  in.agents = {Agent("a1")};
  // f1 holds 40% of the cpus; f2 holds 10% of the memory: f2 is poorer.
  in.frameworks = {{"f1", "*", R(4, 100)}, {"f2", "*", R(0, 1000)}};
  EXPECT_EQ(OfferedTo(Allocate(in)), (std::map<std::string, std::string>{{"a1", "f2"}}));
}

TEST(Drf, EqualFrameworksSplitManyAgentsEvenly) {
  AllocationInput in;
  in.cluster_total = R(40, 40960);
  for (int i = 0; i < 10; ++i) in.agents.push_back(Agent("a" + std::to_string(i)));
  in.frameworks = {{"f1", "*", {}}, {"f2", "*", {}}};
  std::map<std::string, int> count;
  for (const Offer& o : Allocate(in)) ++count[o.framework_id];
  EXPECT_EQ(count["f1"], 5);
  EXPECT_EQ(count["f2"], 5);
}

TEST(Drf, RoleWeightsScaleTheFairShare) {
  AllocationInput in;
  in.cluster_total = R(40, 40960);
  for (int i = 0; i < 9; ++i) in.agents.push_back(Agent("a" + std::to_string(i)));
  in.frameworks = {{"heavy", "prod", {}}, {"light", "dev", {}}};
  in.roles["prod"].weight = 2;
  std::map<std::string, int> count;
  for (const Offer& o : Allocate(in)) ++count[o.framework_id];
  EXPECT_EQ(count["heavy"], 6);  // weight 2 : 1 over 9 agents
  EXPECT_EQ(count["light"], 3);
}

TEST(Drf, ARoleBelowItsQuotaIsServedFirstWhateverItsShare) {
  AllocationInput in;
  in.cluster_total = R(40, 40960);
  in.agents = {Agent("a1"), Agent("a2")};
  in.frameworks = {{"guaranteed", "db", R(8, 8192)}, {"other", "web", {}}};
  in.roles["db"].quota = R(16, 16384);
  auto offers = OfferedTo(Allocate(in));
  // db holds 8 of its 16 guaranteed cpus: it gets the first agent (4 more),
  // is still below quota, and gets the second too.
  EXPECT_EQ(offers["a1"], "guaranteed");
  EXPECT_EQ(offers["a2"], "guaranteed");
}

TEST(Drf, ADeclineFilterHoldsUntilItExpires) {
  AllocationInput in;
  in.cluster_total = R(10, 10000);
  in.agents = {Agent("a1")};
  in.frameworks = {{"f1", "*", {}}, {"f2", "*", R(1, 100)}};
  in.filters = {{"f1", "a1", /*until=*/100}};
  in.now_nanos = 50;
  EXPECT_EQ(OfferedTo(Allocate(in))["a1"], "f2");
  in.now_nanos = 100;
  EXPECT_EQ(OfferedTo(Allocate(in))["a1"], "f1");
}

TEST(Drf, AnAgentFilteredForEveryFrameworkIsNotOffered) {
  AllocationInput in;
  in.cluster_total = R(10, 10000);
  in.agents = {Agent("a1")};
  in.frameworks = {{"f1", "*", {}}};
  in.filters = {{"f1", "a1", 100}};
  EXPECT_TRUE(Allocate(in).empty());
}

TEST(Drf, AgentsWithTooLittleFreeAreNotOffered) {
  AllocationInput in;
  in.cluster_total = R(10, 10000);
  in.agents = {Agent("tiny", 0.005, 4096), Agent("nomem", 4, 16), Agent("ok", 0.01, 32)};
  in.frameworks = {{"f1", "*", {}}};
  EXPECT_EQ(OfferedTo(Allocate(in)), (std::map<std::string, std::string>{{"ok", "f1"}}));
}

TEST(Drf, AnOfferIsAllOfTheAgentsFreeResourcesAndPorts) {
  AllocationInput in;
  in.cluster_total = R(10, 10000);
  in.agents = {Agent("a1", 2.5, 1000)};
  in.frameworks = {{"f1", "*", {}}};
  auto offers = Allocate(in);
  ASSERT_EQ(offers.size(), 1u);
  EXPECT_EQ(offers[0].resources, R(2.5, 1000));
  EXPECT_EQ(offers[0].ports, (std::vector<PortRange>{{31000, 32000}}));
}

TEST(Drf, NoFrameworksNoOffers) {
  AllocationInput in;
  in.agents = {Agent("a1")};
  EXPECT_TRUE(Allocate(in).empty());
}

TEST(Drf, TheSameInputAndSeedGiveTheSameOffers) {
  AllocationInput in;
  in.cluster_total = R(400, 409600);
  for (int i = 0; i < 100; ++i) in.agents.push_back(Agent("a" + std::to_string(i)));
  for (int i = 0; i < 7; ++i) in.frameworks.push_back({"f" + std::to_string(i), "r" + std::to_string(i % 3), {}});
  in.seed = 42;
  auto first = OfferedTo(Allocate(in));
  EXPECT_EQ(first, OfferedTo(Allocate(in)));
  EXPECT_EQ(first.size(), 100u) << "every agent offered exactly once";
}

}  // namespace
}  // namespace regatta::allocator

#include "actors/deployments/group_order.h"

#include <gtest/gtest.h>

namespace regatta::deployments {
namespace {

TEST(GroupOrderTest, DependeesComeFirstAndStepsAreSorted) {
  const std::vector<AppDependencies> apps = {
      {"/shop/web", {"/shop/api"}}, {"/shop/api", {"/shop/db", "/shop/cache"}}, {"/shop/db", {}}, {"/shop/cache", {}}};
  auto steps = StartOrder(apps);
  ASSERT_TRUE(steps.ok());
  EXPECT_EQ(*steps, (Steps{{"/shop/cache", "/shop/db"}, {"/shop/api"}, {"/shop/web"}}));
}

TEST(GroupOrderTest, DependenciesOutsideTheDeploymentAreIgnored) {
  auto steps = StartOrder({{"/a", {"/elsewhere"}}, {"/b", {"/a", "/b"}}});
  ASSERT_TRUE(steps.ok());
  EXPECT_EQ(*steps, (Steps{{"/a"}, {"/b"}}));
}

TEST(GroupOrderTest, ACycleIsRefusedNamingItsApps) {
  auto steps = StartOrder({{"/a", {"/b"}}, {"/b", {"/a"}}, {"/c", {}}});
  ASSERT_FALSE(steps.ok());
  EXPECT_EQ(steps.status().message(), "the dependencies of /a, /b form a cycle");
}

TEST(GroupOrderTest, AnAppActsOnceItsDependeesAreDone) {
  const std::vector<AppDependencies> apps = {{"/web", {"/api"}}, {"/api", {"/db"}}, {"/db", {}}};
  EXPECT_TRUE(DependeesDone(apps, "/db", {}));
  EXPECT_FALSE(DependeesDone(apps, "/api", {}));
  EXPECT_TRUE(DependeesDone(apps, "/api", {"/db"}));
  EXPECT_FALSE(DependeesDone(apps, "/web", {"/db"}));
}

}  // namespace
}  // namespace regatta::deployments

#include "actors/deployments/strategy.h"

#include <gtest/gtest.h>

namespace regatta::deployments {
namespace {

struct MarathonCase {
  std::uint32_t instances;
  double health, over;
  std::uint32_t min_healthy, max_capacity;
  bool one_extra;
};

TEST(StrategyTest, MarathonBoundsFollowItsFormulas) {
  const MarathonCase cases[] = {
      {10, 1.0, 1.0, 10, 20, false}, {10, 0.5, 0.2, 5, 12, false}, {10, 0.0, 0.0, 0, 10, false},
      {10, 1.0, 0.0, 10, 10, true},  {0, 1.0, 1.0, 0, 0, true},    {1, 1.0, 1.0, 1, 2, false},
      {1, 0.5, 0.0, 1, 1, true},     {3, 0.5, 0.5, 2, 4, false},
      // 10 * 0.7 is 7.000000000000001 in floating point: still 7.
      {10, 0.7, 0.3, 7, 13, false},
  };
  for (const MarathonCase& c : cases) {
    const Bounds b = MarathonBounds(c.instances, c.health, c.over);
    EXPECT_EQ(b.min_healthy, c.min_healthy) << c.instances << " at (" << c.health << ", " << c.over << ")";
    EXPECT_EQ(b.max_capacity, c.max_capacity) << c.instances << " at (" << c.health << ", " << c.over << ")";
    EXPECT_EQ(b.one_extra, c.one_extra) << c.instances << " at (" << c.health << ", " << c.over << ")";
  }
}

void ExpectKubernetes(std::uint32_t replicas, const char* surge, const char* unavailable, std::uint32_t min_healthy,
                      std::uint32_t max_capacity) {
  auto b = KubernetesBounds(replicas, surge, unavailable);
  ASSERT_TRUE(b.ok()) << b.status().message();
  EXPECT_EQ(b->min_healthy, min_healthy) << replicas << " at " << surge << "/" << unavailable;
  EXPECT_EQ(b->max_capacity, max_capacity) << replicas << " at " << surge << "/" << unavailable;
}

TEST(StrategyTest, KubernetesRoundsSurgeUpAndUnavailableDown) {
  ExpectKubernetes(10, "25%", "25%", 8, 13);  // 2.5 unavailable -> 2, 2.5 surge -> 3
  ExpectKubernetes(3, "", "", 3, 4);          // the defaults, 25% each: 0.75 -> 0 and 1
  ExpectKubernetes(10, "2", "1", 9, 12);
}

TEST(StrategyTest, KubernetesBothZeroMakesOneUnavailable) {
  ExpectKubernetes(4, "0", "0%", 3, 4);
  ExpectKubernetes(1, "0", "10%", 0, 1);  // 0.1 rounds down to 0 too
}

TEST(StrategyTest, KubernetesUnavailableBeyondReplicasLeavesNoneHealthy) {
  auto b = KubernetesBounds(3, "1", "5");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->min_healthy, 0u);
}

TEST(StrategyTest, ABadIntOrPercentNamesItsField) {
  for (const char* bad : {"x", "25%%", "-1", "%", "2.5", "25 %", "99999999999"}) {
    auto b = KubernetesBounds(10, bad, "1");
    ASSERT_FALSE(b.ok()) << bad;
    EXPECT_EQ(b.status().field(), "maxSurge") << bad;
    EXPECT_NE(b.status().message().find(bad), std::string::npos) << b.status().message();
  }
  auto b = KubernetesBounds(10, "1", "half");
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().field(), "maxUnavailable");
}

}  // namespace
}  // namespace regatta::deployments

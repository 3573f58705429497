#include "actors/deployments/spec_strategy.h"

#include <memory>

#include <capnp/message.h>
#include <gtest/gtest.h>

namespace regatta::deployments {
namespace {

class SpecStrategyTest : public ::testing::Test {
 protected:
  schema::AppSpec::Builder Spec(std::uint32_t instances) {
    auto spec = message_->initRoot<schema::AppSpec>();
    spec.setId("/web");
    spec.setInstances(instances);
    return spec;
  }
  // Held by pointer: its destructor may throw, which a gtest fixture's may not.
  std::unique_ptr<capnp::MallocMessageBuilder> message_ = std::make_unique<capnp::MallocMessageBuilder>();
};

TEST_F(SpecStrategyTest, TheDefaultsAreMarathonsWithATenMinuteDeadline) {
  auto spec = Spec(10);
  auto r = RolloutOf(spec.asReader());
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->strategy.kind, StrategyKind::kRolling);
  EXPECT_EQ(r->strategy.bounds.min_healthy, 10u);
  EXPECT_EQ(r->strategy.bounds.max_capacity, 20u);
  EXPECT_EQ(r->progress_deadline_nanos, 600'000'000'000);
  EXPECT_TRUE(r->auto_revert);
}

TEST_F(SpecStrategyTest, MarathonFractionsGiveMarathonBounds) {
  auto spec = Spec(10);
  spec.getUpgradeStrategy().setMinimumHealthCapacity(0.5);
  spec.getUpgradeStrategy().setMaximumOverCapacity(0.2);
  auto r = RolloutOf(spec.asReader());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->strategy.bounds.min_healthy, 5u);
  EXPECT_EQ(r->strategy.bounds.max_capacity, 12u);
}

TEST_F(SpecStrategyTest, KubernetesFieldsTakePrecedence) {
  auto spec = Spec(10);
  spec.getUpgradeStrategy().setMinimumHealthCapacity(0.0);
  spec.getUpgradeStrategy().setMaxSurge("25%");
  auto r = RolloutOf(spec.asReader());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->strategy.bounds.min_healthy, 8u);  // maxUnavailable's default, 25%
  EXPECT_EQ(r->strategy.bounds.max_capacity, 13u);
}

TEST_F(SpecStrategyTest, RecreateAndNoRevert) {
  auto spec = Spec(3);
  spec.getUpgradeStrategy().setKind(schema::UpgradeStrategy::Kind::RECREATE);
  spec.getUpgradeStrategy().setAutoRevert(false);
  spec.getUpgradeStrategy().setProgressDeadlineSeconds(0);
  auto r = RolloutOf(spec.asReader());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->strategy.kind, StrategyKind::kRecreate);
  EXPECT_FALSE(r->auto_revert);
  EXPECT_EQ(r->progress_deadline_nanos, 0);
}

TEST_F(SpecStrategyTest, BadFieldsAreNamedUnderUpgradeStrategy) {
  auto spec = Spec(3);
  spec.getUpgradeStrategy().setMaxUnavailable("lots");
  auto r = RolloutOf(spec.asReader());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().field(), "upgradeStrategy.maxUnavailable");
  spec.getUpgradeStrategy().setMaxUnavailable("1");
  spec.getUpgradeStrategy().setProgressDeadlineSeconds(-1);
  r = RolloutOf(spec.asReader());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().field(), "upgradeStrategy.progressDeadlineSeconds");
}

}  // namespace
}  // namespace regatta::deployments

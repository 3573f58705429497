// Given a task's checks, which probes are due when, and what their results
// report.
#include "agents/health/health_monitor.h"

#include <gtest/gtest.h>

#include <capnp/message.h>

#include <memory>

namespace regatta::health {
namespace {

constexpr std::int64_t kSecond = 1'000'000'000;

class HealthMonitorTest : public ::testing::Test {
 protected:
  // An app with one HTTP health check on its second port (delay 1 s,
  // interval 2 s, grace 0, 2 failures kill) and one readiness check.
  schema::AppSpec::Reader Spec(bool with_health = true, bool with_readiness = true) {
    auto spec = message_->initRoot<schema::AppSpec>();
    auto defs = spec.initPortDefinitions(2);
    defs[0].setName("admin");
    defs[1].setName("http");
    if (with_health) {
      auto c = spec.initHealthChecks(1)[0];
      c.setProtocol(schema::HealthCheck::Protocol::HTTP);
      c.setPath("/health");
      c.setPortIndex(1);
      c.setDelaySeconds(1);
      c.setIntervalSeconds(2);
      c.setGracePeriodSeconds(0);
      c.setMaxConsecutiveFailures(2);
    }
    if (with_readiness) {
      auto r = spec.initReadinessChecks(1)[0];
      r.setPath("/ready");
      r.setPortName("http");
      r.setIntervalSeconds(1);
      r.initHttpStatusCodesForReady(1).set(0, 204);
    }
    return spec.asReader();
  }
  // Held by pointer: the builder's destructor may throw, a fixture's may not.
  std::unique_ptr<capnp::MallocMessageBuilder> message_ = std::make_unique<capnp::MallocMessageBuilder>();
  HealthMonitor monitor_;
};

TEST_F(HealthMonitorTest, ProbesGoWhereTheChecksSayWhenTheyAreDue) {
  EXPECT_FALSE(monitor_.Watch("t1", Spec(), {31000, 31001}, "10.0.0.5", 0).has_value())
      << "a task with health checks reports nothing before their results";
  auto due = monitor_.TakeDue(0);
  ASSERT_EQ(due.size(), 1u) << "readiness at once; health after its delay";
  EXPECT_TRUE(due[0].readiness);
  EXPECT_EQ(due[0].probe->port, 31001) << "the port named http";
  EXPECT_EQ(due[0].probe->path, "/ready");
  EXPECT_EQ(due[0].probe->host, "10.0.0.5");
  EXPECT_TRUE(monitor_.TakeDue(kSecond / 2).empty()) << "readiness in flight, health not due";
  due = monitor_.TakeDue(kSecond);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_FALSE(due[0].readiness);
  EXPECT_EQ(due[0].probe->kind, Probe::Kind::kHttp);
  EXPECT_EQ(due[0].probe->path, "/health");
  EXPECT_TRUE(monitor_.TakeDue(5 * kSecond).empty()) << "nothing starts again while its probe is in flight";
}

TEST_F(HealthMonitorTest, HealthyThenReadyOnTheReadyCodesOnly) {
  monitor_.Watch("t1", Spec(), {31000, 31001}, "127.0.0.1", 0);
  monitor_.TakeDue(kSecond);
  Outcome o = monitor_.Record("t1", 0, false, {true, 200, "200 OK"}, kSecond);
  ASSERT_TRUE(o.report.has_value());
  EXPECT_TRUE(o.report->healthy);
  EXPECT_FALSE(o.report->ready);
  o = monitor_.Record("t1", 0, true, {true, 200, "200 OK"}, kSecond);
  EXPECT_FALSE(o.report.has_value()) << "200 is not among httpStatusCodesForReady [204]";
  monitor_.TakeDue(2 * kSecond);
  o = monitor_.Record("t1", 0, true, {true, 204, "204 No Content"}, 2 * kSecond);
  ASSERT_TRUE(o.report.has_value());
  EXPECT_TRUE(o.report->ready);
  for (const DueProbe& d : monitor_.TakeDue(10 * kSecond)) EXPECT_FALSE(d.readiness) << "a passed readiness check stops";
}

TEST_F(HealthMonitorTest, FailuresPastTheLimitKillOnce) {
  monitor_.Watch("t1", Spec(true, false), {31000, 31001}, "127.0.0.1", 0);
  monitor_.TakeDue(kSecond);
  EXPECT_FALSE(monitor_.Record("t1", 0, false, {false, 503, "503"}, kSecond).kill);
  monitor_.TakeDue(3 * kSecond);
  const Outcome o = monitor_.Record("t1", 0, false, {false, 503, "503"}, 3 * kSecond);
  EXPECT_TRUE(o.kill);
}

TEST_F(HealthMonitorTest, WithoutHealthChecksATaskIsHealthyAtOnce) {
  const auto report = monitor_.Watch("t1", Spec(false, true), {31000, 31001}, "127.0.0.1", 0);
  ASSERT_TRUE(report.has_value());
  EXPECT_TRUE(report->healthy);
  EXPECT_FALSE(report->ready) << "its readiness check has not passed";
}

TEST_F(HealthMonitorTest, AMissingPortOrACommandCheckFailsWithWhy) {
  monitor_.Watch("t1", Spec(true, false), {31000}, "127.0.0.1", 0);
  auto due = monitor_.TakeDue(kSecond);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_FALSE(due[0].probe.has_value());
  EXPECT_EQ(due[0].failure, "portIndex 1 names no port of the task");
}

TEST_F(HealthMonitorTest, ACommandCheckRunsInTheTasksShellOrFailsWithoutOne) {
  auto spec = message_->initRoot<schema::AppSpec>();
  auto c = spec.initHealthChecks(1)[0];
  c.setProtocol(schema::HealthCheck::Protocol::COMMAND);
  c.setCommand("test -f ready");
  c.setDelaySeconds(0);
  c.setTimeoutSeconds(3);
  monitor_.Watch("t1", spec.asReader(), {}, "127.0.0.1", 0, CommandShell{{"PORT0=31000"}, "/sandboxes/t1"});
  monitor_.Watch("t2", spec.asReader(), {}, "127.0.0.1", 0);
  auto due = monitor_.TakeDue(kSecond);
  ASSERT_EQ(due.size(), 2u);
  ASSERT_TRUE(due[0].probe.has_value());
  EXPECT_EQ(due[0].probe->kind, Probe::Kind::kCommand);
  EXPECT_EQ(due[0].probe->command, "test -f ready");
  EXPECT_EQ(due[0].probe->shell.cwd, "/sandboxes/t1");
  EXPECT_EQ(due[0].probe->shell.env, std::vector<std::string>{"PORT0=31000"});
  EXPECT_EQ(due[0].probe->timeout_nanos, 3 * kSecond);
  EXPECT_FALSE(due[1].probe.has_value());
  EXPECT_NE(due[1].failure.find("sandbox"), std::string::npos) << due[1].failure;
}

TEST_F(HealthMonitorTest, AForgottenTaskIsProbedNoMoreAndItsResultsChangeNothing) {
  monitor_.Watch("t1", Spec(), {31000, 31001}, "127.0.0.1", 0);
  monitor_.Forget("t1");
  EXPECT_TRUE(monitor_.TakeDue(10 * kSecond).empty());
  EXPECT_FALSE(monitor_.Record("t1", 0, false, {true, 200, ""}, kSecond).report.has_value());
}

}  // namespace
}  // namespace regatta::health

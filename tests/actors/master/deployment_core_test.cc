// Given the events so far, when an app gets a new version or the deployment
// controller's verdict arrives, then these deployment events (or this error).
#include <gtest/gtest.h>

#include <capnp/message.h>

#include "events/domain/app_definition.h"
#include "tests/actors/master/master_core_fixture.h"
#include "tests/support/sample_events.h"

namespace regatta::master {
namespace {

using projections::DeploymentOutcome;

class DeploymentCore : public MasterCore {
 protected:
  // Defines /web running `cmd` at `version`, committing it; returns the
  // outcome's status.
  Status Define(const std::string& version, const std::string& cmd, std::uint32_t instances = 3,
                bool force = false, bool auto_revert = true) {
    capnp::MallocMessageBuilder message;
    auto spec = message.initRoot<schema::AppSpec>();
    spec.setId("/web");
    spec.setCmd(cmd);
    spec.setCpus(0.1);
    spec.setMemMb(32);
    spec.setInstances(instances);
    spec.initUpgradeStrategy().setAutoRevert(auto_revert);
    AppPreconditions preconditions;
    preconditions.force = force;
    auto out = DecideDefineApp(state_, spec.asReader(), version, context_, preconditions);
    if (!out.ok()) return out.status();
    last_ = Types(*out);
    Commit(*out);
    return Status::Ok();
  }
  std::string Running() const {
    const std::string* id = state_.history().RunningDeployment("/web");
    return id == nullptr ? "" : *id;
  }
  std::vector<std::string> End(const std::string& id, DeploymentEnd end, const std::string& message = "") {
    auto out = DecideEndDeployment(state_, id, end, message, context_);
    EXPECT_TRUE(out.ok()) << out.status().ToString();
    if (!out.ok()) return {};
    std::vector<std::string> types;
    for (const EncodedEvent& e : out->events) types.push_back(e.type);
    Commit(*out);
    return types;
  }
  const projections::DeploymentRecord& Record(const std::string& id) const {
    return state_.history().deployments().at(id);
  }
  std::string CurrentCmd() const { return state_.history().Current("/web")->spec->root().getCmd().cStr(); }

  std::vector<std::string> last_;
};

TEST_F(DeploymentCore, ANewVersionOfAServiceIsADeploymentFromTheVersionBefore) {
  ASSERT_TRUE(Define("v1", "./serve --v1").ok());
  const std::string first = Running();
  ASSERT_FALSE(first.empty());
  EXPECT_EQ(Record(first).from_version, "");
  EXPECT_EQ(Record(first).to_version, "v1");
  EXPECT_EQ(Record(first).deadline_nanos, 1000 + 600'000'000'000) << "progressDeadlineSeconds 600 by default";
  End(first, DeploymentEnd::kSucceeded);

  ASSERT_TRUE(Define("v2", "./serve --v2").ok());
  EXPECT_EQ(last_, (std::vector<std::string>{"AppDefined:/web", "DeploymentStarted:" + Running()}));
  EXPECT_EQ(Record(Running()).from_version, "v1");
  EXPECT_EQ(Record(Running()).to_version, "v2");
  EXPECT_EQ(Record(Running()).apps, (std::vector<std::string>{"/web"}));
}

TEST_F(DeploymentCore, ASecondVersionWhileOneRunsIsRefusedUnlessForced) {
  ASSERT_TRUE(Define("v1", "./serve --v1").ok());
  const std::string first = Running();
  const Revision before = state_.next_revision();

  const Status refused = Define("v2", "./serve --v2");
  EXPECT_EQ(refused.code(), StatusCode::kConflict);
  EXPECT_EQ(refused.field(), "id");
  EXPECT_NE(refused.message().find(first), std::string::npos) << refused.message();
  EXPECT_EQ(state_.next_revision(), before) << "a refused write leaves the log as it was";
  EXPECT_EQ(CurrentCmd(), "./serve --v1");

  ASSERT_TRUE(Define("v2", "./serve --v2", 3, /*force=*/true).ok());
  EXPECT_EQ(Record(first).outcome, DeploymentOutcome::kCanceled);
  EXPECT_EQ(Record(first).message, "superseded by version v2");
  EXPECT_NE(Running(), first);
  EXPECT_EQ(Record(Running()).to_version, "v2");
}

TEST_F(DeploymentCore, ASucceededVerdictCompletesEveryStepOnce) {
  ASSERT_TRUE(Define("v1", "./serve").ok());
  const std::string id = Running();
  EXPECT_EQ(End(id, DeploymentEnd::kSucceeded),
            (std::vector<std::string>{"DeploymentStepCompleted", "DeploymentSucceeded"}));
  EXPECT_EQ(Record(id).outcome, DeploymentOutcome::kSucceeded);
  EXPECT_EQ(Running(), "");
  EXPECT_TRUE(End(id, DeploymentEnd::kSucceeded).empty()) << "a verdict sent twice writes nothing more";
  EXPECT_TRUE(End(id, DeploymentEnd::kFailed, "late").empty());
  EXPECT_EQ(Record(id).outcome, DeploymentOutcome::kSucceeded);
}

TEST_F(DeploymentCore, AFailedDeploymentRevertsToTheLastStableVersionKeepingItsMessage) {
  ASSERT_TRUE(Define("v1", "./serve --good").ok());
  End(Running(), DeploymentEnd::kSucceeded);
  auto scaled = DecideScaleApp(state_, "/web", 5, context_);
  ASSERT_TRUE(scaled.ok());
  Commit(*scaled);
  ASSERT_TRUE(Define("v2", "./serve --bad", 5).ok());
  const std::string failed = Running();

  EXPECT_EQ(End(failed, DeploymentEnd::kFailed, "no progress for 600 s"),
            (std::vector<std::string>{"DeploymentFailed", "DeploymentReverted", "AppDefined",
                                      "DeploymentStarted"}));
  EXPECT_EQ(Record(failed).outcome, DeploymentOutcome::kReverted);
  EXPECT_EQ(Record(failed).message, "no progress for 600 s") << "the revert keeps why it failed";
  EXPECT_EQ(Record(failed).reverted_to, "v1");
  EXPECT_EQ(CurrentCmd(), "./serve --good");
  EXPECT_EQ(state_.history().Current("/web")->version, "v1") << "the very version, so its tasks stay";
  EXPECT_EQ(state_.history().Current("/web")->instances, 5u);
  const std::string revert = Running();
  ASSERT_FALSE(revert.empty());
  EXPECT_EQ(Record(revert).revert_of, failed);
  EXPECT_EQ(Record(revert).from_version, "v2");
}

TEST_F(DeploymentCore, ARevertThatFailsDoesNotRevertAgain) {
  ASSERT_TRUE(Define("v1", "./serve --good").ok());
  End(Running(), DeploymentEnd::kSucceeded);
  ASSERT_TRUE(Define("v2", "./serve --bad").ok());
  End(Running(), DeploymentEnd::kFailed, "deadline");
  const std::string revert = Running();
  EXPECT_EQ(End(revert, DeploymentEnd::kFailed, "deadline again"), (std::vector<std::string>{"DeploymentFailed"}));
  EXPECT_EQ(Running(), "");
}

TEST_F(DeploymentCore, WithoutAStableVersionOrWithoutAutoRevertAFailureOnlyFails) {
  ASSERT_TRUE(Define("v1", "./serve --never-ready").ok());
  EXPECT_EQ(End(Running(), DeploymentEnd::kFailed, "deadline"), (std::vector<std::string>{"DeploymentFailed"}))
      << "no version ever succeeded: nothing to go back to";

  ASSERT_TRUE(Define("v2", "./serve --good").ok());
  End(Running(), DeploymentEnd::kSucceeded);
  ASSERT_TRUE(Define("v3", "./serve --bad", 3, false, /*auto_revert=*/false).ok());
  EXPECT_EQ(End(Running(), DeploymentEnd::kFailed, "deadline"), (std::vector<std::string>{"DeploymentFailed"}));
  EXPECT_EQ(CurrentCmd(), "./serve --bad") << "autoRevert false: the app stays where it failed";
}

TEST_F(DeploymentCore, ARevertNeverScalesToZero) {
  ASSERT_TRUE(Define("v1", "./serve --good", 3).ok());
  End(Running(), DeploymentEnd::kSucceeded);
  ASSERT_TRUE(Define("v2", "./serve --bad", 0).ok());
  End(Running(), DeploymentEnd::kFailed, "deadline");
  EXPECT_EQ(CurrentCmd(), "./serve --good");
  EXPECT_EQ(state_.history().Current("/web")->instances, 3u) << "at 0 now, the revert takes the stable count";
}

TEST_F(DeploymentCore, AJobGetsNoDeploymentAndAnUnknownDeploymentIsNotFound) {
  capnp::MallocMessageBuilder message;
  auto spec = message.initRoot<schema::AppSpec>();
  spec.setId("/batch");
  spec.setCmd("true");
  spec.setCpus(0.1);
  spec.setMemMb(32);
  spec.setKind(schema::WorkloadKind::JOB);
  spec.setInstances(1);
  auto out = DecideDefineApp(state_, spec.asReader(), "v1", context_);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(Types(*out), (std::vector<std::string>{"AppDefined:/batch"}));

  auto missing = DecideEndDeployment(state_, "nope", DeploymentEnd::kSucceeded, "", context_);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.status().field(), "deploymentId");
}

}  // namespace
}  // namespace regatta::master

namespace regatta::master {
namespace {

namespace t = regatta::testing;

TEST_F(MasterCore, HealthReportsAreRecordedOnlyWhenTheyChangeSomething) {
  Given({t::AgentRegistered("a1", 4, 4096), t::FrameworkRegistered("services", "*"),
         t::TaskLaunched("w1", "/web", "a1", 1, 64), t::TaskStatus("w1", TaskState::RUNNING)});
  auto out = DecideHealthUpdates(state_,
                                 {{"w1", "a1", true, true, 0, "200 OK"},
                                  {"w1", "a2", false, false, 0, "another agent's word"},
                                  {"ghost", "a1", true, true, 0, "no such task"}},
                                 context_);
  ASSERT_TRUE(out.ok());
  ASSERT_EQ(out->events.size(), 1u);
  EXPECT_EQ(out->events[0].type, "TaskHealthChanged");
  Commit(*out);
  EXPECT_TRUE(state_.scheduling().tasks().at("w1").healthy);
  EXPECT_TRUE(state_.scheduling().tasks().at("w1").ready);
  out = DecideHealthUpdates(state_, {{"w1", "a1", true, true, 0, "200 OK again"}}, context_);
  ASSERT_TRUE(out.ok());
  EXPECT_TRUE(out->events.empty()) << "the same health again writes nothing";
}

TEST_F(MasterCore, AFirstReportOfUnhealthyIsRecordedThoughTheTaskWasNeverHealthy) {
  Given({t::AgentRegistered("a1", 4, 4096), t::FrameworkRegistered("services", "*"),
         t::TaskLaunched("w1", "/web", "a1", 1, 64), t::TaskStatus("w1", TaskState::RUNNING)});
  auto out = DecideHealthUpdates(state_, {{"w1", "a1", false, false, 0, "503 Service Unavailable"}}, context_);
  ASSERT_TRUE(out.ok());
  ASSERT_EQ(out->events.size(), 1u) << "the log learns that its health is known, and bad";
  Commit(*out);
  EXPECT_TRUE(state_.scheduling().tasks().at("w1").health_reported);
  out = DecideHealthUpdates(state_, {{"w1", "a1", false, false, 0, "503 again"}}, context_);
  ASSERT_TRUE(out.ok());
  EXPECT_TRUE(out->events.empty());
}

}  // namespace
}  // namespace regatta::master

namespace regatta::master {
namespace {

TEST_F(DeploymentCore, PauseResumeAndPromoteAreRecordedOnceEach) {
  ASSERT_TRUE(Define("v1", "./serve").ok());
  const std::string id = Running();
  auto control = [&](DeploymentControl c) {
    auto out = DecideControlDeployment(state_, id, c, context_);
    EXPECT_TRUE(out.ok()) << out.status().ToString();
    std::vector<std::string> types;
    if (!out.ok()) return types;
    for (const EncodedEvent& e : out->events) types.push_back(e.type);
    Commit(*out);
    return types;
  };
  EXPECT_EQ(control(DeploymentControl::kPause), (std::vector<std::string>{"DeploymentPaused"}));
  EXPECT_TRUE(Record(id).paused);
  EXPECT_TRUE(control(DeploymentControl::kPause).empty()) << "paused already";
  EXPECT_EQ(control(DeploymentControl::kResume), (std::vector<std::string>{"DeploymentPaused"}));
  EXPECT_FALSE(Record(id).paused);

  auto promote = DecideControlDeployment(state_, id, DeploymentControl::kPromote, context_);
  ASSERT_FALSE(promote.ok());
  EXPECT_EQ(promote.status().code(), StatusCode::kFailedPrecondition) << "no canaries to promote";

  End(id, DeploymentEnd::kSucceeded);
  auto late = DecideControlDeployment(state_, id, DeploymentControl::kPause, context_);
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(late.status().message().find("has ended (succeeded)"), std::string::npos);
}

}  // namespace
}  // namespace regatta::master

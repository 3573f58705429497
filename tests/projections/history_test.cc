#include "projections/history.h"

#include <gtest/gtest.h>

#include <capnp/serialize.h>

#include <cstring>
#include <string>
#include <vector>

#include "tests/projections/fold.h"
#include "tests/support/sample_events.h"

namespace regatta::projections {
namespace {

using testing::AppScaled;
using testing::BuildEvent;
using testing::DeploymentFailed;
using testing::DeploymentReverted;
using testing::DeploymentStarted;
using testing::DeploymentStepCompleted;
using testing::DeploymentSucceeded;
using Events = std::vector<EncodedEvent>;

HistoryProjection Given(const Events& events) { return testing::Fold<HistoryProjection>(events); }

EnvelopeStamp Stamp(std::int64_t t, const std::string& principal, const std::string& reason,
                    const std::string& correlation) {
  EnvelopeStamp stamp;
  stamp.event_id = "ev-" + std::to_string(t);
  stamp.time_nanos = t;
  stamp.principal = principal;
  stamp.reason = reason;
  stamp.correlation_id = correlation;
  return stamp;
}

EncodedEvent Defined(const std::string& app, const std::string& version, const std::string& cmd,
                     std::uint32_t instances, const EnvelopeStamp& stamp) {
  return BuildEvent(stamp, [&](auto e) {
    auto d = e.initAppDefined();
    d.setVersion(version);
    auto spec = d.initSpec();
    spec.setId(app);
    spec.setCmd(cmd);
    spec.setInstances(instances);
    spec.setCpus(0.5);
    auto env = spec.initEnv(1);
    env[0].setKey("MODE");
    env[0].setValue(version);
  });
}

EncodedEvent Defined(const std::string& app, const std::string& version, std::uint32_t instances) {
  return Defined(app, version, "serve", instances, Stamp(1, "tester", "", ""));
}

EncodedEvent Deleted(const std::string& app, const EnvelopeStamp& stamp) {
  return BuildEvent(stamp, [&](auto e) { e.initAppDeleted().setAppId(app); });
}

EncodedEvent Canceled(const std::string& deployment, const std::string& why, std::int64_t t) {
  return BuildEvent(testing::StampAt(t), [&](auto e) {
    auto c = e.initDeploymentCanceled();
    c.setDeploymentId(deployment);
    c.setMessage(why);
  });
}

// sample_events' DeploymentReverted, with the message a deployer writes.
EncodedEvent Reverted(const std::string& deployment, const std::string& to, std::int64_t t) {
  return BuildEvent(testing::StampAt(t), [&](auto e) {
    auto r = e.initDeploymentReverted();
    r.setDeploymentId(deployment);
    r.setToVersion(to);
    r.setMessage("reverted to " + to);
  });
}

// Copies a stored spec to word-aligned memory, as any reader of the bytes
// must, and hands its root to `check`.
template <class Check>
void WithSpec(const std::string& bytes, Check&& check) {
  ASSERT_EQ(bytes.size() % sizeof(capnp::word), 0u);
  std::vector<capnp::word> words(bytes.size() / sizeof(capnp::word));
  std::memcpy(words.data(), bytes.data(), bytes.size());
  capnp::FlatArrayMessageReader reader(kj::arrayPtr(words.data(), words.size()));
  check(reader.getRoot<schema::AppSpec>());
}

std::vector<ChangeKind> Kinds(const AppHistory& app) {
  std::vector<ChangeKind> kinds;
  for (const AppChange& c : app.changes) kinds.push_back(c.kind);
  return kinds;
}

// ------------------------------------------------------------------ apps

TEST(HistoryProjection, EveryVersionIsKeptWithItsFullSpecAndAudit) {
  struct Version {
    std::string version;
    std::string cmd;
    std::uint32_t instances;
    Audit audit;
  };
  const Version versions[] = {
      {"2026-01-01T00:00:00.000Z", "serve --v1", 3, {0, 100, "alice", "first release", "req-a"}},
      {"2026-01-02T00:00:00.000Z", "serve --v2", 5, {1, 200, "bob", "hotfix #12", "req-b"}},
      {"2026-01-03T00:00:00.000Z", "serve --v1", 5, {2, 300, "ci", "rollback", "req-c"}},
  };
  Events given;
  for (const Version& v : versions) {
    given.push_back(Defined("/prod/web", v.version, v.cmd, v.instances,
                            Stamp(v.audit.time_nanos, v.audit.principal, v.audit.reason,
                                  v.audit.correlation_id)));
  }

  const HistoryProjection p = Given(given);

  const AppHistory& app = p.apps().at("/prod/web");
  ASSERT_EQ(app.changes.size(), std::size(versions));
  for (std::size_t i = 0; i < std::size(versions); ++i) {
    SCOPED_TRACE(versions[i].version);
    const AppChange& change = app.changes[i];
    EXPECT_EQ(change.kind, ChangeKind::kDefined);
    EXPECT_EQ(change.version, versions[i].version);
    EXPECT_EQ(change.instances, versions[i].instances);
    EXPECT_EQ(change.audit, versions[i].audit);
    WithSpec(change.spec, [&](schema::AppSpec::Reader spec) {
      EXPECT_EQ(std::string(spec.getId().cStr()), "/prod/web");
      EXPECT_EQ(std::string(spec.getCmd().cStr()), versions[i].cmd);
      EXPECT_EQ(spec.getInstances(), versions[i].instances);
      EXPECT_EQ(spec.getCpus(), 0.5);
      ASSERT_EQ(spec.getEnv().size(), 1u);
      EXPECT_EQ(std::string(spec.getEnv()[0].getValue().cStr()), versions[i].version);
      EXPECT_EQ(spec.getBackoffFactor(), 1.15) << "schema defaults survive the copy";
    });
  }
  EXPECT_FALSE(app.deleted);
}

TEST(HistoryProjection, ScaledAndDeletedAreRecordedInLogOrder) {
  using K = ChangeKind;
  struct Case {
    const char* name;
    Events given;
    std::vector<ChangeKind> want_kinds;
    std::vector<std::uint32_t> want_instances;
    bool want_deleted;
  };
  const EnvelopeStamp deleter = Stamp(9, "carol", "decommissioned", "req-d");
  const Case cases[] = {
      {"scaled", {Defined("/web", "v1", 3), AppScaled("/web", 5, 3)}, {K::kDefined, K::kScaled},
       {3, 5}, false},
      {"deleted", {Defined("/web", "v1", 3), Deleted("/web", deleter)}, {K::kDefined, K::kDeleted},
       {3, 0}, true},
      {"defined again after deletion",
       {Defined("/web", "v1", 3), Deleted("/web", deleter), Defined("/web", "v2", 1)},
       {K::kDefined, K::kDeleted, K::kDefined}, {3, 0, 1}, false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const HistoryProjection p = Given(c.given);
    const AppHistory& app = p.apps().at("/web");
    EXPECT_EQ(Kinds(app), c.want_kinds);
    std::vector<std::uint32_t> instances;
    for (const AppChange& change : app.changes) instances.push_back(change.instances);
    EXPECT_EQ(instances, c.want_instances);
    EXPECT_EQ(app.deleted, c.want_deleted);
    for (std::size_t i = 0; i < app.changes.size(); ++i) EXPECT_EQ(app.changes[i].audit.revision, i);
  }
}

TEST(HistoryProjection, DeletionIsAuditedLikeAnyChange) {
  const HistoryProjection p =
      Given({Defined("/web", "v1", 3), Deleted("/web", Stamp(9, "carol", "decommissioned", "req-d"))});
  const AppChange& deleted = p.apps().at("/web").changes.back();
  EXPECT_EQ(deleted.audit, (Audit{1, 9, "carol", "decommissioned", "req-d"}));
  EXPECT_TRUE(deleted.spec.empty());
}

// ------------------------------------------------------------------ deployments

TEST(HistoryProjection, DeploymentStartRecordsWhatItChanges) {
  const HistoryProjection p = Given({DeploymentStarted("d1", "/web", "v1", "v2", 42)});
  const DeploymentRecord& d = p.deployments().at("d1");
  EXPECT_EQ(d.apps, std::vector<std::string>{"/web"});
  EXPECT_EQ(d.from_version, "v1");
  EXPECT_EQ(d.to_version, "v2");
  EXPECT_EQ(d.total_steps, 1u);
  EXPECT_EQ(d.started.revision, 0u);
  EXPECT_EQ(d.started.time_nanos, 42);
  EXPECT_EQ(d.outcome, DeploymentOutcome::kRunning);
}

TEST(HistoryProjection, DeploymentStepsAndOutcomes) {
  using O = DeploymentOutcome;
  struct Case {
    const char* name;
    Events after_start;
    O want_outcome;
    std::vector<std::uint32_t> want_steps;
    std::string want_message;
    std::string want_reverted_to;
  };
  const Case cases[] = {
      {"in progress", {DeploymentStepCompleted("d1", 0, 2)}, O::kRunning, {0}, "", ""},
      {"succeeded",
       {DeploymentStepCompleted("d1", 0, 2), DeploymentStepCompleted("d1", 1, 3),
        DeploymentSucceeded("d1", 4)},
       O::kSucceeded, {0, 1}, "", ""},
      {"failed", {DeploymentStepCompleted("d1", 0, 2), DeploymentFailed("d1", "deadline passed", 3)},
       O::kFailed, {0}, "deadline passed", ""},
      {"failed, then reverted",
       {DeploymentFailed("d1", "deadline passed", 2), Reverted("d1", "v1", 3)}, O::kReverted, {},
       "deadline passed", "v1"},  // the revert keeps why it failed
      {"canceled", {Canceled("d1", "superseded by d2", 2)}, O::kCanceled, {}, "superseded by d2", ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Events given = {DeploymentStarted("d1", "/web", "v1", "v2", 1)};
    given.insert(given.end(), c.after_start.begin(), c.after_start.end());

    const HistoryProjection p = Given(given);
    const DeploymentRecord& d = p.deployments().at("d1");

    EXPECT_EQ(d.outcome, c.want_outcome) << DeploymentOutcomeName(d.outcome);
    std::vector<std::uint32_t> steps;
    for (const DeploymentStepRecord& s : d.steps_completed) steps.push_back(s.index);
    EXPECT_EQ(steps, c.want_steps);
    for (std::size_t i = 0; i < d.steps_completed.size(); ++i) {
      EXPECT_EQ(d.steps_completed[i].audit.revision, i + 1) << "step " << i;
    }
    EXPECT_EQ(d.message, c.want_message);
    EXPECT_EQ(d.reverted_to, c.want_reverted_to);
    if (c.want_outcome != O::kRunning) {
      EXPECT_EQ(d.ended.revision, given.size() - 1) << "ended by the last event";
      EXPECT_EQ(d.ended.time_nanos, static_cast<std::int64_t>(given.size()));
    }
  }
}

TEST(HistoryProjection, EventsForAnUnknownDeploymentAreIgnored) {
  for (const EncodedEvent& e : {DeploymentStepCompleted("ghost", 0), DeploymentSucceeded("ghost"),
                                DeploymentFailed("ghost", "x"), DeploymentReverted("ghost", "v1")}) {
    SCOPED_TRACE(e.type);
    EXPECT_TRUE(Given({e}).deployments().empty());
  }
}

}  // namespace
}  // namespace regatta::projections

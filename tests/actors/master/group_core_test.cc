// Given the apps and groups so far, when the master decides a group write,
// then this one batch of events (or this refusal).
#include <capnp/message.h>

#include "tests/actors/master/master_core_fixture.h"

namespace regatta::master {
namespace {

struct App {
  std::string id;
  std::vector<std::string> dependencies = {};
  std::uint32_t instances = 1;
};

struct Group {
  std::string id;
  std::vector<std::string> dependencies = {};
  std::vector<App> apps = {};
  std::vector<Group> groups = {};
};

void SetList(capnp::List<capnp::Text>::Builder list, const std::vector<std::string>& values) {
  for (unsigned i = 0; i < values.size(); ++i) list.set(i, values[i]);
}

void FillApp(schema::AppSpec::Builder spec, const App& app) {
  spec.setId(app.id);
  spec.setCmd("sleep 1000");
  spec.setCpus(0.1);
  spec.setMemMb(16);
  spec.setInstances(app.instances);
  SetList(spec.initDependencies(static_cast<unsigned>(app.dependencies.size())), app.dependencies);
}

void Fill(schema::GroupSpec::Builder b, const Group& g) {
  b.setId(g.id);
  b.setHasApps(true);
  b.setHasGroups(true);
  b.setHasDependencies(true);
  SetList(b.initDependencies(static_cast<unsigned>(g.dependencies.size())), g.dependencies);
  auto apps = b.initApps(static_cast<unsigned>(g.apps.size()));
  for (unsigned i = 0; i < g.apps.size(); ++i) FillApp(apps[i], g.apps[i]);
  auto groups = b.initGroups(static_cast<unsigned>(g.groups.size()));
  for (unsigned i = 0; i < g.groups.size(); ++i) Fill(groups[i], g.groups[i]);
}

class GroupCore : public MasterCore {
 protected:
  Result<Outcome> Define(const Group& g, bool create_only = false) {
    capnp::MallocMessageBuilder message;
    auto spec = message.initRoot<schema::GroupSpec>();
    Fill(spec, g);
    return DecideDefineGroup(state_, spec.asReader(), "v" + std::to_string(next_), context_, {std::nullopt, create_only});
  }
  Result<Outcome> DefineApp(const App& app) {
    capnp::MallocMessageBuilder message;
    auto spec = message.initRoot<schema::AppSpec>();
    FillApp(spec, app);
    return DecideDefineApp(state_, spec.asReader(), "v" + std::to_string(next_), context_);
  }
  void Committed(const Result<Outcome>& out) {
    ASSERT_TRUE(out.ok()) << out.status().ToString();
    Commit(*out);
  }
  // /prod: the app db, and the group web (depending on db) with the app api.
  void GivenProd() {
    Committed(Define({"/prod", {}, {{"/prod/db"}}, {{"/prod/web", {"/prod/db"}, {{"/prod/web/api"}}}}}));
  }
};

TEST_F(GroupCore, ANestedGroupIsOneBatchOfItsGroupsThenItsApps) {
  auto out = Define({"/prod", {}, {{"/prod/db"}}, {{"/prod/web", {"/prod/db"}, {{"/prod/web/api"}}}}});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(Types(*out), (std::vector<std::string>{"GroupDefined:/prod", "GroupDefined:/prod/web",
                                                   "AppDefined:/prod/db", "DeploymentStarted:id-4",
                                                   "AppDefined:/prod/web/api", "DeploymentStarted:id-7"}));
  Commit(*out);
  EXPECT_TRUE(state_.history().GroupExists("/prod/web"));
  ASSERT_NE(state_.history().CurrentGroup("/prod/web"), nullptr);
  EXPECT_EQ(state_.history().CurrentGroup("/prod/web")->dependencies, std::vector<std::string>{"/prod/db"});
  EXPECT_EQ(state_.history().CurrentGroup("/prod")->apps, std::vector<std::string>{"/prod/db"});
  EXPECT_EQ(state_.history().CurrentGroup("/prod")->groups, std::vector<std::string>{"/prod/web"});
}

TEST_F(GroupCore, ADependencyOnNothingIsRefusedNamingIt) {
  auto out = Define({"/prod", {}, {{"/prod/web", {"/prod/db"}}}});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().field(), "dependencies");
  EXPECT_EQ(out.status().reason(), "/prod/web depends on /prod/db, which is neither an app nor a group");
}

TEST_F(GroupCore, ACycleThroughAGroupsDependencyIsRefusedNamingItsPath) {
  auto out = Define({"/prod", {}, {{"/prod/db", {"/prod/web"}}}, {{"/prod/web", {"/prod/db"}, {{"/prod/web/api"}}}}});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().reason(), "a cycle: /prod/db -> /prod/web/api -> /prod/db");
  EXPECT_FALSE(state_.history().GroupExists("/prod"));
}

TEST_F(GroupCore, AnAppOutsideItsGroupIsRefusedWithItsPathInTheTree) {
  auto out = Define({"/prod", {}, {}, {{"/prod/web", {}, {{"/other/api"}}}}});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().field(), "groups[0].apps[0].id");
}

TEST_F(GroupCore, CreatingAGroupThatExistsConflicts) {
  GivenProd();
  auto out = Define({"/prod"}, true);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kConflict);
}

TEST_F(GroupCore, APutThatListsItsAppsAndGroupsDeletesWhatItLeavesOut) {
  GivenProd();
  auto out = Define({"/prod", {}, {{"/prod/db"}}});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  // db is repeated as it is: no new version of it.
  EXPECT_EQ(Types(*out), (std::vector<std::string>{"AppDeleted:/prod/web/api", "GroupDeleted:/prod/web",
                                                   "GroupDefined:/prod"}));
  Commit(*out);
  EXPECT_FALSE(state_.history().GroupExists("/prod/web"));
}

TEST_F(GroupCore, AnAppWhoseCountAloneChangedIsScaledNotRedefined) {
  GivenProd();
  auto out = Define({"/prod", {}, {{"/prod/db", {}, 3}}, {{"/prod/web", {"/prod/db"}, {{"/prod/web/api"}}}}});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(Types(*out), (std::vector<std::string>{"GroupDefined:/prod", "GroupDefined:/prod/web", "AppScaled:/prod/db"}));
}

TEST_F(GroupCore, DeletingAGroupDeletesEverythingUnderIt) {
  GivenProd();
  auto out = DecideDeleteGroup(state_, "/prod", context_);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(Types(*out), (std::vector<std::string>{"AppDeleted:/prod/db", "AppDeleted:/prod/web/api",
                                                   "GroupDeleted:/prod", "GroupDeleted:/prod/web"}));
  Commit(*out);
  EXPECT_FALSE(state_.history().GroupExists("/prod"));
  EXPECT_EQ(DecideDeleteGroup(state_, "/prod", context_).status().code(), StatusCode::kNotFound);
}

TEST_F(GroupCore, ScalingAGroupRoundsEachAppUp) {
  Committed(Define({"/prod", {}, {{"/prod/db", {}, 3}, {"/prod/cache", {}, 2}}}));
  auto out = DecideScaleGroup(state_, "/prod", 1.5, context_);
  ASSERT_TRUE(out.ok());
  Commit(*out);
  EXPECT_EQ(state_.history().Current("/prod/db")->instances, 5u);  // ceil(4.5)
  EXPECT_EQ(state_.history().Current("/prod/cache")->instances, 3u);
  EXPECT_EQ(DecideScaleGroup(state_, "/prod", -1, context_).status().field(), "scaleBy");
}

TEST_F(GroupCore, AnAppCannotStandWhereAGroupIsNorInsideAnApp) {
  GivenProd();
  EXPECT_EQ(DefineApp({"/prod/web"}).status().reason(), "/prod/web is a group, so it cannot be an app too");
  EXPECT_EQ(DefineApp({"/prod/db/x"}).status().reason(), "/prod/db is an app, so nothing can be in it");
  EXPECT_TRUE(DefineApp({"/prod/web/worker"}).ok());
}

TEST_F(GroupCore, AnAppsOwnDependencyCanCloseACycleThroughItsGroup) {
  GivenProd();
  auto out = DefineApp({"/prod/db", {"/prod/web/api"}});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().reason(), "a cycle: /prod/db -> /prod/web/api -> /prod/db");
}

TEST_F(GroupCore, ADependencyLeftDanglingByADeletionBlocksNoOtherWrite) {
  GivenProd();
  ASSERT_NO_FATAL_FAILURE(Committed(DecideDeleteApp(state_, "/prod/db", context_)));
  EXPECT_TRUE(DefineApp({"/prod/other"}).ok());
  EXPECT_FALSE(DefineApp({"/prod/again", {"/prod/db"}}).ok());
}

}  // namespace
}  // namespace regatta::master

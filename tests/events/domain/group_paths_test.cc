// Marathon's paths resolve as Marathon resolves them, and the dependency
// check refuses exactly what a write would break.
#include "events/domain/group_paths.h"

#include <gtest/gtest.h>

namespace regatta::domain {
namespace {

TEST(GroupPaths, ParentsAndMembership) {
  EXPECT_EQ(ParentPath("/prod/web"), "/prod");
  EXPECT_EQ(ParentPath("/web"), "/");
  EXPECT_EQ(ParentPath("/"), "/");
  EXPECT_TRUE(IsUnder("/prod/web", "/prod"));
  EXPECT_TRUE(IsUnder("/prod", "/prod"));
  EXPECT_FALSE(IsUnder("/prod-2/web", "/prod"));
  EXPECT_TRUE(IsUnder("/anything", "/"));
}

TEST(GroupPaths, RelativeIdsResolveAgainstTheirGroup) {
  struct Case {
    const char* base;
    const char* path;
    std::optional<std::string> want;
  };
  const Case cases[] = {
      {"/prod", "db", "/prod/db"},
      {"/prod/web", "../db", "/prod/db"},
      {"/prod", "/abs//path/", "/abs/path"},
      {"/prod", "./db/.", "/prod/db"},
      {"/", "..", std::nullopt},
      {"/prod", "../../x", std::nullopt},
      {"/prod", "..", "/"},
  };
  for (const Case& c : cases) EXPECT_EQ(ResolvePath(c.base, c.path), c.want) << c.base << " + " << c.path;
}

TEST(GroupPaths, DependingOnAGroupMeansOnEveryAppInIt) {
  DependencyWorld world{{{"/db/a", {}}, {"/db/b", {"/web"}}, {"/web/x", {"/db"}}}, {}};
  const Status s = CheckDependencies(world, {"/web/x"});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.reason(), "a cycle: /web/x -> /db/b -> /web/x");
}

TEST(GroupPaths, AGroupsDependenciesAreItsAppsToo) {
  DependencyWorld world{{{"/db", {"/web/x"}}, {"/web/x", {}}}, {{"/web", {"/db"}}}};
  EXPECT_FALSE(CheckDependencies(world, {"/web"}).ok());
  world.apps[0].dependencies.clear();
  EXPECT_TRUE(CheckDependencies(world, {"/web"}).ok());
}

TEST(GroupPaths, AnAppDependingOnItsOwnGroupIsACycle) {
  DependencyWorld world{{{"/g/a", {"/g"}}}, {}};
  EXPECT_EQ(CheckDependencies(world, {"/g/a"}).reason(), "a cycle: /g/a -> /g/a");
}

TEST(GroupPaths, ImpliedAndEmptyExplicitGroupsBothExist) {
  DependencyWorld world{{{"/a", {"/prod"}}, {"/prod/web/api", {}}, {"/b", {"/empty"}}}, {{"/empty", {}}}};
  EXPECT_TRUE(CheckDependencies(world, {"/a", "/b"}).ok());
  world.apps[0].dependencies = {"/pro"};  // a prefix of a group's name is not a group
  EXPECT_EQ(CheckDependencies(world, {"/a"}).reason(), "/a depends on /pro, which is neither an app nor a group");
}

TEST(GroupPaths, OnlyWhatTheWriteChangedIsChecked) {
  DependencyWorld world{{{"/left", {"/gone"}}, {"/new", {}}}, {}};
  EXPECT_TRUE(CheckDependencies(world, {"/new"}).ok());
  EXPECT_FALSE(CheckDependencies(world, {"/left"}).ok());
}

}  // namespace
}  // namespace regatta::domain

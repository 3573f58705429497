// Given the master's role flags as a user types them, then the options the
// allocator and the frameworks get, or a one-line error naming the flag and
// the item.
#include "api/cli/role_options.h"

#include <gtest/gtest.h>

namespace regatta::cli {
namespace {

using domain::Quantity;

TEST(RoleFlags, SetFrameworkRolesWeightsAndQuotas) {
  RoleFlags flags;
  flags.framework_roles = {"services=web", "jobs=batch"};
  flags.weights = {"web=3", "batch=0.5"};
  flags.quotas = {"batch=cpus:4,mem:2048.5", "web=gpus:1,disk:100"};
  master::MasterOptions options;
  ASSERT_TRUE(ApplyRoleFlags(flags, options).ok());
  EXPECT_EQ(options.framework_roles, (std::map<std::string, std::string>{{"services", "web"}, {"jobs", "batch"}}));
  ASSERT_EQ(options.allocation.roles.size(), 2u);
  const allocator::RoleConfig& web = options.allocation.roles.at("web");
  const allocator::RoleConfig& batch = options.allocation.roles.at("batch");
  EXPECT_EQ(web.weight, 3);
  EXPECT_EQ(batch.weight, 0.5);
  EXPECT_EQ(batch.quota.cpus, Quantity::FromDouble(4));
  EXPECT_EQ(batch.quota.mem_mb, Quantity::FromDouble(2048.5));
  EXPECT_EQ(batch.quota.gpus, Quantity{});
  EXPECT_EQ(web.quota.gpus, Quantity::FromDouble(1));
  EXPECT_EQ(web.quota.disk_mb, Quantity::FromDouble(100));
}

TEST(RoleFlags, NoFlagsLeaveEverythingInStar) {
  master::MasterOptions options;
  ASSERT_TRUE(ApplyRoleFlags({}, options).ok());
  EXPECT_TRUE(options.framework_roles.empty());
  EXPECT_TRUE(options.allocation.roles.empty());
}

TEST(RoleFlags, BadItemsAreRefusedByName) {
  struct Case {
    RoleFlags flags;
    std::string error;
  };
  const Case cases[] = {
      {{{"services"}, {}, {}}, "--framework-role: 'services' is not FRAMEWORK=ROLE"},
      {{{"=web"}, {}, {}}, "--framework-role: '=web' is not FRAMEWORK=ROLE"},
      {{{"marathon=web"}, {}, {}},
       "--framework-role: 'marathon=web' names framework 'marathon'; the built-in ones are services and jobs"},
      {{{"jobs=a/b"}, {}, {}}, "--framework-role: 'jobs=a/b' has an invalid role name (letters, digits, - _ . or *)"},
      {{{"jobs=.."}, {}, {}}, "--framework-role: 'jobs=..' has an invalid role name (letters, digits, - _ . or *)"},
      {{{"jobs=a", "jobs=b"}, {}, {}}, "--framework-role: 'jobs=b' sets jobs twice"},
      {{{}, {"web=0"}, {}}, "--role-weight: 'web=0' needs a weight greater than 0"},
      {{{}, {"web=-1"}, {}}, "--role-weight: 'web=-1' needs a weight greater than 0"},
      {{{}, {"web=2x"}, {}}, "--role-weight: 'web=2x' needs a weight greater than 0"},
      {{{}, {"web=inf"}, {}}, "--role-weight: 'web=inf' needs a weight greater than 0"},
      {{{}, {"web=1", "web=2"}, {}}, "--role-weight: 'web=2' sets web twice"},
      {{{}, {}, {"web=cpus"}}, "--role-quota: 'web=cpus' is not ROLE=RESOURCE:AMOUNT[,...] with amounts >= 0"},
      {{{}, {}, {"web=cpus:-1"}}, "--role-quota: 'web=cpus:-1' is not ROLE=RESOURCE:AMOUNT[,...] with amounts >= 0"},
      {{{}, {}, {"web=cpus:1,"}}, "--role-quota: 'web=cpus:1,' is not ROLE=RESOURCE:AMOUNT[,...] with amounts >= 0"},
      {{{}, {}, {"web=ram:1"}}, "--role-quota: 'web=ram:1' names 'ram'; the resources are cpus, mem, disk, gpus"},
      {{{}, {}, {"web=cpus:1", "web=mem:1"}}, "--role-quota: 'web=mem:1' sets web twice"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.error);
    master::MasterOptions options;
    const Status s = ApplyRoleFlags(c.flags, options);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(s.message(), c.error);
  }
}

}  // namespace
}  // namespace regatta::cli

#include "events/domain/app_spec_check.h"

#include <gtest/gtest.h>

#include <capnp/message.h>

#include <cmath>
#include <functional>
#include <limits>
#include <string>

namespace regatta::domain {
namespace {

using Edit = std::function<void(schema::AppSpec::Builder)>;

// A valid app, then one edit: the check's verdict on it.
Status Check(const Edit& edit) {
  capnp::MallocMessageBuilder message;
  auto spec = message.initRoot<schema::AppSpec>();
  spec.setId("/prod/web");
  spec.setCmd("sleep 100");
  spec.setInstances(2);
  spec.setCpus(0.5);
  spec.setMemMb(64);
  edit(spec);
  return CheckAppSpec(spec.asReader());
}

constexpr double kInf = std::numeric_limits<double>::infinity();

TEST(CheckAppSpec, AcceptsAValidApp) {
  EXPECT_TRUE(Check([](auto) {}).ok());
  EXPECT_TRUE(Check([](auto s) {
                s.setDiskMb(0);
                s.setGpus(1);
                auto c = s.initConstraints(1);
                c[0].setField("hostname");
                c[0].setOperator("UNIQUE");
              }).ok());
}

TEST(CheckAppSpec, RefusesEachBadFieldByName) {
  const struct {
    const char* name;
    Edit edit;
    const char* field;
  } cases[] = {
      {"cpus inf", [](auto s) { s.setCpus(kInf); }, "cpus"},
      {"cpus 1e308", [](auto s) { s.setCpus(1e308); }, "cpus"},
      {"cpus NaN", [](auto s) { s.setCpus(std::nan("")); }, "cpus"},
      {"cpus -1", [](auto s) { s.setCpus(-1); }, "cpus"},
      {"cpus 0", [](auto s) { s.setCpus(0); }, "cpus"},
      {"mem inf", [](auto s) { s.setMemMb(kInf); }, "mem"},
      {"mem 0", [](auto s) { s.setMemMb(0); }, "mem"},
      {"disk -1", [](auto s) { s.setDiskMb(-1); }, "disk"},
      {"disk NaN", [](auto s) { s.setDiskMb(std::nan("")); }, "disk"},
      {"gpus inf", [](auto s) { s.setGpus(kInf); }, "gpus"},
      {"no command", [](auto s) { s.setCmd(""); }, "cmd"},
      {"relative id", [](auto s) { s.setId("web"); }, "id"},
      {"upper case id", [](auto s) { s.setId("/Web"); }, "id"},
      {"port 70000", [](auto s) { s.initPortDefinitions(1)[0].setPort(70000); }, "portDefinitions[0].port"},
      {"required port twice",
       [](auto s) {
         s.setRequirePorts(true);
         auto p = s.initPortDefinitions(2);
         p[0].setPort(8080);
         p[1].setPort(8080);
       },
       "portDefinitions[1].port"},
      {"unknown operator",
       [](auto s) {
         auto c = s.initConstraints(1);
         c[0].setField("rack");
         c[0].setOperator("NEAR");
       },
       "constraints[0]"},
      {"job of 0", [](auto s) {
         s.setKind(schema::WorkloadKind::JOB);
         s.setInstances(0);
       }, "instances"},
      {"backoff factor below 1", [](auto s) { s.setBackoffFactor(0.5); }, "backoffFactor"},
      {"backoff seconds inf", [](auto s) { s.setBackoffSeconds(kInf); }, "backoffSeconds"},
      {"kill grace -1", [](auto s) { s.setKillGracePeriodSeconds(-1); }, "killGracePeriodSeconds"},
  };
  for (const auto& c : cases) {
    const Status s = Check(c.edit);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << c.name;
    EXPECT_EQ(s.field(), c.field) << c.name << ": " << s.message();
    EXPECT_EQ(s.message().rfind(std::string(c.field) + ": ", 0), 0u) << s.message();
    EXPECT_EQ(s.message().find('\n'), std::string::npos) << s.message();
  }
}

}  // namespace
}  // namespace regatta::domain

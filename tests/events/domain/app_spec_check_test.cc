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
      // ids, by Marathon's path rules
      {"id /../x", [](auto s) { s.setId("/../x"); }, "id"},
      {"id /..", [](auto s) { s.setId("/.."); }, "id"},
      {"id /.", [](auto s) { s.setId("/."); }, "id"},
      {"id 10 KB long", [](auto s) { s.setId("/" + std::string(10240, 'a')); }, "id"},
      {"id with a newline", [](auto s) { s.setId("/web\nx"); }, "id"},
      {"empty id", [](auto s) { s.setId(""); }, "id"},
      {"id segment of 64", [](auto s) { s.setId("/" + std::string(64, 'a')); }, "id"},
      {"id segment starting with -", [](auto s) { s.setId("/prod/-web"); }, "id"},
      {"id segment ending with .", [](auto s) { s.setId("/prod/web."); }, "id"},
      {"id with ..", [](auto s) { s.setId("/prod/a..b"); }, "id"},
      {"id with //", [](auto s) { s.setId("/prod//web"); }, "id"},
      {"id with a trailing /", [](auto s) { s.setId("/prod/"); }, "id"},
      // ports
      {"port definition 70000", [](auto s) { s.initPortDefinitions(1)[0].setPort(70000); }, "portDefinitions[0].port"},
      {"port mapping 70000", [](auto s) { s.initPortMappings(1)[0].setHostPort(70000); }, "container.portMappings[0].hostPort"},
      {"protocol sctp", [](auto s) { s.initPortDefinitions(1)[0].setProtocol("sctp"); }, "portDefinitions[0].protocol"},
      // constraints
      {"LIKE that does not compile",
       [](auto s) {
         auto c = s.initConstraints(1);
         c[0].setField("rack");
         c[0].setOperator("LIKE");
         c[0].setValue("(");
       },
       "constraints[0]"},
      {"MAX_PER 0",
       [](auto s) {
         auto c = s.initConstraints(1);
         c[0].setField("rack");
         c[0].setOperator("MAX_PER");
         c[0].setValue("0");
       },
       "constraints[0]"},
      {"GROUP_BY of no number",
       [](auto s) {
         auto c = s.initConstraints(1);
         c[0].setField("rack");
         c[0].setOperator("GROUP_BY");
         c[0].setValue("three");
       },
       "constraints[0]"},
      // strings
      {"id not UTF-8", [](auto s) { s.setId("/w\xff"); }, "id"},
      {"label key with a control character",
       [](auto s) {
         auto l = s.initLabels(1);
         l[0].setKey("a\x01b");
         l[0].setValue("v");
       },
       "labels[0].key"},
      {"label value not UTF-8",
       [](auto s) {
         auto l = s.initLabels(1);
         l[0].setKey("k");
         l[0].setValue("\xc0\xaf");  // an overlong '/'
       },
       "labels[0].value"},
      {"port name with a newline", [](auto s) { s.initPortDefinitions(1)[0].setName("http\n"); }, "portDefinitions[0].name"},
      {"cmd not UTF-8", [](auto s) { s.setCmd("echo \xed\xa0\x80"); }, "cmd"},  // a lone surrogate
      {"env name with =",
       [](auto s) {
         auto e = s.initEnv(1);
         e[0].setKey("A=B");
         e[0].setValue("1");
       },
       "env[0].name"},
      {"a health check of a port the app lacks",
       [](auto s) { s.initHealthChecks(1)[0].setProtocol(schema::HealthCheck::Protocol::HTTP); }, "healthChecks[0].portIndex"},
      {"minimumHealthCapacity 2", [](auto s) { s.initUpgradeStrategy().setMinimumHealthCapacity(2); },
       "upgradeStrategy.minimumHealthCapacity"},
  };
  for (const auto& c : cases) {
    const Status s = Check(c.edit);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << c.name;
    EXPECT_EQ(s.field(), c.field) << c.name << ": " << s.message();
    EXPECT_EQ(s.message().rfind(std::string(c.field) + ": ", 0), 0u) << s.message();
    EXPECT_EQ(s.message().find('\n'), std::string::npos) << s.message();
  }
}

TEST(CheckAppSpec, AcceptsWhatMarathonAccepts) {
  const char* ids[] = {"/web", "/prod/web/api", "/v1.2", "/my-app", "/a", "/" };
  for (const char* id : ids) {
    const Status s = Check([&](auto spec) { spec.setId(id); });
    if (std::string(id) == "/") {
      EXPECT_FALSE(s.ok());
    } else {
      EXPECT_TRUE(s.ok()) << id << ": " << s.ToString();
    }
  }
  EXPECT_TRUE(Check([](auto s) { s.setId("/" + std::string(63, 'a')); }).ok());
  EXPECT_TRUE(Check([](auto s) {
                auto l = s.initLabels(1);
                l[0].setKey("owner");
                l[0].setValue("Zoë 🚀");  // UTF-8 is welcome
              }).ok());
  EXPECT_TRUE(Check([](auto s) {
                auto e = s.initEnv(1);
                e[0].setKey("MOTD");
                e[0].setValue("line one\nline two");  // an env value may span lines
              }).ok());
  // A Docker app may run its image's own entrypoint (the seed's first example).
  EXPECT_TRUE(Check([](auto s) {
                s.setCmd("");
                s.getContainer().setKind(schema::ContainerSpec::Kind::OCI);
                s.getContainer().setImage("nginx:alpine");
              }).ok());
  EXPECT_EQ(Check([](auto s) {
              s.setCmd("");
              s.getContainer().setKind(schema::ContainerSpec::Kind::OCI);
            }).message(),
            "cmd: an app needs cmd, args or a container image");
}

TEST(CheckAppSpec, AnErrorQuotingInputIsOneLine) {
  const Status s = Check([](auto spec) { spec.setId("/web\nsecond line\x01"); });
  EXPECT_EQ(s.message().find('\n'), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("\\n"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("\\x01"), std::string::npos) << s.message();
  const Status long_id = Check([](auto spec) { spec.setId("/" + std::string(10240, 'a')); });
  EXPECT_LT(long_id.message().size(), 200u) << "a 10 KB id is not repeated whole";
}

}  // namespace
}  // namespace regatta::domain

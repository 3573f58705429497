// Marathon's app JSON to AppSpec and back: the seed's file, Marathon's
// defaults, every refusal naming its JSON pointer, and a round trip.
#include "api/marathon/app_json.h"

#include <gtest/gtest.h>

#include <capnp/message.h>

#include "events/domain/app_spec_check.h"

namespace regatta::marathon {
namespace {

// The seed article's hello-marathon.json, byte for byte but for its comment line.
constexpr const char* kSeedApp = R"({
"id": "marathon-demo-application",
"cpus": 1,
"mem": 128,
"disk": 0,
"instances": 1,
"container": {
    "type": "DOCKER",
    "docker": {
    "image": "hello_world:latest",
    "portMappings": [
        { "containerPort": 9001, "hostPort": 0 }
    ]
    }
},
"networks": [
    {
    "mode": "host"
    }
]
})";

struct Decoded {
  capnp::MallocMessageBuilder message;
  Status status;
  schema::AppSpec::Reader spec() { return message.getRoot<schema::AppSpec>().asReader(); }
};

std::unique_ptr<Decoded> Decode(const std::string& body, std::optional<std::string> id = std::nullopt) {
  auto out = std::make_unique<Decoded>();
  auto json = ParseBody(body);
  if (!json.ok()) {
    out->status = json.status();
    return out;
  }
  out->status = DecodeApp(*json, out->message.initRoot<schema::AppSpec>(), id);
  return out;
}

TEST(AppJson, TheSeedsAppDecodesWithItsDockerContainerAndPassesTheChecks) {
  auto d = Decode(kSeedApp);
  ASSERT_TRUE(d->status.ok()) << d->status.ToString();
  auto spec = d->spec();
  EXPECT_EQ(std::string(spec.getId().cStr()), "/marathon-demo-application");
  EXPECT_EQ(spec.getContainer().getKind(), schema::ContainerSpec::Kind::OCI);
  EXPECT_EQ(std::string(spec.getContainer().getImage().cStr()), "hello_world:latest");
  EXPECT_EQ(std::string(spec.getContainer().getApiType().cStr()), "DOCKER");
  ASSERT_EQ(spec.getPortMappings().size(), 1u);
  EXPECT_EQ(spec.getPortMappings()[0].getContainerPort(), 9001u);
  EXPECT_EQ(spec.getNetworking(), schema::NetworkMode::HOST);
  EXPECT_EQ(spec.getCpus(), 1);
  EXPECT_EQ(spec.getMemMb(), 128);
  const Status checked = domain::CheckAppSpec(spec);
  EXPECT_TRUE(checked.ok()) << checked.ToString();
}

TEST(AppJson, MarathonsDefaultsFillWhatTheBodyLeavesOut) {
  auto d = Decode(R"({"id":"/web","cmd":"python3 -m http.server $PORT0"})");
  ASSERT_TRUE(d->status.ok()) << d->status.ToString();
  auto spec = d->spec();
  EXPECT_EQ(spec.getInstances(), 1u);
  EXPECT_EQ(spec.getCpus(), 1);
  EXPECT_EQ(spec.getMemMb(), 128);
  EXPECT_EQ(spec.getBackoffSeconds(), 1);
  EXPECT_DOUBLE_EQ(spec.getBackoffFactor(), 1.15);
  EXPECT_EQ(spec.getMaxLaunchDelaySeconds(), 300);
  ASSERT_EQ(spec.getPortDefinitions().size(), 1u) << "host networking gets one port named default";
  EXPECT_EQ(std::string(spec.getPortDefinitions()[0].getName().cStr()), "default");
  EXPECT_EQ(spec.getPortDefinitions()[0].getPort(), 0u);
  EXPECT_EQ(std::string(spec.getRole().cStr()), "*");
}

TEST(AppJson, IdsAreMadeAbsoluteAndTheirSlashesCollapsed) {
  EXPECT_EQ(NormalizeAppId("web"), "/web");
  EXPECT_EQ(NormalizeAppId("//prod//web/"), "/prod/web");
  auto d = Decode(R"({"id":"ignored","cmd":"true"})", "/from/url");
  ASSERT_TRUE(d->status.ok());
  EXPECT_EQ(std::string(d->spec().getId().cStr()), "/from/url") << "PUT takes the id from the URL";
}

TEST(AppJson, EachRefusalNamesItsJsonPointer) {
  const struct {
    const char* body;
    const char* field;
    const char* reason_contains;
  } cases[] = {
      {R"({"cmd":"true"})", "/id", "required"},
      {R"({"id":"/a","cmd":"true","instaces":2})", "/instaces", "is not a field Marathon defines here"},
      {R"({"id":"/a","cmd":"true","cpus":"one"})", "/cpus", "expected a number"},
      {R"({"id":"/a","cmd":"true","instances":-1})", "/instances", "whole number"},
      {R"({"id":"/a","cmd":"true","instances":1.5})", "/instances", "whole number"},
      {R"({"id":"/a","cmd":"true","portDefinitions":[{"port":70000}]})", "/portDefinitions/0/port", "not from 0 to 65535"},
      {R"({"id":"/a","cmd":"true","portDefinitions":[{"prot":"tcp"}]})", "/portDefinitions/0/prot", "not a field"},
      {R"({"id":"/a","cmd":"true","constraints":[["hostname"]]})", "/constraints/0", "[field, operator]"},
      {R"({"id":"/a","cmd":"true","container":{"type":"RKT"}})", "/container/type", "DOCKER or MESOS"},
      {R"({"id":"/a","container":{"docker":{}}})", "/container/docker/image", "required"},
      {R"({"id":"/a","cmd":"true","env":{"A":1}})", "/env/A", "a string"},
      {R"({"id":"/a","cmd":"true","env":{"A":{"secret":"s"}}})", "/env/A", "secrets"},
      {R"({"id":"/a","cmd":"true","upgradeStrategy":{"minimumHealthCapacity":2}})",
       "/upgradeStrategy/minimumHealthCapacity", "from 0 to 1"},
      {R"({"id":"/a","cmd":"true","killSelection":"RANDOM"})", "/killSelection", "YOUNGEST_FIRST"},
      {R"({"id":"/a","cmd":"true","unreachableStrategy":"sometimes"})", "/unreachableStrategy", "disabled"},
      {R"({"id":"/a","cmd":"true","secrets":{"s":{"source":"x"}}})", "/secrets", "not supported"},
      {R"({"id":"/a"})", "/", "'cmd' or 'args'"},
      {R"([1,2])", "/", "expected an object"},
      {R"({"id":"/a",)", "/", "Invalid JSON at offset"},
      {R"({"id":"/a","cmd":"true","cpus":11e11111})", "/", "number overflow"},  // found by fuzz_marathon_app
      {"   ", "/", "the body is empty"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.body);
    auto d = Decode(c.body);
    ASSERT_FALSE(d->status.ok());
    EXPECT_EQ(d->status.code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(d->status.field(), c.field);
    EXPECT_NE(d->status.reason().find(c.reason_contains), std::string::npos) << d->status.reason();
  }
}

TEST(AppJson, WhatAGetAddsMaySafelyBeSentBack) {
  auto d = Decode(R"({"id":"/a","cmd":"true","tasks":[],"tasksRunning":1,"deployments":[{"id":"x"}],
                      "version":"2026-01-01T00:00:00.000Z","versionInfo":{},"regattaNotes":[],"ipAddress":null})");
  EXPECT_TRUE(d->status.ok()) << d->status.ToString();
}

TEST(AppJson, AnEncodedAppDecodesToTheSameSpec) {
  auto d = Decode(R"({"id":"/prod/web","cmd":"serve","args":null,"user":"nobody","env":{"A":"1"},"instances":3,
    "cpus":0.25,"mem":64,"disk":10,"gpus":0,"constraints":[["hostname","UNIQUE"],["zone","GROUP_BY","2"]],
    "acceptedResourceRoles":["*"],"fetch":[{"uri":"http://x/y.tgz","extract":false}],
    "portDefinitions":[{"port":10001,"protocol":"udp","name":"dns","labels":{"l":"v"}}],"requirePorts":true,
    "backoffSeconds":2,"backoffFactor":1.5,"maxLaunchDelaySeconds":60,
    "healthChecks":[{"protocol":"HTTP","path":"/health","portIndex":0,"gracePeriodSeconds":10,"intervalSeconds":5,
                     "timeoutSeconds":2,"maxConsecutiveFailures":4,"delaySeconds":1}],
    "readinessChecks":[{"name":"ready","protocol":"HTTP","path":"/ready","portName":"dns","intervalSeconds":3,
                        "timeoutSeconds":1,"httpStatusCodesForReady":[200,204],"preserveLastResponse":true}],
    "dependencies":["/prod/db"],"upgradeStrategy":{"minimumHealthCapacity":0.5,"maximumOverCapacity":0.2},
    "labels":{"team":"web"},"taskKillGracePeriodSeconds":7,"killSelection":"OLDEST_FIRST",
    "unreachableStrategy":{"inactiveAfterSeconds":60,"expungeAfterSeconds":120},"role":"web"})");
  ASSERT_TRUE(d->status.ok()) << d->status.ToString();
  const Json encoded = EncodeApp(d->spec(), "v1");
  auto again = Decode(encoded.dump());
  ASSERT_TRUE(again->status.ok()) << again->status.ToString() << "\n" << encoded.dump();
  EXPECT_EQ(EncodeApp(again->spec(), "v1"), encoded);
  EXPECT_EQ(encoded["killSelection"], "OLDEST_FIRST");
  EXPECT_EQ(encoded["constraints"][1], Json::array({"zone", "GROUP_BY", "2"}));
  EXPECT_EQ(encoded["portDefinitions"][0]["name"], "dns");
  EXPECT_EQ(encoded["unreachableStrategy"]["expungeAfterSeconds"], 120);
  EXPECT_EQ(encoded["version"], "v1");
}

TEST(AppJson, TheSeedsAppEncodesItsContainerAsMarathonWritesIt) {
  auto d = Decode(kSeedApp);
  ASSERT_TRUE(d->status.ok());
  const Json app = EncodeApp(d->spec(), "v1");
  EXPECT_EQ(app["container"]["type"], "DOCKER");
  EXPECT_EQ(app["container"]["docker"]["image"], "hello_world:latest");
  EXPECT_EQ(app["container"]["portMappings"][0]["containerPort"], 9001);
  EXPECT_EQ(app["networks"], Json::parse(R"([{"mode":"host"}])"));
  EXPECT_FALSE(app.contains("tasksStats")) << "python3-marathon 0.13 cannot read it";
}

TEST(AppJson, DomainFieldsBecomeJsonPointers) {
  EXPECT_EQ(JsonPointer("portDefinitions[2].port"), "/portDefinitions/2/port");
  EXPECT_EQ(JsonPointer("id"), "/id");
  EXPECT_EQ(JsonPointer(""), "/");
  EXPECT_EQ(JsonPointer("upgradeStrategy.minimumHealthCapacity"), "/upgradeStrategy/minimumHealthCapacity");
}

}  // namespace
}  // namespace regatta::marathon

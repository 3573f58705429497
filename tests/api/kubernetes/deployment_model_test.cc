// A Deployment's checks and the app it runs, from the documents users
// write: the seed's, corrected; its broken forms; probes and strategies.
#include "api/kubernetes/deployment_model.h"

#include <capnp/message.h>
#include <gtest/gtest.h>

#include "api/kubernetes/kube_decode.h"

namespace regatta::kube {
namespace {

constexpr const char* kSeed = R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: hello-world
spec:
  replicas: 1
  template:
    metadata:
      labels:
        app: hello-world
    spec:
      containers:
      - name: hello-world
        image: hello-world:latest
        ports:
        - containerPort: 9001
)";

Json Yaml(const std::string& text) {
  auto json = YamlToJson(text);
  EXPECT_TRUE(json.ok()) << json.status().message();
  return json.ok() ? *json : Json();
}

std::vector<std::string> Fields(const DeploymentCheck& check) {
  std::vector<std::string> out;
  for (const Cause& c : check.causes) out.push_back(c.field);
  return out;
}

TEST(DeploymentModel, TheSeedsDeploymentGetsItsSelectorFromItsLabelsWithAWarning) {
  Json d = Yaml(kSeed);
  DeploymentCheck check = CheckDeployment(d);
  EXPECT_TRUE(check.causes.empty()) << check.causes[0].field << ": " << check.causes[0].message;
  ASSERT_EQ(check.warnings.size(), 1u);
  EXPECT_NE(check.warnings[0].find("spec.selector"), std::string::npos);
  EXPECT_EQ(d["spec"]["selector"]["matchLabels"]["app"], "hello-world");
  EXPECT_EQ(d["spec"]["strategy"]["rollingUpdate"]["maxSurge"], "25%");
}

TEST(DeploymentModel, AContainerWithoutACommandRunsItsImage) {
  Json d = Yaml(kSeed);
  ASSERT_TRUE(CheckDeployment(d).causes.empty());
  capnp::MallocMessageBuilder message;
  auto spec = message.initRoot<schema::AppSpec>();
  BuildAppSpec(d, "/default/hello-world", spec);
  EXPECT_EQ(std::string(spec.getId().cStr()), "/default/hello-world");
  EXPECT_EQ(spec.getInstances(), 1u);
  EXPECT_EQ(spec.getContainer().getKind(), schema::ContainerSpec::Kind::OCI);
  EXPECT_EQ(std::string(spec.getContainer().getImage().cStr()), "hello-world:latest");
  ASSERT_EQ(spec.getPortDefinitions().size(), 1u);
  EXPECT_EQ(std::string(spec.getPortDefinitions()[0].getName().cStr()), "port9001");
  EXPECT_FALSE(spec.getUpgradeStrategy().getAutoRevert()) << "Kubernetes never reverts by itself";
  EXPECT_EQ(std::string(spec.getUpgradeStrategy().getMaxUnavailable().cStr()), "25%");
}

TEST(DeploymentModel, ACommandRunsAsAProcessWithItsProbesAsChecks) {
  Json d = Yaml(std::string(kSeed) + R"(        command: ["sh", "-c", "exec python3 -m http.server $PORT0"]
        resources:
          requests: {cpu: 250m, memory: 64Mi}
        livenessProbe:
          httpGet: {path: /healthz, port: 9001}
          initialDelaySeconds: 2
          periodSeconds: 3
          failureThreshold: 4
        readinessProbe:
          httpGet: {path: /ready, port: 9001}
)");
  ASSERT_TRUE(CheckDeployment(d).causes.empty());
  capnp::MallocMessageBuilder message;
  auto spec = message.initRoot<schema::AppSpec>();
  BuildAppSpec(d, "/default/hello-world", spec);
  EXPECT_EQ(spec.getContainer().getKind(), schema::ContainerSpec::Kind::PROCESS);
  ASSERT_EQ(spec.getArgs().size(), 3u);
  EXPECT_EQ(std::string(spec.getArgs()[2].cStr()), "exec python3 -m http.server $PORT0");
  EXPECT_DOUBLE_EQ(spec.getCpus(), 0.25);
  EXPECT_DOUBLE_EQ(spec.getMemMb(), 64);
  ASSERT_EQ(spec.getHealthChecks().size(), 1u);
  auto h = spec.getHealthChecks()[0];
  EXPECT_EQ(h.getProtocol(), schema::HealthCheck::Protocol::HTTP);
  EXPECT_EQ(std::string(h.getPath().cStr()), "/healthz");
  EXPECT_DOUBLE_EQ(h.getIntervalSeconds(), 3);
  EXPECT_DOUBLE_EQ(h.getDelaySeconds(), 2);
  EXPECT_EQ(h.getMaxConsecutiveFailures(), 4u);
  ASSERT_EQ(spec.getReadinessChecks().size(), 1u);
  EXPECT_EQ(std::string(spec.getReadinessChecks()[0].getPortName().cStr()), "port9001");
  EXPECT_EQ(spec.getReadinessChecks()[0].getHttpStatusCodesForReady()[199], 399u);
}

TEST(DeploymentModel, TheFlatSeedNamesTheSelectorAndTheContainers) {
  // metadata mended, the spec still flat: what reaches a server.
  Json d = Yaml("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: hello-world\n");
  EXPECT_EQ(Fields(CheckDeployment(d)), (std::vector<std::string>{"spec.selector", "spec.template.spec.containers"}));
}

TEST(DeploymentModel, WrongFieldsAreNamed) {
  Json d = Yaml(std::string(kSeed) + R"(        livenessProbe:
          tcpSocket: {port: 8080}
        env:
        - value: x
  strategy:
    type: Recreate
    rollingUpdate: {maxSurge: 1}
)");
  d["spec"]["replicas"] = -1;
  d["metadata"]["name"] = "Hello_World";
  EXPECT_EQ(Fields(CheckDeployment(d)),
            (std::vector<std::string>{"metadata.name", "spec.replicas",
                                      "spec.template.spec.containers[0].env[0].name",
                                      "spec.template.spec.containers[0].livenessProbe.tcpSocket.port",
                                      "spec.strategy.rollingUpdate"}));
}

TEST(DeploymentModel, ASelectorThatTheLabelsDoNotMatchIsRefused) {
  Json d = Yaml(kSeed);
  d["spec"]["selector"] = {{"matchLabels", {{"app", "other"}}}};
  EXPECT_EQ(Fields(CheckDeployment(d)), (std::vector<std::string>{"spec.template.metadata.labels"}));
}

TEST(DeploymentModel, QuantitiesAsKubernetesWritesThem) {
  EXPECT_DOUBLE_EQ(*ParseCpu(Json("100m")), 0.1);
  EXPECT_DOUBLE_EQ(*ParseCpu(Json(2)), 2);
  EXPECT_FALSE(ParseCpu(Json("lots")).has_value());
  EXPECT_DOUBLE_EQ(*ParseMemoryMb(Json("1Gi")), 1024);
  EXPECT_DOUBLE_EQ(*ParseMemoryMb(Json("128Mi")), 128);
  EXPECT_NEAR(*ParseMemoryMb(Json("1G")), 953.674, 0.001);
  EXPECT_FALSE(ParseMemoryMb(Json("-1Mi")).has_value());
}

TEST(DeploymentModel, OnlyTheTemplateDecidesTheRevision) {
  Json a = Yaml(kSeed);
  Json b = Yaml(kSeed);
  b["spec"]["replicas"] = 5;
  b["metadata"]["annotations"] = {{"note", "scaled"}};
  EXPECT_EQ(TemplateHash(CanonicalTemplate(a)), TemplateHash(CanonicalTemplate(b)));
  b["spec"]["template"]["spec"]["containers"][0]["image"] = "hello-world:2";
  EXPECT_NE(TemplateHash(CanonicalTemplate(a)), TemplateHash(CanonicalTemplate(b)));
  // Nulls and empty values are no change (kubectl rollout undo sends them).
  Json c = Yaml(kSeed);
  c["spec"]["template"]["metadata"]["creationTimestamp"] = nullptr;
  c["spec"]["template"]["spec"]["containers"][0]["resources"] = Json::object();
  EXPECT_EQ(CanonicalTemplate(a), CanonicalTemplate(c));
  EXPECT_EQ(TemplateHash(CanonicalTemplate(a)).size(), 10u);
}

}  // namespace
}  // namespace regatta::kube

// YAML and JSON bodies into one model, and the errors kubectl users see.
#include "api/kubernetes/kube_decode.h"

#include <gtest/gtest.h>

namespace regatta::kube {
namespace {

// The seed's hello-kubernetes.yaml as the article prints it: its
// indentation lost in translation.
constexpr const char* kBrokenSeed = R"(apiVersion: apps/v1
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

TEST(KubeDecode, TheBrokenSeedIsRefusedAtLine14AsKubectlRefusesIt) {
  auto json = DecodeBody(kBrokenSeed, "application/yaml");
  ASSERT_FALSE(json.ok());
  EXPECT_EQ(json.status().message(),
            "error converting YAML to JSON: yaml: line 14: mapping values are not allowed in this context");
}

TEST(KubeDecode, ScalarsAreTypedAsGoTypesThemAndQuotedOnesStayStrings) {
  auto json = YamlToJson("a: 1\nb: \"1\"\nc: true\nd: 'yes'\ne: ~\nf: 1.5\ng: 25%\nh: [x, 2]\n");
  ASSERT_TRUE(json.ok()) << json.status().message();
  EXPECT_EQ((*json)["a"], 1);
  EXPECT_EQ((*json)["b"], "1");
  EXPECT_EQ((*json)["c"], true);
  EXPECT_EQ((*json)["d"], "yes");
  EXPECT_TRUE((*json)["e"].is_null());
  EXPECT_DOUBLE_EQ((*json)["f"].get<double>(), 1.5);
  EXPECT_EQ((*json)["g"], "25%");
  EXPECT_EQ((*json)["h"], Json::array({"x", 2}));
}

TEST(KubeDecode, JsonIsReadAsJsonAndItsErrorsGiveTheOffset) {
  auto ok = DecodeBody(R"({"kind":"Deployment"})", "application/json");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ((*ok)["kind"], "Deployment");
  auto bad = DecodeBody(R"({"kind":)", "application/json");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("invalid JSON at offset"), std::string::npos);
}

TEST(KubeDecode, AliasesThatExpandWithoutEndAreRefused) {
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char level = 'b'; level <= 'i'; ++level) {
    const char previous = static_cast<char>(level - 1);
    bomb += std::string(1, level) + ": &" + level + " [*" + previous + ", *" + previous + ", *" + previous + ", *" +
            previous + ", *" + previous + ", *" + previous + ", *" + previous + ", *" + previous + ", *" + previous +
            ", *" + previous + "]\n";
  }
  auto json = YamlToJson(bomb);
  ASSERT_FALSE(json.ok());
  EXPECT_NE(json.status().message().find("aliases"), std::string::npos) << json.status().message();
  EXPECT_FALSE(YamlToJson("a: \"\\xff\"\nb: !!binary x\n\xff: 1\n").ok()) << "invalid UTF-8";
}

TEST(KubeDecode, OneObjectPerRequest) {
  EXPECT_FALSE(DecodeBody("a: 1\n---\nb: 2\n", "application/yaml").ok());
  EXPECT_FALSE(DecodeBody("  \n", "application/yaml").ok());
}

}  // namespace
}  // namespace regatta::kube

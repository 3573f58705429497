// The Tables `kubectl get` prints: columns, cells, ages.
#include "api/kubernetes/kube_tables.h"

#include <gtest/gtest.h>

namespace regatta::kube {
namespace {

constexpr std::int64_t kSecond = 1'000'000'000;

TEST(KubeTables, AgesAreWrittenAsKubernetesWritesThem) {
  EXPECT_EQ(HumanAge(-3), "0s");
  EXPECT_EQ(HumanAge(45), "45s");
  EXPECT_EQ(HumanAge(119), "119s");
  EXPECT_EQ(HumanAge(192), "3m12s");
  EXPECT_EQ(HumanAge(300), "5m");
  EXPECT_EQ(HumanAge(3 * 3600 + 60), "3h1m");
  EXPECT_EQ(HumanAge(20 * 3600), "20h");
  EXPECT_EQ(HumanAge(5 * 86400 + 3 * 3600), "5d3h");
  EXPECT_EQ(HumanAge(40 * 86400), "40d");
  EXPECT_EQ(HumanAge(800 * 86400), "2y");
}

TEST(KubeTables, OnlyATableAcceptGetsOne) {
  EXPECT_TRUE(WantsTable("application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json"));
  EXPECT_FALSE(WantsTable("application/json"));
}

TEST(KubeTables, ADeploymentsRowSaysReadyOfWantedAndItsWideColumns) {
  const Json d = Json::parse(R"({"metadata":{"name":"web","namespace":"default","creationTimestamp":"2026-12-06T01:00:00Z"},
    "spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},
            "template":{"spec":{"containers":[{"name":"web","image":"nginx:1"}]}}},
    "status":{"readyReplicas":2,"updatedReplicas":3,"availableReplicas":2}})");
  // 2026-12-06T01:00:45Z
  const Json table = TableOf(TableKind::kDeployments, {d}, 17, (1796518800 + 45) * kSecond);
  EXPECT_EQ(table["kind"], "Table");
  EXPECT_EQ(table["metadata"]["resourceVersion"], "17");
  ASSERT_EQ(table["columnDefinitions"].size(), 8u);
  EXPECT_EQ(table["columnDefinitions"][1]["name"], "Ready");
  EXPECT_EQ(table["columnDefinitions"][5]["priority"], 1);
  ASSERT_EQ(table["rows"].size(), 1u);
  EXPECT_EQ(table["rows"][0]["cells"], Json::parse(R"(["web","2/3",3,2,"45s","web","nginx:1","app=web"])"));
  EXPECT_EQ(table["rows"][0]["object"]["kind"], "PartialObjectMetadata");
  EXPECT_EQ(table["rows"][0]["object"]["metadata"]["name"], "web");
}

TEST(KubeTables, APodsRowCountsReadyContainersAndSaysTerminating) {
  const Json p = Json::parse(R"({"metadata":{"name":"web-1","creationTimestamp":"2026-12-06T01:00:00Z"},
    "spec":{"nodeName":"agent-0"},
    "status":{"phase":"Running","reason":"Terminating","podIP":"127.0.0.1",
              "containerStatuses":[{"name":"web","ready":true}]}})");
  const Json table = TableOf(TableKind::kPods, {p}, 3, (1796518800 + 600) * kSecond);
  EXPECT_EQ(table["rows"][0]["cells"], Json::parse(R"(["web-1","1/1","Terminating",0,"10m","127.0.0.1","agent-0","<none>","<none>"])"));
}

}  // namespace
}  // namespace regatta::kube

// Strategic merge patch as kubectl apply, edit and rollout send it, case
// by case.
#include "api/kubernetes/strategic_merge.h"

#include <gtest/gtest.h>

namespace regatta::kube {
namespace {

Json J(const char* text) { return Json::parse(text); }

struct Case {
  const char* name;
  const char* original;
  const char* patch;
  const char* want;
};

TEST(StrategicMerge, Cases) {
  const Case cases[] = {
      {"maps merge, scalars replace", R"({"spec":{"replicas":1,"paused":true}})", R"({"spec":{"replicas":3}})",
       R"({"spec":{"replicas":3,"paused":true}})"},
      {"null deletes", R"({"spec":{"paused":true,"replicas":1}})", R"({"spec":{"paused":null}})",
       R"({"spec":{"replicas":1}})"},
      {"containers merge by name, keeping their ports",
       R"({"spec":{"template":{"spec":{"containers":[{"name":"a","image":"a:1","ports":[{"containerPort":80}]},{"name":"b","image":"b:1"}]}}}})",
       R"({"spec":{"template":{"spec":{"containers":[{"name":"a","image":"a:2"}]}}}})",
       R"({"spec":{"template":{"spec":{"containers":[{"name":"a","image":"a:2","ports":[{"containerPort":80}]},{"name":"b","image":"b:1"}]}}}})"},
      {"container ports merge by containerPort",
       R"({"spec":{"template":{"spec":{"containers":[{"name":"a","ports":[{"containerPort":80,"name":"http"}]}]}}}})",
       R"({"spec":{"template":{"spec":{"containers":[{"name":"a","ports":[{"containerPort":80,"protocol":"TCP"},{"containerPort":443}]}]}}}})",
       R"({"spec":{"template":{"spec":{"containers":[{"name":"a","ports":[{"containerPort":80,"name":"http","protocol":"TCP"},{"containerPort":443}]}]}}}})"},
      {"$patch delete removes an item",
       R"({"spec":{"template":{"spec":{"containers":[{"name":"a"},{"name":"b"}]}}}})",
       R"({"spec":{"template":{"spec":{"containers":[{"name":"a","$patch":"delete"}]}}}})",
       R"({"spec":{"template":{"spec":{"containers":[{"name":"b"}]}}}})"},
      {"$patch replace on a map", R"({"metadata":{"labels":{"a":"1","b":"2"}}})",
       R"({"metadata":{"labels":{"$patch":"replace","c":"3"}}})", R"({"metadata":{"labels":{"c":"3"}}})"},
      {"lists without a merge key are replaced", R"({"spec":{"template":{"spec":{"containers":[{"name":"a","args":["x","y"]}]}}}})",
       R"({"spec":{"template":{"spec":{"containers":[{"name":"a","args":["z"]}]}}}})",
       R"({"spec":{"template":{"spec":{"containers":[{"name":"a","args":["z"]}]}}}})"},
      {"$setElementOrder and $retainKeys change no value",
       R"({"spec":{"template":{"spec":{"containers":[{"name":"a","image":"a:1"}]}}}})",
       R"({"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"a"}],"containers":[{"name":"a","image":"a:3"}]}},"$retainKeys":["template"]}})",
       R"({"spec":{"template":{"spec":{"containers":[{"name":"a","image":"a:3"}]}}}})"},
      {"$deleteFromPrimitiveList", R"({"metadata":{"finalizers":["x","y"]}})",
       R"({"metadata":{"$deleteFromPrimitiveList/finalizers":["x"]}})", R"({"metadata":{"finalizers":["y"]}})"},
      {"env merges by name", R"({"spec":{"template":{"spec":{"containers":[{"name":"a","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]}]}}}})",
       R"({"spec":{"template":{"spec":{"containers":[{"name":"a","env":[{"name":"B","value":"3"}]}]}}}})",
       R"({"spec":{"template":{"spec":{"containers":[{"name":"a","env":[{"name":"A","value":"1"},{"name":"B","value":"3"}]}]}}}})"},
  };
  for (const Case& c : cases) {
    auto merged = StrategicMerge(J(c.original), J(c.patch));
    ASSERT_TRUE(merged.ok()) << c.name << ": " << merged.status().message();
    EXPECT_EQ(merged->dump(), J(c.want).dump()) << c.name;
  }
}

TEST(StrategicMerge, ItemsWithoutTheirMergeKeyAndUnknownDirectivesAreRefused) {
  auto missing = StrategicMerge(J(R"({"spec":{"template":{"spec":{"containers":[]}}}})"),
                                J(R"({"spec":{"template":{"spec":{"containers":[{"image":"x"}]}}}})"));
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("\"name\""), std::string::npos);
  EXPECT_FALSE(StrategicMerge(J("{}"), J(R"({"spec":{"$patch":"merge-ish"}})")).ok());
  EXPECT_FALSE(StrategicMerge(J("{}"), J("[1]")).ok());
}

TEST(StrategicMerge, MergeKeysOfTheBuiltInKinds) {
  EXPECT_EQ(MergeKeyOf("spec.template.spec.containers"), "name");
  EXPECT_EQ(MergeKeyOf("spec.template.spec.containers.ports"), "containerPort");
  EXPECT_EQ(MergeKeyOf("spec.ports"), "port");
  EXPECT_EQ(MergeKeyOf("spec.template.spec.containers.volumeMounts"), "mountPath");
  EXPECT_EQ(MergeKeyOf("spec.template.spec.containers.args"), "");
}

}  // namespace
}  // namespace regatta::kube

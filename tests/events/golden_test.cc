// Golden files: envelopes encoded by earlier builds, committed under
// tests/events/golden/. They must decode forever (events.capnp, rule 3).
// A schema change that breaks one of these is a breaking change: refuse it.
//
// To add files for new event types (never to rewrite old ones):
//   REGATTA_WRITE_GOLDEN=1 ./events_unit_test --gtest_filter='Golden*'
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "events/codec.h"
#include "events/json.h"
#include "tests/support/sample_events.h"

namespace regatta {
namespace {

namespace t = testing;

struct Golden {
  std::string file;
  std::string type;
  std::string key;
  std::function<EncodedEvent()> make;
};

const std::vector<Golden>& Goldens() {
  static const std::vector<Golden> goldens = {
      {"agent_registered_v1.bin", "AgentRegistered", "a1", [] { return t::AgentRegistered("a1", 8, 16384, 1700000000000000001); }},
      {"agent_unreachable_v1.bin", "AgentUnreachable", "a1", [] { return t::AgentUnreachable("a1", 1700000000000000002); }},
      {"framework_registered_v1.bin", "FrameworkRegistered", "services", [] { return t::FrameworkRegistered("services", "*", 1700000000000000003); }},
      {"app_defined_v1.bin", "AppDefined", "/prod/web", [] { return t::AppDefined("/prod/web", 3, "2026-11-25T00:00:00Z", 1700000000000000004, "alice"); }},
      {"app_scaled_v1.bin", "AppScaled", "/prod/web", [] { return t::AppScaled("/prod/web", 5, 3, 1700000000000000005); }},
      {"task_launched_v1.bin", "TaskLaunched", "web.1", [] { return t::TaskLaunched("web.1", "/prod/web", "a1", 0.5, 128, 31001, 1700000000000000006); }},
      {"task_status_changed_v1.bin", "TaskStatusChanged", "web.1", [] { return t::TaskStatus("web.1", schema::TaskState::RUNNING, 1700000000000000007); }},
      {"task_health_changed_v1.bin", "TaskHealthChanged", "web.1", [] { return t::TaskHealth("web.1", true, 1700000000000000008); }},
      {"service_defined_v1.bin", "ServiceDefined", "default/web", [] { return t::ServiceDefined("web", "app", "/prod/web", 80, 1700000000000000009); }},
      {"deployment_started_v1.bin", "DeploymentStarted", "d1", [] { return t::DeploymentStarted("d1", "/prod/web", "v1", "v2", 1700000000000000010); }},
      {"deployment_reverted_v1.bin", "DeploymentReverted", "d1", [] { return t::DeploymentReverted("d1", "v1", 1700000000000000011); }},
  };
  return goldens;
}

std::string GoldenDir() { return std::string(REGATTA_SOURCE_DIR) + "/tests/events/golden"; }

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(Golden, EveryCommittedEnvelopeStillDecodes) {
  if (std::getenv("REGATTA_WRITE_GOLDEN")) {
    for (const Golden& g : Goldens()) {
      const std::string path = GoldenDir() + "/" + g.file;
      if (std::filesystem::exists(path)) continue;  // never rewrite history
      std::ofstream(path, std::ios::binary) << g.make().bytes;
    }
  }
  for (const Golden& g : Goldens()) {
    SCOPED_TRACE(g.file);
    const std::string bytes = ReadFile(GoldenDir() + "/" + g.file);
    ASSERT_FALSE(bytes.empty()) << "missing golden file";
    EventDecoder decoder;
    auto event = decoder.Decode(LoggedEvent{1, bytes});
    ASSERT_TRUE(event.ok()) << event.status().ToString();
    EXPECT_EQ(EventTypeName(event->envelope), g.type);
    EXPECT_EQ(AggregateKey(event->envelope), g.key);
    EXPECT_GT(event->envelope.getTimeNanos(), 1700000000000000000);
    EXPECT_EQ(event->envelope.getSchemaVersion(), 1);
    // And it survives the JSON round trip integrations rely on.
    auto again = EnvelopeFromJson(EnvelopeToJson(*event), EnvelopeStamp{});
    ASSERT_TRUE(again.ok()) << again.status().ToString();
    EXPECT_EQ(again->key, g.key);
  }
}

TEST(Golden, AppDefinedKeepsItsFullSpec) {
  const std::string bytes = ReadFile(GoldenDir() + "/app_defined_v1.bin");
  EventDecoder decoder;
  auto event = decoder.Decode(LoggedEvent{1, bytes});
  ASSERT_TRUE(event.ok());
  auto spec = event->envelope.getEvent().getAppDefined().getSpec();
  EXPECT_EQ(spec.getInstances(), 3u);
  EXPECT_EQ(std::string(spec.getCmd().cStr()), "sleep 1000");
  EXPECT_EQ(std::string(spec.getPortDefinitions()[0].getName().cStr()), "http");
  EXPECT_EQ(std::string(event->envelope.getPrincipal().cStr()), "alice");
}

}  // namespace
}  // namespace regatta

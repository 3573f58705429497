// Validation, the command line and the environment of a LaunchSpec.
#include "agents/containerizer/launch_spec.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

namespace regatta::agent {
namespace {

using ::testing::ElementsAre;

LaunchSpec Valid() {
  LaunchSpec spec;
  spec.task_id = "web.1-a:b@c+d";
  spec.app_id = "/prod/web";
  spec.cmd = "true";
  return spec;
}

TEST(LaunchSpecTest, PortVariableNamesAreUppercaseWithUnderscores) {
  EXPECT_EQ(PortVariableName("http"), "PORT_HTTP");
  EXPECT_EQ(PortVariableName("admin-api"), "PORT_ADMIN_API");
  EXPECT_EQ(PortVariableName("grpc.v2"), "PORT_GRPC_V2");
  EXPECT_EQ(PortVariableName("8080"), "PORT_8080");
}

TEST(LaunchSpecTest, InvalidSpecsNameTheField) {
  struct Case {
    const char* name;
    void (*mutate)(LaunchSpec&);
  };
  const Case cases[] = {
      {"empty id", [](LaunchSpec& s) { s.task_id = ""; }},
      {"dot-dot id", [](LaunchSpec& s) { s.task_id = ".."; }},
      {"slash in id", [](LaunchSpec& s) { s.task_id = "a/b"; }},
      {"long id", [](LaunchSpec& s) { s.task_id = std::string(201, 'a'); }},
      {"no command", [](LaunchSpec& s) { s.cmd = ""; }},
      {"cmd and argv", [](LaunchSpec& s) { s.argv = {"true"}; }},
      {"negative cpus", [](LaunchSpec& s) { s.cpus = -1; }},
      {"nan cpus", [](LaunchSpec& s) { s.cpus = std::nan(""); }},
      {"names without ports", [](LaunchSpec& s) { s.port_names = {"http"}; }},
      {"negative grace", [](LaunchSpec& s) { s.kill_grace = std::chrono::milliseconds(-1); }},
      {"bad env name", [](LaunchSpec& s) { s.env = {{"A=B", "c"}}; }},
  };
  EXPECT_TRUE(ValidateLaunchSpec(Valid()).ok());
  for (const Case& c : cases) {
    LaunchSpec spec = Valid();
    c.mutate(spec);
    EXPECT_EQ(ValidateLaunchSpec(spec).code(), StatusCode::kInvalidArgument) << c.name;
  }
}

TEST(LaunchSpecTest, AnImageIsRefusedNamingItAndTheMissingRuntime) {
  LaunchSpec spec = Valid();
  spec.cmd = "";
  spec.container_image = "hello_world:latest";
  const Status s = ValidateLaunchSpec(spec);
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("image hello_world:latest needs a container runtime"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("process containerizer"), std::string::npos) << s.message();
}

TEST(LaunchSpecTest, CmdRunsUnderTheShellAndArgvRunsAsIs) {
  EXPECT_THAT(CommandLine(Valid()), ElementsAre("/bin/sh", "-c", "true"));
  LaunchSpec spec = Valid();
  spec.cmd = "";
  spec.argv = {"sleep", "1"};
  EXPECT_THAT(CommandLine(spec), ElementsAre("sleep", "1"));
}

TEST(LaunchSpecTest, EnvironmentLayersInheritedPortsAppThenOurs) {
  LaunchSpec spec = Valid();
  spec.host_ports = {31000, 31001, 31002};
  spec.port_names = {"http", "", "admin-api"};
  spec.hostname = "agent-1";
  spec.env = {{"FOO", "bar"}, {"PORT1", "override"}, {"REGATTA_TASK_ID", "spoofed"}};
  EnvVars inherited = {{"HOME", "/root"}, {"PATH", "/opt/bin"}};
  EXPECT_THAT(BuildTaskEnvironment(spec, "/w/sandboxes/t", inherited),
              ElementsAre("FOO=bar", "HOME=/root", "HOST=agent-1", "PATH=/opt/bin",
                          "PORT=31000", "PORT0=31000", "PORT1=override", "PORT2=31002",
                          "PORT_ADMIN_API=31002", "PORT_HTTP=31000", "REGATTA_APP_ID=/prod/web",
                          "REGATTA_SANDBOX=/w/sandboxes/t", "REGATTA_TASK_ID=web.1-a:b@c+d"));
}

TEST(LaunchSpecTest, PathHasADefaultWhenTheAgentHasNone) {
  std::vector<std::string> env = BuildTaskEnvironment(Valid(), "/s", {});
  EXPECT_EQ(env[0], "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
}

}  // namespace
}  // namespace regatta::agent

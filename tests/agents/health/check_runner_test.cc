// Real probes against a real HTTP server (the API tier's) on loopback.
#include "agents/health/check_runner.h"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

#include <gtest/gtest.h>

#include "api/http/server.h"

namespace regatta::health {
namespace {

class CheckRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = http::Server::Start("127.0.0.1", 0, [](http::Request r, std::shared_ptr<http::Exchange> ex) {
      if (r.path == "/ok") return ex->Respond({200, "text/plain", {}, "ok"});
      if (r.path == "/moved") return ex->Respond({301, "text/plain", {{"Location", "/ok"}}, ""});
      if (r.path == "/slow") return;  // never answers
      ex->Respond({503, "text/plain", {}, "not yet"});
    });
    ASSERT_TRUE(server.ok()) << server.status().message();
    server_ = std::move(*server);
    auto runner = CheckRunner::Start();
    ASSERT_TRUE(runner.ok()) << runner.status().message();
    runner_ = std::move(*runner);
  }

  ProbeResult RunOne(Probe probe) {
    std::promise<ProbeResult> result;
    auto got = result.get_future();
    runner_->Run(std::move(probe), [&result](const ProbeResult& r) { result.set_value(r); });
    return got.get();
  }

  Probe Http(const std::string& path) {
    Probe p;
    p.port = server_->port();
    p.path = path;
    p.timeout_nanos = 2'000'000'000;
    return p;
  }

  std::unique_ptr<http::Server> server_;
  std::unique_ptr<CheckRunner> runner_;
};

TEST_F(CheckRunnerTest, HttpPassesOn2xxAnd3xxAndFailsOtherwise) {
  ProbeResult ok = RunOne(Http("/ok"));
  EXPECT_TRUE(ok.passed);
  EXPECT_EQ(ok.http_status, 200);
  EXPECT_EQ(ok.message, "200 OK");
  EXPECT_TRUE(RunOne(Http("/moved")).passed);
  ProbeResult bad = RunOne(Http("/starting"));
  EXPECT_FALSE(bad.passed);
  EXPECT_EQ(bad.http_status, 503);
}

TEST_F(CheckRunnerTest, ASlowAnswerFailsAtTheTimeout) {
  Probe p = Http("/slow");
  p.timeout_nanos = 200'000'000;
  ProbeResult r = RunOne(p);
  EXPECT_FALSE(r.passed);
  EXPECT_EQ(r.message, "no answer within 0.20 s");
}

TEST_F(CheckRunnerTest, TcpPassesWhenAConnectionOpensAndSaysWhyNot) {
  Probe p = Http("/");
  p.kind = Probe::Kind::kTcp;
  EXPECT_TRUE(RunOne(p).passed);
  const std::uint16_t port = server_->port();
  server_.reset();  // nothing listens there now
  p.port = port;
  ProbeResult refused = RunOne(p);
  EXPECT_FALSE(refused.passed);
  EXPECT_EQ(refused.message, "connection refused");
}

Probe Command(const std::string& command, const std::string& cwd = "/") {
  Probe p;
  p.kind = Probe::Kind::kCommand;
  p.command = command;
  p.shell = {{"PATH=/usr/bin:/bin", "PORT0=31000"}, cwd};
  p.timeout_nanos = 5'000'000'000;
  return p;
}

// Gone, or a zombie waiting for its reaper: either way it runs no more.
bool Dead(const std::string& pid) {
  std::ifstream stat("/proc/" + pid + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return true;
  const auto paren = line.rfind(')');
  return paren != std::string::npos && line.size() > paren + 2 && line[paren + 2] == 'Z';
}

TEST_F(CheckRunnerTest, ACommandPassesOnExitZeroInTheTasksShell) {
  const std::string sandbox = ::testing::TempDir() + "command_check_" + std::to_string(::getpid());
  std::filesystem::create_directories(sandbox);
  std::ofstream(sandbox + "/ready") << "yes";
  ProbeResult ok = RunOne(Command("test \"$PORT0\" = 31000 && test -f ready", sandbox));
  EXPECT_TRUE(ok.passed) << ok.message;
  EXPECT_EQ(ok.message, "exit 0");
  ProbeResult bad = RunOne(Command("echo not yet >&2; exit 3", sandbox));
  EXPECT_FALSE(bad.passed);
  EXPECT_EQ(bad.message, "exit 3: not yet");
  ProbeResult missing = RunOne(Command("true", sandbox + "/nowhere"));
  EXPECT_FALSE(missing.passed);
  EXPECT_NE(missing.message.find("nowhere"), std::string::npos) << missing.message;
  std::filesystem::remove_all(sandbox);
}

TEST_F(CheckRunnerTest, ACommandPastItsTimeoutFailsAndItsWholeGroupIsKilled) {
  const std::string pidfile = ::testing::TempDir() + "command_check_bg_" + std::to_string(::getpid());
  Probe p = Command("sleep 30 & echo $! > " + pidfile + "; wait");
  p.timeout_nanos = 300'000'000;
  ProbeResult r = RunOne(p);
  EXPECT_FALSE(r.passed);
  EXPECT_EQ(r.message, "no answer within 0.30 s");
  std::string background;
  std::ifstream(pidfile) >> background;
  ASSERT_FALSE(background.empty());
  for (int i = 0; i < 100 && !Dead(background); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_TRUE(Dead(background)) << "the command's background child " << background << " still runs";
  std::filesystem::remove(pidfile);
}

TEST_F(CheckRunnerTest, AChattyCommandNeverBlocksOnItsOutput) {
  ProbeResult r = RunOne(Command("head -c 1000000 /dev/zero | tr '\\0' x; echo; exit 1"));
  EXPECT_FALSE(r.passed);
  EXPECT_EQ(r.message.rfind("exit 1: xxxx", 0), 0u) << r.message.substr(0, 40);
  EXPECT_LT(r.message.size(), 1100u);
}

TEST_F(CheckRunnerTest, ManyProbesAtOnceAllAnswer) {
  constexpr int kProbes = 200;
  std::atomic<int> passed{0}, answered{0};
  std::promise<void> all;
  for (int i = 0; i < kProbes; ++i) {
    runner_->Run(Http(i % 2 == 0 ? "/ok" : "/starting"), [&](const ProbeResult& r) {
      passed += r.passed ? 1 : 0;
      if (++answered == kProbes) all.set_value();
    });
  }
  all.get_future().wait();
  EXPECT_EQ(passed.load(), kProbes / 2);
  EXPECT_GT(runner_->ThreadCpuSeconds(), 0.0);
}

}  // namespace
}  // namespace regatta::health

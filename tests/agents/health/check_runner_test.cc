// Real probes against a real HTTP server (the API tier's) on loopback.
#include "agents/health/check_runner.h"

#include <future>

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

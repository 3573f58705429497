#include "agents/health/check_runner.h"

#include <kj/async-io.h>
#include <kj/compat/http.h>
#include <time.h>

#include <future>
#include <thread>

namespace regatta::health {
namespace {

class Quiet final : public kj::TaskSet::ErrorHandler {
 public:
  void taskFailed(kj::Exception&&) override {}  // every probe catches its own
};

bool HttpPassed(int status, bool ignore_1xx) {
  return (status >= 200 && status < 400) || (ignore_1xx && status >= 100 && status < 200);
}

std::string Why(const kj::Exception& e, std::int64_t timeout_nanos) {
  const std::string text = e.getDescription().cStr();
  if (text.find("ECONNREFUSED") != std::string::npos || text.find("onnection refused") != std::string::npos) {
    return "connection refused";
  }
  if (text.find("timed out") != std::string::npos) {
    return "no answer within " + std::to_string(static_cast<double>(timeout_nanos) / 1e9).substr(0, 4) + " s";
  }
  if (e.getType() == kj::Exception::Type::DISCONNECTED) return "the connection closed before an answer";
  return text;
}

class KjCheckRunner final : public CheckRunner {
 public:
  ~KjCheckRunner() override {
    if (executor_ != nullptr) executor_->executeSync([this] { stop_->fulfill(); });
    if (thread_.joinable()) thread_.join();
  }

  Status Launch() {
    std::promise<Status> ready;
    auto started = ready.get_future();
    thread_ = std::thread([this, &ready] { Loop(ready); });
    return started.get();
  }

  void Run(Probe probe, Done done) override {
    executor_->executeSync([this, &probe, &done] {
      tasks_->add(Check(std::move(probe)).then([done = std::move(done)](ProbeResult r) { done(r); }));
    });
  }

  double ThreadCpuSeconds() override {
    return executor_->executeSync([] {
      timespec t{};
      clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
      return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
    });
  }

 private:
  void Loop(std::promise<Status>& ready) {
    try {
      auto io = kj::setupAsyncIo();
      kj::HttpHeaderTable table;
      Quiet quiet;
      kj::TaskSet tasks(quiet);
      auto stop = kj::newPromiseAndFulfiller<void>();
      io_ = io.provider.get();
      table_ = &table;
      tasks_ = &tasks;
      stop_ = stop.fulfiller.get();
      executor_ = &kj::getCurrentThreadExecutor();
      ready.set_value(Status::Ok());
      stop.promise.wait(io.waitScope);
    } catch (const kj::Exception& e) {
      ready.set_value(Status::Unavailable(std::string("the health check loop: ") + e.getDescription().cStr()));
    }
  }

  kj::Promise<ProbeResult> Check(Probe probe) {
    const std::int64_t timeout = probe.timeout_nanos;
    auto attempt = probe.kind == Probe::Kind::kTcp ? Tcp(probe) : Http(probe);
    return io_->getTimer()
        .timeoutAfter(timeout * kj::NANOSECONDS, kj::mv(attempt))
        .catch_([timeout](kj::Exception&& e) { return ProbeResult{false, 0, Why(e, timeout)}; });
  }

  kj::Promise<kj::Own<kj::AsyncIoStream>> Connect(const Probe& probe) {
    return io_->getNetwork().parseAddress(probe.host, probe.port).then([](kj::Own<kj::NetworkAddress> address) {
      return address->connect().attach(kj::mv(address));
    });
  }

  kj::Promise<ProbeResult> Tcp(const Probe& probe) {
    return Connect(probe).then([](kj::Own<kj::AsyncIoStream>) { return ProbeResult{true, 0, "connected"}; });
  }

  kj::Promise<ProbeResult> Http(const Probe& probe) {
    return Connect(probe).then([this, probe](kj::Own<kj::AsyncIoStream> connection) {
      auto client = kj::newHttpClient(*table_, *connection);
      kj::HttpHeaders headers(*table_);
      headers.set(kj::HttpHeaderId::HOST, kj::str(probe.host, ":", probe.port));
      auto request = client->request(kj::HttpMethod::GET, probe.path, headers);
      request.body = nullptr;  // a GET has none
      const bool ignore_1xx = probe.ignore_http_1xx;
      return request.response
          .then([ignore_1xx](kj::HttpClient::Response response) {
            const int status = response.statusCode;
            return ProbeResult{HttpPassed(status, ignore_1xx), status,
                               std::to_string(status) + " " + response.statusText.cStr()};
          })
          // The client before the connection it writes to: an outer
          // attachment outlives the inner one.
          .attach(kj::mv(client))
          .attach(kj::mv(connection));
    });
  }

  std::thread thread_;
  // The loop thread's, set before Launch returns.
  kj::AsyncIoProvider* io_ = nullptr;
  kj::HttpHeaderTable* table_ = nullptr;
  kj::TaskSet* tasks_ = nullptr;
  kj::PromiseFulfiller<void>* stop_ = nullptr;
  const kj::Executor* executor_ = nullptr;
};

}  // namespace

Result<std::unique_ptr<CheckRunner>> CheckRunner::Start() {
  auto runner = std::make_unique<KjCheckRunner>();
  REGATTA_RETURN_IF_ERROR(runner->Launch());
  return std::unique_ptr<CheckRunner>(std::move(runner));
}

}  // namespace regatta::health

#include "agents/health/check_runner.h"

#include <kj/async-io.h>
#include <kj/async-unix.h>
#include <kj/compat/http.h>
#include <sys/wait.h>
#include <time.h>

#include <future>
#include <thread>

#include "agents/health/command_check.h"

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

// A COMMAND check while it runs: its process, the wait for its exit, and
// the first kMaxOutput bytes of what it printed (the rest is read and
// dropped, so a chatty command never blocks on a full pipe), read as it
// comes.
struct RunningCommand {
  static constexpr std::size_t kMaxOutput = 1024;

  RunningCommand(CheckProcess p, kj::UnixEventPort& port, kj::LowLevelAsyncIoProvider& low)
      : process(std::move(p)),
        exit(port, process.pidfd(), kj::UnixEventPort::FdObserver::OBSERVE_READ),
        stream(low.wrapInputFd(process.output_fd())) {}

  void Keep(std::size_t n) { output.append(buffer, std::min(n, kMaxOutput - std::min(kMaxOutput, output.size()))); }

  // Declared so that they go in reverse: the stream and the observer
  // before the process closes their fds.
  CheckProcess process;
  kj::UnixEventPort::FdObserver exit;
  kj::Own<kj::AsyncInputStream> stream;  // does not own the fd
  std::string output;
  char buffer[512];
  int wait_status = 0;
};

kj::Promise<void> ReadOutput(RunningCommand& r) {
  return r.stream->tryRead(r.buffer, 1, sizeof r.buffer).then([&r](std::size_t n) -> kj::Promise<void> {
    if (n == 0) return kj::READY_NOW;
    r.Keep(n);
    return ReadOutput(r);
  });
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
      low_ = io.lowLevelProvider.get();
      port_ = &io.unixEventPort;
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
    auto attempt = probe.kind == Probe::Kind::kTcp       ? Tcp(probe)
                   : probe.kind == Probe::Kind::kCommand ? Command(probe)
                                                         : Http(probe);
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

  // Cancelled at the timeout, the command's group is killed and reaped
  // (~CheckProcess). Once it exits, what is left of its group is killed
  // too, and its output read to the end, or for kOutputGrace more when
  // something outside its group still holds the pipe.
  kj::Promise<ProbeResult> Command(const Probe& probe) {
    static constexpr auto kOutputGrace = 100 * kj::MILLISECONDS;
    auto process = CheckProcess::Start(probe);
    if (!process.ok()) return ProbeResult{false, 0, process.status().message()};
    auto running = kj::heap<RunningCommand>(std::move(*process), *port_, *low_);
    RunningCommand& r = *running;
    auto reading = ReadOutput(r).eagerlyEvaluate(nullptr);
    return r.exit.whenBecomesReadable()
        .then([this, &r, reading = kj::mv(reading)]() mutable {
          r.wait_status = r.process.Reap();
          return reading.exclusiveJoin(io_->getTimer().afterDelay(kOutputGrace));
        })
        .then([&r] {
          const int status = r.wait_status;
          return ProbeResult{WIFEXITED(status) && WEXITSTATUS(status) == 0, 0, DescribeCheckExit(status, r.output)};
        })
        .attach(kj::mv(running));
  }

  std::thread thread_;
  // The loop thread's, set before Launch returns.
  kj::AsyncIoProvider* io_ = nullptr;
  kj::LowLevelAsyncIoProvider* low_ = nullptr;
  kj::UnixEventPort* port_ = nullptr;
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

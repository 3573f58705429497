#include "api/http/server.h"

#include <kj/async-io.h>
#include <kj/compat/http.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <future>
#include <iostream>
#include <mutex>
#include <thread>

namespace regatta::http {
namespace {

std::string Lower(kj::StringPtr s) {
  std::string out(s.cStr(), s.size());
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

// Whether a Content-Length header announces more than `max` bytes.
bool LongerThan(const std::string& content_length, std::size_t max) {
  if (content_length.empty() || content_length.find_first_not_of("0123456789") != std::string::npos) return false;
  return content_length.size() > 18 || std::stoull(content_length) > max;
}

kj::HttpHeaders HeadersFor(const kj::HttpHeaderTable& table, const std::string& content_type, const Headers& extra) {
  kj::HttpHeaders headers(table);
  if (!content_type.empty()) headers.set(kj::HttpHeaderId::CONTENT_TYPE, kj::heapString(content_type));
  for (const auto& [name, value] : extra) headers.add(kj::heapString(name), kj::heapString(value));
  return headers;
}

// A response written in chunks. Chunks queue, and one vectored write at a
// time takes all that is queued: a burst to 10,000 streams, or a client
// that falls behind, costs one syscall per stream per round rather than
// one per chunk, and a chunk shared by many streams is never copied. A
// client more than kMaxQueuedBytes behind is ended (an SSE client
// reconnects with Last-Event-ID), so no slow reader holds the server's
// memory. A failed write (the client left) closes the stream.
class StreamImpl final : public Stream, public std::enable_shared_from_this<StreamImpl> {
 public:
  static constexpr std::size_t kMaxQueuedBytes = 1 << 20;

  explicit StreamImpl(kj::Own<kj::AsyncOutputStream> out) : out_(kj::mv(out)) {}
  // kj::Own's destructor may throw; these never do, once the loop is idle.
  ~StreamImpl() noexcept override {}

  using Stream::Write;
  void Write(Chunk chunk) override {
    if (closed_ || chunk == nullptr || chunk->empty()) return;
    if (queued_bytes_ + chunk->size() > kMaxQueuedBytes) {
      queued_.clear();
      queued_bytes_ = 0;
      Close();
      return;
    }
    queued_bytes_ += chunk->size();
    queued_.push_back(std::move(chunk));
    if (writing_) return;
    writing_ = true;
    // Later: every Write of this turn of the loop joins the same write.
    chain_ = kj::evalLater([this] { return Drain(); }).catch_([this](kj::Exception&&) {
      failed_ = true;
      closed_ = true;
      writing_ = false;
    });
  }

  void Close() override {
    if (closed_ && fulfiller_.get() == nullptr) return;
    closed_ = true;
    Finish();
  }

  bool closed() const override { return closed_; }

  // Ends the request with the writes still queued, then the stream.
  void Finish() {
    if (fulfiller_.get() == nullptr) return;
    auto self = shared_from_this();
    fulfiller_->fulfill(kj::mv(chain_).then([self] { self->out_ = nullptr; }));
    fulfiller_ = nullptr;
    chain_ = kj::READY_NOW;
  }

  // The connection is going away: drop every pending write now.
  void Abandon() {
    closed_ = true;
    chain_ = kj::READY_NOW;
    out_ = nullptr;
    fulfiller_ = nullptr;
  }

  kj::Own<kj::PromiseFulfiller<kj::Promise<void>>> fulfiller_;

 private:
  // Writes what is queued, then what was queued meanwhile, until nothing is.
  kj::Promise<void> Drain() {
    in_flight_.clear();
    if (queued_.empty() || out_.get() == nullptr || failed_) {
      writing_ = false;
      return kj::READY_NOW;
    }
    in_flight_.swap(queued_);
    queued_bytes_ = 0;
    pieces_.clear();
    for (const Chunk& c : in_flight_) {
      pieces_.push_back(kj::arrayPtr(reinterpret_cast<const kj::byte*>(c->data()), c->size()));
    }
    return out_->write(kj::arrayPtr(pieces_.data(), pieces_.size())).then([this] { return Drain(); });
  }

  kj::Own<kj::AsyncOutputStream> out_;
  kj::Promise<void> chain_ = kj::READY_NOW;
  std::vector<Chunk> queued_;     // chunks not yet handed to a write
  std::size_t queued_bytes_ = 0;
  std::vector<Chunk> in_flight_;  // the chunks of the write under way
  std::vector<kj::ArrayPtr<const kj::byte>> pieces_;
  bool writing_ = false;
  bool closed_ = false;
  bool failed_ = false;
};

class ExchangeImpl final : public Exchange {
 public:
  ExchangeImpl(kj::HttpService::Response& response, const kj::HttpHeaderTable& table)
      : response_(&response), table_(table) {}
  ~ExchangeImpl() noexcept override {}

  kj::Promise<void> Answered() {
    auto paf = kj::newPromiseAndFulfiller<kj::Promise<void>>();
    fulfiller_ = kj::mv(paf.fulfiller);
    return kj::mv(paf.promise);
  }

  void Respond(Response r) override {
    if (done_) return;
    done_ = true;
    auto headers = HeadersFor(table_, r.content_type, r.headers);
    auto out = response_->send(static_cast<unsigned>(r.status), StatusText(r.status), headers, r.body.size());
    // A 204, a 304 or a HEAD has no entity-body: kj refuses even an empty write to it.
    if (r.body.empty()) {
      fulfiller_->fulfill(kj::Promise<void>(kj::READY_NOW).attach(kj::mv(out)));
      return;
    }
    auto body = kj::heapString(r.body);
    auto written = out->write(body.begin(), body.size()).attach(kj::mv(body), kj::mv(out));
    fulfiller_->fulfill(kj::mv(written));
  }

  std::shared_ptr<Stream> StartStream(int status, const std::string& content_type, Headers extra) override {
    if (done_) return nullptr;
    done_ = true;
    auto headers = HeadersFor(table_, content_type, extra);
    stream_ = std::make_shared<StreamImpl>(response_->send(static_cast<unsigned>(status), StatusText(status), headers));
    stream_->fulfiller_ = kj::mv(fulfiller_);
    return stream_;
  }

  bool done() const override { return done_; }

  // The request's promise is gone (it finished, or the connection closed).
  void Release() {
    done_ = true;
    if (stream_) stream_->Abandon();
    fulfiller_ = nullptr;
  }

 private:
  kj::HttpService::Response* response_;
  const kj::HttpHeaderTable& table_;
  kj::Own<kj::PromiseFulfiller<kj::Promise<void>>> fulfiller_;
  std::shared_ptr<StreamImpl> stream_;
  bool done_ = false;
};

class Service final : public kj::HttpService {
 public:
  Service(const kj::HttpHeaderTable& table, Handler handler, ServerOptions options)
      : table_(table), handler_(std::move(handler)), options_(options) {}

  kj::Promise<void> request(kj::HttpMethod method, kj::StringPtr url, const kj::HttpHeaders& headers,
                            kj::AsyncInputStream& body, Response& response) override {
    auto request = std::make_shared<Request>();
    request->method = kj::str(method).cStr();
    request->target = std::string(url.cStr(), url.size());
    ParseTarget(*request);
    headers.forEach([&](kj::StringPtr name, kj::StringPtr value) {
      request->headers[Lower(name)] = std::string(value.cStr(), value.size());
    });
    auto exchange = std::make_shared<ExchangeImpl>(response, table_);
    auto answered = exchange->Answered();
    const std::string too_large = R"({"message":"the request body is larger than )" +
                                  std::to_string(options_.max_body_bytes) + R"( bytes"})";
    const std::string length = request->Header("content-length");
    if (LongerThan(length, options_.max_body_bytes)) {
      exchange->Respond({413, "application/json", {}, too_large});
      return answered.attach(kj::defer([exchange] { exchange->Release(); }));
    }
    // The url and headers are invalid once the body is read: copied above.
    // readAllText throws past its limit (a chunked body without a length).
    auto read = body.readAllText(options_.max_body_bytes).then(
        [](kj::String text) { return kj::Maybe<kj::String>(kj::mv(text)); },
        [](kj::Exception&&) { return kj::Maybe<kj::String>(nullptr); });
    return read
        .then([this, request, exchange, too_large](kj::Maybe<kj::String> maybe_text) mutable {
          KJ_IF_MAYBE(text, maybe_text) {
            request->body.assign(text->cStr(), text->size());
            try {
              handler_(std::move(*request), exchange);
            } catch (const std::exception& e) {
              std::cerr << "regatta http: " << request->method << " " << request->target << ": " << e.what() << "\n";
              exchange->Respond({500, "application/json", {}, R"({"message":"internal error"})"});
            }
          } else {
            exchange->Respond({413, "application/json", {}, too_large});
          }
        })
        .then([answered = kj::mv(answered)]() mutable { return kj::mv(answered); })
        .attach(kj::defer([exchange] { exchange->Release(); }));
  }

 private:
  const kj::HttpHeaderTable& table_;
  Handler handler_;
  ServerOptions options_;
};

class LogErrors final : public kj::TaskSet::ErrorHandler {
 public:
  void taskFailed(kj::Exception&& e) override {
    if (e.getType() == kj::Exception::Type::DISCONNECTED) return;  // a client went away
    std::cerr << "regatta http: " << e.getDescription().cStr() << "\n";
  }
};

class KjServer final : public Server {
 public:
  KjServer(std::vector<Listener> listeners, ServerOptions options)
      : listeners_(std::move(listeners)), options_(options) {}

  ~KjServer() noexcept override {
    Post([this] {
      if (stop_ != nullptr) stop_->fulfill();
    });
    if (thread_.joinable()) thread_.join();
  }

  Status Launch() {
    std::promise<Result<std::vector<std::uint16_t>>> ready;
    auto bound = ready.get_future();
    thread_ = std::thread([this, &ready] { Run(ready); });
    auto result = bound.get();
    if (!result.ok()) {
      thread_.join();
      return result.status();
    }
    ports_ = *result;
    return Status::Ok();
  }

  std::uint16_t port(std::size_t listener) const override { return listener < ports_.size() ? ports_[listener] : 0; }

  void Post(std::function<void()> work) override {
    std::lock_guard lock(mu_);
    if (!running_) return;
    queue_.push_back(std::move(work));
    if (wake_ != nullptr) {
      wake_->fulfill();
      wake_ = nullptr;
    }
  }

  void After(std::chrono::milliseconds delay, std::function<void()> work) override {
    tasks_->add(timer_->afterDelay(delay.count() * kj::MILLISECONDS).then([work = std::move(work)] { work(); }));
  }

 private:
  // One kj-http server per listener, all on this thread's loop.
  struct Serving {
    std::unique_ptr<Service> service;
    kj::Own<kj::ConnectionReceiver> receiver;
    std::unique_ptr<kj::HttpServer> server;
  };

  void Run(std::promise<Result<std::vector<std::uint16_t>>>& ready) {
    bool announced = false;
    std::string binding;
    try {
      auto io = kj::setupAsyncIo();
      // Before the event loop goes: the wake fulfiller belongs to it.
      KJ_DEFER(Stopped());
      kj::HttpHeaderTable::Builder builder;
      auto table = builder.build();
      std::vector<Serving> serving;
      std::vector<std::uint16_t> ports;
      for (const Listener& l : listeners_) {
        binding = l.host + ":" + std::to_string(l.port);
        auto address = io.provider->getNetwork().parseAddress(l.host, l.port).wait(io.waitScope);
        Serving s;
        s.service = std::make_unique<Service>(*table, l.handler, options_);
        s.receiver = address->listen();
        s.server = std::make_unique<kj::HttpServer>(io.provider->getTimer(), *table, *s.service);
        ports.push_back(static_cast<std::uint16_t>(s.receiver->getPort()));
        serving.push_back(std::move(s));
      }
      LogErrors errors;
      kj::TaskSet tasks(errors);
      timer_ = &io.provider->getTimer();
      tasks_ = &tasks;
      auto stop = kj::newPromiseAndFulfiller<void>();
      stop_ = stop.fulfiller.get();
      {
        std::lock_guard lock(mu_);
        running_ = true;
      }
      tasks.add(Drain());
      ready.set_value(ports);
      announced = true;
      auto listening = kj::heapArrayBuilder<kj::Promise<void>>(serving.size());
      for (Serving& s : serving) listening.add(s.server->listenHttp(*s.receiver));
      kj::joinPromises(listening.finish()).exclusiveJoin(kj::mv(stop.promise)).wait(io.waitScope);
    } catch (const kj::Exception& e) {
      if (!announced) {
        ready.set_value(Status::Unavailable("listen on " + binding + ": " + e.getDescription().cStr()));
      } else {
        std::cerr << "regatta http: the server stopped: " << e.getDescription().cStr() << "\n";
      }
    }
  }

  void Stopped() {
    std::lock_guard lock(mu_);
    running_ = false;
    queue_.clear();
    wake_ = nullptr;
    wake_owner_ = nullptr;
  }

  // Runs what other threads posted, then waits for more.
  kj::Promise<void> Drain() {
    std::vector<std::function<void()>> work;
    {
      std::lock_guard lock(mu_);
      work.swap(queue_);
      if (work.empty()) {
        auto paf = kj::newPromiseAndCrossThreadFulfiller<void>();
        wake_owner_ = kj::mv(paf.fulfiller);
        wake_ = wake_owner_.get();
        return paf.promise.then([this] { return Drain(); });
      }
    }
    for (auto& w : work) w();
    return kj::evalLater([this] { return Drain(); });
  }

  std::vector<Listener> listeners_;
  ServerOptions options_;
  std::thread thread_;
  std::vector<std::uint16_t> ports_;
  // Loop thread only.
  kj::Timer* timer_ = nullptr;
  kj::TaskSet* tasks_ = nullptr;
  kj::PromiseFulfiller<void>* stop_ = nullptr;
  // Shared with posting threads.
  std::mutex mu_;
  bool running_ = false;
  std::vector<std::function<void()>> queue_;
  kj::Own<kj::CrossThreadPromiseFulfiller<void>> wake_owner_;
  kj::CrossThreadPromiseFulfiller<void>* wake_ = nullptr;
};

}  // namespace

Result<std::unique_ptr<Server>> Server::Start(const std::string& host, std::uint16_t port, Handler handler,
                                              ServerOptions options) {
  return Start({Listener{host, port, std::move(handler)}}, options);
}

Result<std::unique_ptr<Server>> Server::Start(std::vector<Listener> listeners, ServerOptions options) {
  auto server = std::make_unique<KjServer>(std::move(listeners), options);
  REGATTA_RETURN_IF_ERROR(server->Launch());
  return std::unique_ptr<Server>(std::move(server));
}

}  // namespace regatta::http

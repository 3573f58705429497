#include "api/server/api_server.h"

#include <atomic>
#include <iostream>
#include <thread>

#include "actors/protocol/node_config.h"
#include "actors/runtime/signals.h"
#include "api/http/server.h"
#include "api/kubernetes/kube_api.h"
#include "api/marathon/marathon_api.h"
#include "api/server/commander.h"
#include "api/server/log_follower.h"
#include "api/server/read_model.h"
#include "events/log_uri.h"

namespace regatta::api {
namespace {

using namespace std::chrono_literals;

constexpr auto kHeartbeat = 10s;     // Marathon's SSE keep-alive
constexpr auto kExpiry = 100ms;      // how often waits for a revision are timed out

class Impl final : public ApiServer {
 public:
  ~Impl() override {
    follower_.reset();  // no more posts from the log
    server_.reset();    // the loop stops; nothing runs on it after this
  }

  Status Run(caf::actor_system& system, std::shared_ptr<MasterHandle> master, std::shared_ptr<EventLog> log,
             const ApiOptions& options) {
    std::vector<http::Listener> listeners{
        {options.host, options.port, [this](http::Request r, auto ex) { Handle(std::move(r), std::move(ex)); }}};
    if (!options.kube_host.empty()) {
      listeners.push_back({options.kube_host, options.kube_port,
                           [this](http::Request r, auto ex) { HandleKube(std::move(r), std::move(ex)); }});
    }
    auto server = http::Server::Start(std::move(listeners));
    if (!server.ok()) return server.status();
    server_ = std::move(*server);
    serves_kube_ = !options.kube_host.empty();
    marathon::MarathonOptions marathon;
    marathon.advertised =
        options.advertised.empty() ? options.host + ":" + std::to_string(server_->port()) : options.advertised;
    commander_ = MasterCommander(system, std::move(master), *server_);
    api_ = std::make_unique<marathon::MarathonApi>(model_, *commander_, *server_, marathon);
    if (serves_kube_) {
      kube::KubeOptions kube;
      kube.advertised = options.kube_host + ":" + std::to_string(server_->port(1));
      kube_ = std::make_unique<kube::KubeApi>(model_, *commander_, *server_, kube);
    }
    // The view and the APIs' trackers are built here, before the loop
    // touches them; the Post below hands them over.
    REGATTA_RETURN_IF_ERROR(ReadToEnd(*log, 0, [this](const CommittedBatch& batch) { model_.Apply(batch); }));
    if (!model_.stalled().ok()) std::cerr << "regatta api: the view stopped: " << model_.stalled().message() << "\n";
    const Revision from = model_.view().next_revision();
    std::cerr << "regatta api: serving on " << marathon.advertised
              << (serves_kube_ ? " and the Kubernetes API on " + options.kube_host + ":" + std::to_string(server_->port(1)) : "")
              << " at revision " << model_.applied() << "\n";
    server_->Post([this] {
      ready_ = true;
      Tick();
      Beat();
    });
    http::Loop* loop = server_.get();
    follower_ = std::make_unique<LogFollower>(
        std::move(log), from, [this, loop](CommittedBatchPtr batch) { loop->Post([this, batch] { model_.Apply(*batch); }); },
        [](const Status& error) { std::cerr << "regatta api: reading the log: " << error.message() << "\n"; });
    return Status::Ok();
  }

  std::uint16_t port() const override { return server_->port(); }
  std::uint16_t kube_port() const override { return serves_kube_ ? server_->port(1) : 0; }

 private:
  void Handle(http::Request r, std::shared_ptr<http::Exchange> ex) {
    if (!ready_) {
      return ex->Respond({503, "application/json", {{"Retry-After", "1"}},
                          R"({"message":"the API is still reading the log"})"});
    }
    if (marathon::MarathonApi::Serves(r)) return api_->Handle(std::move(r), std::move(ex));
    ex->Respond({404, "application/json", {}, R"({"message":"URI not found"})"});
  }

  void HandleKube(http::Request r, std::shared_ptr<http::Exchange> ex) {
    if (!ready_) {
      return ex->Respond({503, "application/json", {{"Retry-After", "1"}},
                          R"({"kind":"Status","apiVersion":"v1","status":"Failure","message":"the API is still reading the log","reason":"ServiceUnavailable","code":503})"});
    }
    kube_->Handle(std::move(r), std::move(ex));
  }

  void Tick() {
    model_.Expire(std::chrono::steady_clock::now());
    server_->After(std::chrono::duration_cast<std::chrono::milliseconds>(kExpiry), [this] { Tick(); });
  }

  void Beat() {
    api_->Heartbeat();
    server_->After(std::chrono::duration_cast<std::chrono::milliseconds>(kHeartbeat), [this] { Beat(); });
  }

  ReadModel model_{projections::ProjectionSet{}};
  std::unique_ptr<Commander> commander_;
  std::unique_ptr<marathon::MarathonApi> api_;
  std::unique_ptr<kube::KubeApi> kube_;
  bool serves_kube_ = false;
  std::unique_ptr<http::Server> server_;
  std::unique_ptr<LogFollower> follower_;
  bool ready_ = false;  // loop thread only
};

}  // namespace

Result<std::unique_ptr<ApiServer>> ApiServer::Start(caf::actor_system& system, protocol::master_actor master,
                                                    std::shared_ptr<EventLog> log, const ApiOptions& options) {
  return Start(system, std::make_shared<MasterHandle>(std::move(master)), std::move(log), options);
}

Result<std::unique_ptr<ApiServer>> ApiServer::Start(caf::actor_system& system, std::shared_ptr<MasterHandle> handle,
                                                    std::shared_ptr<EventLog> log, const ApiOptions& options) {
  auto server = std::make_unique<Impl>();
  REGATTA_RETURN_IF_ERROR(server->Run(system, std::move(handle), std::move(log), options));
  return std::unique_ptr<ApiServer>(std::move(server));
}

Status RunStandaloneApi(const StandaloneApiOptions& options) {
  runtime::BlockStopSignals();  // before CAF starts its threads
  caf::actor_system_config cfg;
  protocol::ConfigureNode(cfg);
  caf::actor_system system{cfg};
  // Started beside a master that is starting too: its log may not be
  // there yet.
  auto opened = OpenEventLog(options.log_uri, LogMode::kReader);
  for (int waited = 0; !opened.ok() && opened.status().code() == StatusCode::kNotFound && waited < 20; ++waited) {
    if (waited == 0) std::cerr << "regatta api: waiting for the log: " << opened.status().message() << "\n";
    std::this_thread::sleep_for(500ms);
    opened = OpenEventLog(options.log_uri, LogMode::kReader);
  }
  if (!opened.ok()) return opened.status();
  auto handle = std::make_shared<MasterHandle>();
  MasterConnection connection(system, options.master_host, options.master_port, handle, 1s);
  auto server = ApiServer::Start(system, handle, std::shared_ptr<EventLog>(std::move(*opened)), options.api);
  if (!server.ok()) return server.status();
  runtime::WaitForStopSignal();
  std::cerr << "regatta api: stopping\n";
  runtime::ExitIfStillStoppingAfter(std::chrono::seconds(5), "regatta api");
  server->reset();
  return Status::Ok();
}

}  // namespace regatta::api

// libFuzzer: the Marathon API's request path, from bytes to a command. The
// input is an HTTP request as text ("METHOD TARGET", header lines, a blank
// line, the body); it goes through target parsing and routing into a
// MarathonApi over a small view, whose writes reach a recording commander.
// Every request must be answered exactly once (or stream) with a status
// between 200 and 599, and every command sent must be a ClientMessage that
// reads back.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>

#include "actors/protocol/codec.h"
#include "api/marathon/marathon_api.h"
#include "api/server/commander.h"
#include "api/server/read_model.h"
#include "tests/support/sample_events.h"

using namespace regatta;

namespace {

class QueueLoop final : public http::Loop {
 public:
  void Post(std::function<void()> work) override { work_.push_back(std::move(work)); }
  void After(std::chrono::milliseconds, std::function<void()>) override {}  // timers never fire here
  void Drain() {
    for (int i = 0; i < 1000 && !work_.empty(); ++i) {
      auto work = std::move(work_.front());
      work_.pop_front();
      work();
    }
  }

 private:
  std::deque<std::function<void()>> work_;
};

class NullStream final : public http::Stream {
 public:
  using http::Stream::Write;
  void Write(http::Chunk) override {}
  void Close() override { closed_ = true; }
  bool closed() const override { return closed_; }

 private:
  bool closed_ = false;
};

class Recorder final : public http::Exchange {
 public:
  void Respond(http::Response response) override {
    if (answers_++ > 0 || response.status < 200 || response.status > 599) __builtin_trap();
  }
  std::shared_ptr<http::Stream> StartStream(int status, const std::string&, http::Headers) override {
    if (answers_++ > 0 || status != 200) __builtin_trap();
    return std::make_shared<NullStream>();
  }
  bool done() const override { return answers_ > 0; }
  int answers_ = 0;
};

// Checks each command and acknowledges it at the revision the view has.
class CheckingCommander final : public api::Commander {
 public:
  explicit CheckingCommander(api::ReadModel& model, QueueLoop& loop) : model_(model), loop_(loop) {}
  void Send(protocol::Bytes message, std::function<void(api::CommandReply)> done) override {
    auto read = protocol::Received<protocol::ClientMessage>::Read(message, "client message");
    if (!read.ok()) __builtin_trap();
    const Revision at = model_.applied();
    loop_.Post([done = std::move(done), at] { done({Status::Ok(), at}); });
  }

 private:
  api::ReadModel& model_;
  QueueLoop& loop_;
};

http::Request Parse(const std::string& text) {
  http::Request r;
  std::size_t line_end = text.find('\n');
  const std::string first = text.substr(0, line_end);
  const std::size_t space = first.find(' ');
  r.method = first.substr(0, space);
  r.target = space == std::string::npos ? "/" : first.substr(space + 1);
  std::size_t at = line_end == std::string::npos ? text.size() : line_end + 1;
  while (at < text.size()) {
    const std::size_t end = std::min(text.find('\n', at), text.size());
    const std::string line = text.substr(at, end - at);
    at = end + 1;
    if (line.empty()) break;
    const std::size_t colon = line.find(':');
    std::string name = line.substr(0, colon);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    r.headers[name] = colon == std::string::npos ? "" : line.substr(colon + 1);
  }
  if (at < text.size()) r.body = text.substr(at);
  r.peer = "127.0.0.1:1";
  http::ParseTarget(r);
  return r;
}

// A small world to route into: an agent, two apps (one nested), a task.
api::ReadModel SmallWorld() {
  using namespace testing;
  static const std::vector<EncodedEvent> world = {
      AgentRegistered("agent-1", 4, 4096), AppDefined("/web", 1, "v1"), AppDefined("/prod/api/db", 2, "v1"),
      TaskLaunched("web.1", "/web", "agent-1", 0.1, 32, 31000), TaskStatus("web.1", schema::TaskState::RUNNING)};
  std::vector<Revision> revisions;
  for (Revision r = 0; r < world.size(); ++r) revisions.push_back(r);
  api::ReadModel model(projections::ProjectionSet{});
  model.Apply(*CommittedBatch::Make(world, revisions));
  return model;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // A fresh view each run: the API registers watchers on it.
  api::ReadModel model = SmallWorld();
  QueueLoop loop;
  CheckingCommander commander(model, loop);
  marathon::MarathonApi api(model, commander, loop, {});
  auto exchange = std::make_shared<Recorder>();
  http::Request request = Parse(std::string(reinterpret_cast<const char*>(data), size));
  if (!marathon::MarathonApi::Serves(request)) return 0;
  api.Handle(std::move(request), exchange);
  loop.Drain();
  // A wait for a revision that never comes ends at its deadline (504).
  model.Expire(std::chrono::steady_clock::now() + std::chrono::hours(1));
  loop.Drain();
  if (exchange->answers_ != 1) __builtin_trap();  // a request left unanswered
  return 0;
}

// The kj-http server over a real loopback socket: requests arrive parsed,
// answers and streams go out, work posted from other threads runs on the
// loop, and a client that leaves a stream closes it.
#include "api/http/server.h"
#include "api/http/client.h"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace regatta::http {
namespace {

using namespace std::chrono_literals;

// A raw HTTP/1.1 client: sends `request` and reads until the server closes
// or `until` appears in what was read.
class RawClient {
 public:
  explicit RawClient(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    timeval tv{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  ~RawClient() { Close(); }
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  bool connected() const { return connected_; }
  void Send(const std::string& text) { ASSERT_EQ(::send(fd_, text.data(), text.size(), 0), static_cast<ssize_t>(text.size())); }
  // Reads one response: its headers and Content-Length bytes of body (kj
  // keeps the connection open for the next request), or until `until`.
  std::string Read(const std::string& until = "") {
    char buf[4096];
    while (until.empty() ? !Complete() : read_.find(until) == std::string::npos) {
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) break;
      read_.append(buf, static_cast<std::size_t>(n));
    }
    return read_;
  }

 private:
  bool Complete() const {
    const std::size_t end = read_.find("\r\n\r\n");
    if (end == std::string::npos) return false;
    const std::size_t length = read_.find("Content-Length: ");
    if (length == std::string::npos || length > end) return false;  // read to close
    return read_.size() >= end + 4 + std::stoul(read_.substr(length + 16));
  }

  int fd_ = -1;
  bool connected_ = false;
  std::string read_;
};

std::string Get(std::uint16_t port, const std::string& target, const std::string& extra = "") {
  RawClient client(port);
  EXPECT_TRUE(client.connected());
  client.Send("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + extra + "\r\n");
  return client.Read();
}

TEST(ParseTarget, CollapsesSlashesAndDecodesEachSegmentAndTheQuery) {
  Request r;
  r.target = "/v2/apps//prod%2Fweb/tasks?embed=app.tasks&embed=app.counts&force=True&bare&q=a+b%21";
  ParseTarget(r);
  EXPECT_EQ(r.path, "/v2/apps/prod/web/tasks");
  EXPECT_EQ(r.segments, (std::vector<std::string>{"v2", "apps", "prod/web", "tasks"}))
      << "an escaped slash stays inside its segment";
  EXPECT_EQ(r.QueryAll("embed"), (std::vector<std::string>{"app.tasks", "app.counts"}));
  EXPECT_TRUE(r.Flag("force", false)) << "requests sends True";
  EXPECT_TRUE(r.Flag("bare", false));
  EXPECT_FALSE(r.Flag("absent", false));
  EXPECT_EQ(r.Query("q"), "a b!");
  Request root;
  root.target = "/";
  ParseTarget(root);
  EXPECT_EQ(root.path, "/");
  EXPECT_TRUE(root.segments.empty());
  EXPECT_EQ(Decode("%zz%4", false), "%zz%4") << "malformed escapes are kept";
}

TEST(Server, AnswersWithTheHandlersStatusHeadersAndBody) {
  auto server = Server::Start("127.0.0.1", 0, [](Request r, std::shared_ptr<Exchange> ex) {
    ex->Respond({201, "application/json", {{"X-Regatta-Revision", "7"}},
                 "{\"method\":\"" + r.method + "\",\"path\":\"" + r.path + "\",\"body\":\"" + r.body + "\",\"h\":\"" +
                     r.Header("x-regatta-principal") + "\"}"});
  });
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  RawClient client((*server)->port());
  client.Send("POST /v2//apps HTTP/1.1\r\nHost: x\r\nX-Regatta-Principal: alice\r\nContent-Length: 5\r\n"
              "Connection: close\r\n\r\nhello");
  const std::string reply = client.Read();
  EXPECT_EQ(reply.rfind("HTTP/1.1 201 Created\r\n", 0), 0u) << reply;
  EXPECT_NE(reply.find("X-Regatta-Revision: 7\r\n"), std::string::npos) << reply;
  EXPECT_NE(reply.find("Content-Type: application/json\r\n"), std::string::npos) << reply;
  EXPECT_NE(reply.find(R"({"method":"POST","path":"/v2/apps","body":"hello","h":"alice"})"), std::string::npos) << reply;
}

TEST(Server, AnAnswerMayComeLaterFromAnotherThread) {
  Loop* loop = nullptr;
  std::thread worker;
  auto server = Server::Start("127.0.0.1", 0, [&](Request, std::shared_ptr<Exchange> ex) {
    worker = std::thread([&loop, ex] {
      std::this_thread::sleep_for(50ms);
      loop->Post([ex] { ex->Respond({200, "text/plain", {}, "later"}); });
    });
  });
  ASSERT_TRUE(server.ok());
  loop = server->get();
  const std::string reply = Get((*server)->port(), "/slow");
  worker.join();
  EXPECT_NE(reply.find("\r\n\r\nlater"), std::string::npos) << reply;
}

TEST(Server, ABodyBeyondTheLimitIs413AndTheHandlerNeverSeesIt) {
  std::atomic<int> handled{0};
  ServerOptions options;
  options.max_body_bytes = 10;
  auto server = Server::Start(
      "127.0.0.1", 0, [&](Request, std::shared_ptr<Exchange> ex) { ++handled, ex->Respond({}); }, options);
  ASSERT_TRUE(server.ok());
  RawClient client((*server)->port());
  client.Send("POST /v2/apps HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\nConnection: close\r\n\r\n12345678901");
  const std::string reply = client.Read();
  EXPECT_EQ(reply.rfind("HTTP/1.1 413", 0), 0u) << reply;
  EXPECT_EQ(handled.load(), 0);
}

TEST(Server, AStreamSendsChunksInOrderAndClosesWhenTheClientLeaves) {
  std::shared_ptr<Stream> stream;
  auto server = Server::Start("127.0.0.1", 0, [&](Request, std::shared_ptr<Exchange> ex) {
    stream = ex->StartStream(200, "text/event-stream", {});
    stream->Write("data: one\n\n");
    stream->Write("data: two\n\n");
  });
  ASSERT_TRUE(server.ok());
  Loop* loop = server->get();
  {
    RawClient client((*server)->port());
    client.Send("GET /v2/events HTTP/1.1\r\nHost: x\r\n\r\n");
    const std::string got = client.Read("data: two\n\n");
    EXPECT_NE(got.find("Transfer-Encoding: chunked"), std::string::npos) << got;
    EXPECT_LT(got.find("data: one"), got.find("data: two"));
  }  // the client leaves
  // The next write finds the socket gone and closes the stream.
  std::atomic<bool> closed{false};
  for (int i = 0; i < 200 && !closed; ++i) {
    loop->Post([&] {
      stream->Write("data: more\n\n");
      closed = stream->closed();
    });
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_TRUE(closed.load());
}

TEST(Server, AnAddressInUseIsUnavailableNamingIt) {
  auto first = Server::Start("127.0.0.1", 0, [](Request, std::shared_ptr<Exchange> ex) { ex->Respond({}); });
  ASSERT_TRUE(first.ok());
  auto second = Server::Start("127.0.0.1", (*first)->port(), [](Request, std::shared_ptr<Exchange>) {});
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(second.status().message().find("listen on 127.0.0.1:" + std::to_string((*first)->port())),
            std::string::npos);
}

TEST(Server, AHandlerThatThrowsAnswers500AndTheServerLivesOn) {
  auto server = Server::Start("127.0.0.1", 0, [](Request r, std::shared_ptr<Exchange> ex) {
    if (r.path == "/boom") throw std::runtime_error("boom");
    ex->Respond({200, "text/plain", {}, "fine"});
  });
  ASSERT_TRUE(server.ok());
  EXPECT_EQ(Get((*server)->port(), "/boom").rfind("HTTP/1.1 500", 0), 0u);
  EXPECT_NE(Get((*server)->port(), "/ok").find("fine"), std::string::npos);
}

TEST(Server, A204AndAHeadAnswerWithoutABodyAndKeepTheConnection) {
  auto server = Server::Start("127.0.0.1", 0, [](Request r, std::shared_ptr<Exchange> ex) {
    if (r.path == "/empty") return ex->Respond({204, "", {}, ""});
    ex->Respond({200, "text/plain", {}, "fine"});
  });
  ASSERT_TRUE(server.ok());
  RawClient client((*server)->port());
  ASSERT_TRUE(client.connected());
  client.Send("DELETE /empty HTTP/1.1\r\nHost: x\r\n\r\nHEAD /ok HTTP/1.1\r\nHost: x\r\n\r\n"
              "GET /ok HTTP/1.1\r\nHost: x\r\n\r\n");
  const std::string replies = client.Read("fine");
  EXPECT_EQ(replies.rfind("HTTP/1.1 204", 0), 0u) << replies;
  EXPECT_NE(replies.find("fine"), std::string::npos) << replies;  // the connection outlived both
}

TEST(Client, FetchSendsMethodBodyAndHeadersAndReadsTheAnswer) {
  auto server = Server::Start("127.0.0.1", 0, [](Request r, std::shared_ptr<Exchange> ex) {
    ex->Respond({201, "application/json", {{"X-Seen", r.method + " " + r.target + " " + r.Header("x-who")}}, r.body});
  });
  ASSERT_TRUE(server.ok());
  auto endpoint = ParseEndpoint("--api", "http://127.0.0.1:" + std::to_string((*server)->port()));
  ASSERT_TRUE(endpoint.ok());
  Call call;
  call.method = "PUT";
  call.target = "/v2/apps/a%2Fb?force=true";
  call.body = R"({"instances":2})";
  call.headers = {{"X-Who", "ann"}};
  auto answer = Fetch(*endpoint, call);
  ASSERT_TRUE(answer.ok()) << answer.status().message();
  EXPECT_EQ(answer->status, 201);
  EXPECT_EQ(answer->body, R"({"instances":2})");
  EXPECT_EQ(answer->content_type, "application/json");
  bool seen = false;
  for (const auto& [name, value] : answer->headers) seen |= name == "x-seen" && value == "PUT /v2/apps/a%2Fb?force=true ann";
  EXPECT_TRUE(seen);
}

TEST(Client, NobodyListeningIsUnavailableNamingTheEndpoint) {
  auto endpoint = ParseEndpoint("--api", "127.0.0.1:1");
  ASSERT_TRUE(endpoint.ok());
  auto answer = Fetch(*endpoint, {});
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(answer.status().message().find("http://127.0.0.1:1"), std::string::npos) << answer.status().message();
}

TEST(Client, ParseEndpointRefusesWhatIsNotHttpHostPort) {
  for (const char* bad : {"nowhere", "http://", "http://h:0", "http://h:99999", "http://:80", "https://h:443", "h:8a"}) {
    auto endpoint = ParseEndpoint("--api", bad);
    ASSERT_FALSE(endpoint.ok()) << bad;
    EXPECT_NE(endpoint.status().message().find("--api"), std::string::npos) << bad;
  }
  auto prefixed = ParseEndpoint("--api", "http://api.example:8080/regatta/");
  ASSERT_TRUE(prefixed.ok());
  EXPECT_EQ(prefixed->host, "api.example");
  EXPECT_EQ(prefixed->port, 8080);
  EXPECT_EQ(prefixed->prefix, "/regatta");
  EXPECT_EQ(EscapeComponent("a b/c~"), "a%20b%2Fc~");
}

}  // namespace
}  // namespace regatta::http

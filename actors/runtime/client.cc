#include "actors/runtime/client.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>

#include <caf/io/all.hpp>
#include <capnp/message.h>

#include "actors/protocol/node_config.h"
#include "actors/protocol/wire.h"

namespace regatta::runtime {
namespace {

// What one attempt came to. `final` is false only when the ping went
// unanswered: the command was not sent, and a new process may try.
struct Attempt {
  bool final = true;
  Status status;
};

std::string Seconds(std::chrono::milliseconds d) {
  return d.count() % 1000 == 0 ? std::to_string(d.count() / 1000) + " s" : std::to_string(d.count()) + " ms";
}

protocol::Bytes PingMessage() {
  capnp::MallocMessageBuilder message;
  message.initRoot<protocol::ClientMessage>().setPing();
  return protocol::Flatten(message);
}

Status ReadReply(const protocol::Wire& reply) {
  auto answer = protocol::Received<protocol::MasterReply>::Read(reply.bytes, "master reply");
  if (!answer.ok()) return answer.status();
  return protocol::StatusOfReply(answer->root());
}

// Connects, pings, and sends the command only once the ping came back.
Attempt Run(const std::string& host, std::uint16_t port, const protocol::Bytes& message,
            std::chrono::milliseconds ping_timeout, std::chrono::milliseconds reply_timeout) {
  caf::actor_system_config cfg;
  protocol::ConfigureNode(cfg);
  caf::actor_system system{cfg};
  auto master = system.middleman().remote_actor<protocol::master_actor>(host, port);
  if (!master) {
    return {true, Status::Unavailable("cannot reach the master at " + host + ":" + std::to_string(port) + ": " +
                                      system.render(master.error()))};
  }
  caf::scoped_actor self{system};
  bool route_proven = false;
  self->request(*master, ping_timeout, protocol::client_atom::value, protocol::Wire{PingMessage()})
      .receive([&](protocol::Wire&) { route_proven = true; }, [&](caf::error&) {});
  if (!route_proven) {
    return {false, Status::Unavailable("the master did not answer a ping within " + Seconds(ping_timeout))};
  }
  Status result = Status::Unavailable("no answer from the master");
  self->request(*master, reply_timeout, protocol::client_atom::value, protocol::Wire{message})
      .receive([&](protocol::Wire& reply) { result = ReadReply(reply); },
               [&](caf::error& e) {
                 // A request that timed out may still have been applied: say
                 // so rather than let the user assume it was not.
                 result = Status::Unavailable(e == caf::sec::request_timeout
                                                  ? "no reply from the master within " + Seconds(reply_timeout) +
                                                        "; the command may still have been applied (check "
                                                        "`regatta events dump`)"
                                                  : "master: " + system.render(e));
               });
  return {true, result};
}

// The child's report to its parent: "F" or "R" (final, or retry in a new
// process), the status code in decimal, a space, the message.
std::string Encode(const Attempt& a) {
  return std::string(a.final ? "F" : "R") + std::to_string(static_cast<int>(a.status.code())) + " " +
         a.status.message();
}

Attempt Decode(const std::string& report) {
  int code = 0;
  const char* begin = report.data() + 1;
  const char* end = report.data() + report.size();
  auto parsed = std::from_chars(begin, end, code);
  const bool known_code = code >= 0 && code <= static_cast<int>(StatusCode::kIoError);
  if (report.empty() || (report[0] != 'F' && report[0] != 'R') || parsed.ec != std::errc() || parsed.ptr == end ||
      !known_code) {
    return {true, Status::Unavailable("the client process ended without reporting")};
  }
  std::string message(parsed.ptr + 1, end);
  if (code == 0) return {report[0] == 'F', Status::Ok()};
  return {report[0] == 'F', Status(static_cast<StatusCode>(code), std::move(message))};
}

bool WriteAll(int fd, const std::string& bytes) {
  for (std::size_t done = 0; done < bytes.size();) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

std::string ReadAll(int fd) {
  std::string out;
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return out;
    out.append(buffer, static_cast<std::size_t>(n));
  }
}

// Runs one attempt in a forked child, which has a pid (and so a CAF node id)
// of its own, and reads its report back through a pipe.
Attempt RunInChild(const std::string& host, std::uint16_t port, const protocol::Bytes& message,
                   std::chrono::milliseconds ping_timeout, std::chrono::milliseconds reply_timeout) {
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) return {true, Status::FromErrno("pipe", errno)};
  const pid_t child = ::fork();
  if (child < 0) {
    const int err = errno;
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
    return {true, Status::FromErrno("fork", err)};
  }
  if (child == 0) {
    ::close(pipe_fds[0]);
    const bool written = WriteAll(pipe_fds[1], Encode(Run(host, port, message, ping_timeout, reply_timeout)));
    ::_exit(written ? 0 : 1);  // not exit(): the parent's atexit work is the parent's
  }
  ::close(pipe_fds[1]);
  const std::string report = ReadAll(pipe_fds[0]);
  ::close(pipe_fds[0]);
  int wstatus = 0;
  while (::waitpid(child, &wstatus, 0) < 0 && errno == EINTR) {
  }
  return Decode(report);
}

}  // namespace

Status SendToMaster(const std::string& host, std::uint16_t port, const protocol::Bytes& message,
                    const ClientOptions& options) {
  Attempt last{true, Status::Unavailable("no attempt was made")};
  for (const std::chrono::milliseconds ping_timeout : options.ping_timeouts) {
    last = RunInChild(host, port, message, ping_timeout, options.reply_timeout);
    if (last.final) return last.status;
  }
  return Status::Unavailable(last.status.message() + " (" + std::to_string(options.ping_timeouts.size()) +
                             " tries, each from a new process); the command was not sent");
}

}  // namespace regatta::runtime

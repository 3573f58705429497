// A load generator for /v2/events: SUBSCRIBERS streams held open on one
// epoll loop, and poster threads writing RATE apps a second on their own
// connections. Every api_post_event names its app (/sse/aN), so each
// delivery's latency is the time from the POST being sent to the line
// arriving. Prints deliveries, latency percentiles and the server's RSS
// per idle subscriber (from /proc/PID/status). It replaces the Python
// generator for the 10,000-subscriber run, which could not read a million
// deliveries a second on a core of its own.
//
//   regatta_sse_load HOST PORT SUBSCRIBERS RATE SECONDS [SERVER_PID]
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

std::int64_t NowNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
}

long RssKib(int pid) {
  if (pid <= 0) return 0;
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
  }
  return 0;
}

int Connect(const char* host, int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  inet_pton(AF_INET, host, &address.sin_addr);
  if (fd < 0 || connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    std::perror("sse_load: connect");
    std::exit(1);
  }
  const int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

void WriteAll(int fd, const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = write(fd, bytes.data() + sent, bytes.size() - sent);
    if (n <= 0) {
      std::perror("sse_load: write");
      std::exit(1);
    }
    sent += static_cast<std::size_t>(n);
  }
}

// Reads one HTTP response on a blocking socket: headers, then
// Content-Length bytes. Returns the status code.
int ReadResponse(int fd) {
  std::string buffer;
  char chunk[4096];
  std::size_t header_end = std::string::npos;
  while ((header_end = buffer.find("\r\n\r\n")) == std::string::npos) {
    const ssize_t n = read(fd, chunk, sizeof chunk);
    if (n <= 0) return 0;
    buffer.append(chunk, static_cast<std::size_t>(n));
  }
  std::size_t length = 0;
  if (auto at = buffer.find("ontent-Length:"); at != std::string::npos && at < header_end) {
    length = std::strtoul(buffer.c_str() + at + 14, nullptr, 10);
  }
  while (buffer.size() < header_end + 4 + length) {
    const ssize_t n = read(fd, chunk, sizeof chunk);
    if (n <= 0) return 0;
    buffer.append(chunk, static_cast<std::size_t>(n));
  }
  return std::atoi(buffer.c_str() + 9);
}

struct Stream {
  int fd = -1;
  std::string partial;  // bytes after the last complete line
  bool headers_done = false;
  long received = 0;
};

class Subscribers {
 public:
  Subscribers(const char* host, int port, int count, long total, std::vector<std::atomic<std::int64_t>>& sent)
      : streams_(static_cast<std::size_t>(count)), total_(total), sent_(sent) {
    epoll_ = epoll_create1(0);
    const std::string request =
        "GET /v2/events?event_type=api_post_event HTTP/1.1\r\nHost: bench\r\nAccept: text/event-stream\r\n\r\n";
    for (std::size_t k = 0; k < streams_.size(); ++k) {
      streams_[k].fd = Connect(host, port);
      WriteAll(streams_[k].fd, request);
      epoll_event e{};
      e.events = EPOLLIN;
      e.data.u64 = k;
      epoll_ctl(epoll_, EPOLL_CTL_ADD, streams_[k].fd, &e);
    }
  }

  // Reads until every stream has its headers.
  void AwaitHeaders() {
    while (std::any_of(streams_.begin(), streams_.end(), [](const Stream& s) { return !s.headers_done; })) Turn(100);
  }

  // Reads until every stream has `total` events or `deadline` passes.
  void AwaitAll(Clock::time_point deadline) {
    while (Complete() < streams_.size() && Clock::now() < deadline) Turn(100);
  }

  std::size_t Complete() const {
    return static_cast<std::size_t>(
        std::count_if(streams_.begin(), streams_.end(), [this](const Stream& s) { return s.received >= total_; }));
  }
  long Deliveries() const {
    long sum = 0;
    for (const Stream& s : streams_) sum += s.received;
    return sum;
  }
  std::vector<double>& latencies_ms() { return latencies_ms_; }
  long closed() const { return closed_; }

 private:
  void Turn(int timeout_ms) {
    epoll_event events[256];
    const int n = epoll_wait(epoll_, events, 256, timeout_ms);
    char chunk[65536];
    for (int i = 0; i < n; ++i) {
      Stream& s = streams_[events[i].data.u64];
      const ssize_t got = read(s.fd, chunk, sizeof chunk);
      if (got <= 0) {
        epoll_ctl(epoll_, EPOLL_CTL_DEL, s.fd, nullptr);
        s.headers_done = true;
        ++closed_;
        continue;
      }
      s.partial.append(chunk, static_cast<std::size_t>(got));
      Scan(s);
    }
  }

  void Scan(Stream& s) {
    std::size_t start = 0;
    if (!s.headers_done) {
      const std::size_t end = s.partial.find("\r\n\r\n");
      if (end == std::string::npos) return;
      s.headers_done = true;
      start = end + 4;
    }
    const std::int64_t now = NowNanos();
    for (std::size_t eol; (eol = s.partial.find('\n', start)) != std::string::npos; start = eol + 1) {
      if (s.partial.compare(start, 5, "data:") != 0) continue;
      const std::size_t at = s.partial.find("\"/sse/a", start);
      if (at == std::string::npos || at > eol) continue;
      const long n = std::strtol(s.partial.c_str() + at + 7, nullptr, 10);
      if (n < 0 || n >= static_cast<long>(sent_.size())) continue;
      latencies_ms_.push_back(static_cast<double>(now - sent_[static_cast<std::size_t>(n)].load()) / 1e6);
      ++s.received;
    }
    s.partial.erase(0, start);
  }

  std::vector<Stream> streams_;
  long total_;
  std::vector<std::atomic<std::int64_t>>& sent_;
  std::vector<double> latencies_ms_;
  int epoll_ = -1;
  long closed_ = 0;  // streams the server ended
};

double Percentile(std::vector<double>& values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const auto at = static_cast<std::size_t>(p / 100.0 * static_cast<double>(values.size() - 1));
  return values[at];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 6) {
    std::fprintf(stderr, "usage: regatta_sse_load HOST PORT SUBSCRIBERS RATE SECONDS [SERVER_PID]\n");
    return 2;
  }
  const char* host = argv[1];
  const int port = std::atoi(argv[2]);
  const int subscribers = std::atoi(argv[3]);
  const double rate = std::atof(argv[4]);
  const double seconds = std::atof(argv[5]);
  const int pid = argc > 6 ? std::atoi(argv[6]) : 0;
  const long total = static_cast<long>(rate * seconds);
  if (port <= 0 || subscribers <= 0 || rate <= 0 || total <= 0) {
    std::fprintf(stderr, "regatta_sse_load: PORT, SUBSCRIBERS, RATE and SECONDS must be positive\n");
    return 2;
  }

  const long before = RssKib(pid);
  std::vector<std::atomic<std::int64_t>> sent(static_cast<std::size_t>(total));
  Subscribers streams(host, port, subscribers, total, sent);
  streams.AwaitHeaders();
  std::this_thread::sleep_for(std::chrono::seconds(2));
  const long idle = RssKib(pid);

  // kPosters threads post on their own connections, each waiting for its
  // 201, so the schedule holds while one POST waits behind a round of
  // writes to every subscriber: the offered load is RATE, as from many
  // clients. The line printed says how long the POSTs took.
  constexpr long kPosters = 20;
  std::atomic<long> posted{0};
  std::vector<double> answered_ms(static_cast<std::size_t>(total), 0.0);  // each slot written by one poster
  std::vector<std::thread> posters;
  const auto start = Clock::now();
  for (long p = 0; p < kPosters; ++p) {
    posters.emplace_back([&, p] {
      const int fd = Connect(host, port);
      for (long i = p; i < total; i += kPosters) {
        std::this_thread::sleep_until(start + std::chrono::nanoseconds(static_cast<std::int64_t>(1e9 * i / rate)));
        const std::string body = "{\"id\":\"/sse/a" + std::to_string(i) + "\",\"cmd\":\"sleep 1\",\"instances\":0}";
        sent[static_cast<std::size_t>(i)].store(NowNanos());
        WriteAll(fd, "POST /v2/apps HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\nContent-Length: " +
                         std::to_string(body.size()) + "\r\n\r\n" + body);
        if (const int status = ReadResponse(fd); status != 201) {
          std::fprintf(stderr, "regatta_sse_load: POST %ld answered %d\n", i, status);
          std::exit(1);
        }
        answered_ms[static_cast<std::size_t>(i)] = static_cast<double>(NowNanos() - sent[static_cast<std::size_t>(i)].load()) / 1e6;
        posted.fetch_add(1);
      }
      close(fd);
    });
  }
  streams.AwaitAll(Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                      std::chrono::duration<double>(seconds + 30)));
  for (std::thread& t : posters) t.join();
  const double posting_seconds = std::chrono::duration<double>(Clock::now() - start).count();

  std::vector<double>& ms = streams.latencies_ms();
  const double max = ms.empty() ? 0 : *std::max_element(ms.begin(), ms.end());
  std::printf(
      "sse: %d subscribers, %ld events at %.0f/s (%ld posted in %.1f s): %zu subscribers got all (%ld of %ld deliveries); "
      "201 ms p50 %.1f p99 %.1f; delivery ms p50 %.1f p99 %.1f max %.1f; %ld streams closed by the server; "
      "server RSS per idle subscriber %.1f KiB\n",
      subscribers, total, rate, posted.load(), posting_seconds, streams.Complete(), streams.Deliveries(), total * subscribers, Percentile(answered_ms, 50), Percentile(answered_ms, 99), Percentile(ms, 50),
      Percentile(ms, 99), max, streams.closed(), pid > 0 ? static_cast<double>(idle - before) / subscribers : 0.0);
  return streams.Complete() == static_cast<std::size_t>(subscribers) ? 0 : 1;
}

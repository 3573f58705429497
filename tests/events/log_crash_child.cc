// A writer for the crash test: appends forever from several threads and
// reports each acknowledged batch on stdout as "ack <id> <id> ...". The
// parent kills it with SIGKILL at a random moment.
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "events/file_log/file_log.h"
#include "tests/support/sample_events.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: log_crash_child DIR FIRST_ID\n");
    return 2;
  }
  auto log = regatta::FileEventLog::Open(argv[1], regatta::LogMode::kWriter);
  if (!log.ok()) {
    std::fprintf(stderr, "%s\n", log.status().ToString().c_str());
    return 1;
  }
  constexpr int kThreads = 3;
  const long first = std::stol(argv[2]);
  std::mutex out;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (long id = first + t;; id += kThreads * 4) {
        std::vector<regatta::EncodedEvent> batch;
        const int size = 1 + static_cast<int>(id % 4);  // 1..4 events per batch
        for (int i = 0; i < size; ++i) {
          batch.push_back(regatta::testing::AgentGone("crash-" + std::to_string(id + i * kThreads), id));
        }
        if (!(*log)->Append(batch).ok()) return;
        std::lock_guard lock(out);
        std::string line = "ack";
        for (int i = 0; i < size; ++i) line += " " + std::to_string(id + i * kThreads);
        std::puts(line.c_str());
        std::fflush(stdout);
      }
    });
  }
  for (auto& t : threads) t.join();
}

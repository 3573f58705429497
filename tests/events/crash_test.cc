// Kill -9 a real writer process at random moments; every acknowledged event
// must survive, nothing malformed may appear, and appends must resume.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>

#include "events/codec.h"
#include "events/file_log/file_log.h"
#include "tests/support/sample_events.h"
#include "tests/support/temp_dir.h"

namespace regatta {
namespace {

struct Child {
  pid_t pid = -1;
  int out = -1;  // read end of its stdout
};

Child Spawn(const std::string& dir, long first_id) {
  int fds[2];
  EXPECT_EQ(::pipe(fds), 0);
  Child child;
  child.pid = ::fork();
  if (child.pid == 0) {
    ::dup2(fds[1], STDOUT_FILENO);
    ::close(fds[0]);
    ::close(fds[1]);
    const std::string id = std::to_string(first_id);
    ::execl(REGATTA_CRASH_CHILD, REGATTA_CRASH_CHILD, dir.c_str(), id.c_str(), nullptr);
    ::_exit(127);
  }
  ::close(fds[1]);
  child.out = fds[0];
  return child;
}

// Everything the child printed before it died: the ids it saw acknowledged.
std::set<long> ReadAcks(int fd) {
  std::string text;
  char buf[65536];
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) text.append(buf, static_cast<std::size_t>(n));
  ::close(fd);
  std::set<long> acked;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("ack ", 0) != 0) continue;  // a line cut by the kill: unacknowledged
    std::istringstream ids(line.substr(4));
    for (long id; ids >> id;) acked.insert(id);
  }
  return acked;
}

// The ids in the log; fails the test on anything malformed or duplicated.
std::set<long> ReadLog(EventLog& log) {
  std::set<long> present;
  EventDecoder decoder;
  Status s = log.Scan(0, kEndOfLog, [&](const LoggedEvent& stored) {
    auto event = decoder.Decode(stored);
    EXPECT_TRUE(event.ok()) << event.status().ToString();
    if (!event.ok()) return false;
    const std::string key = AggregateKey(event->envelope);
    if (key.rfind("crash-", 0) != 0) return true;
    EXPECT_TRUE(present.insert(std::stol(key.substr(6))).second) << "duplicate " << key;
    return true;
  });
  EXPECT_TRUE(s.ok()) << s.ToString();
  return present;
}

TEST(FileLogCrash, AcknowledgedEventsSurviveKillNineAtRandomPoints) {
  testing::TempDir tmp;
  const std::string dir = tmp.Sub("log");
  std::mt19937 rng(20261125);
  std::uniform_int_distribution<int> delay_ms(2, 120);
  std::set<long> acked;
  int torn_recoveries = 0;
  constexpr int kRounds = 12;
  for (int round = 0; round < kRounds; ++round) {
    Child child = Spawn(dir, 10'000'000L * (round + 1));
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));
    ASSERT_EQ(::kill(child.pid, SIGKILL), 0);
    int status = 0;
    ::waitpid(child.pid, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the child exited by itself, status " << status;
    const std::set<long> now = ReadAcks(child.out);
    acked.insert(now.begin(), now.end());

    auto log = FileEventLog::Open(dir, LogMode::kWriter);
    ASSERT_TRUE(log.ok()) << "round " << round << ": " << log.status().ToString();
    if ((*log)->recovery().torn_bytes_truncated > 0) ++torn_recoveries;
    const std::set<long> present = ReadLog(**log);
    for (long id : acked) ASSERT_TRUE(present.count(id)) << "round " << round << ": lost " << id;
    std::vector<EncodedEvent> resume = {testing::AgentGone("resumed-" + std::to_string(round))};
    ASSERT_TRUE((*log)->Append(resume).ok()) << "appends must resume after recovery";
  }
  EXPECT_GT(acked.size(), 0u) << "the child never got an append acknowledged";
  std::printf("crash test: %zu acknowledged events over %d kills, %d torn tails recovered\n",
              acked.size(), kRounds, torn_recoveries);
}

}  // namespace
}  // namespace regatta

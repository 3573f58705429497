// The stop watchdog: a process that cannot finish stopping (here, one that
// waits forever) is ended with status 0 once the grace period is over, and
// says so on stderr.
#include "actors/runtime/signals.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

namespace regatta::runtime {
namespace {

TEST(StopWatchdog, EndsAProcessStuckStoppingOnceTheGraceIsOver) {
  const auto start = std::chrono::steady_clock::now();
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ExitIfStillStoppingAfter(std::chrono::milliseconds(200), "stuck test");
    for (;;) ::pause();  // a teardown that never ends
  }
  int status = 0;
  pid_t done = 0;
  while ((done = ::waitpid(child, &status, WNOHANG)) == 0 &&
         std::chrono::steady_clock::now() - start < std::chrono::seconds(10)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (done == 0) ::kill(child, SIGKILL);
  ASSERT_EQ(done, child) << "the watchdog did not end the process";
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(200)) << "not before the grace";
}

}  // namespace
}  // namespace regatta::runtime

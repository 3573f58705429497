#include "actors/runtime/signals.h"

#include <pthread.h>
#include <unistd.h>

#include <csignal>
#include <iostream>
#include <thread>

namespace regatta::runtime {
namespace {

sigset_t StopSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  return signals;
}

}  // namespace

void BlockStopSignals() {
  const sigset_t signals = StopSignals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
}

int WaitForStopSignal() {
  const sigset_t signals = StopSignals();
  int signal = 0;
  sigwait(&signals, &signal);
  return signal;
}

int WaitForStopSignalFor(std::chrono::milliseconds timeout) {
  const sigset_t signals = StopSignals();
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(timeout);
  const timespec wait{static_cast<time_t>(seconds.count()),
                      static_cast<long>(std::chrono::nanoseconds(timeout - seconds).count())};
  const int signal = sigtimedwait(&signals, nullptr, &wait);
  return signal > 0 ? signal : 0;
}

void ExitIfStillStoppingAfter(std::chrono::milliseconds grace, std::string who) {
  std::thread([grace, who = std::move(who)] {
    std::this_thread::sleep_for(grace);
    std::cerr << who << ": the actors did not stop within " << grace.count() << " ms; exiting without them\n"
              << std::flush;
    ::_exit(0);
  }).detach();
}

}  // namespace regatta::runtime

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

void ExitIfStillStoppingAfter(std::chrono::milliseconds grace, std::string who) {
  std::thread([grace, who = std::move(who)] {
    std::this_thread::sleep_for(grace);
    std::cerr << who << ": the actors did not stop within " << grace.count() << " ms; exiting without them\n"
              << std::flush;
    ::_exit(0);
  }).detach();
}

}  // namespace regatta::runtime

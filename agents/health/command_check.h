// The process side of a COMMAND health check: `/bin/sh -c command` started
// in its own process group, with stdout and stderr on one pipe, and a pidfd
// to wait on. The check runner (check_runner.cc) waits on the pidfd and
// reads the pipe on its event loop; this file only starts, kills and reaps.
#pragma once

#include <sys/types.h>

#include <string>

#include "agents/health/check_runner.h"
#include "events/base/status.h"

namespace regatta::health {

class CheckProcess {
 public:
  // Starts `probe.command` under `probe.shell`. IoError naming the step
  // that failed (pipe, pidfd, spawn).
  static Result<CheckProcess> Start(const Probe& probe);
  CheckProcess(CheckProcess&& other) noexcept;
  CheckProcess& operator=(CheckProcess&&) = delete;
  CheckProcess(const CheckProcess&) = delete;
  // A process not yet reaped is killed, group and all, and reaped: a check
  // abandoned at its timeout leaves nothing behind.
  ~CheckProcess();

  int pidfd() const { return pidfd_; }
  int output_fd() const { return output_fd_; }  // the pipe's read end
  // Reaps the exited process (its pidfd became readable); its wait status.
  int Reap();

 private:
  CheckProcess(pid_t pid, int pidfd, int output_fd) : pid_(pid), pidfd_(pidfd), output_fd_(output_fd) {}
  pid_t pid_ = -1;  // -1 once reaped
  int pidfd_ = -1;
  int output_fd_ = -1;
};

// "exit 0", "exit 3", "killed by signal 9", then ": " and the output's
// first line, trimmed, when there is one.
std::string DescribeCheckExit(int wait_status, const std::string& output);

}  // namespace regatta::health

// Shared helpers for the containerizer's integration tests: a work dir, a
// containerizer on it, and waiting for real processes with a timeout.
#pragma once

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "agents/containerizer/containerizer.h"
#include "agents/containerizer/process.h"
#include "tests/support/temp_dir.h"

#ifndef REGATTA_EXECUTOR_PATH
#error "REGATTA_EXECUTOR_PATH must name the regatta-executor binary"
#endif

namespace regatta::agent {

using Clock = ProcessContainerizer::Clock;
using std::chrono::milliseconds;

inline std::string Slurp(const std::string& path) {
  Result<std::string> text = ReadWholeFile(path);
  return text.ok() ? *text : "<" + text.status().ToString() + ">";
}

// True once `pid` is gone or a zombie: it can no longer run anything.
inline bool IsDead(pid_t pid) {
  std::optional<ProcStat> stat = ReadProcStat(pid);
  return !stat || stat->state == 'Z' || stat->state == 'X';
}

template <class Pred>
bool WaitUntil(Pred pred, milliseconds timeout = milliseconds(10000)) {
  auto deadline = Clock::now() + timeout;
  while (!pred()) {
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(milliseconds(20));
  }
  return true;
}

class ContainerizerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    c_ = Make();
    if (c_) roots_ = c_->cgroups().roots();
  }

  void TearDown() override {
    if (c_) {
      for (const std::string& id : c_->Running()) (void)c_->Kill(id, Clock::now(), milliseconds(0));
      for (const std::string& id : c_->Running()) (void)WaitForExit(id);
      WaitUntil([&] {
        c_->Poll(Clock::now());  // removes the last task cgroups
        return !c_->CleanupPending();
      });
    }
    for (const CgroupRoot& root : roots_) ::rmdir(root.dir.c_str());
  }

  ContainerizerOptions Options() {
    ContainerizerOptions options;
    options.executor_path = REGATTA_EXECUTOR_PATH;
    // Our own parent, so parallel test processes never share task cgroups.
    options.cgroup_parent = cgroup_parent_;
    options.warn = [this](const std::string& m) { warnings_.push_back(m); };
    return options;
  }

  std::unique_ptr<ProcessContainerizer> Make() {
    Result<std::unique_ptr<ProcessContainerizer>> c =
        ProcessContainerizer::Create(dir_.Sub("work"), Options());
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return c.ok() ? std::move(*c) : nullptr;
  }

  static LaunchSpec Shell(const std::string& id, const std::string& cmd) {
    LaunchSpec spec;
    spec.task_id = id;
    spec.app_id = "/test/app";
    spec.cmd = cmd;
    return spec;
  }

  // Polls with the real clock until `id` ends; nullopt on timeout.
  std::optional<TaskExit> WaitForExit(const std::string& id, milliseconds timeout = milliseconds(10000)) {
    std::optional<TaskExit> found;
    WaitUntil([&] {
      for (TaskExit& exit : c_->Poll(Clock::now())) {
        if (exit.task_id == id) found = std::move(exit);
      }
      return found.has_value();
    }, timeout);
    return found;
  }

  std::string SandboxFile(const std::string& id, const std::string& name) {
    return c_->SandboxPath(id) + "/" + name;
  }

  testing::TempDir dir_;
  // Named once, so an agent forked by a test uses the same parent.
  const std::string cgroup_parent_ = "regatta-test-" + std::to_string(::getpid());
  std::vector<CgroupRoot> roots_;
  std::vector<std::string> warnings_;
  std::unique_ptr<ProcessContainerizer> c_;
};

}  // namespace regatta::agent

// An agent's health checking: the monitor of its tasks' checks
// (agents/health/health_monitor.h), the runner of their probes, the
// reports it owes the master, and the tasks it killed for failing their
// checks. The agent actor calls it on its own thread; the runner's results
// come back through `post`, which the actor turns into a message to
// itself. No CAF here.
//
// A simulated agent has no runner: every probe passes at once (the
// deployment benchmark's "checks that pass at once").
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "agents/agent/agent_core.h"
#include "agents/health/check_runner.h"
#include "agents/health/health_monitor.h"

namespace regatta::agent {

struct ProbeDone {
  std::string task_id;
  std::uint32_t index = 0;
  bool readiness = false;
  health::ProbeResult result;
};

class AgentHealth {
 public:
  // `runner` null: a simulated agent, whose probes pass at once, unless
  // `unavailable` says why a real agent has none (its probes then fail
  // with that). `host`: where the tasks listen.
  AgentHealth(std::unique_ptr<health::CheckRunner> runner, std::string host, std::string unavailable = "");

  // A task started at `now` (steady nanoseconds, as every time here).
  // `shell`: where its command runs, for its COMMAND checks.
  void Started(const std::string& task_id, schema::AppSpec::Reader spec, const std::vector<std::uint32_t>& ports,
               double kill_grace_seconds, std::int64_t now,
               const std::optional<health::CommandShell>& shell = std::nullopt);
  // A task ended or is being killed: its checks stop.
  void Stopped(const std::string& task_id);
  bool watching() const { return monitor_.size() > 0; }

  // Starts the probes due at `now`; each result reaches `post`, from the
  // runner's thread. Probes that cannot run fail at once, through Done.
  void Probe(std::int64_t now, const std::function<void(ProbeDone)>& post);

  // A probe's result. A task past maxConsecutiveFailures: its kill grace.
  std::optional<double> Done(const ProbeDone& done, std::int64_t now);

  // Why the agent killed this task, if it did for failing its checks; its
  // end is then a failure, so that it is replaced under backoff.
  const std::string* UnhealthyKill(const std::string& task_id) const;
  void ForgetKill(const std::string& task_id) { unhealthy_kills_.erase(task_id); }

  HealthBook& outbox() { return outbox_; }

 private:
  void Report(const std::string& task_id, const health::HealthReport& report);

  std::unique_ptr<health::CheckRunner> runner_;
  std::string host_;
  std::string unavailable_;
  health::HealthMonitor monitor_;
  HealthBook outbox_;
  std::map<std::string, double> kill_grace_;
  std::map<std::string, std::string> unhealthy_kills_;  // task -> why
};

}  // namespace regatta::agent

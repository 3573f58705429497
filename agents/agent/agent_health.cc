#include "agents/agent/agent_health.h"

namespace regatta::agent {

AgentHealth::AgentHealth(std::unique_ptr<health::CheckRunner> runner, std::string host, std::string unavailable)
    : runner_(std::move(runner)), host_(std::move(host)), unavailable_(std::move(unavailable)) {}

void AgentHealth::Started(const std::string& task_id, schema::AppSpec::Reader spec,
                          const std::vector<std::uint32_t>& ports, double kill_grace_seconds, std::int64_t now,
                          const std::optional<health::CommandShell>& shell) {
  if (spec.getHealthChecks().size() == 0 && spec.getReadinessChecks().size() == 0) return;
  kill_grace_[task_id] = kill_grace_seconds;
  if (auto report = monitor_.Watch(task_id, spec, ports, host_, now, shell)) Report(task_id, *report);
}

void AgentHealth::Stopped(const std::string& task_id) {
  monitor_.Forget(task_id);
  kill_grace_.erase(task_id);
}

void AgentHealth::Probe(std::int64_t now, const std::function<void(ProbeDone)>& post) {
  for (health::DueProbe& due : monitor_.TakeDue(now)) {
    ProbeDone done{due.task_id, due.index, due.readiness, {}};
    if (!due.probe || !unavailable_.empty()) {
      done.result.message = due.probe ? unavailable_ : due.failure;
      post(std::move(done));
    } else if (runner_ == nullptr) {
      done.result = {true, 200, "simulated: passes at once"};
      post(std::move(done));
    } else {
      runner_->Run(*due.probe, [post, done](const health::ProbeResult& r) mutable {
        done.result = r;
        post(std::move(done));
      });
    }
  }
}

std::optional<double> AgentHealth::Done(const ProbeDone& done, std::int64_t now) {
  if (!monitor_.Watching(done.task_id)) return std::nullopt;  // ended meanwhile
  const health::Outcome outcome = monitor_.Record(done.task_id, done.index, done.readiness, done.result, now);
  if (outcome.report) Report(done.task_id, *outcome.report);
  if (!outcome.kill) return std::nullopt;
  unhealthy_kills_[done.task_id] = "killed: health check " + std::to_string(done.index) +
                                   " failed too often (last: " + done.result.message + ")";
  const double grace = kill_grace_[done.task_id];
  Stopped(done.task_id);
  return grace;
}

const std::string* AgentHealth::UnhealthyKill(const std::string& task_id) const {
  auto it = unhealthy_kills_.find(task_id);
  return it == unhealthy_kills_.end() ? nullptr : &it->second;
}

void AgentHealth::Report(const std::string& task_id, const health::HealthReport& report) {
  outbox_.Put(domain::HealthUpdate{task_id, "", report.healthy, report.ready, report.check_index, report.message});
}

}  // namespace regatta::agent

// regatta replay | snapshot | log verify
#include <iostream>

#include "api/cli/commands.h"
#include "api/kafka/state_publisher.h"
#include "events/file_log/verify.h"
#include "events/kafka/kafka_log.h"
#include "events/log_uri.h"
#include "events/snapshot_store.h"
#include "projections/render.h"
#include "projections/replay.h"

namespace regatta::cli {

int Replay(const GlobalOptions& global, const ReplayOptions& options) {
  projections::ReplayTarget target;
  if (!options.at.empty()) {
    auto point = ParsePointInHistory("--at", options.at);
    if (!point.ok()) return Fail(point.status());
    target.at_revision = point->revision;
    target.at_time_nanos = point->time_nanos;
  }
  // Check the name before the (possibly long) replay.
  if (auto check = projections::RenderProjection(projections::ProjectionSet(), options.projection);
      !check.ok()) {
    return Fail(check.status());
  }
  auto log = OpenEventLog(global.LogUri(), LogMode::kReader);
  if (!log.ok()) return Fail(log.status());
  SnapshotStore snapshots(global.SnapshotDir());
  projections::ReplayReport report;
  auto set = projections::Replay(**log, options.no_snapshots ? nullptr : &snapshots, target, {}, &report);
  if (!set.ok()) return Fail(set.status());
  for (const auto& why : report.rejected_snapshots) {
    std::cerr << "regatta: warning: skipped snapshot: " << why << "\n";
  }
  if (options.at.empty() && !options.no_snapshots) {
    // Replaying to the end is a good moment to leave a snapshot behind.
    auto wrote = projections::MaybeSnapshot(*set, snapshots, {});
    if (!wrote.ok()) std::cerr << "regatta: warning: " << wrote.status().message() << "\n";
  }
  auto text = projections::RenderProjection(*set, options.projection);
  if (!text.ok()) return Fail(text.status());
  std::cout << *text << "\n";
  return 0;
}

int PublishStateTopics(const GlobalOptions& global, const PublishOptions& options) {
  auto log = ParseKafkaUri(global.log);
  if (!log.ok()) return Fail(Status::InvalidArgument("kafka publish-state: --log must be kafka://HOST:PORT/CLUSTER"));
  StatePublisherOptions publisher{*log, options.follow,
                                  std::chrono::milliseconds(static_cast<long>(options.idle_exit_seconds * 1000))};
  auto report = PublishState(publisher);
  if (!report.ok()) return Fail(report.status());
  std::cout << "folded " << report->events << " events; published " << report->records
            << " state records (" << report->tombstones << " tombstones)\n";
  return 0;
}

int SnapshotCreate(const GlobalOptions& global) {
  auto log = OpenEventLog(global.LogUri(), LogMode::kReader);
  if (!log.ok()) return Fail(log.status());
  SnapshotStore snapshots(global.SnapshotDir());
  auto set = projections::Replay(**log, &snapshots, {}, {}, nullptr);
  if (!set.ok()) return Fail(set.status());
  projections::SnapshotPolicy always{1, 5};
  auto wrote = projections::MaybeSnapshot(*set, snapshots, always);
  if (!wrote.ok()) return Fail(wrote.status());
  std::cout << (*wrote ? "wrote snapshot at revision " : "snapshot already current at revision ")
            << set->next_revision() << "\n";
  return 0;
}

Result<VerifyReport> VerifyAny(const std::string& uri) {
  if (uri.rfind("file:", 0) == 0) return VerifyFileLog(uri.substr(5));
  auto log = OpenEventLog(uri, LogMode::kReader);
  if (!log.ok()) return log.status();
  return VerifyEventLog(**log);
}

int LogVerify(const GlobalOptions& global) {
  auto report = VerifyAny(global.LogUri());
  if (!report.ok()) return Fail(report.status());
  std::cout << "segments " << report->segments << ", records " << report->records << ", events "
            << report->events << ", end revision " << report->end_revision << "\n";
  for (const auto& [type, count] : report->events_by_type) {
    std::cout << "  " << type << " " << count << "\n";
  }
  if (report->condition == filelog::LogCondition::kTorn) {
    std::cout << "torn tail: a write never finished; the next writer to open the log repairs it: "
              << report->torn << "\n";
  }
  if (!report->ok()) return Fail(Status::Corruption("log is corrupt: " + report->first_problem));
  std::cout << "ok\n";
  return 0;
}

}  // namespace regatta::cli

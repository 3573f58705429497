// regatta events append | dump | tail, and regatta audit
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <vector>

#include "api/cli/audit.h"
#include "api/cli/commands.h"
#include "events/codec.h"
#include "events/domain/text.h"
#include "projections/string_map.h"
#include "events/json.h"
#include "events/log_uri.h"

namespace regatta::cli {
namespace {

Result<std::vector<std::string>> ReadLines(const std::string& file) {
  std::ifstream in;
  std::istream* stream = &std::cin;
  if (file != "-") {
    in.open(file);
    if (!in) return Status::NotFound("--json: cannot read " + file);
    stream = &in;
  }
  std::vector<std::string> lines;
  for (std::string line; std::getline(*stream, line);) lines.push_back(line);
  return lines;
}

bool Blank(const std::string& line) { return line.find_first_not_of(" \t\r") == std::string::npos; }

void PrintEvent(const Event& event, bool json) {
  if (json) {
    std::cout << EnvelopeToJson(event) << "\n";
    return;
  }
  auto env = event.envelope;
  // One line per event, whatever bytes the log holds.
  std::cout << event.revision << "  " << FormatRfc3339(env.getTimeNanos()) << "  " << EventTypeName(env) << "  "
            << domain::OneLine(AggregateKey(env)) << "  by=" << domain::OneLine(projections::View(env.getPrincipal()));
  if (env.getReason().size()) std::cout << "  why=" << domain::Quote(projections::View(env.getReason()), 200);
  std::cout << "\n";
}

// Prints stored events; false (with `failure` set) on an undecodable one.
struct Printer {
  bool json;
  EventDecoder decoder;
  Status failure;
  bool operator()(const LoggedEvent& stored) {
    auto event = decoder.Decode(stored);
    if (!event.ok()) {
      failure = event.status();
      return false;
    }
    PrintEvent(*event, json);
    return true;
  }
};

}  // namespace

int EventsAppend(const GlobalOptions& global, const AppendOptions& options) {
  auto lines = ReadLines(options.file);
  if (!lines.ok()) return Fail(lines.status());
  EnvelopeStamp stamp;
  stamp.time_nanos = WallClockNanos();  // one time for the whole batch
  const char* user = std::getenv("USER");
  stamp.principal = !options.principal.empty() ? options.principal : (user ? user : "cli");
  stamp.correlation_id = NewUuid();
  stamp.reason = options.reason;
  std::vector<EncodedEvent> batch;
  for (std::size_t i = 0; i < lines->size(); ++i) {
    if (Blank((*lines)[i])) continue;
    stamp.event_id = NewUuid();
    auto encoded = EnvelopeFromJson((*lines)[i], stamp);
    if (!encoded.ok()) {
      return Fail(Status::InvalidArgument(options.file + ":" + std::to_string(i + 1) + ": " +
                                          encoded.status().message()));
    }
    batch.push_back(std::move(*encoded));
  }
  if (batch.empty()) return Fail(Status::InvalidArgument(options.file + ": no events in it"));
  auto log = OpenEventLog(global.LogUri(), LogMode::kWriter);
  if (!log.ok()) return Fail(log.status());
  if (const std::string repaired = (*log)->RecoveryNote(); !repaired.empty()) {
    std::cerr << "regatta: repaired the log: " << repaired << "\n";
  }
  auto revisions = (*log)->Append(batch);
  if (!revisions.ok()) return Fail(revisions.status());
  std::cout << "appended " << revisions->size() << " event(s) at revisions " << revisions->front()
            << ".." << revisions->back() << "\n";
  return 0;
}

int EventsDump(const GlobalOptions& global, const DumpOptions& options) {
  Revision from = 0, to = kEndOfLog;
  if (!options.from.empty()) {
    auto r = ParseRevision("--from", options.from);
    if (!r.ok()) return Fail(r.status());
    from = *r;
  }
  if (!options.to.empty()) {
    auto r = ParseRevision("--to", options.to);
    if (!r.ok()) return Fail(r.status());
    to = *r + 1;
  }
  if (from >= to) return Fail(Status::InvalidArgument("--from: must not be after --to"));
  auto log = OpenEventLog(global.LogUri(), LogMode::kReader);
  if (!log.ok()) return Fail(log.status());
  Printer print{options.json, {}, {}};
  Status scanned = (*log)->Scan(from, to, [&](const LoggedEvent& e) { return print(e); });
  if (!scanned.ok()) return Fail(scanned);
  if (!print.failure.ok()) return Fail(print.failure);
  return 0;
}

int EventsTail(const GlobalOptions& global, const TailOptions& options) {
  auto log = OpenEventLog(global.LogUri(), LogMode::kReader);
  if (!log.ok()) return Fail(log.status());
  Revision from;
  if (options.from.empty()) {
    auto end = (*log)->EndRevision();
    if (!end.ok()) return Fail(end.status());
    from = *end;
  } else {
    auto r = ParseRevision("--from", options.from);
    if (!r.ok()) return Fail(r.status());
    from = *r;
  }
  auto tail = (*log)->Tail(from);
  if (!tail.ok()) return Fail(tail.status());
  Printer print{options.json, {}, {}};
  std::uint64_t seen = 0;
  double idle = 0;
  constexpr auto kPoll = std::chrono::milliseconds(200);
  while (options.limit == 0 || seen < options.limit) {
    std::vector<OwnedEvent> batch;
    const std::size_t want = options.limit ? options.limit - seen : 1024;
    if (Status s = (*tail)->Poll(kPoll, want, &batch); !s.ok()) return Fail(s);
    for (const auto& e : batch) {
      if (!print(e.view())) return Fail(print.failure);
    }
    std::cout.flush();
    seen += batch.size();
    idle = batch.empty() ? idle + 0.2 : 0;
    if (options.idle_exit_seconds > 0 && idle >= options.idle_exit_seconds) break;
  }
  return 0;
}

int Audit(const GlobalOptions& global, const std::string& app_id) {
  auto log = OpenEventLog(global.LogUri(), LogMode::kReader);
  if (!log.ok()) return Fail(log.status());
  AuditTrail trail(app_id);
  EventDecoder decoder;
  Status failure;
  Status scanned = (*log)->Scan(0, kEndOfLog, [&](const LoggedEvent& stored) {
    auto event = decoder.Decode(stored);
    if (!event.ok()) {
      failure = event.status();
      return false;
    }
    trail.Observe(*event);
    return true;
  });
  if (!scanned.ok()) return Fail(scanned);
  if (!failure.ok()) return Fail(failure);
  if (trail.entries().empty()) return Fail(Status::NotFound("no change to app " + app_id + " in the log"));
  std::printf("%-9s %-27s %-16s %-44s %s\n", "REVISION", "TIME", "BY", "CHANGE", "WHY");
  for (const AuditEntry& e : trail.entries()) {
    std::printf("%-9llu %-27s %-16s %-44s %s\n", static_cast<unsigned long long>(e.revision),
                FormatRfc3339(e.time_nanos).c_str(), domain::OneLine(e.principal).c_str(),
                domain::OneLine(e.change).c_str(), domain::OneLine(e.reason).c_str());
  }
  return 0;
}

}  // namespace regatta::cli

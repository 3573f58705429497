#include "events/file_log/verify.h"

#include "events/codec.h"
#include "events/event_log.h"
#include "events/file_log/record_format.h"
#include "events/file_log/log_state.h"

namespace regatta {
Result<VerifyReport> VerifyFileLog(const std::string& dir, filelog::FileSystem& fs) {
  VerifyReport report;
  EventDecoder decoder;
  std::string bad_envelope;
  Revision last_base = ~Revision{0};
  auto state = filelog::InspectLog(fs, dir, [&](const filelog::SegmentState& segment, std::uint64_t offset,
                                                std::string_view record) {
    if (segment.base != last_base) {
      ++report.segments;
      last_base = segment.base;
    }
    ++report.records;
    return filelog::ForEachEvent(record, [&](Revision r, std::string_view bytes) {
      auto event = decoder.Decode(LoggedEvent{r, bytes});
      if (!event.ok()) {
        bad_envelope = segment.path + ": offset " + std::to_string(offset) + ": " + event.status().message();
        return false;
      }
      ++report.events;
      ++report.events_by_type[EventTypeName(event->envelope)];
      return true;
    });
  });
  if (!state.ok()) return state.status();
  report.segments = state->segments.size();
  report.end_revision = state->end;
  report.condition = state->condition;
  if (!bad_envelope.empty()) {
    report.first_problem = bad_envelope;
  } else if (state->condition == filelog::LogCondition::kCorrupt) {
    report.first_problem = state->problem;
  } else if (state->condition == filelog::LogCondition::kTorn) {
    report.torn_tail_bytes = state->torn.bytes;
    report.torn = state->RepairLine();
  }
  return report;
}

Result<VerifyReport> VerifyEventLog(EventLog& log) {
  VerifyReport report;
  EventDecoder decoder;
  bool first = true;
  Revision last = 0;
  REGATTA_RETURN_IF_ERROR(log.Scan(0, kEndOfLog, [&](const LoggedEvent& stored) {
    if (!first && stored.revision <= last) {
      report.first_problem = "revision " + std::to_string(stored.revision) + " follows " +
                             std::to_string(last) + ": revisions must grow";
      return false;
    }
    auto event = decoder.Decode(stored);
    if (!event.ok()) {
      report.first_problem = event.status().message();
      return false;
    }
    first = false;
    last = stored.revision;
    ++report.records;
    ++report.events;
    ++report.events_by_type[EventTypeName(event->envelope)];
    report.end_revision = stored.revision + 1;
    return true;
  }));
  return report;
}

}  // namespace regatta

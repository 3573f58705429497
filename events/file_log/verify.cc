#include "events/file_log/verify.h"

#include <filesystem>

#include "events/codec.h"
#include "events/event_log.h"
#include "events/file_log/record_format.h"
#include "events/file_log/segment.h"

namespace regatta {
namespace {

using filelog::WalkEnd;

// Checks one segment; returns false once a problem is recorded.
Result<bool> VerifySegment(const filelog::SegmentName& name, bool last, VerifyReport* report) {
  auto file = filelog::File::OpenForRead(name.path);
  if (!file.ok()) return file.status();
  auto size = file->Size();
  if (!size.ok()) return size.status();
  std::string header(filelog::kSegmentHeaderSize, '\0');
  Revision base = 0;
  Status status = *size < header.size()
                      ? Status::Corruption("segment header cut short")
                      : file->ReadExactly(0, header.data(), header.size());
  if (status.ok()) status = filelog::DecodeSegmentHeader(header, &base);
  if (status.ok() && base != report->end_revision && report->segments > 0) {
    status = Status::Corruption("segment starts at revision " + std::to_string(base) +
                                ", expected " + std::to_string(report->end_revision));
  }
  if (!status.ok()) {
    report->first_problem = name.path + ": " + status.message();
    return false;
  }
  ++report->segments;
  EventDecoder decoder;
  std::string bad_envelope;
  filelog::WalkOptions walk{filelog::kSegmentHeaderSize, *size, base, last};
  auto result = filelog::WalkSegment(*file, walk, [&](std::uint64_t offset, std::string_view record) {
    ++report->records;
    return filelog::ForEachEvent(record, [&](Revision r, std::string_view bytes) {
      auto event = decoder.Decode(LoggedEvent{r, bytes});
      if (!event.ok()) {
        bad_envelope = "offset " + std::to_string(offset) + ": " + event.status().message();
        return false;
      }
      ++report->events;
      ++report->events_by_type[EventTypeName(event->envelope)];
      return true;
    });
  });
  if (!result.ok()) return result.status();
  report->end_revision = result->next_revision;
  if (!bad_envelope.empty()) {
    report->first_problem = name.path + ": " + bad_envelope;
  } else if (result->end == WalkEnd::kCorrupt) {
    report->first_problem = name.path + ": " + result->problem;
  } else if (result->end == WalkEnd::kTornTail) {
    report->torn_tail_bytes = *size - result->valid_size;
  }
  return report->ok();
}

}  // namespace

Result<VerifyReport> VerifyFileLog(const std::string& dir) {
  if (!std::filesystem::is_directory(dir)) return Status::NotFound("no event log at " + dir);
  auto names = filelog::ListSegments(dir);
  if (!names.ok()) return names.status();
  VerifyReport report;
  if (!names->empty()) report.end_revision = names->front().base;
  for (std::size_t i = 0; i < names->size(); ++i) {
    auto sound = VerifySegment((*names)[i], i + 1 == names->size(), &report);
    if (!sound.ok()) return sound.status();
    if (!*sound) break;
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

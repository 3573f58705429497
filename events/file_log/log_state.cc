#include "events/file_log/log_state.h"

#include "events/file_log/record_format.h"

namespace regatta::filelog {
namespace {

LogState Corrupt(LogState state, const std::string& path, const std::string& why) {
  state.condition = LogCondition::kCorrupt;
  state.problem = path + ": " + why;
  return state;
}

std::string ExpectedStart(Revision expected) {
  return expected == 0 ? "a log's first segment starts at revision 0"
                       : "the segment before it ends at revision " + std::to_string(expected);
}

}  // namespace

const char* LogConditionName(LogCondition condition) {
  switch (condition) {
    case LogCondition::kClean: return "clean";
    case LogCondition::kTorn: return "torn";
    case LogCondition::kCorrupt: return "corrupt";
  }
  return "?";
}

std::string LogState::RepairLine() const {
  if (condition != LogCondition::kTorn) return "";
  if (torn.header_missing) {
    return "wrote the missing header of " + torn.path + " (it had " + std::to_string(torn.bytes) +
           " bytes: " + torn.problem + ")";
  }
  return "cut " + std::to_string(torn.bytes) + " bytes from " + torn.path + " at offset " +
         std::to_string(torn.offset) + " (a write never finished: " + torn.problem + ")";
}

Result<LogState> InspectSegment(FileSystem& fs, const SegmentName& name, Revision expected, bool last,
                                const SegmentRecordVisitor& visit) {
  LogState state;
  state.end = expected;
  if (name.base != expected) {
    return Corrupt(std::move(state), name.path,
                   "named for revision " + std::to_string(name.base) + ", but " + ExpectedStart(expected));
  }
  auto file = File::OpenForRead(fs, name.path);
  if (!file.ok()) return file.status();
  auto size = file->Size();
  if (!size.ok()) return size.status();
  SegmentState segment{name.base, name.path, kSegmentHeaderSize, name.base};

  // A header the writer never finished: only the last segment, and only
  // with nothing after it, since no record goes in before the header is synced.
  auto header_torn = [&](const std::string& why) -> LogState {
    if (!last || *size > kSegmentHeaderSize) return Corrupt(std::move(state), name.path, why);
    state.condition = LogCondition::kTorn;
    state.torn = TornWrite{name.path, 0, *size, true, why};
    state.segments.push_back(segment);
    return state;
  };
  if (*size < kSegmentHeaderSize) {
    return header_torn("segment header cut short (" + std::to_string(*size) + " bytes)");
  }
  std::string header(kSegmentHeaderSize, '\0');
  REGATTA_RETURN_IF_ERROR(file->ReadExactly(0, header.data(), header.size()));
  Revision base = 0;
  if (Status s = DecodeSegmentHeader(header, &base); !s.ok()) return header_torn(s.message());
  if (base != name.base) {
    return Corrupt(std::move(state), name.path,
                   "its header says it starts at revision " + std::to_string(base) + ", its name says " +
                       std::to_string(name.base) + " (a renamed segment?)");
  }

  bool stopped = false;
  WalkOptions walk{kSegmentHeaderSize, *size, base, last};
  auto walked = WalkSegment(*file, walk, [&](std::uint64_t offset, std::string_view record) {
    if (!visit || visit(segment, offset, record)) return true;
    stopped = true;
    return false;
  });
  if (!walked.ok()) return walked.status();
  if (walked->end == WalkEnd::kCorrupt) return Corrupt(std::move(state), name.path, walked->problem);
  segment.good_size = walked->valid_size;
  segment.end = walked->next_revision;
  state.segments.push_back(segment);
  state.end = segment.end;
  state.stopped = stopped;
  if (walked->end == WalkEnd::kTornTail) {
    state.condition = LogCondition::kTorn;
    state.torn = TornWrite{name.path, walked->valid_size, *size - walked->valid_size, false, walked->problem};
  }
  return state;
}

Result<LogState> InspectLog(FileSystem& fs, const std::string& dir, const SegmentRecordVisitor& visit) {
  if (!fs.IsDirectory(dir)) return Status::NotFound("no event log at " + dir);
  auto names = ListSegments(fs, dir);
  if (!names.ok()) return names.status();
  LogState state;
  for (std::size_t i = 0; i < names->size(); ++i) {
    auto one = InspectSegment(fs, (*names)[i], state.end, i + 1 == names->size(), visit);
    if (!one.ok()) return one.status();
    for (SegmentState& s : one->segments) state.segments.push_back(std::move(s));
    state.condition = one->condition;
    state.torn = std::move(one->torn);
    state.problem = std::move(one->problem);
    state.end = one->end;
    if (one->condition == LogCondition::kCorrupt || one->stopped) {
      state.stopped = one->stopped;
      break;
    }
  }
  return state;
}

}  // namespace regatta::filelog

// What state a log directory is in: the one function that decides it, used
// by `regatta log verify`, by readers and by the writer, so that they can
// never disagree about a log.
//
//   clean     every segment sound, each named for the revision it starts
//             at, each starting where the one before it ends (the first at
//             0), and every record whole and checksummed;
//   torn      the same, except that the last segment ends in a write the
//             writer never finished: a record cut short, or a header short,
//             missing or unreadable in a last segment that holds nothing
//             after it. Nothing torn was ever acknowledged (an append is
//             acknowledged only once synced, and a segment's header is
//             synced before any record goes into it), so the writer repairs
//             it: truncates the tail, or writes the header, then syncs the
//             file and the directory, and says so in one line;
//   corrupt   anything else: a bad record with good records after it or in
//             a sealed segment, a segment whose name does not follow the
//             previous one's revisions (an empty "…099999.seg" after a log
//             ending at 24 would leave a gap of 99,975 revisions), a header
//             that names another revision than the file's name (a renamed
//             segment). Nobody reads or writes past it; the problem names
//             the file, the offset and why.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "events/base/status.h"
#include "events/event.h"
#include "events/file_log/fs.h"
#include "events/file_log/segment.h"

namespace regatta::filelog {

enum class LogCondition { kClean, kTorn, kCorrupt };
const char* LogConditionName(LogCondition condition);

struct SegmentState {
  Revision base = 0;
  std::string path;
  std::uint64_t good_size = 0;  // the header and every whole record
  Revision end = 0;             // one past its last event
};

// Where a torn write was, and how much of it there is to cut.
struct TornWrite {
  std::string path;
  std::uint64_t offset = 0;      // the good size: where the next record goes
  std::uint64_t bytes = 0;       // what follows it, to cut
  bool header_missing = false;   // the segment's header must be written
  std::string problem;           // what the torn bytes looked like
};

struct LogState {
  LogCondition condition = LogCondition::kClean;
  std::vector<SegmentState> segments;  // every sound segment; a torn one last, cut to its good part
  TornWrite torn;                      // kTorn only
  std::string problem;                 // kCorrupt only: "<file>: <why>"
  Revision end = 0;                    // one past the last good event
  bool stopped = false;                // the visitor asked to stop

  // "cut 37 bytes from <file> at offset 4120 (record header cut short)" or
  // "wrote the missing header of <file> (it had 0 bytes)": the repair a
  // writer makes, as it logs it.
  std::string RepairLine() const;
};

// Called with each sound record of each segment; return false to stop
// (the state is then as far as it got, condition clean).
using SegmentRecordVisitor =
    std::function<bool(const SegmentState& segment, std::uint64_t offset, std::string_view record)>;

// One segment, given the revision the segments before it end at and
// whether it is the last. I/O errors are the Status; what the bytes say is
// in the result (condition, torn, problem; segments holds this one unless
// corrupt).
Result<LogState> InspectSegment(FileSystem& fs, const SegmentName& name, Revision expected, bool last,
                                const SegmentRecordVisitor& visit = {});

// The whole directory, in order, stopping at the first corruption. NotFound
// when `dir` is not a directory.
Result<LogState> InspectLog(FileSystem& fs, const std::string& dir, const SegmentRecordVisitor& visit = {});

}  // namespace regatta::filelog

// Reading and checking segment files. Used by recovery, by readers, by
// `regatta log verify`, and by every Scan: one walker, so that what open
// accepts is exactly what reads accept.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "events/base/status.h"
#include "events/event.h"
#include "events/file_log/fs.h"

namespace regatta::filelog {

// A file open on a FileSystem, closed on destruction.
class File {
 public:
  File() = default;
  File(FileSystem* fs, int handle) : fs_(fs), handle_(handle) {}
  File(File&& other) noexcept : fs_(other.fs_), handle_(other.handle_) { other.handle_ = -1; }
  File& operator=(File&& other) noexcept;
  ~File();
  bool is_open() const { return handle_ >= 0; }

  static Result<File> Open(FileSystem& fs, const std::string& path, OpenMode mode);
  static Result<File> OpenForRead(FileSystem& fs, const std::string& path) {
    return Open(fs, path, OpenMode::kRead);
  }
  // Reads exactly n bytes at offset, or fails (a short read is an IoError).
  Status ReadExactly(std::uint64_t offset, char* out, std::size_t n) const;
  Status WriteAll(std::uint64_t offset, const char* data, std::size_t n) const {
    return fs_->PWrite(handle_, offset, data, n);
  }
  Status DataSync() const { return fs_->DataSync(handle_); }
  Status Truncate(std::uint64_t size) const { return fs_->Truncate(handle_, size); }
  Result<std::uint64_t> Size() const { return fs_->Size(handle_); }

 private:
  FileSystem* fs_ = nullptr;
  int handle_ = -1;
};

struct SegmentName {
  Revision base = 0;
  std::string path;
};

// "00000000000000000042.seg".
std::string SegmentFileName(Revision base);
// The segments in `dir`, ordered by base revision.
Result<std::vector<SegmentName>> ListSegments(FileSystem& fs, const std::string& dir);

// Why a walk over a segment stopped.
enum class WalkEnd {
  kClean,     // reached the end of the bytes, or the visitor said stop
  kTornTail,  // the segment ends in a record the writer never finished
  kCorrupt,   // a bad record with good records after it, or in a sealed segment
};

struct WalkResult {
  WalkEnd end = WalkEnd::kClean;
  std::uint64_t valid_size = 0;   // just past the last good record
  Revision next_revision = 0;     // the revision after the last good event
  std::string problem;            // "offset 4096 (revision 17): checksum mismatch"
};

// Called with each good record and its file offset; return false to stop.
using RecordVisitor = std::function<bool(std::uint64_t offset, std::string_view record)>;

struct WalkOptions {
  std::uint64_t start_offset = 0;    // a record boundary
  std::uint64_t limit = 0;           // bytes of the file to consider
  Revision expected_revision = 0;    // the first record must start here
  bool last_segment = false;         // only the last segment may be torn
};

// Walks the records of `file` from options.start_offset to options.limit,
// checking each one. I/O failures come back as the Status; a torn tail or
// corruption comes back in the WalkResult.
Result<WalkResult> WalkSegment(const File& file, const WalkOptions& options,
                               const RecordVisitor& visit);

}  // namespace regatta::filelog

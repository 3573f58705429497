#include "events/file_log/segment.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "events/file_log/record_format.h"

namespace regatta::filelog {

File& File::operator=(File&& other) noexcept {
  if (this != &other) {
    if (handle_ >= 0) fs_->Close(handle_);
    fs_ = other.fs_;
    handle_ = other.handle_;
    other.handle_ = -1;
  }
  return *this;
}

File::~File() {
  if (handle_ >= 0) fs_->Close(handle_);
}

Result<File> File::Open(FileSystem& fs, const std::string& path, OpenMode mode) {
  auto handle = fs.Open(path, mode);
  if (!handle.ok()) return handle.status();
  return File(&fs, *handle);
}

Status File::ReadExactly(std::uint64_t offset, char* out, std::size_t n) const {
  auto got = fs_->PRead(handle_, offset, out, n);
  if (!got.ok()) return got.status();
  if (*got != n) return Status::IoError("pread: unexpected end of file");
  return Status::Ok();
}

std::string SegmentFileName(Revision base) {
  char name[32];
  std::snprintf(name, sizeof name, "%020llu.seg", static_cast<unsigned long long>(base));
  return name;
}

Result<std::vector<SegmentName>> ListSegments(FileSystem& fs, const std::string& dir) {
  auto names = fs.List(dir);
  if (!names.ok()) return names.status();
  std::vector<SegmentName> segments;
  for (const std::string& name : *names) {
    if (name.size() != 24 || name.substr(20) != ".seg") continue;
    if (name.find_first_not_of("0123456789") != 20) continue;
    Revision base = 0;
    const auto parsed = std::from_chars(name.data(), name.data() + 20, base);
    if (parsed.ec != std::errc()) {
      return Status::Corruption(dir + "/" + name + ": its name is beyond the largest revision");
    }
    segments.push_back({base, dir + "/" + name});
  }
  std::sort(segments.begin(), segments.end(),
            [](const SegmentName& a, const SegmentName& b) { return a.base < b.base; });
  return segments;
}

namespace {

// Reads a file forward through an 8-byte-aligned buffer, so envelopes in it
// decode without copies.
class RecordReader {
 public:
  RecordReader(const File& file, std::uint64_t limit) : file_(file), limit_(limit) {}

  // Makes [offset, offset + n) available and returns a view of it.
  Result<std::string_view> View(std::uint64_t offset, std::size_t n) {
    if (offset < start_ || offset + n > start_ + filled_) {
      const std::size_t want = std::max<std::size_t>(n, kChunk);
      const std::size_t size = static_cast<std::size_t>(
          std::min<std::uint64_t>(want, limit_ - offset));
      if (buffer_.size() * 8 < size) buffer_.resize((size + 7) / 8);
      REGATTA_RETURN_IF_ERROR(file_.ReadExactly(offset, data(), size));
      start_ = offset;
      filled_ = size;
    }
    return std::string_view(data() + (offset - start_), n);
  }

 private:
  static constexpr std::size_t kChunk = 1 << 20;
  char* data() { return reinterpret_cast<char*>(buffer_.data()); }

  const File& file_;
  std::uint64_t limit_;
  std::vector<std::uint64_t> buffer_;
  std::uint64_t start_ = 0;
  std::size_t filled_ = 0;
};

std::string Where(std::uint64_t offset, Revision revision) {
  return "offset " + std::to_string(offset) + " (revision " + std::to_string(revision) + ")";
}

// True when a checksummed record starts anywhere in (offset, limit). A torn
// tail has nothing valid after it; a damaged record in the middle does.
bool AnyGoodRecordAfter(RecordReader& reader, std::uint64_t offset, std::uint64_t limit,
                        Revision expected) {
  for (std::uint64_t at = offset + 8; at + kRecordHeaderSize <= limit; at += 8) {
    auto header_bytes = reader.View(at, kRecordHeaderSize);
    if (!header_bytes.ok()) return false;
    const RecordHeader h = DecodeRecordHeader(header_bytes->data());
    if (h.type != kBatchRecord || h.payload_size % 8 != 0 || h.count == 0 ||
        h.first_revision < expected || at + kRecordHeaderSize + h.payload_size > limit) {
      continue;
    }
    auto record = reader.View(at, kRecordHeaderSize + h.payload_size);
    if (record.ok() && CheckRecord(*record).ok()) return true;
  }
  return false;
}

}  // namespace

Result<WalkResult> WalkSegment(const File& file, const WalkOptions& options,
                               const RecordVisitor& visit) {
  RecordReader reader(file, options.limit);
  WalkResult result;
  result.valid_size = options.start_offset;
  result.next_revision = options.expected_revision;
  std::uint64_t offset = options.start_offset;

  auto fail = [&](const std::string& what) -> Result<WalkResult> {
    const bool torn = options.last_segment &&
                      !AnyGoodRecordAfter(reader, offset, options.limit, result.next_revision);
    result.end = torn ? WalkEnd::kTornTail : WalkEnd::kCorrupt;
    result.problem = Where(offset, result.next_revision) + ": " + what;
    return result;
  };

  while (offset < options.limit) {
    if (options.limit - offset < kRecordHeaderSize) {
      return fail("record header cut short");
    }
    auto header_bytes = reader.View(offset, kRecordHeaderSize);
    if (!header_bytes.ok()) return header_bytes.status();
    const RecordHeader header = DecodeRecordHeader(header_bytes->data());
    if (header.payload_size > kMaxPayloadBytes || header.payload_size % 8 != 0 ||
        options.limit - offset - kRecordHeaderSize < header.payload_size) {
      return fail("record length " + std::to_string(header.payload_size) +
                  " runs past the end of the segment");
    }
    auto record = reader.View(offset, kRecordHeaderSize + header.payload_size);
    if (!record.ok()) return record.status();
    if (Status check = CheckRecord(*record); !check.ok()) return fail(check.message());
    if (header.first_revision != result.next_revision || header.count == 0) {
      result.end = WalkEnd::kCorrupt;
      result.problem = Where(offset, result.next_revision) + ": record claims revision " +
                       std::to_string(header.first_revision) + " with " +
                       std::to_string(header.count) + " events";
      return result;
    }
    const bool more = visit(offset, *record);
    offset += kRecordHeaderSize + header.payload_size;
    result.valid_size = offset;
    result.next_revision = header.first_revision + header.count;
    if (!more) break;
  }
  return result;
}

}  // namespace regatta::filelog

#include "events/file_log/file_log.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <thread>

#include "events/file_log/record_format.h"

namespace regatta {

using filelog::File;
using filelog::WalkEnd;
using filelog::WalkOptions;

namespace {

constexpr std::uint64_t kIndexEvery = 4096;  // bytes of log between index entries

Status WriteAll(int fd, const char* data, std::size_t n, std::uint64_t offset) {
  while (n > 0) {
    const ssize_t put = ::pwrite(fd, data, n, static_cast<off_t>(offset));
    if (put < 0) {
      if (errno == EINTR) continue;
      return Status::FromErrno("pwrite", errno);
    }
    data += put;
    n -= static_cast<std::size_t>(put);
    offset += static_cast<std::uint64_t>(put);
  }
  return Status::Ok();
}

Status SyncDirectory(const std::string& dir) {
  File d(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!d.is_open()) return Status::FromErrno("open(" + dir + ")", errno);
  if (::fsync(d.fd()) != 0) return Status::FromErrno("fsync(" + dir + ")", errno);
  return Status::Ok();
}

Status CheckBatch(std::span<const EncodedEvent> batch) {
  if (batch.empty()) return Status::InvalidArgument("append: empty batch");
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const auto size = batch[i].bytes.size();
    if (size == 0 || size % 8 != 0) {
      return Status::InvalidArgument("append: event " + std::to_string(i) +
                                     " is not a flat Cap'n Proto message");
    }
  }
  if (filelog::BatchPayloadSize(batch) > filelog::kMaxPayloadBytes) {
    return Status::InvalidArgument("append: batch exceeds " +
                                   std::to_string(filelog::kMaxPayloadBytes) + " bytes");
  }
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<FileEventLog>> FileEventLog::Open(const std::string& dir, LogMode mode,
                                                         FileLogOptions options) {
  std::error_code ec;
  const bool exists = std::filesystem::is_directory(dir, ec);
  if (!exists) {
    if (mode == LogMode::kReader || !options.create_if_missing) {
      return Status::NotFound("no event log at " + dir);
    }
    std::filesystem::create_directories(dir, ec);
    if (ec) return Status::IoError("create " + dir + ": " + ec.message());
  }
  std::unique_ptr<FileEventLog> log(new FileEventLog(dir, mode, options));
  if (mode == LogMode::kWriter) REGATTA_RETURN_IF_ERROR(log->AcquireWriterLock());
  REGATTA_RETURN_IF_ERROR(log->Recover());
  if (mode == LogMode::kWriter) REGATTA_RETURN_IF_ERROR(log->OpenActiveSegmentForAppend());
  return log;
}

FileEventLog::~FileEventLog() = default;

Status FileEventLog::AcquireWriterLock() {
  const std::string path = dir_ + "/LOCK";
  lock_file_ = File(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
  if (!lock_file_.is_open()) return Status::FromErrno("open(" + path + ")", errno);
  if (::flock(lock_file_.fd(), LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK) return Status::FromErrno("flock(" + path + ")", errno);
    char pid[32] = {};
    const ssize_t n = ::pread(lock_file_.fd(), pid, sizeof pid - 1, 0);
    return Status::Conflict("event log " + dir_ + " is already open for writing" +
                            (n > 0 ? " by pid " + std::string(pid, static_cast<std::size_t>(n)) : ""));
  }
  const std::string me = std::to_string(::getpid());
  if (::ftruncate(lock_file_.fd(), 0) != 0) return Status::FromErrno("ftruncate(LOCK)", errno);
  return WriteAll(lock_file_.fd(), me.data(), me.size(), 0);
}

Status FileEventLog::Recover() {
  auto names = filelog::ListSegments(dir_);
  if (!names.ok()) return names.status();
  Revision expected = names->empty() ? 0 : names->front().base;
  for (std::size_t i = 0; i < names->size(); ++i) {
    const bool last = i + 1 == names->size();
    REGATTA_RETURN_IF_ERROR(LoadSegment((*names)[i], last, expected));
    expected = segments_.back().end;
  }
  return Status::Ok();
}

Status FileEventLog::LoadSegment(const filelog::SegmentName& name, bool last, Revision expected) {
  auto file = File::OpenForRead(name.path);
  if (!file.ok()) return file.status();
  auto size = file->Size();
  if (!size.ok()) return size.status();
  Segment segment{name.base, name.path, filelog::kSegmentHeaderSize, name.base, {}};
  if (*size < filelog::kSegmentHeaderSize && last) {
    // The writer died while creating this segment: nothing in it was acknowledged.
    recovery_.torn_bytes_truncated = *size;
    recovery_.torn_problem = name.path + ": segment header cut short";
    segments_.push_back(std::move(segment));
    return Status::Ok();
  }
  std::string header(filelog::kSegmentHeaderSize, '\0');
  Revision base = 0;
  Status read = file->ReadExactly(0, header.data(), header.size());
  if (!read.ok()) return Status::Corruption(name.path + ": " + read.message());
  if (Status s = filelog::DecodeSegmentHeader(header, &base); !s.ok()) {
    return Status::Corruption(name.path + ": " + s.message());
  }
  if (base != name.base || base != expected) {
    return Status::Corruption(name.path + ": segment starts at revision " + std::to_string(base) +
                              ", expected " + std::to_string(expected));
  }
  WalkOptions walk{filelog::kSegmentHeaderSize, *size, base, last};
  auto result = filelog::WalkSegment(*file, walk, [&](std::uint64_t offset, std::string_view record) {
    IndexRecord(segment, offset, filelog::DecodeRecordHeader(record.data()).first_revision);
    return true;
  });
  if (!result.ok()) return result.status();
  if (result->end == WalkEnd::kCorrupt) {
    return Status::Corruption(name.path + ": " + result->problem);
  }
  if (result->end == WalkEnd::kTornTail) {
    recovery_.torn_bytes_truncated = *size - result->valid_size;
    recovery_.torn_problem = name.path + ": " + result->problem;
  }
  segment.size = result->valid_size;
  segment.end = result->next_revision;
  segments_.push_back(std::move(segment));
  return Status::Ok();
}

void FileEventLog::IndexRecord(Segment& segment, std::uint64_t offset, Revision first) {
  if (segment.index.empty() || offset - segment.index.back().offset >= kIndexEvery) {
    segment.index.push_back({first, offset});
  }
}

Status FileEventLog::OpenActiveSegmentForAppend() {
  if (segments_.empty()) return StartSegment(0);
  Segment& last = segments_.back();
  active_ = File(::open(last.path.c_str(), O_WRONLY | O_CLOEXEC));
  if (!active_.is_open()) return Status::FromErrno("open(" + last.path + ")", errno);
  if (recovery_.torn_bytes_truncated == 0) return Status::Ok();
  // Cut the torn tail so the next record follows the last good one.
  if (::ftruncate(active_.fd(), static_cast<off_t>(last.size)) != 0) {
    return Status::FromErrno("ftruncate(" + last.path + ")", errno);
  }
  if (last.size == filelog::kSegmentHeaderSize) {
    const std::string header = filelog::EncodeSegmentHeader(last.base);
    REGATTA_RETURN_IF_ERROR(WriteAll(active_.fd(), header.data(), header.size(), 0));
  }
  if (::fdatasync(active_.fd()) != 0) return Status::FromErrno("fdatasync", errno);
  return Status::Ok();
}

Status FileEventLog::StartSegment(Revision base) {
  const std::string path = dir_ + "/" + filelog::SegmentFileName(base);
  File file(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
  if (!file.is_open()) return Status::FromErrno("create(" + path + ")", errno);
  const std::string header = filelog::EncodeSegmentHeader(base);
  REGATTA_RETURN_IF_ERROR(WriteAll(file.fd(), header.data(), header.size(), 0));
  if (::fdatasync(file.fd()) != 0) return Status::FromErrno("fdatasync(" + path + ")", errno);
  REGATTA_RETURN_IF_ERROR(SyncDirectory(dir_));
  active_ = std::move(file);
  std::lock_guard lock(mu_);
  segments_.push_back(Segment{base, path, filelog::kSegmentHeaderSize, base, {}});
  return Status::Ok();
}

Result<std::vector<Revision>> FileEventLog::Append(std::span<const EncodedEvent> batch) {
  if (mode_ != LogMode::kWriter) {
    return Status::FailedPrecondition("event log " + dir_ + " is open read-only");
  }
  REGATTA_RETURN_IF_ERROR(CheckBatch(batch));
  return commits_.Submit(batch, [this](std::vector<GroupCommitQueue::Pending*>& group) {
    return WriteGroup(group);
  });
}

// Runs without mu_ held: only the group leader gets here, one at a time.
Status FileEventLog::WriteGroup(std::vector<GroupCommitQueue::Pending*>& group) {
  Revision next;
  std::uint64_t offset;
  bool roll;
  {
    std::lock_guard lock(mu_);
    if (!broken_.ok()) return broken_;
    next = segments_.back().end;
    offset = segments_.back().size;
    roll = offset >= options_.segment_bytes;
  }
  if (roll) {
    Status started = StartSegment(next);
    if (!started.ok()) {
      std::lock_guard lock(mu_);
      return broken_ = started;
    }
    offset = filelog::kSegmentHeaderSize;
  }
  std::string buffer;
  std::vector<IndexEntry> records;
  for (GroupCommitQueue::Pending* p : group) {
    records.push_back({next, offset + buffer.size()});
    filelog::AppendBatchRecord(next, p->batch, &buffer);
    for (std::size_t i = 0; i < p->batch.size(); ++i) p->revisions.push_back(next++);
  }
  Status status = WriteAll(active_.fd(), buffer.data(), buffer.size(), offset);
  if (status.ok() && options_.durability == Durability::kSyncEachAppend &&
      ::fdatasync(active_.fd()) != 0) {
    status = Status::FromErrno("fdatasync", errno);
  }
  std::lock_guard lock(mu_);
  // After a failed write or sync the file's state is unknown: stop appending
  // until a reopen runs recovery (the lesson of "fsyncgate").
  if (!status.ok()) return broken_ = status;
  Segment& segment = segments_.back();
  for (const IndexEntry& r : records) IndexRecord(segment, r.offset, r.first);
  segment.size = offset + buffer.size();
  segment.end = next;
  appended_.notify_all();
  return Status::Ok();
}

Status FileEventLog::Refresh() {
  if (mode_ != LogMode::kReader) return Status::Ok();
  std::lock_guard lock(mu_);
  if (segments_.empty()) return Recover();
  Segment& last = segments_.back();
  auto file = File::OpenForRead(last.path);
  if (!file.ok()) return file.status();
  auto size = file->Size();
  if (!size.ok()) return size.status();
  if (*size > last.size) {
    WalkOptions walk{last.size, *size, last.end, true};
    auto result = filelog::WalkSegment(*file, walk, [&](std::uint64_t offset, std::string_view record) {
      IndexRecord(last, offset, filelog::DecodeRecordHeader(record.data()).first_revision);
      return true;
    });
    if (!result.ok()) return result.status();
    if (result->end == WalkEnd::kCorrupt) return Status::Corruption(last.path + ": " + result->problem);
    last.size = result->valid_size;  // a torn tail here is a write in progress
    last.end = result->next_revision;
  }
  auto names = filelog::ListSegments(dir_);
  if (!names.ok()) return names.status();
  for (const auto& name : *names) {
    if (name.base < segments_.back().end || name.base == segments_.back().base) continue;
    REGATTA_RETURN_IF_ERROR(LoadSegment(name, true, segments_.back().end));
  }
  return Status::Ok();
}

Status FileEventLog::Scan(Revision from, Revision to, const EventVisitor& visit) {
  REGATTA_RETURN_IF_ERROR(Refresh());
  while (from < to) {
    WalkOptions walk;
    std::string path;
    {
      std::lock_guard lock(mu_);
      auto it = std::upper_bound(segments_.begin(), segments_.end(), from,
                                 [](Revision r, const Segment& s) { return r < s.end; });
      if (it == segments_.end()) return Status::Ok();
      auto entry = std::upper_bound(it->index.begin(), it->index.end(), from,
                                    [](Revision r, const IndexEntry& e) { return r < e.first; });
      if (entry == it->index.begin()) {
        walk = {filelog::kSegmentHeaderSize, it->size, it->base, false};
      } else {
        --entry;
        walk = {entry->offset, it->size, entry->first, false};
      }
      path = it->path;
      from = std::max(from, it->base);
    }
    auto file = File::OpenForRead(path);
    if (!file.ok()) return file.status();
    bool stopped = false;
    Revision segment_end = walk.expected_revision;
    auto result = filelog::WalkSegment(*file, walk, [&](std::uint64_t, std::string_view record) {
      const bool more = filelog::ForEachEvent(record, [&](Revision r, std::string_view bytes) {
        if (r < from) return true;
        if (r >= to || !visit(LoggedEvent{r, bytes})) return stopped = true, false;
        return true;
      });
      return more;
    });
    if (!result.ok()) return result.status();
    if (result->end != WalkEnd::kClean) return Status::Corruption(path + ": " + result->problem);
    if (stopped) return Status::Ok();
    segment_end = result->next_revision;
    from = segment_end;
  }
  return Status::Ok();
}

Result<Revision> FileEventLog::EndRevision() {
  REGATTA_RETURN_IF_ERROR(Refresh());
  std::lock_guard lock(mu_);
  return segments_.empty() ? Revision{0} : segments_.back().end;
}

Status FileEventLog::WaitForAppend(Revision seen, std::chrono::milliseconds timeout) {
  if (mode_ == LogMode::kWriter) {
    std::unique_lock lock(mu_);
    appended_.wait_for(lock, timeout, [&] { return segments_.back().end > seen; });
    return Status::Ok();
  }
  // Readers live in other processes than the writer: poll the files.
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto end = EndRevision();
    if (!end.ok()) return end.status();
    if (*end > seen || std::chrono::steady_clock::now() >= deadline) return Status::Ok();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

}  // namespace regatta

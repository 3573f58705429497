#include "events/file_log/file_log.h"

#include <algorithm>
#include <map>
#include <thread>

#include "events/file_log/record_format.h"

namespace regatta {

using filelog::File;
using filelog::WalkEnd;
using filelog::WalkOptions;

namespace {

constexpr std::uint64_t kIndexEvery = 4096;  // bytes of log between index entries

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
  std::unique_ptr<FileEventLog> log(new FileEventLog(dir, mode, options));
  if (!log->fs_.IsDirectory(dir)) {
    if (mode == LogMode::kReader || !options.create_if_missing) {
      return Status::NotFound("no event log at " + dir);
    }
    REGATTA_RETURN_IF_ERROR(log->fs_.CreateDirectories(dir));
  }
  if (mode == LogMode::kWriter) REGATTA_RETURN_IF_ERROR(log->AcquireWriterLock());
  REGATTA_RETURN_IF_ERROR(log->Recover());
  if (mode == LogMode::kWriter) REGATTA_RETURN_IF_ERROR(log->OpenActiveSegmentForAppend());
  return log;
}

FileEventLog::~FileEventLog() = default;

Status FileEventLog::AcquireWriterLock() {
  const std::string path = dir_ + "/LOCK";
  auto handle = fs_.Lock(path);
  if (!handle.ok()) {
    if (handle.status().code() != StatusCode::kConflict) return handle.status();
    return Status::Conflict("event log " + dir_ + " is already open for writing (" + handle.status().message() + ")");
  }
  lock_file_ = File(&fs_, *handle);
  return Status::Ok();
}

Status FileEventLog::Recover() {
  std::map<Revision, Segment> indexed;  // by base: each segment's index, as its records go by
  auto state = filelog::InspectLog(fs_, dir_, [&](const filelog::SegmentState& segment, std::uint64_t offset,
                                                  std::string_view record) {
    IndexRecord(indexed[segment.base], offset, filelog::DecodeRecordHeader(record.data()).first_revision);
    return true;
  });
  if (!state.ok()) return state.status();
  if (state->condition == filelog::LogCondition::kCorrupt) return Status::Corruption(state->problem);
  Adopt(*state, indexed);
  if (state->condition == filelog::LogCondition::kTorn) {
    torn_ = state->torn;
    recovery_.torn_bytes_truncated = state->torn.bytes;
    recovery_.torn_problem = state->torn.path + ": " + state->torn.problem;
    if (mode_ == LogMode::kWriter) recovery_.repair = state->RepairLine();
  }
  return Status::Ok();
}

void FileEventLog::Adopt(const filelog::LogState& state, std::map<Revision, Segment>& indexed) {
  for (const filelog::SegmentState& s : state.segments) {
    segments_.push_back(Segment{s.base, s.path, s.good_size, s.end, std::move(indexed[s.base].index)});
  }
}

void FileEventLog::IndexRecord(Segment& segment, std::uint64_t offset, Revision first) {
  if (segment.index.empty() || offset - segment.index.back().offset >= kIndexEvery) {
    segment.index.push_back({first, offset});
  }
}

Status FileEventLog::OpenActiveSegmentForAppend() {
  if (segments_.empty()) return StartSegment(0);
  auto file = File::Open(fs_, segments_.back().path, filelog::OpenMode::kWrite);
  if (!file.ok()) return file.status();
  active_ = std::move(*file);
  if (!torn_.path.empty()) REGATTA_RETURN_IF_ERROR(RepairTornTail(torn_));
  return Status::Ok();
}

// Cuts the torn tail so the next record follows the last good one, or
// writes the header a segment never got; then syncs the file and the
// directory, so the repair itself survives a crash.
Status FileEventLog::RepairTornTail(const filelog::TornWrite& torn) {
  REGATTA_RETURN_IF_ERROR(active_.Truncate(torn.header_missing ? 0 : torn.offset));
  if (torn.header_missing) {
    const std::string header = filelog::EncodeSegmentHeader(segments_.back().base);
    REGATTA_RETURN_IF_ERROR(active_.WriteAll(0, header.data(), header.size()));
  }
  REGATTA_RETURN_IF_ERROR(active_.DataSync());
  return fs_.SyncDirectory(dir_);
}

Status FileEventLog::StartSegment(Revision base) {
  const std::string path = dir_ + "/" + filelog::SegmentFileName(base);
  auto file = File::Open(fs_, path, filelog::OpenMode::kCreateExclusive);
  if (!file.ok()) return file.status();
  const std::string header = filelog::EncodeSegmentHeader(base);
  REGATTA_RETURN_IF_ERROR(file->WriteAll(0, header.data(), header.size()));
  REGATTA_RETURN_IF_ERROR(file->DataSync());
  REGATTA_RETURN_IF_ERROR(fs_.SyncDirectory(dir_));
  active_ = std::move(*file);
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
  Status status = active_.WriteAll(offset, buffer.data(), buffer.size());
  if (status.ok() && options_.durability == Durability::kSyncEachAppend) status = active_.DataSync();
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
  auto file = File::OpenForRead(fs_, last.path);
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
  auto names = filelog::ListSegments(fs_, dir_);
  if (!names.ok()) return names.status();
  for (const auto& name : *names) {
    if (name.base <= segments_.back().base) continue;
    // A segment the writer started since: judged as InspectLog judges one.
    Segment added{name.base, name.path, 0, name.base, {}};
    auto state = filelog::InspectSegment(
        fs_, name, segments_.back().end, true,
        [&](const filelog::SegmentState&, std::uint64_t offset, std::string_view record) {
          IndexRecord(added, offset, filelog::DecodeRecordHeader(record.data()).first_revision);
          return true;
        });
    if (!state.ok()) return state.status();
    if (state->condition == filelog::LogCondition::kCorrupt) return Status::Corruption(state->problem);
    added.size = state->segments.back().good_size;
    added.end = state->segments.back().end;
    segments_.push_back(std::move(added));
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
    auto file = File::OpenForRead(fs_, path);
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

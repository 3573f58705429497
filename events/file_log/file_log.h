// FileEventLog: the embedded, durable log of a single-machine cluster.
//
// Format: record_format.h. Durability: every Append returns only after its
// record is written and fdatasync'd (under the default policy). Appends that
// arrive while a sync is in flight queue up and share the next one (group
// commit), so throughput grows with concurrency rather than dying on fsync.
//
// Opening walks every record of every segment and checks its checksum, so a
// damaged log is refused at open with the first bad offset named, never read
// past silently. A record the writer did not finish at the very end of the
// last segment (it died mid-write) is a torn tail: the writer truncates it,
// a reader stops before it. The walk also builds each segment's index
// (revision -> offset, one entry per 4 KiB), which Scan uses to seek.
//
// One writer per directory, enforced with flock(2) on DIR/LOCK; the kernel
// drops the lock when the writer dies, even by kill -9. Readers take no lock
// and see new records as they become complete.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "events/event_log.h"
#include "events/file_log/segment.h"
#include "events/group_commit.h"

namespace regatta {

enum class Durability {
  kSyncEachAppend,  // the default: acknowledged means on disk
  kNoSync,          // for benchmarks and tests that measure the rest
};

struct FileLogOptions {
  Durability durability = Durability::kSyncEachAppend;
  std::uint64_t segment_bytes = 64u << 20;  // roll to a new segment past this
  bool create_if_missing = true;            // writers only
};

// What recovery found, for logs and operators.
struct RecoveryReport {
  std::uint64_t torn_bytes_truncated = 0;
  std::string torn_problem;  // what the torn record looked like
};

class FileEventLog final : public EventLog {
 public:
  // Writer: Conflict when another writer holds the directory; Corruption
  // when a record before the tail is damaged. Reader: NotFound when there is
  // no log at `dir`.
  static Result<std::unique_ptr<FileEventLog>> Open(const std::string& dir, LogMode mode,
                                                    FileLogOptions options = {});
  ~FileEventLog() override;

  Result<std::vector<Revision>> Append(std::span<const EncodedEvent> batch) override;
  Status Scan(Revision from, Revision to, const EventVisitor& visit) override;
  Result<Revision> EndRevision() override;
  Status WaitForAppend(Revision seen, std::chrono::milliseconds timeout) override;
  std::string Describe() const override { return "file:" + dir_; }

  const RecoveryReport& recovery() const { return recovery_; }

 private:
  struct IndexEntry {
    Revision first = 0;
    std::uint64_t offset = 0;
  };
  struct Segment {
    Revision base = 0;
    std::string path;
    std::uint64_t size = 0;  // bytes of good records, header included
    Revision end = 0;        // one past the last event
    std::vector<IndexEntry> index;
  };
  FileEventLog(std::string dir, LogMode mode, FileLogOptions options)
      : dir_(std::move(dir)), mode_(mode), options_(options) {}

  Status AcquireWriterLock();
  Status Recover();
  Status LoadSegment(const filelog::SegmentName& name, bool last, Revision expected);
  Status Refresh();  // readers: pick up records and segments written since
  Status OpenActiveSegmentForAppend();
  Status StartSegment(Revision base);
  Status WriteGroup(std::vector<GroupCommitQueue::Pending*>& group);
  void IndexRecord(Segment& segment, std::uint64_t offset, Revision first);

  const std::string dir_;
  const LogMode mode_;
  const FileLogOptions options_;
  RecoveryReport recovery_;
  filelog::File lock_file_;
  filelog::File active_;  // writers: the last segment, open for writing

  GroupCommitQueue commits_{16u << 20};

  std::mutex mu_;  // guards everything below
  std::condition_variable appended_;
  std::vector<Segment> segments_;
  Status broken_;  // sticky: set when a write or sync fails
};

}  // namespace regatta

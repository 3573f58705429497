// FileEventLog: the embedded, durable log of a single-machine cluster.
//
// Format: record_format.h. Durability: every Append returns only after its
// record is written and fdatasync'd (under the default policy). Appends that
// arrive while a sync is in flight queue up and share the next one (group
// commit), so throughput grows with concurrency rather than dying on fsync.
//
// Opening decides the directory's state (log_state.h, the same function
// `regatta log verify` uses): every record of every segment checked, each
// segment's name and header against the revisions before it. A damaged log
// is refused at open with the file, offset and reason named, never read past
// silently. A write the writer did not finish at the very end of the last
// segment (it died mid-write) is a torn tail: the writer repairs it (cuts
// it, or writes a missing segment header, then syncs the file and the
// directory) and says so (RecoveryNote); a reader stops before it. The walk
// also builds each segment's index (revision -> offset, one entry per 4 KiB),
// which Scan uses to seek.
//
// Every file operation goes through a FileSystem (fs.h): the operating
// system's unless the options name another (a test's).
//
// One writer per directory, enforced with flock(2) on DIR/LOCK; the kernel
// drops the lock when the writer dies, even by kill -9. Readers take no lock
// and see new records as they become complete.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "events/event_log.h"
#include "events/file_log/log_state.h"
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
  filelog::FileSystem* fs = nullptr;        // null: RealFileSystem()
};

// What recovery found, for logs and operators.
struct RecoveryReport {
  std::uint64_t torn_bytes_truncated = 0;
  std::string torn_problem;  // what the torn record looked like
  std::string repair;        // writers: the repair made, as one line; empty if none
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
  std::string RecoveryNote() const override { return recovery_.repair; }

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
      : dir_(std::move(dir)), mode_(mode), options_(options),
        fs_(options.fs != nullptr ? *options.fs : filelog::RealFileSystem()) {}

  Status AcquireWriterLock();
  Status Recover();
  // Adds the sound segments of `state`, with the indexes built in `indexed`.
  void Adopt(const filelog::LogState& state, std::map<Revision, Segment>& indexed);
  Status Refresh();  // readers: pick up records and segments written since
  Status OpenActiveSegmentForAppend();
  Status RepairTornTail(const filelog::TornWrite& torn);
  Status StartSegment(Revision base);
  Status WriteGroup(std::vector<GroupCommitQueue::Pending*>& group);
  void IndexRecord(Segment& segment, std::uint64_t offset, Revision first);

  const std::string dir_;
  const LogMode mode_;
  const FileLogOptions options_;
  filelog::FileSystem& fs_;
  filelog::TornWrite torn_;  // what Recover found torn, for the writer to repair
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

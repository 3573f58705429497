// Crash points explored, not sampled (in the style of ALICE, OSDI 2014, and
// LevelDB's fault-injection test). A scripted workload runs the file log and
// the snapshot store on a file system that records every call: appends
// across several segment rolls, a snapshot, a restart, more appends. Then,
// for every prefix of the recorded calls, it builds each directory a crash
// at that point could have left:
//   - the writer killed (everything written survives: the page cache);
//   - the same, with the last write torn in half;
//   - a power cut: only what was synced survives (a file's synced data,
//     under the names its directory synced);
//   - a power cut after which the disk had written some, in order, of the
//     last-touched file's writes since its sync.
// In each it checks that the log opens for writing, that every append
// acknowledged before the crash point is there with its bytes, that
// revisions run from 0 with no gap and hold nothing never appended, that
// one more append works, that verify is then clean, and that replay from
// the snapshots equals replay from the log alone.
#include <gtest/gtest.h>

#include <iostream>
#include <map>
#include <variant>

#include "events/file_log/file_log.h"
#include "events/file_log/log_state.h"
#include "events/file_log/memory_fs.h"
#include "events/file_log/verify.h"
#include "events/snapshot_store.h"
#include "projections/replay.h"
#include "tests/support/sample_events.h"

namespace regatta {
namespace {

using filelog::FileSystem;
using filelog::MemoryFileSystem;
using filelog::OpenMode;

// One mutating call, by path, so it can be replayed on another file system.
struct Call {
  enum Kind { kCreate, kWrite, kSync, kTruncate, kRename, kUnlink, kSyncDir, kMkdirs, kLock };
  Call(Kind k, std::string p, std::string t = "", std::uint64_t o = 0, std::string b = "")
      : kind(k), path(std::move(p)), to(std::move(t)), offset(o), bytes(std::move(b)) {}
  Kind kind;
  std::string path;
  std::string to;            // kRename
  std::uint64_t offset = 0;  // kWrite; kTruncate: the size
  std::string bytes;         // kWrite
};

// Forwards to a MemoryFileSystem and records every call that changes it.
class RecordingFileSystem final : public FileSystem {
 public:
  Result<int> Open(const std::string& path, OpenMode mode) override {
    auto handle = fs_.Open(path, mode);
    if (!handle.ok()) return handle;
    if (mode == OpenMode::kCreateExclusive || mode == OpenMode::kCreateOrOpen) calls_.push_back({Call::kCreate, path});
    paths_[*handle] = path;
    return handle;
  }
  void Close(int handle) override {
    paths_.erase(handle);
    fs_.Close(handle);
  }
  Result<std::size_t> PRead(int handle, std::uint64_t offset, char* out, std::size_t n) override {
    return fs_.PRead(handle, offset, out, n);
  }
  Status PWrite(int handle, std::uint64_t offset, const char* data, std::size_t n) override {
    calls_.push_back({Call::kWrite, paths_[handle], "", offset, std::string(data, n)});
    return fs_.PWrite(handle, offset, data, n);
  }
  Status DataSync(int handle) override {
    calls_.push_back({Call::kSync, paths_[handle]});
    return fs_.DataSync(handle);
  }
  Status Truncate(int handle, std::uint64_t size) override {
    calls_.push_back({Call::kTruncate, paths_[handle], "", size});
    return fs_.Truncate(handle, size);
  }
  Result<std::uint64_t> Size(int handle) override { return fs_.Size(handle); }
  Result<std::vector<std::string>> List(const std::string& dir) override { return fs_.List(dir); }
  bool IsDirectory(const std::string& path) override { return fs_.IsDirectory(path); }
  Status CreateDirectories(const std::string& dir) override {
    calls_.push_back({Call::kMkdirs, dir});
    return fs_.CreateDirectories(dir);
  }
  Status Rename(const std::string& from, const std::string& to) override {
    calls_.push_back({Call::kRename, from, to});
    return fs_.Rename(from, to);
  }
  Status Unlink(const std::string& path) override {
    calls_.push_back({Call::kUnlink, path});
    return fs_.Unlink(path);
  }
  Status SyncDirectory(const std::string& dir) override {
    calls_.push_back({Call::kSyncDir, dir});
    return fs_.SyncDirectory(dir);
  }
  Result<int> Lock(const std::string& path) override {
    auto handle = fs_.Lock(path);
    if (handle.ok()) {
      calls_.push_back({Call::kLock, path});
      paths_[*handle] = path;
    }
    return handle;
  }

  const std::vector<Call>& calls() const { return calls_; }

 private:
  MemoryFileSystem fs_;
  std::vector<Call> calls_;
  std::map<int, std::string> paths_;
};

// The file system after the first `n` calls; the last one's write cut to
// half its bytes when `tear_last`.
std::unique_ptr<MemoryFileSystem> Replay(const std::vector<Call>& calls, std::size_t n, bool tear_last) {
  auto fs = std::make_unique<MemoryFileSystem>();
  auto with_file = [&](const std::string& path, auto&& use) {
    auto handle = fs->Open(path, OpenMode::kWrite);
    EXPECT_TRUE(handle.ok()) << handle.status().ToString();
    use(*handle);
    fs->Close(*handle);
  };
  for (std::size_t i = 0; i < n; ++i) {
    const Call& c = calls[i];
    switch (c.kind) {
      case Call::kCreate: {
        auto handle = fs->Open(c.path, OpenMode::kCreateOrOpen);
        EXPECT_TRUE(handle.ok());
        fs->Close(*handle);
        break;
      }
      case Call::kLock: {
        auto handle = fs->Lock(c.path);
        EXPECT_TRUE(handle.ok());
        fs->Close(*handle);
        break;
      }
      case Call::kWrite: {
        const std::size_t size = tear_last && i + 1 == n ? c.bytes.size() / 2 : c.bytes.size();
        with_file(c.path, [&](int h) { EXPECT_TRUE(fs->PWrite(h, c.offset, c.bytes.data(), size).ok()); });
        break;
      }
      case Call::kSync:
        with_file(c.path, [&](int h) { EXPECT_TRUE(fs->DataSync(h).ok()); });
        break;
      case Call::kTruncate:
        with_file(c.path, [&](int h) { EXPECT_TRUE(fs->Truncate(h, c.offset).ok()); });
        break;
      case Call::kRename: EXPECT_TRUE(fs->Rename(c.path, c.to).ok()); break;
      case Call::kUnlink: EXPECT_TRUE(fs->Unlink(c.path).ok()); break;
      case Call::kSyncDir: EXPECT_TRUE(fs->SyncDirectory(c.path).ok()); break;
      case Call::kMkdirs: EXPECT_TRUE(fs->CreateDirectories(c.path).ok()); break;
    }
  }
  return fs;
}

constexpr const char* kDir = "/data/log";
constexpr const char* kSnapshots = "/data/snapshots";

// What the workload appended: each batch's events, and how many calls had
// been made when the log acknowledged it.
struct Acknowledged {
  std::size_t after_calls = 0;
  std::vector<Revision> revisions;
  std::vector<std::string> bytes;
};

std::vector<Acknowledged> RunWorkload(RecordingFileSystem& fs) {
  std::vector<Acknowledged> acked;
  FileLogOptions options;
  options.fs = &fs;
  options.segment_bytes = 400;  // a roll every few appends
  int n = 0;
  auto append = [&](EventLog& log, int events) {
    std::vector<EncodedEvent> batch;
    for (int i = 0; i < events; ++i, ++n) batch.push_back(testing::AgentGone("a" + std::to_string(n), n + 1));
    auto revisions = log.Append(batch);
    ASSERT_TRUE(revisions.ok()) << revisions.status().ToString();
    Acknowledged a{fs.calls().size(), *revisions, {}};
    for (const EncodedEvent& e : batch) a.bytes.push_back(e.bytes);
    acked.push_back(std::move(a));
  };
  {
    auto log = FileEventLog::Open(kDir, LogMode::kWriter, options);
    EXPECT_TRUE(log.ok()) << log.status().ToString();
    for (int i = 0; i < 10; ++i) append(**log, 1);
    append(**log, 3);
    auto set = projections::Replay(**log, nullptr, {}, {}, nullptr);
    EXPECT_TRUE(set.ok());
    SnapshotStore snapshots(kSnapshots, fs);
    EXPECT_TRUE(snapshots.Write(set->next_revision(), set->last_time_nanos(), set->Serialize()).ok());
  }
  auto log = FileEventLog::Open(kDir, LogMode::kWriter, options);  // the restart
  EXPECT_TRUE(log.ok()) << log.status().ToString();
  for (int i = 0; i < 8; ++i) append(**log, 1);
  append(**log, 2);
  return acked;
}

// Every check for one crash state; "" when it passes.
std::string Check(MemoryFileSystem& fs, const std::vector<Acknowledged>& acked, std::size_t calls_done) {
  FileLogOptions options;
  options.fs = &fs;
  options.segment_bytes = 400;
  std::map<Revision, std::string> appended;
  for (const Acknowledged& a : acked) {
    for (std::size_t i = 0; i < a.revisions.size(); ++i) appended[a.revisions[i]] = a.bytes[i];
  }
  {
    auto log = FileEventLog::Open(kDir, LogMode::kWriter, options);
    if (!log.ok()) return "open for writing: " + log.status().ToString();
    std::map<Revision, std::string> found;
    Revision next = 0;
    std::string gap;
    Status scanned = (*log)->Scan(0, kEndOfLog, [&](const LoggedEvent& e) {
      if (e.revision != next && gap.empty()) gap = "revision " + std::to_string(e.revision) + " after " + std::to_string(next);
      next = e.revision + 1;
      found[e.revision] = std::string(e.bytes);
      return true;
    });
    if (!scanned.ok()) return "scan: " + scanned.ToString();
    if (!gap.empty()) return "a gap: " + gap;
    for (const auto& [revision, bytes] : found) {
      auto it = appended.find(revision);
      if (it == appended.end() || it->second != bytes) return "revision " + std::to_string(revision) + " was never appended";
    }
    for (const Acknowledged& a : acked) {
      if (a.after_calls > calls_done) continue;
      for (std::size_t i = 0; i < a.revisions.size(); ++i) {
        if (!found.count(a.revisions[i])) return "acknowledged revision " + std::to_string(a.revisions[i]) + " is lost";
      }
    }
    auto more = (*log)->Append(std::vector<EncodedEvent>{testing::AgentGone("after-crash", 1)});
    if (!more.ok()) return "one more append: " + more.status().ToString();
    if (more->front() != next) return "one more append landed at " + std::to_string(more->front());
  }
  auto verified = VerifyFileLog(kDir, fs);
  if (!verified.ok()) return "verify: " + verified.status().ToString();
  if (!verified->ok() || verified->condition != filelog::LogCondition::kClean) {
    return "verify is not clean: " + verified->first_problem + verified->torn;
  }
  auto reader = FileEventLog::Open(kDir, LogMode::kReader, options);
  if (!reader.ok()) return "reader: " + reader.status().ToString();
  SnapshotStore snapshots(kSnapshots, fs);
  auto with = projections::Replay(**reader, &snapshots, {}, {}, nullptr);
  auto without = projections::Replay(**reader, nullptr, {}, {}, nullptr);
  if (!with.ok() || !without.ok()) return "replay failed";
  if (with->StateHash() != without->StateHash()) return "replay from the snapshot differs from replay from the log";
  return "";
}

TEST(CrashStates, EveryCrashPointLeavesALogThatOpensWithEveryAcknowledgedAppend) {
  RecordingFileSystem recording;
  const std::vector<Acknowledged> acked = RunWorkload(recording);
  const std::vector<Call>& calls = recording.calls();
  std::size_t rolls = 0;
  for (const Call& c : calls) rolls += c.kind == Call::kCreate && c.path.size() > 4 && c.path.substr(c.path.size() - 4) == ".seg";
  ASSERT_GE(rolls, 3u) << "the workload must cross at least two segment rolls";

  std::size_t states = 0, header_torn = 0, record_torn = 0, empty_segments = 0, failures = 0;
  auto explore = [&](std::unique_ptr<MemoryFileSystem> fs, std::size_t k, const char* how) {
    ++states;
    auto state = filelog::InspectLog(*fs, kDir);
    if (state.ok() && state->condition == filelog::LogCondition::kTorn) {
      (state->torn.header_missing ? header_torn : record_torn) += 1;
      if (state->torn.header_missing && state->torn.bytes == 0) ++empty_segments;
    }
    const std::string problem = Check(*fs, acked, k);
    if (!problem.empty() && ++failures <= 10) ADD_FAILURE() << how << " after call " << k << ": " << problem;
  };
  for (std::size_t k = 0; k <= calls.size(); ++k) {
    auto now = Replay(calls, k, false);
    if (!now->IsDirectory(kDir)) continue;  // before the log existed
    explore(now->AfterProcessCrash(), k, "the writer killed");
    explore(now->AfterPowerCut(), k, "a power cut");
    if (k > 0 && calls[k - 1].kind == Call::kWrite) {
      explore(Replay(calls, k, true), k, "the writer killed mid-write");
      const std::string& path = calls[k - 1].path;
      for (std::size_t j = 1; j < now->UnsyncedWrites(path); ++j) {
        explore(now->AfterPowerCut(path, j), k, "a power cut with some unsynced writes on disk");
      }
    }
  }
  std::cout << "crash states explored: " << states << " over " << calls.size() << " calls, " << rolls
            << " segments (" << header_torn
            << " with a torn segment header, " << empty_segments << " of them an empty segment; " << record_torn
            << " with a torn record)\n";
  ::testing::Test::RecordProperty("crash_states", static_cast<int>(states));
  EXPECT_EQ(failures, 0u);
  EXPECT_GT(empty_segments, 0u) << "an empty last segment (a crash between creating it and writing its header)";
  EXPECT_GT(record_torn, 0u);
}

}  // namespace
}  // namespace regatta

// Snapshot files: a projection set's serialized state and the point of the
// log it covers. They are derived data: a snapshot that fails its checksum
// is reported and skipped, and the state is rebuilt from an older snapshot
// or from the log itself.
//
//   DIR/snap-<next revision, 20 digits>.snp
//   magic "RGTASNAP" (8) | format version (4) | masked crc32c of the rest (4) |
//   next revision (8) | time of the last event covered, ns (8) |
//   payload size (8) | payload
//
// Written to a temporary name, synced, renamed, and the directory synced: a
// crash leaves either the old set of snapshots or the new one.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "events/event.h"
#include "events/base/status.h"
#include "events/file_log/fs.h"

namespace regatta {

struct SnapshotInfo {
  Revision next_revision = 0;      // covers every event below this revision
  std::int64_t last_time_nanos = 0;
  std::string path;
};

class SnapshotStore {
 public:
  explicit SnapshotStore(std::string dir, filelog::FileSystem& fs = filelog::RealFileSystem())
      : dir_(std::move(dir)), fs_(&fs) {}

  Status Write(Revision next_revision, std::int64_t last_time_nanos, std::string_view payload);
  // Oldest first. Files whose header is unreadable are left out.
  Result<std::vector<SnapshotInfo>> List() const;
  // The payload. Corruption when the file fails its checks.
  Result<std::string> Load(const SnapshotInfo& info) const;
  // Deletes all but the newest `keep` snapshots.
  Status Prune(std::size_t keep);

  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
  filelog::FileSystem* fs_;
};

}  // namespace regatta

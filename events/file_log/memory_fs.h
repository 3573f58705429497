// A file system in memory (fs.h) that also knows what is on "disk": for
// each file the data of its last DataSync, and for each directory the
// entries of its last SyncDirectory. So it can say what a crash would leave:
//   AfterProcessCrash: everything written survives (the page cache does:
//                      kill -9 of the writer);
//   AfterPowerCut:     only what was synced survives: a file's synced data,
//                      under the names its directory synced, and optionally
//                      the first few writes of one file since its last sync
//                      (a disk that wrote some of them, in order).
// Tests and fuzz targets use it; nothing in a running cluster does.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "events/file_log/fs.h"

namespace regatta::filelog {

class MemoryFileSystem final : public FileSystem {
 public:
  MemoryFileSystem() = default;

  Result<int> Open(const std::string& path, OpenMode mode) override;
  void Close(int handle) override;
  Result<std::size_t> PRead(int handle, std::uint64_t offset, char* out, std::size_t n) override;
  Status PWrite(int handle, std::uint64_t offset, const char* data, std::size_t n) override;
  Status DataSync(int handle) override;
  Status Truncate(int handle, std::uint64_t size) override;
  Result<std::uint64_t> Size(int handle) override;
  Result<std::vector<std::string>> List(const std::string& dir) override;
  bool IsDirectory(const std::string& path) override;
  Status CreateDirectories(const std::string& dir) override;
  Status Rename(const std::string& from, const std::string& to) override;
  Status Unlink(const std::string& path) override;
  Status SyncDirectory(const std::string& dir) override;
  Result<int> Lock(const std::string& path) override;

  // A file as it is now, set or read whole (tests and fuzz targets): set
  // files count as synced, under synced names.
  void SetFile(const std::string& path, std::string bytes);
  std::string Contents(const std::string& path) const;
  bool Exists(const std::string& path) const;

  std::unique_ptr<MemoryFileSystem> AfterProcessCrash() const;
  // With `partial_path` set, that file keeps the first `partial_writes` of
  // its writes and truncations since its last sync.
  std::unique_ptr<MemoryFileSystem> AfterPowerCut(const std::string& partial_path = "",
                                                  std::size_t partial_writes = 0) const;
  // How many writes and truncations `path` has had since its last sync.
  std::size_t UnsyncedWrites(const std::string& path) const;

 private:
  struct Write {
    std::uint64_t offset = 0;
    std::string bytes;
  };
  struct Truncation {
    std::uint64_t size = 0;
  };
  using Change = std::variant<Write, Truncation>;
  struct Inode {
    std::string data;
    std::string synced;
    std::vector<Change> unsynced;  // since the last sync, in order
  };
  using Entries = std::map<std::string, std::shared_ptr<Inode>>;  // full path -> inode

  static void ApplyChange(std::string& data, const Change& change);
  std::string Parent(const std::string& path) const;
  Result<std::shared_ptr<Inode>> Handle(int handle) const;

  mutable std::mutex mu_;
  std::set<std::string> dirs_;
  Entries entries_;                           // what the names point at now
  std::map<std::string, Entries> synced_dirs_;  // dir -> its entries at its last sync
  std::map<int, std::shared_ptr<Inode>> handles_;
  std::map<int, std::string> locks_;  // handle -> locked path
  int next_handle_ = 3;
};

}  // namespace regatta::filelog

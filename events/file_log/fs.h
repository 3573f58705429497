// The file system under the embedded log and the snapshot store: the small
// set of calls they make, behind one interface, as LevelDB's Env is. The
// real one (RealFileSystem) is the operating system's; a test gives the log
// a MemoryFileSystem, or one that records every call and later builds the
// directory a crash at any point could have left (tests/events/
// crash_states_test.cc).
//
// Handles are small integers, owned by whoever opened them until Close.
// Errors are IoError naming the call and the path, as Status::FromErrno
// writes them; a missing file or directory is NotFound.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "events/base/status.h"

namespace regatta::filelog {

enum class OpenMode {
  kRead,             // must exist
  kWrite,            // must exist; for pwrite and ftruncate
  kCreateExclusive,  // must not exist; created empty, for writing
  kCreateOrOpen,     // created empty when missing, for writing
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;

  virtual Result<int> Open(const std::string& path, OpenMode mode) = 0;
  virtual void Close(int handle) = 0;
  // Reads up to `n` bytes at `offset`; fewer only at the end of the file.
  virtual Result<std::size_t> PRead(int handle, std::uint64_t offset, char* out, std::size_t n) = 0;
  virtual Status PWrite(int handle, std::uint64_t offset, const char* data, std::size_t n) = 0;
  // The file's data (and its size) on disk: what survives a power cut.
  virtual Status DataSync(int handle) = 0;
  virtual Status Truncate(int handle, std::uint64_t size) = 0;
  virtual Result<std::uint64_t> Size(int handle) = 0;

  // The names in a directory (not "." or ".."), in no particular order.
  virtual Result<std::vector<std::string>> List(const std::string& dir) = 0;
  virtual bool IsDirectory(const std::string& path) = 0;
  virtual Status CreateDirectories(const std::string& dir) = 0;
  virtual Status Rename(const std::string& from, const std::string& to) = 0;
  virtual Status Unlink(const std::string& path) = 0;
  // The directory's entries on disk: a created, renamed or removed file
  // survives a power cut only after this.
  virtual Status SyncDirectory(const std::string& dir) = 0;

  // An exclusive advisory lock on `path` (created if missing) for as long as
  // the returned handle stays open; the holder's pid is written into it.
  // Conflict, naming the holder's pid, when another handle holds it.
  virtual Result<int> Lock(const std::string& path) = 0;
};

// The operating system's. Shared, thread-safe, never null.
FileSystem& RealFileSystem();

}  // namespace regatta::filelog

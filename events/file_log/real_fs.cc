// The operating system's file system (fs.h): POSIX calls, EINTR retried.
#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "events/file_log/fs.h"

namespace regatta::filelog {
namespace {

Status Failed(const std::string& call, const std::string& path, int err) {
  if (err == ENOENT) return Status::NotFound(call + "(" + path + "): " + std::strerror(err));
  return Status::FromErrno(call + "(" + path + ")", err);
}

class PosixFileSystem final : public FileSystem {
 public:
  Result<int> Open(const std::string& path, OpenMode mode) override {
    int flags = O_CLOEXEC;
    switch (mode) {
      case OpenMode::kRead: flags |= O_RDONLY; break;
      case OpenMode::kWrite: flags |= O_WRONLY; break;
      case OpenMode::kCreateExclusive: flags |= O_WRONLY | O_CREAT | O_EXCL; break;
      case OpenMode::kCreateOrOpen: flags |= O_WRONLY | O_CREAT; break;
    }
    const int fd = ::open(path.c_str(), flags, 0644);
    if (fd < 0) return Failed("open", path, errno);
    return fd;
  }

  void Close(int handle) override { ::close(handle); }

  Result<std::size_t> PRead(int handle, std::uint64_t offset, char* out, std::size_t n) override {
    std::size_t done = 0;
    while (done < n) {
      const ssize_t got = ::pread(handle, out + done, n - done, static_cast<off_t>(offset + done));
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) return Status::FromErrno("pread", errno);
      if (got == 0) break;
      done += static_cast<std::size_t>(got);
    }
    return done;
  }

  Status PWrite(int handle, std::uint64_t offset, const char* data, std::size_t n) override {
    while (n > 0) {
      const ssize_t put = ::pwrite(handle, data, n, static_cast<off_t>(offset));
      if (put < 0 && errno == EINTR) continue;
      if (put < 0) return Status::FromErrno("pwrite", errno);
      data += put;
      n -= static_cast<std::size_t>(put);
      offset += static_cast<std::uint64_t>(put);
    }
    return Status::Ok();
  }

  Status DataSync(int handle) override {
    if (::fdatasync(handle) != 0) return Status::FromErrno("fdatasync", errno);
    return Status::Ok();
  }

  Status Truncate(int handle, std::uint64_t size) override {
    if (::ftruncate(handle, static_cast<off_t>(size)) != 0) return Status::FromErrno("ftruncate", errno);
    return Status::Ok();
  }

  Result<std::uint64_t> Size(int handle) override {
    struct stat st;
    if (::fstat(handle, &st) != 0) return Status::FromErrno("fstat", errno);
    return static_cast<std::uint64_t>(st.st_size);
  }

  Result<std::vector<std::string>> List(const std::string& dir) override {
    DIR* d = ::opendir(dir.c_str());
    if (d == nullptr) return Failed("opendir", dir, errno);
    std::vector<std::string> names;
    while (const dirent* entry = ::readdir(d)) {
      const std::string name = entry->d_name;
      if (name != "." && name != "..") names.push_back(name);
    }
    ::closedir(d);
    return names;
  }

  bool IsDirectory(const std::string& path) override {
    std::error_code ec;
    return std::filesystem::is_directory(path, ec);
  }

  Status CreateDirectories(const std::string& dir) override {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return Status::IoError("create " + dir + ": " + ec.message());
    return Status::Ok();
  }

  Status Rename(const std::string& from, const std::string& to) override {
    if (::rename(from.c_str(), to.c_str()) != 0) return Failed("rename", from, errno);
    return Status::Ok();
  }

  Status Unlink(const std::string& path) override {
    if (::unlink(path.c_str()) != 0) return Failed("unlink", path, errno);
    return Status::Ok();
  }

  Status SyncDirectory(const std::string& dir) override {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return Failed("open", dir, errno);
    const bool synced = ::fsync(fd) == 0;
    const int err = errno;
    ::close(fd);
    if (!synced) return Status::FromErrno("fsync(" + dir + ")", err);
    return Status::Ok();
  }

  Result<int> Lock(const std::string& path) override {
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return Failed("open", path, errno);
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      const int err = errno;
      char pid[32] = {};
      const ssize_t n = ::pread(fd, pid, sizeof pid - 1, 0);
      ::close(fd);
      if (err != EWOULDBLOCK) return Status::FromErrno("flock(" + path + ")", err);
      return Status::Conflict("held" + (n > 0 ? " by pid " + std::string(pid, static_cast<std::size_t>(n)) : ""));
    }
    const std::string me = std::to_string(::getpid());
    if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, me.data(), me.size(), 0) != static_cast<ssize_t>(me.size())) {
      const int err = errno;
      ::close(fd);
      return Status::FromErrno("write(" + path + ")", err);
    }
    return fd;
  }
};

}  // namespace

FileSystem& RealFileSystem() {
  static PosixFileSystem fs;
  return fs;
}

}  // namespace regatta::filelog

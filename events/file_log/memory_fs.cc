#include "events/file_log/memory_fs.h"

#include <algorithm>
#include <cstring>

namespace regatta::filelog {

void MemoryFileSystem::ApplyChange(std::string& data, const Change& change) {
  if (const auto* write = std::get_if<Write>(&change)) {
    if (data.size() < write->offset + write->bytes.size()) data.resize(write->offset + write->bytes.size(), '\0');
    data.replace(write->offset, write->bytes.size(), write->bytes);
  } else {
    data.resize(std::get<Truncation>(change).size, '\0');
  }
}

std::string MemoryFileSystem::Parent(const std::string& path) const {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

Result<std::shared_ptr<MemoryFileSystem::Inode>> MemoryFileSystem::Handle(int handle) const {
  auto it = handles_.find(handle);
  if (it == handles_.end()) return Status::IoError("bad file handle " + std::to_string(handle));
  return it->second;
}

Result<int> MemoryFileSystem::Open(const std::string& path, OpenMode mode) {
  std::lock_guard lock(mu_);
  if (!dirs_.count(Parent(path))) return Status::NotFound("open(" + path + "): No such file or directory");
  auto it = entries_.find(path);
  if (mode == OpenMode::kCreateExclusive && it != entries_.end()) {
    return Status::IoError("open(" + path + "): File exists");
  }
  if (it == entries_.end()) {
    if (mode == OpenMode::kRead || mode == OpenMode::kWrite) {
      return Status::NotFound("open(" + path + "): No such file or directory");
    }
    it = entries_.emplace(path, std::make_shared<Inode>()).first;
  }
  const int handle = next_handle_++;
  handles_[handle] = it->second;
  return handle;
}

void MemoryFileSystem::Close(int handle) {
  std::lock_guard lock(mu_);
  handles_.erase(handle);
  locks_.erase(handle);
}

Result<std::size_t> MemoryFileSystem::PRead(int handle, std::uint64_t offset, char* out, std::size_t n) {
  std::lock_guard lock(mu_);
  auto inode = Handle(handle);
  if (!inode.ok()) return inode.status();
  const std::string& data = (*inode)->data;
  if (offset >= data.size()) return std::size_t{0};
  const std::size_t got = std::min<std::size_t>(n, data.size() - offset);
  std::memcpy(out, data.data() + offset, got);
  return got;
}

Status MemoryFileSystem::PWrite(int handle, std::uint64_t offset, const char* data, std::size_t n) {
  std::lock_guard lock(mu_);
  auto inode = Handle(handle);
  if (!inode.ok()) return inode.status();
  Write write{offset, std::string(data, n)};
  ApplyChange((*inode)->data, write);
  (*inode)->unsynced.push_back(std::move(write));
  return Status::Ok();
}

Status MemoryFileSystem::DataSync(int handle) {
  std::lock_guard lock(mu_);
  auto inode = Handle(handle);
  if (!inode.ok()) return inode.status();
  (*inode)->synced = (*inode)->data;
  (*inode)->unsynced.clear();
  return Status::Ok();
}

Status MemoryFileSystem::Truncate(int handle, std::uint64_t size) {
  std::lock_guard lock(mu_);
  auto inode = Handle(handle);
  if (!inode.ok()) return inode.status();
  ApplyChange((*inode)->data, Truncation{size});
  (*inode)->unsynced.push_back(Truncation{size});
  return Status::Ok();
}

Result<std::uint64_t> MemoryFileSystem::Size(int handle) {
  std::lock_guard lock(mu_);
  auto inode = Handle(handle);
  if (!inode.ok()) return inode.status();
  return static_cast<std::uint64_t>((*inode)->data.size());
}

Result<std::vector<std::string>> MemoryFileSystem::List(const std::string& dir) {
  std::lock_guard lock(mu_);
  if (!dirs_.count(dir)) return Status::NotFound("opendir(" + dir + "): No such file or directory");
  std::vector<std::string> names;
  for (const auto& [path, inode] : entries_) {
    if (Parent(path) == dir) names.push_back(path.substr(dir.size() + 1));
  }
  for (const std::string& d : dirs_) {
    if (d != dir && Parent(d) == dir) names.push_back(d.substr(dir.size() + 1));
  }
  return names;
}

bool MemoryFileSystem::IsDirectory(const std::string& path) {
  std::lock_guard lock(mu_);
  return dirs_.count(path) > 0;
}

Status MemoryFileSystem::CreateDirectories(const std::string& dir) {
  std::lock_guard lock(mu_);
  for (std::string d = dir; !d.empty() && d != "." && d != "/"; d = Parent(d)) {
    if (entries_.count(d)) return Status::IoError("create " + dir + ": Not a directory");
    dirs_.insert(d);
    if (d.find('/') == std::string::npos) break;
  }
  return Status::Ok();
}

Status MemoryFileSystem::Rename(const std::string& from, const std::string& to) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(from);
  if (it == entries_.end()) return Status::NotFound("rename(" + from + "): No such file or directory");
  if (!dirs_.count(Parent(to))) return Status::NotFound("rename(" + to + "): No such file or directory");
  auto inode = it->second;
  entries_.erase(it);
  entries_[to] = std::move(inode);
  return Status::Ok();
}

Status MemoryFileSystem::Unlink(const std::string& path) {
  std::lock_guard lock(mu_);
  if (entries_.erase(path) == 0) return Status::NotFound("unlink(" + path + "): No such file or directory");
  return Status::Ok();
}

Status MemoryFileSystem::SyncDirectory(const std::string& dir) {
  std::lock_guard lock(mu_);
  if (!dirs_.count(dir)) return Status::NotFound("open(" + dir + "): No such file or directory");
  Entries& synced = synced_dirs_[dir];
  synced.clear();
  for (const auto& [path, inode] : entries_) {
    if (Parent(path) == dir) synced[path] = inode;
  }
  return Status::Ok();
}

Result<int> MemoryFileSystem::Lock(const std::string& path) {
  {
    std::lock_guard lock(mu_);
    for (const auto& [handle, locked] : locks_) {
      if (locked == path) return Status::Conflict("held by handle " + std::to_string(handle));
    }
  }
  auto handle = Open(path, OpenMode::kCreateOrOpen);
  if (!handle.ok()) return handle.status();
  REGATTA_RETURN_IF_ERROR(Truncate(*handle, 0));
  REGATTA_RETURN_IF_ERROR(PWrite(*handle, 0, "1", 1));
  std::lock_guard lock(mu_);
  locks_[*handle] = path;
  return *handle;
}

void MemoryFileSystem::SetFile(const std::string& path, std::string bytes) {
  std::lock_guard lock(mu_);
  for (std::string d = Parent(path); !d.empty() && d != "." && d != "/"; d = Parent(d)) {
    dirs_.insert(d);
    if (d.find('/') == std::string::npos) break;
  }
  auto inode = std::make_shared<Inode>();
  inode->data = bytes;
  inode->synced = std::move(bytes);
  entries_[path] = inode;
  synced_dirs_[Parent(path)][path] = inode;
}

std::string MemoryFileSystem::Contents(const std::string& path) const {
  std::lock_guard lock(mu_);
  auto it = entries_.find(path);
  return it == entries_.end() ? std::string() : it->second->data;
}

bool MemoryFileSystem::Exists(const std::string& path) const {
  std::lock_guard lock(mu_);
  return entries_.count(path) > 0;
}

std::size_t MemoryFileSystem::UnsyncedWrites(const std::string& path) const {
  std::lock_guard lock(mu_);
  auto it = entries_.find(path);
  return it == entries_.end() ? 0 : it->second->unsynced.size();
}

std::unique_ptr<MemoryFileSystem> MemoryFileSystem::AfterProcessCrash() const {
  std::lock_guard lock(mu_);
  auto out = std::make_unique<MemoryFileSystem>();
  out->dirs_ = dirs_;
  std::map<const Inode*, std::shared_ptr<Inode>> copies;  // the page cache survives as it was
  auto copy = [&](const std::shared_ptr<Inode>& inode) {
    auto& c = copies[inode.get()];
    if (!c) c = std::make_shared<Inode>(*inode);
    return c;
  };
  for (const auto& [path, inode] : entries_) out->entries_[path] = copy(inode);
  for (const auto& [dir, entries] : synced_dirs_) {
    for (const auto& [path, inode] : entries) out->synced_dirs_[dir][path] = copy(inode);
  }
  return out;
}

std::unique_ptr<MemoryFileSystem> MemoryFileSystem::AfterPowerCut(const std::string& partial_path,
                                                                 std::size_t partial_writes) const {
  std::lock_guard lock(mu_);
  auto out = std::make_unique<MemoryFileSystem>();
  out->dirs_ = dirs_;
  const Inode* partial = nullptr;
  if (auto it = entries_.find(partial_path); it != entries_.end()) partial = it->second.get();
  std::map<const Inode*, std::shared_ptr<Inode>> copies;
  for (const auto& [dir, entries] : synced_dirs_) {
    for (const auto& [path, inode] : entries) {
      auto& c = copies[inode.get()];
      if (!c) {
        c = std::make_shared<Inode>();
        c->data = inode->synced;
        if (inode.get() == partial) {
          for (std::size_t i = 0; i < std::min(partial_writes, inode->unsynced.size()); ++i) {
            ApplyChange(c->data, inode->unsynced[i]);
          }
        }
        c->synced = c->data;
      }
      out->entries_[path] = c;
      out->synced_dirs_[dir][path] = c;
    }
  }
  return out;
}

}  // namespace regatta::filelog

#include "events/snapshot_store.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "events/crc32c.h"
#include "events/file_log/segment.h"

namespace regatta {
namespace {

constexpr std::string_view kMagic = "RGTASNAP";
constexpr std::uint32_t kVersion = 1;
constexpr std::size_t kHeaderSize = 40;

template <class T>
void Put(std::string* out, T v) { out->append(reinterpret_cast<const char*>(&v), sizeof v); }

template <class T>
T Get(const char* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

std::string FileName(Revision next) {
  char name[40];
  std::snprintf(name, sizeof name, "snap-%020llu.snp", static_cast<unsigned long long>(next));
  return name;
}

Status WriteFileDurably(filelog::FileSystem& fs, const std::string& dir, const std::string& path,
                        const std::string& bytes) {
  const std::string tmp = path + ".tmp";
  {
    auto file = filelog::File::Open(fs, tmp, filelog::OpenMode::kCreateOrOpen);
    if (!file.ok()) return file.status();
    REGATTA_RETURN_IF_ERROR(file->Truncate(0));  // a temporary file a crash left behind
    REGATTA_RETURN_IF_ERROR(file->WriteAll(0, bytes.data(), bytes.size()));
    REGATTA_RETURN_IF_ERROR(file->DataSync());
  }
  REGATTA_RETURN_IF_ERROR(fs.Rename(tmp, path));
  return fs.SyncDirectory(dir);
}

}  // namespace

Status SnapshotStore::Write(Revision next_revision, std::int64_t last_time_nanos,
                            std::string_view payload) {
  REGATTA_RETURN_IF_ERROR(fs_->CreateDirectories(dir_));
  std::string bytes(kMagic);
  Put<std::uint32_t>(&bytes, kVersion);
  Put<std::uint32_t>(&bytes, 0);  // checksum, below
  Put<std::uint64_t>(&bytes, next_revision);
  Put<std::int64_t>(&bytes, last_time_nanos);
  Put<std::uint64_t>(&bytes, payload.size());
  bytes.append(payload);
  const std::uint32_t crc = crc32c::Value(bytes.data() + 16, bytes.size() - 16);
  const std::uint32_t masked = crc32c::Mask(crc);
  std::memcpy(bytes.data() + 12, &masked, sizeof masked);
  return WriteFileDurably(*fs_, dir_, dir_ + "/" + FileName(next_revision), bytes);
}

Result<std::vector<SnapshotInfo>> SnapshotStore::List() const {
  std::vector<SnapshotInfo> found;
  if (!fs_->IsDirectory(dir_)) return found;
  auto names = fs_->List(dir_);
  if (!names.ok()) return names.status();
  for (const std::string& name : *names) {
    if (name.size() < 4 || name.substr(name.size() - 4) != ".snp") continue;
    const std::string path = dir_ + "/" + name;
    auto file = filelog::File::OpenForRead(*fs_, path);
    if (!file.ok()) continue;
    char header[kHeaderSize];
    if (!file->ReadExactly(0, header, kHeaderSize).ok()) continue;
    if (std::string_view(header, 8) != kMagic) continue;
    found.push_back({Get<std::uint64_t>(header + 16), Get<std::int64_t>(header + 24), path});
  }
  std::sort(found.begin(), found.end(), [](const SnapshotInfo& a, const SnapshotInfo& b) {
    return a.next_revision < b.next_revision;
  });
  return found;
}

Result<std::string> SnapshotStore::Load(const SnapshotInfo& info) const {
  auto file = filelog::File::OpenForRead(*fs_, info.path);
  if (!file.ok()) return file.status();
  auto size = file->Size();
  if (!size.ok()) return size.status();
  if (*size < kHeaderSize) return Status::Corruption(info.path + ": header cut short");
  std::string bytes(*size, '\0');
  REGATTA_RETURN_IF_ERROR(file->ReadExactly(0, bytes.data(), bytes.size()));
  if (Get<std::uint32_t>(bytes.data() + 8) != kVersion) {
    return Status::Corruption(info.path + ": unsupported snapshot version");
  }
  const std::uint32_t stored = crc32c::Unmask(Get<std::uint32_t>(bytes.data() + 12));
  if (stored != crc32c::Value(bytes.data() + 16, bytes.size() - 16)) {
    return Status::Corruption(info.path + ": checksum mismatch");
  }
  const auto payload_size = Get<std::uint64_t>(bytes.data() + 32);
  if (payload_size != bytes.size() - kHeaderSize) {
    return Status::Corruption(info.path + ": payload size mismatch");
  }
  return bytes.substr(kHeaderSize);
}

Status SnapshotStore::Prune(std::size_t keep) {
  auto all = List();
  if (!all.ok()) return all.status();
  for (std::size_t i = 0; i + keep < all->size(); ++i) {
    Status removed = fs_->Unlink((*all)[i].path);
    if (!removed.ok() && removed.code() != StatusCode::kNotFound) return removed;
  }
  return Status::Ok();
}

}  // namespace regatta

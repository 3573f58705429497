#include "events/file_log/record_format.h"

#include <cstring>

#include "events/crc32c.h"

namespace regatta::filelog {

std::uint32_t LoadU32(const char* p) {
  std::uint32_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

std::uint64_t LoadU64(const char* p) {
  std::uint64_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

namespace {

void PutU32(std::string* out, std::uint32_t v) { out->append(reinterpret_cast<const char*>(&v), 4); }
void PutU64(std::string* out, std::uint64_t v) { out->append(reinterpret_cast<const char*>(&v), 8); }
void StoreU32(char* p, std::uint32_t v) { std::memcpy(p, &v, sizeof v); }

}  // namespace

std::string EncodeSegmentHeader(Revision base) {
  std::string out(kSegmentMagic);
  PutU64(&out, base);
  PutU32(&out, kFormatVersion);
  PutU32(&out, crc32c::Mask(crc32c::Value(out.data(), out.size())));
  return out;
}

Status DecodeSegmentHeader(std::string_view bytes, Revision* base) {
  if (bytes.size() < kSegmentHeaderSize) {
    return Status::Corruption("segment header is cut short (" +
                              std::to_string(bytes.size()) + " bytes)");
  }
  if (bytes.substr(0, kSegmentMagic.size()) != kSegmentMagic) {
    return Status::Corruption("not a Regatta log segment (bad magic)");
  }
  const std::uint32_t stored = crc32c::Unmask(LoadU32(bytes.data() + 20));
  if (stored != crc32c::Value(bytes.data(), 20)) {
    return Status::Corruption("segment header checksum mismatch");
  }
  const std::uint32_t version = LoadU32(bytes.data() + 16);
  if (version != kFormatVersion) {
    return Status::Corruption("unsupported segment format version " + std::to_string(version));
  }
  *base = LoadU64(bytes.data() + 8);
  return Status::Ok();
}

std::size_t BatchPayloadSize(std::span<const EncodedEvent> batch) {
  std::size_t size = 0;
  for (const auto& event : batch) size += kEventHeaderSize + event.bytes.size();
  return size;
}

void AppendBatchRecord(Revision first, std::span<const EncodedEvent> batch,
                       std::string* out) {
  const std::size_t start = out->size();
  PutU32(out, 0);  // checksum, filled in below
  PutU32(out, static_cast<std::uint32_t>(BatchPayloadSize(batch)));
  out->push_back(static_cast<char>(kBatchRecord));
  out->append(3, '\0');
  PutU32(out, static_cast<std::uint32_t>(batch.size()));
  PutU64(out, first);
  for (const auto& event : batch) {
    PutU32(out, static_cast<std::uint32_t>(event.bytes.size()));
    PutU32(out, 0);
    out->append(event.bytes);
  }
  const char* covered = out->data() + start + 4;
  const std::uint32_t crc = crc32c::Value(covered, out->size() - start - 4);
  StoreU32(out->data() + start, crc32c::Mask(crc));
}

RecordHeader DecodeRecordHeader(const char* p) {
  RecordHeader h;
  h.masked_crc = LoadU32(p);
  h.payload_size = LoadU32(p + 4);
  h.type = static_cast<std::uint8_t>(p[8]);
  h.count = LoadU32(p + 12);
  h.first_revision = LoadU64(p + 16);
  return h;
}

Status CheckRecord(std::string_view record) {
  const RecordHeader header = DecodeRecordHeader(record.data());
  const std::uint32_t actual = crc32c::Value(record.data() + 4, record.size() - 4);
  if (crc32c::Unmask(header.masked_crc) != actual) {
    return Status::Corruption("checksum mismatch");
  }
  if (header.type != kBatchRecord) {
    return Status::Corruption("unknown record type " + std::to_string(header.type));
  }
  std::size_t pos = kRecordHeaderSize;
  for (std::uint32_t i = 0; i < header.count; ++i) {
    if (pos + kEventHeaderSize > record.size()) {
      return Status::Corruption("event " + std::to_string(i) + " of the batch is cut short");
    }
    const std::uint32_t size = LoadU32(record.data() + pos);
    pos += kEventHeaderSize;
    if (size % 8 != 0 || size > record.size() - pos) {
      return Status::Corruption("event " + std::to_string(i) + " has a bad length " +
                                std::to_string(size));
    }
    pos += size;
  }
  if (pos != record.size()) return Status::Corruption("payload has trailing bytes");
  return Status::Ok();
}

}  // namespace regatta::filelog

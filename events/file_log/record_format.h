// The on-disk format of the embedded log. Small enough to check by eye.
//
// A log is a directory of segment files, named by the first revision they
// hold ("00000000000000000042.seg"), each starting with a segment header and
// followed by records. A record holds one appended batch, so a batch is
// atomic: one checksum covers all of it.
//
//   segment header (24 bytes)
//     magic "RGTALOG1" (8) | base revision (8) | format version (4) |
//     masked crc32c of the preceding 20 bytes (4)
//
//   record (24-byte header, then the payload)
//     masked crc32c (4) of everything after it: header rest and payload
//     payload length (4), a multiple of 8
//     type (1) = 1 (batch) | reserved, zero (3)
//     event count (4)
//     first revision (8); the batch's events take the next `count` revisions
//
//   payload: per event, its length (4) | reserved, zero (4) | the envelope,
//   which Cap'n Proto already pads to a multiple of 8.
//
// Every header and envelope therefore starts 8-byte aligned in the file, so a
// segment read into an aligned buffer decodes without a copy. All integers
// are little-endian.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "events/event.h"
#include "events/base/status.h"

namespace regatta::filelog {

static_assert(std::endian::native == std::endian::little,
              "the log format is little-endian; add byte swaps to port it");

inline constexpr std::string_view kSegmentMagic = "RGTALOG1";
inline constexpr std::uint32_t kFormatVersion = 1;
inline constexpr std::size_t kSegmentHeaderSize = 24;
inline constexpr std::size_t kRecordHeaderSize = 24;
inline constexpr std::size_t kEventHeaderSize = 8;
inline constexpr std::uint8_t kBatchRecord = 1;
// One batch may hold at most this much: bounds what a reader must buffer.
inline constexpr std::uint32_t kMaxPayloadBytes = 64u << 20;

struct RecordHeader {
  std::uint32_t masked_crc = 0;
  std::uint32_t payload_size = 0;
  std::uint8_t type = 0;
  std::uint32_t count = 0;
  Revision first_revision = 0;
};

std::string EncodeSegmentHeader(Revision base);
// Corruption when the magic, version or checksum is wrong.
Status DecodeSegmentHeader(std::string_view bytes, Revision* base);

// The payload size a batch will take, header excluded.
std::size_t BatchPayloadSize(std::span<const EncodedEvent> batch);
// Appends the whole record for `batch` to `out`.
void AppendBatchRecord(Revision first, std::span<const EncodedEvent> batch,
                       std::string* out);

RecordHeader DecodeRecordHeader(const char* header);

// Checks a complete record (header and payload in one buffer): checksum,
// type and payload framing. On success, `visit` may then be given its events
// through ForEachEvent.
Status CheckRecord(std::string_view record);

// Calls visit(revision, envelope bytes) for each event of a checked record.
// Returns false if visit asked to stop.
template <class Visit>
bool ForEachEvent(std::string_view record, Visit&& visit);

// ------------------------------------------------------------ implementation

std::uint32_t LoadU32(const char* p);
std::uint64_t LoadU64(const char* p);

template <class Visit>
bool ForEachEvent(std::string_view record, Visit&& visit) {
  const RecordHeader header = DecodeRecordHeader(record.data());
  std::size_t pos = kRecordHeaderSize;
  for (std::uint32_t i = 0; i < header.count; ++i) {
    const std::uint32_t size = LoadU32(record.data() + pos);
    pos += kEventHeaderSize;
    if (!visit(header.first_revision + i, record.substr(pos, size))) return false;
    pos += size;
  }
  return true;
}

}  // namespace regatta::filelog

// CRC-32C (Castagnoli), the checksum of every log record and snapshot.
//
// Uses the SSE4.2 instruction when the CPU has it (about 10 GB/s, so the log
// can afford to check every record on every read) and a table otherwise.
#pragma once

#include <cstddef>
#include <cstdint>

namespace regatta::crc32c {

// Extends `crc` (the CRC of some earlier bytes, or 0) over `data`.
std::uint32_t Extend(std::uint32_t crc, const void* data, std::size_t size);

inline std::uint32_t Value(const void* data, std::size_t size) {
  return Extend(0, data, size);
}

// A CRC stored next to the data it covers is masked, so that a CRC computed
// over bytes that happen to contain CRCs does not degenerate.
inline constexpr std::uint32_t kMaskDelta = 0xa282ead8u;

inline std::uint32_t Mask(std::uint32_t crc) {
  return ((crc >> 15) | (crc << 17)) + kMaskDelta;
}

inline std::uint32_t Unmask(std::uint32_t masked) {
  const std::uint32_t rotated = masked - kMaskDelta;
  return (rotated >> 17) | (rotated << 15);
}

}  // namespace regatta::crc32c

// A small binary codec for projection snapshots: little-endian fixed ints,
// varint lengths, length-prefixed strings. Snapshots are derived data, so the
// format can change with a version bump; the log is what must last forever.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace regatta::projections {

class StateWriter {
 public:
  void U8(std::uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void Bool(bool v) { U8(v ? 1 : 0); }
  void U64(std::uint64_t v) {
    while (v >= 0x80) {
      U8(static_cast<std::uint8_t>(v | 0x80));
      v >>= 7;
    }
    U8(static_cast<std::uint8_t>(v));
  }
  void I64(std::int64_t v) { U64(static_cast<std::uint64_t>(v)); }
  void F64(double v) { out_.append(reinterpret_cast<const char*>(&v), sizeof v); }
  void Str(std::string_view s) {
    U64(s.size());
    out_.append(s);
  }
  template <class T, class Each>
  void List(const std::vector<T>& items, Each&& each) {
    U64(items.size());
    for (const auto& item : items) each(*this, item);
  }
  std::string Take() { return std::move(out_); }
  const std::string& bytes() const { return out_; }

 private:
  std::string out_;
};

// Reads what StateWriter wrote. Reading past the end sets failed() and
// yields zeros, so a truncated snapshot is detected once, at the end.
class StateReader {
 public:
  explicit StateReader(std::string_view in) : in_(in) {}
  std::uint8_t U8() {
    if (pos_ >= in_.size()) return Fail(), 0;
    return static_cast<std::uint8_t>(in_[pos_++]);
  }
  bool Bool() { return U8() != 0; }
  std::uint64_t U64() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      const std::uint8_t b = U8();
      v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
    }
    return Fail(), 0;
  }
  std::int64_t I64() { return static_cast<std::int64_t>(U64()); }
  double F64() {
    double v = 0;
    if (in_.size() - pos_ < sizeof v) return Fail(), 0;
    std::memcpy(&v, in_.data() + pos_, sizeof v);
    pos_ += sizeof v;
    return v;
  }
  std::string Str() {
    const std::uint64_t n = U64();
    if (n > in_.size() - pos_) return Fail(), std::string();
    std::string s(in_.substr(pos_, n));
    pos_ += n;
    return s;
  }
  // A count of items that will follow; guards against absurd lengths.
  std::uint64_t Count() {
    const std::uint64_t n = U64();
    if (n > in_.size() - pos_) return Fail(), 0;
    return n;
  }
  bool failed() const { return failed_; }
  bool at_end() const { return pos_ == in_.size(); }

 private:
  void Fail() { failed_ = true; pos_ = in_.size(); }
  std::string_view in_;
  std::size_t pos_ = 0;
  bool failed_ = false;
};

// FNV-1a, 64 bits: a stable fingerprint of a serialized state, for the
// determinism checks (not for security).
inline std::uint64_t Fingerprint(std::string_view bytes) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace regatta::projections

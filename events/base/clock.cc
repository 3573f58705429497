#include "events/base/clock.h"

#include <chrono>
#include <cstdio>
#include <random>

namespace regatta {

std::int64_t WallClockNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string NewUuid() {
  // Opening the entropy source costs a system call or more: do it once per
  // thread, seeding a generator with 256 bits of it. A master names two ids
  // per event, hundreds of thousands a second.
  thread_local std::mt19937_64 generator = [] {
    std::random_device entropy;  // /dev/urandom on Linux
    std::seed_seq seed{entropy(), entropy(), entropy(), entropy(), entropy(), entropy(), entropy(), entropy()};
    return std::mt19937_64(seed);
  }();
  unsigned char b[16];
  const std::uint64_t high = generator(), low = generator();
  for (int i = 0; i < 8; ++i) {
    b[i] = static_cast<unsigned char>(high >> (8 * i));
    b[8 + i] = static_cast<unsigned char>(low >> (8 * i));
  }
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
  char out[37];
  std::snprintf(out, sizeof out,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
  return out;
}

namespace {

class WallClock final : public Clock {
 public:
  std::int64_t NowNanos() const override { return WallClockNanos(); }
};

}  // namespace

std::shared_ptr<const Clock> SystemClock() {
  static const auto clock = std::make_shared<const WallClock>();
  return clock;
}

}  // namespace regatta

// Where time and randomness enter Regatta. Only the edges (the CLI, the
// master, agent and framework actors) read a clock or draw an id; everything
// below takes time and ids as inputs, so replay and tests are deterministic.
//
// Actors read time through a Clock they are given, never from a global, so
// a test can hold time still and move it on (ManualClock), as Mesos' tests
// pause and advance theirs.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

namespace regatta {

// The wall clock: nanoseconds since the Unix epoch.
std::int64_t WallClockNanos();
// A random (version 4) UUID, as text.
std::string NewUuid();

// A source of the current time, in nanoseconds since the Unix epoch (the
// clock events are stamped with). Thread-safe: one clock may serve several
// actors.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::int64_t NowNanos() const = 0;
};

// The wall clock, shared; never null.
std::shared_ptr<const Clock> SystemClock();

// A clock that moves only when told. Starts at `start_nanos`.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(std::int64_t start_nanos = 1'700'000'000'000'000'000) : now_(start_nanos) {}
  std::int64_t NowNanos() const override { return now_.load(std::memory_order_acquire); }
  void Advance(std::int64_t nanos) { now_.fetch_add(nanos, std::memory_order_acq_rel); }
  void AdvanceSeconds(double seconds) { Advance(static_cast<std::int64_t>(seconds * 1e9)); }

 private:
  std::atomic<std::int64_t> now_;
};

}  // namespace regatta

// The EventLog contract (log_contract.cc) for the in-memory and file logs.
#include "events/file_log/file_log.h"
#include "events/memory_log.h"
#include "tests/events/log_contract.h"
#include "tests/support/temp_dir.h"

namespace regatta::testing {
namespace {

class MemoryLogUnderTest : public LogUnderTest {
 public:
  Result<std::unique_ptr<EventLog>> Open(LogMode mode) override {
    auto log = MemoryEventLog::Open(store_, mode);
    if (!log.ok()) return log.status();
    return std::unique_ptr<EventLog>(std::move(*log));
  }

 private:
  std::shared_ptr<MemoryLogStore> store_ = std::make_shared<MemoryLogStore>();
};

class FileLogUnderTest : public LogUnderTest {
 public:
  explicit FileLogUnderTest(std::uint64_t segment_bytes) { options_.segment_bytes = segment_bytes; }
  Result<std::unique_ptr<EventLog>> Open(LogMode mode) override {
    auto log = FileEventLog::Open(dir_.Sub("log"), mode, options_);
    if (!log.ok()) return log.status();
    return std::unique_ptr<EventLog>(std::move(*log));
  }

 private:
  TempDir dir_;
  FileLogOptions options_;
};

INSTANTIATE_TEST_SUITE_P(
    Backends, LogContract,
    ::testing::Values(
        LogBackend{"Memory", [] { return std::make_unique<MemoryLogUnderTest>(); }, false, {}},
        LogBackend{"File", [] { return std::make_unique<FileLogUnderTest>(64u << 20); }, false, {}},
        // Tiny segments: every few appends roll to a new file.
        LogBackend{"FileTinySegments", [] { return std::make_unique<FileLogUnderTest>(256); }, false, {}}),
    BackendName);

}  // namespace
}  // namespace regatta::testing

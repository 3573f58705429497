// The EventLog contract suite. Every backend instantiates it with a factory
// that opens handles on one fresh log per test:
//
//   INSTANTIATE_TEST_SUITE_P(File, LogContract, ::testing::Values(FileBackend()), BackendName);
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <ostream>
#include <memory>
#include <string>

#include "events/event_log.h"

namespace regatta::testing {

// Opens handles on the same log; one instance per test.
class LogUnderTest {
 public:
  virtual ~LogUnderTest() = default;
  virtual Result<std::unique_ptr<EventLog>> Open(LogMode mode) = 0;
};

struct LogBackend {
  std::string name;
  std::function<std::unique_ptr<LogUnderTest>()> make;
  // Kafka: a new writer fences the old one instead of being refused.
  bool second_writer_fences_first = false;
  // Non-empty: why this backend cannot run here (the test is skipped, saying so).
  std::function<std::string()> unavailable;
};

// Test names and ctest listings show the backend's name, not its bytes.
inline void PrintTo(const LogBackend& backend, std::ostream* os) { *os << backend.name; }

inline std::string BackendName(const ::testing::TestParamInfo<LogBackend>& info) {
  return info.param.name;
}

class LogContract : public ::testing::TestWithParam<LogBackend> {
 protected:
  void SetUp() override {
    if (GetParam().unavailable) {
      const std::string why = GetParam().unavailable();
      if (!why.empty()) GTEST_SKIP() << why;
    }
    log_ = GetParam().make();
  }
  std::unique_ptr<EventLog> OpenWriter();
  std::unique_ptr<EventLog> OpenReader();

  std::unique_ptr<LogUnderTest> log_;
};

}  // namespace regatta::testing

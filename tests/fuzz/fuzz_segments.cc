// libFuzzer: segment recovery over the bytes of a log directory's files.
// The input is cut into up to four segment files (named for revisions the
// input's first bytes give, so names that follow on, gaps and renames all
// occur); then the directory's state is decided, a writer opens it (and
// repairs it), the log is scanned and verified. Nothing may crash, and a
// log the writer opened must verify clean after its repair.
#include <cstddef>
#include <cstdint>
#include <string>

#include "events/file_log/file_log.h"
#include "events/file_log/log_state.h"
#include "events/file_log/memory_fs.h"
#include "events/file_log/segment.h"
#include "events/file_log/verify.h"

using namespace regatta;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  filelog::MemoryFileSystem fs;
  const std::string dir = "/f/log";
  if (!fs.CreateDirectories(dir).ok()) return 0;
  std::size_t at = 0;
  auto byte = [&]() -> std::uint8_t { return at < size ? data[at++] : 0; };
  const int files = 1 + byte() % 4;
  Revision base = 0;
  for (int f = 0; f < files && at < size; ++f) {
    const std::size_t length = (static_cast<std::size_t>(byte()) << 8 | byte()) % 4096;
    const std::string bytes(reinterpret_cast<const char*>(data) + at, std::min(length, size - at));
    at += bytes.size();
    fs.SetFile(dir + "/" + filelog::SegmentFileName(base), bytes);
    base += byte() % 8;  // 0: a duplicate name replaces the file; small steps: follow-on or gaps
  }
  auto state = filelog::InspectLog(fs, dir);
  auto verified = VerifyFileLog(dir, fs);
  FileLogOptions options;
  options.fs = &fs;
  auto log = FileEventLog::Open(dir, LogMode::kWriter, options);
  if (!log.ok()) return 0;
  Revision n = 0;
  (void)(*log)->Scan(0, kEndOfLog, [&](const LoggedEvent&) { return ++n, true; });
  log->reset();
  auto after = VerifyFileLog(dir, fs);
  if (after.ok() && !after->first_problem.empty() && after->first_problem.find("malformed envelope") == std::string::npos &&
      after->first_problem.find("envelope of") == std::string::npos) {
    __builtin_trap();  // the writer opened and repaired a log that verify still refuses for its framing
  }
  return 0;
}

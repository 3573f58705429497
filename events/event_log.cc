#include "events/event_log.h"

namespace regatta {
namespace {

// A tail for logs that can scan and wait: scan what is there, otherwise wait
// for the end to move and scan again.
class ScanningTail final : public LogTail {
 public:
  ScanningTail(EventLog* log, Revision from) : log_(log), cursor_(from) {}

  Status Poll(std::chrono::milliseconds timeout, std::size_t max,
              std::vector<OwnedEvent>* out) override {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      std::size_t taken = 0;
      REGATTA_RETURN_IF_ERROR(log_->Scan(cursor_, kEndOfLog, [&](const LoggedEvent& e) {
        out->push_back(OwnedEvent{e.revision, std::string(e.bytes)});
        cursor_ = e.revision + 1;
        return ++taken < max;
      }));
      if (taken > 0) return Status::Ok();
      const auto now = std::chrono::steady_clock::now();
      if (now >= deadline) return Status::Ok();
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
      // Nothing at or past the cursor yet: sleep until the end passes it.
      REGATTA_RETURN_IF_ERROR(log_->WaitForAppend(cursor_, left));
    }
  }

 private:
  EventLog* log_;
  Revision cursor_;
};

}  // namespace

Result<std::unique_ptr<LogTail>> EventLog::Tail(Revision from) {
  return std::unique_ptr<LogTail>(std::make_unique<ScanningTail>(this, from));
}

}  // namespace regatta

#include "api/server/log_follower.h"

#include <chrono>
#include <string_view>
#include <vector>

#include "events/codec.h"

namespace regatta::api {
namespace {

using namespace std::chrono_literals;

// Poll timeouts bound how long the destructor waits for the thread.
constexpr auto kPollTimeout = 200ms;
constexpr std::size_t kMaxBatch = 4096;
constexpr auto kRetryDelay = 500ms;

}  // namespace

Status ReadToEnd(EventLog& log, Revision from, const std::function<void(const CommittedBatch&)>& sink) {
  auto end = log.EndRevision();
  if (!end.ok()) return end.status();
  std::vector<OwnedEvent> read;
  EventDecoder decoder;
  Status bad;
  auto flush = [&] {
    std::vector<std::string_view> envelopes;
    std::vector<Revision> revisions;
    for (const OwnedEvent& e : read) {
      envelopes.emplace_back(e.bytes);
      revisions.push_back(e.revision);
    }
    if (!read.empty()) sink(*CommittedBatch::Make(envelopes, revisions));
    read.clear();
  };
  REGATTA_RETURN_IF_ERROR(log.Scan(from, *end, [&](const LoggedEvent& e) {
    if (auto decoded = decoder.Decode(e); !decoded.ok()) {
      bad = Status::Corruption("revision " + std::to_string(e.revision) + ": " + decoded.status().message());
      return false;
    }
    read.push_back({e.revision, std::string(e.bytes)});
    if (read.size() == kMaxBatch) flush();
    return true;
  }));
  flush();
  return bad;
}

LogFollower::LogFollower(std::shared_ptr<EventLog> log, Revision from, Sink sink,
                         std::function<void(const Status&)> on_error)
    : log_(std::move(log)), sink_(std::move(sink)), on_error_(std::move(on_error)) {
  thread_ = std::thread([this, from] { Run(from); });
}

LogFollower::~LogFollower() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void LogFollower::Run(Revision from) {
  std::unique_ptr<LogTail> tail;
  while (!stop_) {
    if (tail == nullptr) {
      auto opened = log_->Tail(from);
      if (!opened.ok()) {
        on_error_(opened.status());
        std::this_thread::sleep_for(kRetryDelay);
        continue;
      }
      tail = std::move(*opened);
    }
    std::vector<OwnedEvent> read;
    if (Status polled = tail->Poll(kPollTimeout, kMaxBatch, &read); !polled.ok()) {
      on_error_(polled);
      tail = nullptr;  // reopen at the first revision not yet handed on
      std::this_thread::sleep_for(kRetryDelay);
    }
    if (read.empty()) continue;
    // A batch holds only well-formed envelopes: an event that does not
    // decode is reported and read again later, never passed over.
    EventDecoder decoder;
    Status bad;
    for (const OwnedEvent& e : read) {
      if (auto decoded = decoder.Decode(LoggedEvent{e.revision, e.bytes}); !decoded.ok()) {
        bad = Status::Corruption("revision " + std::to_string(e.revision) + ": " + decoded.status().message());
        break;
      }
    }
    if (!bad.ok()) {
      on_error_(bad);
      tail = nullptr;
      std::this_thread::sleep_for(kRetryDelay);
      continue;
    }
    std::vector<std::string_view> envelopes;
    std::vector<Revision> revisions;
    envelopes.reserve(read.size());
    revisions.reserve(read.size());
    for (const OwnedEvent& e : read) {
      envelopes.emplace_back(e.bytes);
      revisions.push_back(e.revision);
    }
    from = read.back().revision + 1;
    sink_(CommittedBatch::Make(envelopes, revisions));
  }
}

}  // namespace regatta::api

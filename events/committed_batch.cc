#include "events/committed_batch.h"

#include <cassert>
#include <cstring>
#include <limits>

namespace regatta {

std::shared_ptr<const CommittedBatch> CommittedBatch::Make(const std::vector<EncodedEvent>& encoded,
                                                           const std::vector<Revision>& revisions) {
  std::vector<std::string_view> envelopes;
  envelopes.reserve(encoded.size());
  for (const EncodedEvent& e : encoded) envelopes.emplace_back(e.bytes);
  return Make(envelopes, revisions);
}

std::shared_ptr<const CommittedBatch> CommittedBatch::Make(const std::vector<std::string_view>& events,
                                                           const std::vector<Revision>& revisions) {
  assert(events.size() == revisions.size());
  std::shared_ptr<CommittedBatch> batch(new CommittedBatch());
  std::size_t total = 0;
  for (std::string_view e : events) total += e.size() / sizeof(capnp::word);
  batch->words_ = kj::heapArray<capnp::word>(total);
  batch->offsets_.reserve(events.size() + 1);
  std::size_t at = 0;
  for (std::string_view e : events) {
    batch->offsets_.push_back(at);
    std::memcpy(batch->words_.begin() + at, e.data(), e.size() / sizeof(capnp::word) * sizeof(capnp::word));
    at += e.size() / sizeof(capnp::word);
  }
  batch->offsets_.push_back(at);
  // Read many times, by several actors, over the batch's life: a traversal
  // limit (a guard against hostile input) would run out for no reason.
  capnp::ReaderOptions options;
  options.traversalLimitInWords = std::numeric_limits<std::uint64_t>::max();
  batch->readers_.reserve(events.size());
  batch->events_.reserve(events.size());
  for (std::size_t i = 0; i < events.size(); ++i) {
    auto words = batch->words_.slice(batch->offsets_[i], batch->offsets_[i + 1]);
    batch->readers_.push_back(std::make_unique<capnp::FlatArrayMessageReader>(words, options));
    batch->events_.push_back(Event{revisions[i], batch->readers_.back()->getRoot<schema::Envelope>()});
  }
  return batch;
}

std::string_view CommittedBatch::bytes(std::size_t i) const {
  auto b = words_.slice(offsets_[i], offsets_[i + 1]).asBytes();
  return {reinterpret_cast<const char*>(b.begin()), b.size()};
}

}  // namespace regatta

// What one append wrote, decoded once and shared read-only by every reader
// in the process: the master applies it to its projections, carries out its
// effects with it, and hands the same batch to the allocator and the
// frameworks, which fold it into theirs. Nobody decodes an event twice.
//
// Immutable once made, so actors share it by shared_ptr<const ...> on any
// thread: reading a Cap'n Proto message from several threads is safe.
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

#include <capnp/serialize.h>

#include "events/event.h"

namespace regatta {

class CommittedBatch {
 public:
  // The envelopes (flat messages, at any alignment) and the revisions the
  // log gave them. REQUIRES: equal sizes; every envelope well-formed: built
  // by this process, or already decoded from the log with its checks.
  static std::shared_ptr<const CommittedBatch> Make(const std::vector<std::string_view>& envelopes,
                                                    const std::vector<Revision>& revisions);
  static std::shared_ptr<const CommittedBatch> Make(const std::vector<EncodedEvent>& events,
                                                    const std::vector<Revision>& revisions);

  CommittedBatch(const CommittedBatch&) = delete;
  CommittedBatch& operator=(const CommittedBatch&) = delete;

  const std::vector<Event>& events() const { return events_; }
  std::size_t size() const { return events_.size(); }
  bool empty() const { return events_.empty(); }
  // The stored bytes of event i, for a copy that outlives the batch.
  std::string_view bytes(std::size_t i) const;

 private:
  CommittedBatch() = default;

  kj::Array<capnp::word> words_;           // every envelope, back to back, aligned
  std::vector<std::size_t> offsets_;       // in words; one past the end last
  std::vector<std::unique_ptr<capnp::FlatArrayMessageReader>> readers_;
  std::vector<Event> events_;
};

using CommittedBatchPtr = std::shared_ptr<const CommittedBatch>;

}  // namespace regatta

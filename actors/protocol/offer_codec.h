// Building and reading the messages of the offer cycle (messages.capnp:
// master -> subscribers, allocator <-> frameworks, allocator -> master).
// Pure: no CAF.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "actors/allocator/offer_book.h"
#include "actors/master/master_core.h"
#include "actors/protocol/codec.h"
#include "events/event.h"

namespace regatta::protocol {

// ------------------------------------------------------------ master -> subscribers

Bytes EventBatchMessage(const std::vector<EncodedEvent>& events, const std::vector<Revision>& revisions);
// Folds every event of a batch into `fold` in order. Corruption when the
// batch or an event does not decode.
Status ForEachCommitted(const Bytes& batch, const std::function<void(const Event&)>& fold);

Bytes AgentSessionMessage(const std::string& agent_id, bool connected);

// ------------------------------------------------------------ allocator -> framework

Bytes OffersMessage(const std::vector<allocator::OutstandingOffer>& offers, Revision revision);
Bytes RescindedMessage(const std::vector<std::string>& offer_ids, Revision revision);
Bytes LaunchFailedMessage(capnp::List<TaskToLaunch>::Reader tasks, Revision revision);

struct ReceivedOffer {
  std::string offer_id;
  allocator::Offer offer;
};
std::vector<ReceivedOffer> ToOffers(capnp::List<Offer>::Reader offers, const std::string& framework_id);

// ------------------------------------------------------------ framework -> allocator

Bytes SubscribeCall(const std::string& framework_id, const std::string& role);
Bytes AcceptCall(const std::string& framework_id, const std::string& offer_id,
                 const std::vector<master::TaskToLaunch>& tasks);
Bytes DeclineCall(const std::string& framework_id, const std::vector<std::string>& offer_ids,
                  double refuse_seconds);
Bytes ReviveCall(const std::string& framework_id);
Bytes SuppressCall(const std::string& framework_id);

// ------------------------------------------------------------ allocator -> master

Bytes LaunchMessage(const std::string& framework_id, const allocator::Offer& offer,
                    capnp::List<TaskToLaunch>::Reader tasks);
master::AcceptOffer ToCommand(Launch::Reader launch);

}  // namespace regatta::protocol

// Building and reading the messages of the offer cycle (messages.capnp:
// master -> subscribers, allocator <-> frameworks, allocator -> master).
// Pure: no CAF.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "actors/protocol/codec.h"
#include "events/domain/commands.h"
#include "events/event.h"

namespace regatta::protocol {

// ------------------------------------------------------------ master -> subscribers

Bytes AgentSessionMessage(const std::string& agent_id, bool connected);

// ------------------------------------------------------------ allocator -> framework

Bytes OffersMessage(const std::vector<domain::NamedOffer>& offers, Revision revision);
Bytes RescindedMessage(const std::vector<std::string>& offer_ids, Revision revision);
Bytes LaunchFailedMessage(capnp::List<TaskToLaunch>::Reader tasks, Revision revision);

std::vector<domain::NamedOffer> ToOffers(capnp::List<Offer>::Reader offers, const std::string& framework_id);

// ------------------------------------------------------------ framework -> allocator

Bytes SubscribeCall(const std::string& framework_id, const std::string& role);
Bytes AcceptCall(const std::string& framework_id, const std::string& offer_id,
                 const std::vector<domain::TaskToLaunch>& tasks);
Bytes DeclineCall(const std::string& framework_id, const std::vector<std::string>& offer_ids,
                  double refuse_seconds);
Bytes ReviveCall(const std::string& framework_id);
Bytes SuppressCall(const std::string& framework_id);

// ------------------------------------------------------------ allocator -> master

Bytes LaunchMessage(const std::string& framework_id, const domain::Offer& offer,
                    capnp::List<TaskToLaunch>::Reader tasks);
domain::AcceptOffer ToCommand(Launch::Reader launch);

}  // namespace regatta::protocol

// A one-shot client of the master, for the CLI: connect, send one
// ClientMessage, wait for the MasterReply.
#pragma once

#include <cstdint>
#include <string>

#include "actors/protocol/codec.h"
#include "events/status.h"

namespace regatta::runtime {

// OK when the master acknowledged; the master's refusal (InvalidArgument,
// with its reason) or Unavailable (cannot reach it, or it could not commit)
// otherwise.
Status SendToMaster(const std::string& host, std::uint16_t port, const protocol::Bytes& client_message);

}  // namespace regatta::runtime

// A one-shot client of the master, for the CLI: connect, send one
// ClientMessage, wait for the MasterReply.
//
// Why each attempt runs in a child process. CAF 0.17 names a node by host
// and process id, and its middleman keeps a routing table from connection
// handle (the socket's fd) to node. When a connection closes, the master's
// middleman removes the route only later, through its own mailbox; Linux
// hands the freed fd to the next connection at once. A client that connects
// in that window shares its fd with a dead route: its handshake is not
// recorded, its requests arrive with no sender (or with the dead client's),
// and no reply can reach it. That connection stays broken, and so does any
// later one from the same process (the same node id). So an attempt first
// pings the master; only when the ping's reply comes back, which proves the
// route, does it send the command, which thus goes out at most once. An
// attempt whose ping gets no reply ends, and the next runs in a new process
// (a new pid, a new node id) with a longer ping timeout.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "actors/protocol/codec.h"
#include "events/base/status.h"

namespace regatta::runtime {

struct ClientOptions {
  // One attempt per entry, each in a fresh process, each ping waiting this
  // long. A slow master costs a spare ping, never a second command.
  std::vector<std::chrono::milliseconds> ping_timeouts = {std::chrono::seconds(2), std::chrono::seconds(4),
                                                          std::chrono::seconds(8), std::chrono::seconds(16)};
  std::chrono::milliseconds reply_timeout = std::chrono::seconds(30);
};

// OK when the master acknowledged; otherwise the master's refusal with the
// code its decide step gave (InvalidArgument, NotFound, ...), or
// Unavailable (cannot reach it, or it could not commit). REQUIRES: the calling process has started no threads (it
// forks); the CLI calls it from main's thread before anything else runs.
Status SendToMaster(const std::string& host, std::uint16_t port, const protocol::Bytes& client_message,
                    const ClientOptions& options = {});

}  // namespace regatta::runtime

// How Regatta's daemons stop: SIGINT and SIGTERM are blocked in every
// thread (call BlockStopSignals before starting any), and the main thread
// waits for one of them, then shuts the actors down in order.
#pragma once

#include <chrono>
#include <string>

namespace regatta::runtime {

void BlockStopSignals();
// Returns the signal that arrived.
int WaitForStopSignal();
// The same, giving up after `timeout`: 0 when no stop signal came.
int WaitForStopSignalFor(std::chrono::milliseconds timeout);

// Ends the process with status 0 if it is still running `grace` from now,
// saying so on stderr as `who`. Called once a daemon starts stopping:
// CAF 0.17 can keep a detached actor's thread waiting for a reference its
// middleman never drops (seen when the master went away at the moment an
// agent stopped), and the actor system's destructor then waits forever. A
// daemon's state is durable by then (the log, the agent's checkpoints), so
// leaving without the rest of the teardown loses nothing.
void ExitIfStillStoppingAfter(std::chrono::milliseconds grace, std::string who);

}  // namespace regatta::runtime

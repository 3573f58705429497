// How Regatta's daemons stop: SIGINT and SIGTERM are blocked in every
// thread (call BlockStopSignals before starting any), and the main thread
// waits for one of them, then shuts the actors down in order.
#pragma once

namespace regatta::runtime {

void BlockStopSignals();
// Returns the signal that arrived.
int WaitForStopSignal();

}  // namespace regatta::runtime

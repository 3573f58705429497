// Opening an EventLog from a user's description of it:
//   file:DIR or a plain path   the embedded log in DIR
//   kafka://HOST:PORT/CLUSTER  Kafka (see the Kafka issue)
#pragma once

#include <memory>
#include <string>

#include "events/event_log.h"

namespace regatta {

Result<std::unique_ptr<EventLog>> OpenEventLog(const std::string& uri, LogMode mode);

}  // namespace regatta

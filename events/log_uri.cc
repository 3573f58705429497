#include "events/log_uri.h"

#include "events/file_log/file_log.h"
#include "events/kafka/kafka_log.h"

namespace regatta {

Result<std::unique_ptr<EventLog>> OpenEventLog(const std::string& uri, LogMode mode) {
  if (uri.empty()) return Status::InvalidArgument("log: empty location");
  if (uri.rfind("kafka://", 0) == 0) {
    auto options = ParseKafkaUri(uri);
    if (!options.ok()) return options.status();
    return OpenKafkaEventLog(*options, mode);
  }
  std::string dir = uri.rfind("file:", 0) == 0 ? uri.substr(5) : uri;
  auto log = FileEventLog::Open(dir, mode);
  if (!log.ok()) return log.status();
  return std::unique_ptr<EventLog>(std::move(*log));
}

}  // namespace regatta

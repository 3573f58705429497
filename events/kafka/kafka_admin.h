// Topic administration for the Kafka log, through librdkafka's C admin API
// (the C++ API has none).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafkacpp.h>

#include "events/base/status.h"

namespace regatta::kafka {

// A librdkafka global configuration from key/value pairs; InvalidArgument
// naming the key librdkafka rejected.
Result<std::unique_ptr<RdKafka::Conf>> MakeConf(
    const std::vector<std::pair<std::string, std::string>>& settings);

struct TopicSpec {
  std::string name;
  int partitions = 1;
  int replication_factor = 1;
  std::map<std::string, std::string> config;
};

// The topic's partition count, or NotFound.
Result<int> PartitionCount(rd_kafka_t* handle, const std::string& topic, int timeout_ms);

// Creates the topic; OK if it already exists.
Status CreateTopic(rd_kafka_t* handle, const TopicSpec& spec, int timeout_ms);

// The topic's effective configuration.
Result<std::map<std::string, std::string>> DescribeTopicConfig(rd_kafka_t* handle,
                                                               const std::string& topic,
                                                               int timeout_ms);

// Checks the history topic's shape: one partition, no compaction, retention
// unlimited in time and size. FailedPrecondition says what is wrong and why
// Regatta refuses it.
Status CheckHistoryTopic(rd_kafka_t* handle, const std::string& topic, int timeout_ms);

}  // namespace regatta::kafka

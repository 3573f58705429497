#include "events/kafka/kafka_admin.h"

#include <memory>

namespace regatta::kafka {
namespace {

// Owns one admin request's queue and result event.
struct AdminCall {
  explicit AdminCall(rd_kafka_t* handle) : queue(rd_kafka_queue_new(handle)) {}
  ~AdminCall() {
    if (event) rd_kafka_event_destroy(event);
    rd_kafka_queue_destroy(queue);
  }
  Status Wait(int timeout_ms, const char* what) {
    event = rd_kafka_queue_poll(queue, timeout_ms + 1000);
    if (event == nullptr) return Status::Unavailable(std::string(what) + ": no answer from Kafka");
    if (rd_kafka_event_error(event)) {
      return Status::Unavailable(std::string(what) + ": " + rd_kafka_event_error_string(event));
    }
    return Status::Ok();
  }
  rd_kafka_queue_t* queue;
  rd_kafka_event_t* event = nullptr;
};

rd_kafka_AdminOptions_t* Options(rd_kafka_t* handle, rd_kafka_admin_op_t op, int timeout_ms) {
  rd_kafka_AdminOptions_t* options = rd_kafka_AdminOptions_new(handle, op);
  char err[256];
  rd_kafka_AdminOptions_set_request_timeout(options, timeout_ms, err, sizeof err);
  return options;
}

}  // namespace

Result<std::unique_ptr<RdKafka::Conf>> MakeConf(
    const std::vector<std::pair<std::string, std::string>>& settings) {
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  std::string err;
  for (const auto& [key, value] : settings) {
    if (conf->set(key, value, err) != RdKafka::Conf::CONF_OK) {
      return Status::InvalidArgument("kafka config " + key + ": " + err);
    }
  }
  return conf;
}

Result<int> PartitionCount(rd_kafka_t* handle, const std::string& topic, int timeout_ms) {
  rd_kafka_topic_t* rkt = rd_kafka_topic_new(handle, topic.c_str(), nullptr);
  const rd_kafka_metadata_t* metadata = nullptr;
  const rd_kafka_resp_err_t err = rd_kafka_metadata(handle, 0, rkt, &metadata, timeout_ms);
  rd_kafka_topic_destroy(rkt);
  if (err) return Status::Unavailable("metadata for " + topic + ": " + rd_kafka_err2str(err));
  std::unique_ptr<const rd_kafka_metadata_t, void (*)(const rd_kafka_metadata_t*)> owned(
      metadata, rd_kafka_metadata_destroy);
  if (metadata->topic_cnt != 1 ||
      metadata->topics[0].err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART) {
    return Status::NotFound("no Kafka topic " + topic);
  }
  if (metadata->topics[0].err) {
    return Status::Unavailable("metadata for " + topic + ": " + rd_kafka_err2str(metadata->topics[0].err));
  }
  return metadata->topics[0].partition_cnt;
}

Status CreateTopic(rd_kafka_t* handle, const TopicSpec& spec, int timeout_ms) {
  char err[512];
  rd_kafka_NewTopic_t* topic = rd_kafka_NewTopic_new(spec.name.c_str(), spec.partitions,
                                                     spec.replication_factor, err, sizeof err);
  if (topic == nullptr) return Status::InvalidArgument("topic " + spec.name + ": " + err);
  for (const auto& [key, value] : spec.config) {
    rd_kafka_NewTopic_set_config(topic, key.c_str(), value.c_str());
  }
  AdminCall call(handle);
  rd_kafka_AdminOptions_t* options = Options(handle, RD_KAFKA_ADMIN_OP_CREATETOPICS, timeout_ms);
  rd_kafka_CreateTopics(handle, &topic, 1, options, call.queue);
  rd_kafka_AdminOptions_destroy(options);
  rd_kafka_NewTopic_destroy(topic);
  REGATTA_RETURN_IF_ERROR(call.Wait(timeout_ms, "create topic"));
  size_t count = 0;
  const rd_kafka_topic_result_t** results =
      rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(call.event), &count);
  for (size_t i = 0; i < count; ++i) {
    const rd_kafka_resp_err_t e = rd_kafka_topic_result_error(results[i]);
    if (e && e != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
      return Status::Unavailable("create topic " + spec.name + ": " +
                                 rd_kafka_topic_result_error_string(results[i]));
    }
  }
  return Status::Ok();
}

Result<std::map<std::string, std::string>> DescribeTopicConfig(rd_kafka_t* handle,
                                                               const std::string& topic,
                                                               int timeout_ms) {
  rd_kafka_ConfigResource_t* resource =
      rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, topic.c_str());
  AdminCall call(handle);
  rd_kafka_AdminOptions_t* options = Options(handle, RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS, timeout_ms);
  rd_kafka_DescribeConfigs(handle, &resource, 1, options, call.queue);
  rd_kafka_AdminOptions_destroy(options);
  rd_kafka_ConfigResource_destroy(resource);
  REGATTA_RETURN_IF_ERROR(call.Wait(timeout_ms, "describe topic config"));
  size_t count = 0;
  const rd_kafka_ConfigResource_t** resources = rd_kafka_DescribeConfigs_result_resources(
      rd_kafka_event_DescribeConfigs_result(call.event), &count);
  if (count != 1 || rd_kafka_ConfigResource_error(resources[0])) {
    return Status::Unavailable("describe config of " + topic + ": " +
                               (count ? rd_kafka_ConfigResource_error_string(resources[0]) : "no result"));
  }
  size_t n = 0;
  const rd_kafka_ConfigEntry_t** entries = rd_kafka_ConfigResource_configs(resources[0], &n);
  std::map<std::string, std::string> config;
  for (size_t i = 0; i < n; ++i) {
    const char* value = rd_kafka_ConfigEntry_value(entries[i]);
    config[rd_kafka_ConfigEntry_name(entries[i])] = value ? value : "";
  }
  return config;
}

Status CheckHistoryTopic(rd_kafka_t* handle, const std::string& topic, int timeout_ms) {
  auto partitions = PartitionCount(handle, topic, timeout_ms);
  if (!partitions.ok()) return partitions.status();
  const std::string refuse = "Kafka topic " + topic + " cannot hold Regatta's history: ";
  if (*partitions != 1) {
    return Status::FailedPrecondition(refuse + "it has " + std::to_string(*partitions) +
                                      " partitions; the total order needs exactly 1");
  }
  auto config = DescribeTopicConfig(handle, topic, timeout_ms);
  if (!config.ok()) return config.status();
  const std::string policy = (*config)["cleanup.policy"];
  if (policy.find("compact") != std::string::npos) {
    return Status::FailedPrecondition(refuse + "cleanup.policy=" + policy +
                                      " would delete superseded events");
  }
  for (const char* key : {"retention.ms", "retention.bytes"}) {
    if ((*config)[key] != "-1") {
      return Status::FailedPrecondition(refuse + key + "=" + (*config)[key] +
                                        " would delete old events; it must be -1");
    }
  }
  return Status::Ok();
}

}  // namespace regatta::kafka

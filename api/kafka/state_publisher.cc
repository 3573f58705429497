#include "api/kafka/state_publisher.h"

#include <librdkafka/rdkafkacpp.h>

#include <memory>
#include <set>

#include "events/codec.h"
#include "events/kafka/kafka_admin.h"
#include "projections/state_records.h"

namespace regatta {
namespace {

using projections::StateKey;
using projections::StateRecord;
using projections::StateTopic;

constexpr StateTopic kTopics[] = {StateTopic::kApps, StateTopic::kServices, StateTopic::kAgents};

class StateProducer {
 public:
  static Result<std::unique_ptr<StateProducer>> Create(const KafkaLogOptions& log) {
    auto conf = kafka::MakeConf({{"bootstrap.servers", log.brokers},
                                 {"enable.idempotence", "true"},
                                 {"acks", "all"},
                                 {"linger.ms", "5"}});
    if (!conf.ok()) return conf.status();
    std::string err;
    std::unique_ptr<RdKafka::Producer> producer(RdKafka::Producer::create(conf->get(), err));
    if (!producer) return Status::Unavailable("kafka producer: " + err);
    auto self = std::unique_ptr<StateProducer>(new StateProducer(log, std::move(producer)));
    REGATTA_RETURN_IF_ERROR(self->CreateTopics());
    return self;
  }

  Status Send(const StateRecord& record, PublishReport* report) {
    const std::string topic = StateTopicName(log_.cluster, projections::StateTopicSuffix(record.topic));
    RdKafka::Headers* headers = RdKafka::Headers::create();
    headers->add("revision", std::to_string(record.revision));
    headers->add("content-type", ContentType(record.topic));
    for (;;) {
      const auto err = producer_->produce(
          topic, RdKafka::Topic::PARTITION_UA, RdKafka::Producer::RK_MSG_COPY,
          record.value ? const_cast<char*>(record.value->data()) : nullptr,
          record.value ? record.value->size() : 0, record.key.data(), record.key.size(), 0, headers,
          nullptr);
      if (err == RdKafka::ERR_NO_ERROR) break;
      if (err != RdKafka::ERR__QUEUE_FULL) {
        delete headers;
        return Status::Unavailable("kafka produce to " + topic + ": " + RdKafka::err2str(err));
      }
      producer_->poll(10);
    }
    ++report->records;
    if (!record.value) ++report->tombstones;
    return Status::Ok();
  }

  Status Flush() {
    if (producer_->flush(log_.request_timeout_ms) != RdKafka::ERR_NO_ERROR) {
      return Status::Unavailable("kafka: state records not acknowledged in time");
    }
    return Status::Ok();
  }

 private:
  StateProducer(KafkaLogOptions log, std::unique_ptr<RdKafka::Producer> producer)
      : log_(std::move(log)), producer_(std::move(producer)) {}

  static const char* ContentType(StateTopic topic) {
    switch (topic) {
      case StateTopic::kApps: return "application/x-capnp; schema=regatta/state.capnp; root=AppState";
      case StateTopic::kServices: return "application/x-capnp; schema=regatta/state.capnp; root=ServiceState";
      case StateTopic::kAgents: return "application/x-capnp; schema=regatta/state.capnp; root=AgentState";
    }
    return "application/x-capnp";
  }

  Status CreateTopics() {
    for (StateTopic t : kTopics) {
      kafka::TopicSpec spec{StateTopicName(log_.cluster, projections::StateTopicSuffix(t)), 1,
                            log_.replication_factor, {{"cleanup.policy", "compact"}}};
      REGATTA_RETURN_IF_ERROR(kafka::CreateTopic(producer_->c_ptr(), spec, log_.request_timeout_ms));
    }
    return Status::Ok();
  }

  KafkaLogOptions log_;
  std::unique_ptr<RdKafka::Producer> producer_;
};

// Folds events into the projections and collects the objects they touched.
struct Folder {
  projections::ProjectionSet set;
  EventDecoder decoder;
  std::set<StateKey> dirty;

  Status Fold(const OwnedEvent& stored) {
    auto event = decoder.Decode(stored.view());
    if (!event.ok()) return event.status();
    auto touched = projections::AffectedBy(set, *event);
    dirty.insert(touched.begin(), touched.end());
    return set.Apply(*event);
  }
};

Status Ship(Folder& folder, StateProducer& producer, PublishReport* report) {
  for (const StateRecord& record : projections::RecordsFor(folder.set, folder.dirty)) {
    REGATTA_RETURN_IF_ERROR(producer.Send(record, report));
  }
  folder.dirty.clear();
  return producer.Flush();
}

}  // namespace

std::string StateTopicName(const std::string& cluster, const char* suffix) {
  return cluster + "." + suffix;
}

Result<PublishReport> PublishState(const StatePublisherOptions& options) {
  auto log = OpenKafkaEventLog(options.log, LogMode::kReader);
  if (!log.ok()) return log.status();
  auto producer = StateProducer::Create(options.log);
  if (!producer.ok()) return producer.status();
  auto end = (*log)->EndRevision();
  if (!end.ok()) return end.status();
  auto tail = (*log)->Tail(0);
  if (!tail.ok()) return tail.status();

  // Catch up on all of history first, then write each object once.
  Folder folder;
  PublishReport report;
  auto idle_since = std::chrono::steady_clock::now();
  bool caught_up = false;
  for (;;) {
    std::vector<OwnedEvent> batch;
    REGATTA_RETURN_IF_ERROR((*tail)->Poll(std::chrono::milliseconds(200), 4096, &batch));
    for (const OwnedEvent& e : batch) REGATTA_RETURN_IF_ERROR(folder.Fold(e));
    report.events += batch.size();
    const bool at_end = batch.empty() || batch.back().revision + 1 >= *end;
    if (!batch.empty()) idle_since = std::chrono::steady_clock::now();
    if (!caught_up && !at_end) continue;
    if (!caught_up || !folder.dirty.empty()) {
      // First pass: publish everything, including objects that end up gone.
      REGATTA_RETURN_IF_ERROR(Ship(folder, **producer, &report));
      caught_up = true;
    }
    if (!options.follow) return report;
    if (options.idle_exit.count() > 0 &&
        std::chrono::steady_clock::now() - idle_since >= options.idle_exit) {
      return report;
    }
  }
}

}  // namespace regatta

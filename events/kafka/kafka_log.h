// KafkaEventLog: the event log on Apache Kafka, through librdkafka.
//
// The history topic `<cluster>.events` has ONE partition, so it holds the
// total order, and a revision is the record's Kafka offset. Offsets have
// gaps: each transaction's commit marker takes one.
//
// Writes are idempotent and transactional, one transaction per group of
// appends (concurrent appends share one, as the file log shares an
// fdatasync), with acks=all: an Append returns once the broker has committed
// it. The transactional.id is derived from the cluster name, so a newer
// writer fences an older one: the old writer's next Append fails with
// Conflict, and nothing it sends after that becomes visible (readers use
// read_committed).
//
// Records: key = the aggregate id, value = the Cap'n Proto Envelope,
// headers = type, schema-version, content-type. See docs/integrations.md.
#pragma once

#include <memory>
#include <string>

#include "events/event_log.h"

namespace regatta {

struct KafkaLogOptions {
  std::string brokers;        // host:port[,host:port...]
  std::string cluster;        // topic prefix and transactional.id seed
  int request_timeout_ms = 30000;
  int replication_factor = 1;  // for a topic this log creates
  // The least time from one commit to the next transaction's first record.
  // The coordinator writes the previous transaction's markers just after
  // acknowledging its commit; a new transaction that registers its
  // partition before they are written is told CONCURRENT_TRANSACTIONS, and
  // librdkafka 2.0 retries only after a fixed 20 ms. Waiting a little avoids
  // that and lets more appends join the next group.
  int transaction_spacing_ms = 3;
};

// Parses "kafka://HOST:PORT[,HOST:PORT]/CLUSTER".
Result<KafkaLogOptions> ParseKafkaUri(const std::string& uri);

// The history topic's name: "<cluster>.events".
std::string HistoryTopic(const std::string& cluster);

// Writer: creates the history topic if missing and refuses to start when it
// exists with a configuration that would break the total order or lose
// history (more than one partition, compaction, finite retention).
// Reader: NotFound when the topic does not exist.
Result<std::unique_ptr<EventLog>> OpenKafkaEventLog(const KafkaLogOptions& options, LogMode mode);

}  // namespace regatta

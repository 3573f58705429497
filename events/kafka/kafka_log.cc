#include "events/kafka/kafka_log.h"

#include <librdkafka/rdkafkacpp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "events/group_commit.h"
#include "events/kafka/kafka_admin.h"

namespace regatta {
namespace {

constexpr const char* kContentType = "application/x-capnp; schema=regatta/events.capnp; root=Envelope";
constexpr int kAppendAttempts = 3;

using Clock = std::chrono::steady_clock;

// Where a delivery report lands for one produced record.
struct DeliverySlot {
  RdKafka::ErrorCode err = RdKafka::ERR__IN_PROGRESS;
  std::int64_t offset = -1;
};

class DeliveryReports final : public RdKafka::DeliveryReportCb {
 public:
  void dr_cb(RdKafka::Message& message) override {
    auto* slot = static_cast<DeliverySlot*>(message.msg_opaque());
    slot->err = message.err();
    slot->offset = message.offset();
  }
};

using kafka::MakeConf;

bool IsFenced(RdKafka::ErrorCode code) {
  return code == RdKafka::ERR__FENCED || code == RdKafka::ERR_PRODUCER_FENCED ||
         code == RdKafka::ERR_INVALID_PRODUCER_EPOCH;
}

// Takes ownership of a librdkafka Error and turns it into a Status.
Status FromError(RdKafka::Error* error, const std::string& what) {
  std::unique_ptr<RdKafka::Error> owned(error);
  if (!owned) return Status::Ok();
  if (IsFenced(owned->code())) {
    return Status::Conflict(what + ": fenced: a newer writer owns this cluster's log");
  }
  return Status::Unavailable(what + ": " + owned->str());
}

// A read-only cursor over the history partition; used by Scan and Tail.
class PartitionReader {
 public:
  static Result<std::unique_ptr<PartitionReader>> Create(const KafkaLogOptions& options) {
    auto conf = MakeConf({{"bootstrap.servers", options.brokers},
                          {"isolation.level", "read_committed"},
                          {"enable.partition.eof", "true"},
                          {"fetch.wait.max.ms", "10"},
                          {"auto.offset.reset", "earliest"}});
    if (!conf.ok()) return conf.status();
    std::string err;
    std::unique_ptr<RdKafka::Consumer> consumer(RdKafka::Consumer::create(conf->get(), err));
    if (!consumer) return Status::Unavailable("kafka consumer: " + err);
    std::unique_ptr<RdKafka::Topic> topic(
        RdKafka::Topic::create(consumer.get(), HistoryTopic(options.cluster), nullptr, err));
    if (!topic) return Status::Unavailable("kafka topic handle: " + err);
    return std::unique_ptr<PartitionReader>(new PartitionReader(std::move(consumer), std::move(topic)));
  }

  ~PartitionReader() {
    if (started_) consumer_->stop(topic_.get(), 0);
  }

  Status StartAt(Revision from) {
    if (started_) consumer_->stop(topic_.get(), 0);
    started_ = false;
    if (consumer_->start(topic_.get(), 0, static_cast<std::int64_t>(from)) != RdKafka::ERR_NO_ERROR) {
      return Status::Unavailable("kafka: cannot start reading at offset " + std::to_string(from));
    }
    started_ = true;
    return Status::Ok();
  }

  // One message, or nullptr on timeout; `at_end` when caught up.
  Result<std::unique_ptr<RdKafka::Message>> Next(int timeout_ms, bool* at_end) {
    std::unique_ptr<RdKafka::Message> m(consumer_->consume(topic_.get(), 0, timeout_ms));
    *at_end = false;
    switch (m->err()) {
      case RdKafka::ERR_NO_ERROR: return m;
      case RdKafka::ERR__PARTITION_EOF: *at_end = true; return std::unique_ptr<RdKafka::Message>();
      case RdKafka::ERR__TIMED_OUT: return std::unique_ptr<RdKafka::Message>();
      default: return Status::Unavailable("kafka read: " + m->errstr());
    }
  }

  RdKafka::Handle* handle() { return consumer_.get(); }

 private:
  PartitionReader(std::unique_ptr<RdKafka::Consumer> consumer, std::unique_ptr<RdKafka::Topic> topic)
      : consumer_(std::move(consumer)), topic_(std::move(topic)) {}
  std::unique_ptr<RdKafka::Consumer> consumer_;
  std::unique_ptr<RdKafka::Topic> topic_;
  bool started_ = false;
};

class KafkaTail final : public LogTail {
 public:
  KafkaTail(std::unique_ptr<PartitionReader> reader, Revision from)
      : reader_(std::move(reader)), cursor_(from) {}
  Status Poll(std::chrono::milliseconds timeout, std::size_t max, std::vector<OwnedEvent>* out) override {
    const auto deadline = Clock::now() + timeout;
    std::size_t taken = 0;
    while (taken < max) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      bool at_end = false;
      // Once something is in hand, only drain what is already there.
      auto m = reader_->Next(taken ? 0 : static_cast<int>(std::max<long>(0, left.count())), &at_end);
      if (!m.ok()) return m.status();
      if (!*m) {
        if (taken || Clock::now() >= deadline) break;
        continue;
      }
      // A start past the last stable offset is reset (auto.offset.reset) to
      // an earlier one; never hand out what lies before the cursor.
      const auto revision = static_cast<Revision>((*m)->offset());
      if (revision < cursor_) continue;
      const auto* bytes = static_cast<const char*>((*m)->payload());
      out->push_back({revision, std::string(bytes, (*m)->len())});
      cursor_ = revision + 1;
      ++taken;
    }
    return Status::Ok();
  }

 private:
  std::unique_ptr<PartitionReader> reader_;
  Revision cursor_;
};

class KafkaEventLog final : public EventLog {
 public:
  KafkaEventLog(KafkaLogOptions options, LogMode mode)
      : options_(std::move(options)), mode_(mode), topic_(HistoryTopic(options_.cluster)) {}

  Status Open() {
    auto reader = PartitionReader::Create(options_);
    if (!reader.ok()) return reader.status();
    reader_ = std::move(*reader);
    rd_kafka_t* handle = reader_->handle()->c_ptr();
    auto partitions = kafka::PartitionCount(handle, topic_, options_.request_timeout_ms);
    if (!partitions.ok() && partitions.status().code() == StatusCode::kNotFound &&
        mode_ == LogMode::kWriter) {
      REGATTA_RETURN_IF_ERROR(kafka::CreateTopic(handle, HistoryTopicSpec(), options_.request_timeout_ms));
      REGATTA_RETURN_IF_ERROR(AwaitTopicMetadata(handle));
    } else if (!partitions.ok()) {
      return partitions.status();
    }
    REGATTA_RETURN_IF_ERROR(kafka::CheckHistoryTopic(handle, topic_, options_.request_timeout_ms));
    if (mode_ == LogMode::kWriter) return StartProducer();
    return Status::Ok();
  }

  Result<std::vector<Revision>> Append(std::span<const EncodedEvent> batch) override {
    if (mode_ != LogMode::kWriter) return Status::FailedPrecondition(Describe() + " is open read-only");
    if (batch.empty()) return Status::InvalidArgument("append: empty batch");
    return commits_.Submit(batch, [this](std::vector<GroupCommitQueue::Pending*>& group) {
      return WriteGroup(group);
    });
  }

  Status Scan(Revision from, Revision to, const EventVisitor& visit) override {
    std::lock_guard lock(read_mu_);
    REGATTA_RETURN_IF_ERROR(reader_->StartAt(from));
    auto deadline = Clock::now() + std::chrono::milliseconds(options_.request_timeout_ms);
    // What this writer has seen committed must be read back, even though a
    // read_committed consumer stops at the last stable offset: the commit
    // returns before the coordinator has written the transaction's markers
    // to the partition, so for a moment the end trails our own append.
    const Revision must_reach = std::min(to, appended_end_.load());
    Revision next = from;  // one past the last event read
    for (;;) {
      bool at_end = false;
      auto m = reader_->Next(200, &at_end);
      if (!m.ok()) return m.status();
      if (at_end && next >= must_reach) return Status::Ok();
      if (!*m) {
        if (Clock::now() > deadline) return Status::Unavailable(Describe() + ": read timed out");
        continue;
      }
      deadline = Clock::now() + std::chrono::milliseconds(options_.request_timeout_ms);
      const auto revision = static_cast<Revision>((*m)->offset());
      next = std::max(next, revision + 1);
      if (revision < from) continue;
      if (revision >= to) return Status::Ok();
      const std::string_view bytes(static_cast<const char*>((*m)->payload()), (*m)->len());
      if (!visit(LoggedEvent{revision, bytes})) return Status::Ok();
    }
  }

  Result<Revision> EndRevision() override {
    std::lock_guard lock(read_mu_);
    std::int64_t low = 0, high = 0;
    const auto err = reader_->handle()->query_watermark_offsets(topic_, 0, &low, &high,
                                                                 options_.request_timeout_ms);
    if (err != RdKafka::ERR_NO_ERROR) {
      return Status::Unavailable(Describe() + ": end offset: " + RdKafka::err2str(err));
    }
    // The broker's answer can trail an append this handle has already seen
    // committed; never report an end at or below our own last revision.
    return std::max(static_cast<Revision>(high), appended_end_.load());
  }

  Status WaitForAppend(Revision seen, std::chrono::milliseconds timeout) override {
    const auto deadline = Clock::now() + timeout;
    for (;;) {
      auto end = EndRevision();
      if (!end.ok()) return end.status();
      if (*end > seen || Clock::now() >= deadline) return Status::Ok();
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

  Result<std::unique_ptr<LogTail>> Tail(Revision from) override {
    auto reader = PartitionReader::Create(options_);
    if (!reader.ok()) return reader.status();
    REGATTA_RETURN_IF_ERROR((*reader)->StartAt(from));
    return std::unique_ptr<LogTail>(std::make_unique<KafkaTail>(std::move(*reader), from));
  }

  std::string Describe() const override {
    return "kafka://" + options_.brokers + "/" + options_.cluster;
  }

 private:
  kafka::TopicSpec HistoryTopicSpec() const {
    kafka::TopicSpec spec;
    spec.name = topic_;
    spec.partitions = 1;
    spec.replication_factor = options_.replication_factor;
    spec.config = {{"cleanup.policy", "delete"}, {"retention.ms", "-1"}, {"retention.bytes", "-1"}};
    if (options_.replication_factor > 1) spec.config["min.insync.replicas"] = "2";
    return spec;
  }

  // A new topic reaches the broker's metadata cache a moment after the
  // create returns; wait for it rather than report it missing.
  Status AwaitTopicMetadata(rd_kafka_t* handle) {
    const auto deadline = Clock::now() + std::chrono::milliseconds(options_.request_timeout_ms);
    for (;;) {
      auto partitions = kafka::PartitionCount(handle, topic_, options_.request_timeout_ms);
      if (partitions.ok() || Clock::now() >= deadline) return partitions.status();
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }

  Status StartProducer() {
    const std::string timeout = std::to_string(options_.request_timeout_ms);
    auto conf = MakeConf({{"bootstrap.servers", options_.brokers},
                          {"transactional.id", "regatta." + options_.cluster + ".writer"},
                          {"enable.idempotence", "true"},
                          {"acks", "all"},
                          {"linger.ms", "0"},
                          {"message.timeout.ms", timeout},
                          {"transaction.timeout.ms", "60000"},
                          {"retry.backoff.ms", "5"}});
    if (!conf.ok()) return conf.status();
    std::string err;
    if ((*conf)->set("dr_cb", &reports_, err) != RdKafka::Conf::CONF_OK) {
      return Status::InvalidArgument("kafka dr_cb: " + err);
    }
    producer_.reset(RdKafka::Producer::create(conf->get(), err));
    if (!producer_) return Status::Unavailable("kafka producer: " + err);
    // This fences any older writer with the same transactional.id.
    REGATTA_RETURN_IF_ERROR(FromError(producer_->init_transactions(options_.request_timeout_ms),
                                      Describe() + ": init_transactions"));
    // Load the topic's metadata now: otherwise the first append waits for
    // librdkafka's first metadata refresh (about a second).
    return kafka::PartitionCount(producer_->c_ptr(), topic_, options_.request_timeout_ms).status();
  }

  // One transaction for the whole group; retried a bounded number of times
  // on errors that leave the producer usable.
  Status WriteGroup(std::vector<GroupCommitQueue::Pending*>& group) {
    if (!broken_.ok()) return broken_;
    Status last;
    const std::uint64_t call = ++write_calls_;
    for (int attempt = 1; attempt <= kAppendAttempts; ++attempt) {
      if (attempt > 1) std::this_thread::sleep_for(std::chrono::milliseconds(50 * attempt));
      if (commit_pending_) {
        last = Commit();  // resume the commit that timed out
        if (last.code() == StatusCode::kConflict) return Classify(last);
        if (!last.ok()) continue;
        auto slots = std::move(pending_slots_);
        // This very group's transaction went through after all: done, and
        // it must not be written a second time.
        if (pending_call_ == call) return FillRevisions(group, *slots);
        // Otherwise an earlier group's events landed after it was told
        // Unavailable (see Commit); go on with this one.
      }
      last = MakeReady();
      if (last.ok()) last = TryTransaction(group);
      if (last.ok() || last.code() == StatusCode::kConflict) return Classify(last);
      if (!needs_restart_) {
        if (Status fenced = NoteFailure(); !fenced.ok()) return Classify(fenced);
      }
    }
    return Status::Unavailable(Describe() + ": append failed after " + std::to_string(kAppendAttempts) +
                               " attempts: " + last.message());
  }

  // Commits the open transaction. librdkafka's rule: a commit that timed out
  // must be resumed by calling commit again, never by aborting (an abort
  // then fails with "Conflicting commit_transaction API call"). So retry it
  // here within bounds; if it is still unresolved, the next group resumes
  // it first (MakeReady), and its events may yet become visible even though
  // this append reported Unavailable: the outcome of a commit that timed
  // out is unknown, as in any log behind a network.
  Status Commit() {
    const auto deadline = Clock::now() + std::chrono::milliseconds(2 * options_.request_timeout_ms);
    for (;;) {
      std::unique_ptr<RdKafka::Error> error(producer_->commit_transaction(options_.request_timeout_ms));
      if (!error) {
        commit_pending_ = false;
        last_commit_ = Clock::now();
        return Status::Ok();
      }
      if (IsFenced(error->code())) return FromError(error.release(), Describe() + ": commit");
      if (!error->is_retriable() || Clock::now() >= deadline) {
        commit_pending_ = error->is_retriable();
        return Status::Unavailable(Describe() + ": commit: " + error->str());
      }
    }
  }

  // After a failed transaction: a fatal error leaves the producer unusable
  // (it must be replaced); anything else leaves a transaction to abort. A
  // fenced producer is never replaced: that would fence the new writer in
  // turn, and a zombie must stay dead. Returns Conflict when fenced.
  Status NoteFailure() {
    std::string reason;
    const RdKafka::ErrorCode fatal = producer_->fatal_error(reason);
    if (IsFenced(fatal)) return Status::Conflict(Describe() + ": fenced: " + reason);
    if (fatal != RdKafka::ERR_NO_ERROR) {
      needs_restart_ = true;
    } else if (!commit_pending_) {
      needs_abort_ = true;
    }
    return Status::Ok();
  }

  // Brings the producer back to where a transaction can begin.
  Status MakeReady() {
    if (needs_restart_) {
      // A new producer with the same transactional.id: init_transactions
      // bumps the epoch, so anything the old one left open is aborted.
      producer_.reset();
      REGATTA_RETURN_IF_ERROR(StartProducer());
      needs_restart_ = needs_abort_ = commit_pending_ = false;
      pending_slots_.reset();
    }
    if (!needs_abort_) return Status::Ok();
    std::unique_ptr<RdKafka::Error> error(producer_->abort_transaction(options_.request_timeout_ms));
    if (error) {
      if (IsFenced(error->code())) return FromError(error.release(), Describe() + ": abort");
      if (error->is_fatal()) {
        needs_restart_ = true;
        return Status::Unavailable("abort: " + error->str());
      }
      // Retriable (the coordinator is still coming back): try again next attempt.
      if (error->is_retriable()) return Status::Unavailable("abort: " + error->str());
      // Otherwise there was no transaction left to abort.
    }
    needs_abort_ = false;
    return Status::Ok();
  }

  Status Classify(const Status& status) {
    if (status.code() == StatusCode::kConflict) broken_ = status;  // a fenced writer stays fenced
    return status;
  }

  Status TryTransaction(std::vector<GroupCommitQueue::Pending*>& group) {
    REGATTA_RETURN_IF_ERROR(FromError(producer_->begin_transaction(), "begin_transaction"));
    std::size_t total = 0;
    for (auto* p : group) total += p->batch.size();
    // librdkafka writes each record's delivery report into its slot, possibly
    // long after a failure here; the slots must outlive every report.
    auto slots = std::make_unique<std::vector<DeliverySlot>>(total);
    std::size_t i = 0;
    Status produced;
    for (auto* p : group) {
      for (const EncodedEvent& event : p->batch) {
        if (produced.ok()) produced = Produce(event, &(*slots)[i]);
        ++i;
      }
    }
    // Every record must be acknowledged before the commit (and before any
    // abort: librdkafka may fail an abort that races in-flight produces).
    AwaitDeliveries(*slots, i);
    if (!AllResolved(*slots)) {
      parked_.push_back(std::move(slots));  // never free a slot a report may still write
      return Status::Unavailable(Describe() + ": delivery reports did not arrive in time");
    }
    if (!produced.ok()) return produced;
    const std::vector<DeliverySlot>& delivered = *slots;
    for (const DeliverySlot& slot : delivered) {
      if (slot.err != RdKafka::ERR_NO_ERROR) {
        if (IsFenced(slot.err)) return Status::Conflict(Describe() + ": fenced by a newer writer");
        return Status::Unavailable("kafka delivery: " + RdKafka::err2str(slot.err));
      }
    }
    if (Status committed = Commit(); !committed.ok()) {
      if (commit_pending_) {
        pending_slots_ = std::move(slots);
        pending_call_ = write_calls_;
      }
      return committed;
    }
    return FillRevisions(group, *slots);
  }

  Status FillRevisions(std::vector<GroupCommitQueue::Pending*>& group, const std::vector<DeliverySlot>& delivered) {
    std::size_t i = 0;
    for (auto* p : group) {
      p->revisions.clear();
      for (std::size_t k = 0; k < p->batch.size(); ++k) {
        p->revisions.push_back(static_cast<Revision>(delivered[i++].offset));
      }
    }
    appended_end_ = static_cast<Revision>(delivered.back().offset) + 1;
    return Status::Ok();
  }

  static bool AllResolved(const std::vector<DeliverySlot>& slots) {
    for (const DeliverySlot& slot : slots) {
      if (slot.err == RdKafka::ERR__IN_PROGRESS) return false;
    }
    return true;
  }

  // Waits for the delivery reports of the first `produced` slots. They all
  // arrive within message.timeout.ms, as a success or an error; a margin
  // past that guards against waiting forever on a librdkafka bug.
  void AwaitDeliveries(std::vector<DeliverySlot>& slots, std::size_t produced) {
    for (std::size_t k = produced; k < slots.size(); ++k) slots[k].err = RdKafka::ERR__STATE;
    const auto deadline = Clock::now() + std::chrono::milliseconds(2 * options_.request_timeout_ms + 5000);
    while (!AllResolved(slots) && Clock::now() < deadline) producer_->flush(100);
  }

  Status Produce(const EncodedEvent& event, DeliverySlot* slot) {
    const std::string version = std::to_string(kSchemaVersion);
    for (;;) {
      RdKafka::Headers* headers = RdKafka::Headers::create();
      headers->add("type", event.type);
      headers->add("schema-version", version);
      headers->add("content-type", kContentType);
      const auto err = producer_->produce(
          topic_, 0, RdKafka::Producer::RK_MSG_COPY, const_cast<char*>(event.bytes.data()),
          event.bytes.size(), event.key.data(), event.key.size(), 0, headers, slot);
      if (err == RdKafka::ERR_NO_ERROR) return Status::Ok();  // headers now belong to librdkafka
      delete headers;
      if (err != RdKafka::ERR__QUEUE_FULL) {
        return Status::Unavailable("kafka produce: " + RdKafka::err2str(err));
      }
      producer_->poll(10);  // let delivery reports drain the local queue
    }
  }

  const KafkaLogOptions options_;
  const LogMode mode_;
  const std::string topic_;
  Clock::time_point last_commit_{};  // only touched by the group leader
  DeliveryReports reports_;
  std::unique_ptr<RdKafka::Producer> producer_;
  // Only the group leader reads last_commit_ (in the pacer) or writes it.
  GroupCommitQueue commits_{8u << 20, [this] {
    std::this_thread::sleep_until(last_commit_ + std::chrono::milliseconds(options_.transaction_spacing_ms));
  }};
  bool needs_abort_ = false;    // only touched by the group leader
  bool needs_restart_ = false;  // only touched by the group leader
  bool commit_pending_ = false;  // a commit timed out and must be resumed
  std::unique_ptr<std::vector<DeliverySlot>> pending_slots_;  // that commit's records
  std::uint64_t write_calls_ = 0;   // WriteGroup calls so far
  std::uint64_t pending_call_ = 0;  // the call whose commit is pending
  // Slots whose delivery reports never came (see AwaitDeliveries): kept, not
  // freed, so a late report cannot write into freed memory.
  std::vector<std::unique_ptr<std::vector<DeliverySlot>>> parked_;
  Status broken_;             // only touched by the group leader
  std::atomic<Revision> appended_end_{0};  // one past our last committed event

  std::mutex read_mu_;
  std::unique_ptr<PartitionReader> reader_;
};

}  // namespace

std::string HistoryTopic(const std::string& cluster) { return cluster + ".events"; }

Result<KafkaLogOptions> ParseKafkaUri(const std::string& uri) {
  const std::string prefix = "kafka://";
  const Status bad = Status::InvalidArgument("--log: '" + uri + "' is not kafka://HOST:PORT/CLUSTER");
  if (uri.rfind(prefix, 0) != 0) return bad;
  const std::string rest = uri.substr(prefix.size());
  const std::size_t slash = rest.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == rest.size()) return bad;
  KafkaLogOptions options;
  options.brokers = rest.substr(0, slash);
  options.cluster = rest.substr(slash + 1);
  if (options.cluster.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") !=
      std::string::npos) {
    return Status::InvalidArgument("--log: cluster name '" + options.cluster +
                                   "' may use only letters, digits, '-' and '_'");
  }
  return options;
}

Result<std::unique_ptr<EventLog>> OpenKafkaEventLog(const KafkaLogOptions& options, LogMode mode) {
  auto log = std::make_unique<KafkaEventLog>(options, mode);
  REGATTA_RETURN_IF_ERROR(log->Open());
  return std::unique_ptr<EventLog>(std::move(log));
}

}  // namespace regatta

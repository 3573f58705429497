// KafkaEventLog against a real Apache Kafka broker (scripts/kafka), which
// scripts/test starts and names in REGATTA_KAFKA_BROKERS. Without it these
// tests skip and say why; CI always has it.
#include "events/kafka/kafka_log.h"

#include <gtest/gtest.h>
#include <librdkafka/rdkafkacpp.h>
#include <unistd.h>

#include <atomic>
#include <stdexcept>
#include <mutex>
#include <cstdlib>
#include <random>
#include <set>
#include <thread>

#include "events/codec.h"
#include "events/kafka/kafka_admin.h"
#include "tests/events/log_contract.h"
#include "tests/support/sample_events.h"

namespace regatta::testing {
namespace {

using namespace std::chrono_literals;

std::string Brokers() {
  const char* brokers = std::getenv("REGATTA_KAFKA_BROKERS");
  return brokers ? brokers : "";
}

std::string WhyNoKafka() {
  return Brokers().empty() ? "REGATTA_KAFKA_BROKERS is not set: run scripts/test, which starts a real broker"
                           : "";
}

// A cluster name no other test uses: every test gets its own topic.
std::string FreshCluster() {
  static std::atomic<int> counter{0};
  static const unsigned salt = std::random_device{}();
  return "t" + std::to_string(::getpid()) + "-" + std::to_string(salt % 100000) + "-" +
         std::to_string(counter++);
}

KafkaLogOptions OptionsFor(const std::string& cluster, int timeout_ms = 30000) {
  KafkaLogOptions options;
  options.brokers = Brokers();
  options.cluster = cluster;
  options.request_timeout_ms = timeout_ms;
  return options;
}

class KafkaLogUnderTest : public LogUnderTest {
 public:
  Result<std::unique_ptr<EventLog>> Open(LogMode mode) override {
    return OpenKafkaEventLog(OptionsFor(cluster_), mode);
  }

 private:
  std::string cluster_ = FreshCluster();
};

INSTANTIATE_TEST_SUITE_P(Kafka, LogContract,
                         ::testing::Values(LogBackend{
                             "Kafka", [] { return std::make_unique<KafkaLogUnderTest>(); },
                             /*second_writer_fences_first=*/true, WhyNoKafka}),
                         BackendName);

class KafkaLog : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!WhyNoKafka().empty()) GTEST_SKIP() << WhyNoKafka();
  }
  std::unique_ptr<EventLog> Open(LogMode mode, int timeout_ms = 30000) {
    auto log = OpenKafkaEventLog(OptionsFor(cluster_, timeout_ms), mode);
    if (!log.ok()) throw std::runtime_error("open: " + log.status().ToString());
    return std::move(*log);
  }
  std::vector<OwnedEvent> ReadAll(EventLog& log, Revision from = 0) {
    std::vector<OwnedEvent> out;
    EXPECT_TRUE(log.Scan(from, kEndOfLog, [&](const LoggedEvent& e) {
      out.push_back({e.revision, std::string(e.bytes)});
      return true;
    }).ok());
    return out;
  }
  std::set<std::string> Keys(EventLog& log) {
    std::set<std::string> keys;
    EventDecoder decoder;
    for (const auto& e : ReadAll(log)) {
      auto event = decoder.Decode(e.view());
      EXPECT_TRUE(event.ok());
      if (event.ok()) keys.insert(AggregateKey(event->envelope));
    }
    return keys;
  }
  // An admin handle for shaping topics behind the log's back.
  std::unique_ptr<RdKafka::Producer> AdminHandle() {
    std::string err;
    std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
    conf->set("bootstrap.servers", Brokers(), err);
    return std::unique_ptr<RdKafka::Producer>(RdKafka::Producer::create(conf.get(), err));
  }

  std::string cluster_ = FreshCluster();
};

std::vector<EncodedEvent> One(const std::string& key) { return {AgentGone(key)}; }

TEST_F(KafkaLog, CreatesTheHistoryTopicWithOnePartitionAndUnlimitedRetention) {
  auto log = Open(LogMode::kWriter);
  auto admin = AdminHandle();
  auto partitions = kafka::PartitionCount(admin->c_ptr(), HistoryTopic(cluster_), 10000);
  ASSERT_TRUE(partitions.ok()) << partitions.status().ToString();
  EXPECT_EQ(*partitions, 1);
  auto config = kafka::DescribeTopicConfig(admin->c_ptr(), HistoryTopic(cluster_), 10000);
  ASSERT_TRUE(config.ok());
  EXPECT_EQ((*config)["retention.ms"], "-1");
  EXPECT_EQ((*config)["retention.bytes"], "-1");
  EXPECT_EQ((*config)["cleanup.policy"], "delete");
}

TEST_F(KafkaLog, RefusesATopicWithMoreThanOnePartition) {
  auto admin = AdminHandle();
  ASSERT_TRUE(kafka::CreateTopic(admin->c_ptr(), {HistoryTopic(cluster_), 3, 1, {}}, 10000).ok());
  auto log = OpenKafkaEventLog(OptionsFor(cluster_), LogMode::kWriter);
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(log.status().message().find("3 partitions"), std::string::npos) << log.status().message();
}

TEST_F(KafkaLog, RefusesACompactedTopic) {
  auto admin = AdminHandle();
  ASSERT_TRUE(kafka::CreateTopic(admin->c_ptr(),
                                 {HistoryTopic(cluster_), 1, 1, {{"cleanup.policy", "compact"}}}, 10000).ok());
  auto log = OpenKafkaEventLog(OptionsFor(cluster_), LogMode::kWriter);
  ASSERT_FALSE(log.ok());
  EXPECT_NE(log.status().message().find("cleanup.policy=compact"), std::string::npos);
}

TEST_F(KafkaLog, RefusesATopicWithFiniteRetention) {
  auto admin = AdminHandle();
  ASSERT_TRUE(kafka::CreateTopic(admin->c_ptr(),
                                 {HistoryTopic(cluster_), 1, 1, {{"retention.ms", "604800000"}}}, 10000).ok());
  auto log = OpenKafkaEventLog(OptionsFor(cluster_), LogMode::kWriter);
  ASSERT_FALSE(log.ok());
  EXPECT_NE(log.status().message().find("retention.ms=604800000"), std::string::npos);
}

TEST_F(KafkaLog, AReaderOfAMissingClusterGetsNotFound) {
  auto log = OpenKafkaEventLog(OptionsFor(cluster_), LogMode::kReader);
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.status().code(), StatusCode::kNotFound);
}

TEST_F(KafkaLog, AFencedWriterNeverGetsAnEventIntoTheLog) {
  auto old_writer = Open(LogMode::kWriter);
  ASSERT_TRUE(old_writer->Append(One("before")).ok());
  auto new_writer = Open(LogMode::kWriter);
  for (int i = 0; i < 3; ++i) {
    auto zombie = old_writer->Append(One("zombie-" + std::to_string(i)));
    ASSERT_FALSE(zombie.ok());
    EXPECT_EQ(zombie.status().code(), StatusCode::kConflict);
  }
  ASSERT_TRUE(new_writer->Append(One("after")).ok());
  auto reader = Open(LogMode::kReader);
  EXPECT_EQ(Keys(*reader), (std::set<std::string>{"before", "after"}));
}

TEST_F(KafkaLog, ScanAndTailStartAtAnyOffset) {
  auto writer = Open(LogMode::kWriter);
  std::vector<Revision> revisions;
  for (int b = 0; b < 4; ++b) {
    std::vector<EncodedEvent> batch;
    for (int i = 0; i < 3; ++i) batch.push_back(AgentGone("k" + std::to_string(b * 3 + i)));
    auto r = writer->Append(batch);
    ASSERT_TRUE(r.ok());
    revisions.insert(revisions.end(), r->begin(), r->end());
  }
  auto reader = Open(LogMode::kReader);
  for (std::size_t i = 0; i < revisions.size(); i += 2) {
    auto from_scan = ReadAll(*reader, revisions[i]);
    ASSERT_EQ(from_scan.size(), revisions.size() - i);
    EXPECT_EQ(from_scan.front().revision, revisions[i]);
    auto tail = reader->Tail(revisions[i]);
    ASSERT_TRUE(tail.ok());
    std::vector<OwnedEvent> from_tail;
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (from_tail.size() < from_scan.size() && std::chrono::steady_clock::now() < deadline) {
      ASSERT_TRUE((*tail)->Poll(1s, 100, &from_tail).ok());
    }
    ASSERT_EQ(from_tail.size(), from_scan.size());
    for (std::size_t k = 0; k < from_tail.size(); ++k) {
      EXPECT_EQ(from_tail[k].revision, from_scan[k].revision);
      EXPECT_EQ(from_tail[k].bytes, from_scan[k].bytes);
    }
  }
}

TEST_F(KafkaLog, ALateConsumerSeesTheSameHistory) {
  auto writer = Open(LogMode::kWriter);
  auto early = Open(LogMode::kReader);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(writer->Append(One("e" + std::to_string(i))).ok());
  const auto seen_early = ReadAll(*early);
  writer.reset();
  auto late = Open(LogMode::kReader);
  const auto seen_late = ReadAll(*late);
  ASSERT_EQ(seen_late.size(), 5u);
  ASSERT_EQ(seen_early.size(), seen_late.size());
  for (std::size_t i = 0; i < seen_late.size(); ++i) {
    EXPECT_EQ(seen_early[i].revision, seen_late[i].revision);
    EXPECT_EQ(seen_early[i].bytes, seen_late[i].bytes);
  }
}

// Restarts the broker under a stream of appends. Appends during the outage
// fail (bounded, with a clear error) rather than hang; once the broker is
// back they succeed again, and every acknowledged event is in the log.
// REGATTA_KAFKA_CTL is scripts/kafka/kafka (with REGATTA_KAFKA_PORT set).
std::string BrokerControl(const std::string& verb) {
  const char* ctl = std::getenv("REGATTA_KAFKA_CTL");
  return ctl ? std::string(ctl) + " " + verb + " >/dev/null" : "";
}

TEST_F(KafkaLog, BrokerRestartLosesNoAcknowledgedEvent) {
  const std::string restart = BrokerControl("restart");
  if (restart.empty()) GTEST_SKIP() << "REGATTA_KAFKA_CTL (scripts/kafka/kafka) is not set";
  auto writer = Open(LogMode::kWriter, /*timeout_ms=*/5000);
  std::mutex mu;  // guards acked and errors
  std::set<std::string> acked;
  std::vector<std::string> errors;
  std::atomic<bool> stop{false};
  auto acked_count = [&] {
    std::lock_guard lock(mu);
    return acked.size();
  };
  std::thread appender([&] {
    for (int i = 0; !stop; ++i) {
      const std::string key = "r" + std::to_string(i);
      auto r = writer->Append(One(key));
      {
        std::lock_guard lock(mu);
        if (r.ok()) acked.insert(key);
        else errors.push_back(r.status().ToString());
      }
      // A caller backs off after a failure rather than spinning.
      if (!r.ok()) std::this_thread::sleep_for(100ms);
    }
  });
  std::this_thread::sleep_for(500ms);
  ASSERT_EQ(std::system(restart.c_str()), 0) << "restarting the broker failed";
  const std::size_t acked_before_resume = acked_count();
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(200ms);
    if (acked_count() > acked_before_resume + 20) break;
  }
  stop = true;
  appender.join();
  EXPECT_GT(acked.size(), acked_before_resume + 20) << "appends did not resume after the restart";
  for (const auto& e : errors) {
    EXPECT_TRUE(e.rfind("Unavailable", 0) == 0) << "unexpected error kind: " << e;
  }
  if (!errors.empty()) std::printf("first error during the outage: %s\n", errors.front().c_str());
  auto reader = Open(LogMode::kReader);
  const auto present = Keys(*reader);
  for (const auto& key : acked) EXPECT_TRUE(present.count(key)) << "lost acknowledged " << key;
  std::printf("broker restart: %zu acknowledged, %zu failed during the outage\n", acked.size(), errors.size());
}

// With the broker gone, an append must give up within its bounds and say so,
// not hang; and it must not be half-done when the broker comes back.
TEST_F(KafkaLog, AnAppendWhileTheBrokerStaysDownFailsClearlyInBoundedTime) {
  const std::string stop = BrokerControl("stop"), restart = BrokerControl("restart");
  if (stop.empty()) GTEST_SKIP() << "REGATTA_KAFKA_CTL (scripts/kafka/kafka) is not set";
  auto writer = Open(LogMode::kWriter, /*timeout_ms=*/3000);
  ASSERT_TRUE(writer->Append(One("before")).ok());
  ASSERT_EQ(std::system(stop.c_str()), 0);
  const auto start = std::chrono::steady_clock::now();
  auto result = writer->Append(One("during"));
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_EQ(std::system(restart.c_str()), 0);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kUnavailable) << result.status().ToString();
  EXPECT_LT(seconds, 60.0) << "the append did not give up in bounded time";
  // The caller's retry, bounded: the coordinator may still be loading.
  Result<std::vector<Revision>> after = Status::Unavailable("not tried");
  for (int i = 0; i < 5 && !after.ok(); ++i) after = writer->Append(One("after"));
  EXPECT_TRUE(after.ok()) << after.status().ToString();
  auto reader = Open(LogMode::kReader);
  EXPECT_EQ(Keys(*reader), (std::set<std::string>{"before", "after"}));
  std::printf("append with the broker down failed after %.1f s: %s\n", seconds,
              result.status().ToString().c_str());
}

}  // namespace
}  // namespace regatta::testing

// Property: an app spec the validator accepts goes through the master's
// decide step, the log and the history projection, and comes back exactly
// as it was sent (compared in Cap'n Proto's canonical form). Random specs,
// many of them invalid on purpose: those must be refused, never stored.
#include <gtest/gtest.h>

#include <capnp/message.h>
#include <capnp/serialize.h>

#include <random>

#include "actors/master/master_core.h"
#include "events/codec.h"
#include "events/domain/app_spec_check.h"
#include "events/memory_log.h"
#include "projections/replay.h"

namespace regatta::master {
namespace {

class Random {
 public:
  explicit Random(std::uint64_t seed) : rng_(seed) {}
  std::size_t Below(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_); }
  bool OneIn(std::size_t n) { return Below(n) == 0; }
  template <class T>
  T Pick(std::initializer_list<T> xs) { return *(xs.begin() + Below(xs.size())); }
  // Mostly valid id characters; now and then anything at all.
  std::string Id() {
    std::string id;
    const std::size_t segments = 1 + Below(3);
    for (std::size_t s = 0; s < segments; ++s) {
      id += '/';
      const std::size_t n = 1 + Below(OneIn(40) ? 70 : 8);
      for (std::size_t i = 0; i < n; ++i) id += Pick<char>({'a', 'b', 'z', '0', '9', '-', '.', 'q', 'x'});
    }
    if (OneIn(30)) id[1 + Below(id.size() - 1)] = static_cast<char>(Below(256));
    return id;
  }
  std::string Text() {
    std::string t;
    const std::size_t n = Below(12);
    for (std::size_t i = 0; i < n; ++i) {
      t += OneIn(60) ? static_cast<char>(Below(256)) : Pick<char>({'a', 'B', ' ', '=', '/', '7'});
    }
    if (OneIn(5)) t += "\xc3\xa9\xf0\x9f\x9a\x80";  // é 🚀
    return t;
  }
  double Amount() {
    if (!OneIn(8)) return Pick<double>({0.1, 0.5, 1, 2.5, 1e9, 32, 1024});
    return Pick<double>({0, -1, 1e10, std::numeric_limits<double>::infinity(), std::numeric_limits<double>::quiet_NaN()});
  }

 private:
  std::mt19937_64 rng_;
};

void Fill(Random& r, schema::AppSpec::Builder spec) {
  spec.setId(r.Id());
  spec.setCmd(r.Text() + "x");
  spec.setInstances(static_cast<std::uint32_t>(r.Below(5)));
  spec.setCpus(r.Amount());
  spec.setMemMb(r.Amount());
  spec.setDiskMb(r.OneIn(3) ? r.Amount() : 0);
  auto labels = spec.initLabels(static_cast<unsigned>(r.Below(3)));
  for (auto label : labels) {
    label.setKey(r.Text() + "k");
    label.setValue(r.Text());
  }
  auto ports = spec.initPortDefinitions(static_cast<unsigned>(r.Below(3)));
  for (auto port : ports) {
    port.setPort(static_cast<std::uint32_t>(r.OneIn(10) ? 70000 : r.Pick<std::size_t>({0, 80, 8080, 65535})));
    port.setName(r.OneIn(2) ? "http" : r.Text());
    port.setProtocol(r.OneIn(10) ? "sctp" : r.Pick<const char*>({"tcp", "udp", ""}));
  }
  if (r.OneIn(3)) {
    auto c = spec.initConstraints(1)[0];
    c.setField(r.Pick<const char*>({"hostname", "rack"}));
    c.setOperator(r.Pick<const char*>({"UNIQUE", "GROUP_BY", "LIKE", "MAX_PER", "NEAR"}));
    c.setValue(r.Pick<const char*>({"", "2", "r[0-9]", "(", "0", "3"}));
  }
  if (r.OneIn(4)) spec.setBackoffFactor(r.Pick<double>({1.0, 2.0, 0.5}));
}

kj::Array<capnp::word> Canonical(schema::AppSpec::Reader spec) { return capnp::canonicalize(spec); }

TEST(SpecRoundTrip, WhatTheValidatorAcceptsComesBackUnchangedAndNothingElseIsStored) {
  auto store = std::make_shared<MemoryLogStore>();
  auto log = MemoryEventLog::Open(store, LogMode::kWriter);
  ASSERT_TRUE(log.ok());
  int ids = 0;
  CommandContext context{1000, "tester", "", "req", [&] { return "id-" + std::to_string(++ids); }};
  Random r(20261203);
  std::size_t accepted = 0, refused = 0;
  std::vector<std::pair<std::string, kj::Array<capnp::word>>> sent;  // in order; the last per id wins
  for (int i = 0; i < 3000; ++i) {
    capnp::MallocMessageBuilder message;
    auto spec = message.initRoot<schema::AppSpec>();
    Fill(r, spec);
    const Status checked = domain::CheckAppSpec(spec.asReader());
    auto decided = DecideDefineApp(projections::ProjectionSet(), spec.asReader(), "v" + std::to_string(i), context);
    ASSERT_EQ(decided.ok(), checked.ok()) << "decide applies exactly the validator";
    if (!decided.ok()) {
      ++refused;
      EXPECT_EQ(decided.status().code(), StatusCode::kInvalidArgument);
      EXPECT_FALSE(decided.status().field().empty()) << decided.status().message();
      EXPECT_EQ(decided.status().message().find('\n'), std::string::npos) << decided.status().message();
      continue;
    }
    ++accepted;
    ASSERT_TRUE((*log)->Append(decided->events).ok());
    sent.emplace_back(spec.getId().cStr(), Canonical(spec.asReader()));
  }
  auto set = projections::Replay(**log, nullptr, {}, {}, nullptr);
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  std::map<std::string, const kj::Array<capnp::word>*> last;
  for (const auto& [id, canonical] : sent) last[id] = &canonical;
  EXPECT_EQ(set->history().current().size(), last.size()) << "every accepted app, and only those";
  for (const auto& [id, canonical] : last) {
    const domain::AppDefinition* current = set->history().Current(id);
    ASSERT_NE(current, nullptr) << id;
    const auto stored = Canonical(current->spec->root());
    ASSERT_EQ(stored.size(), canonical->size()) << id;
    EXPECT_EQ(std::memcmp(stored.begin(), canonical->begin(), stored.size() * sizeof(capnp::word)), 0) << id;
  }
  std::cout << "specs: " << accepted << " accepted and stored unchanged, " << refused << " refused\n";
  EXPECT_GT(accepted, 100u);
  EXPECT_GT(refused, 100u);
}

}  // namespace
}  // namespace regatta::master

// Whatever `events append` accepts, replay and dump can read; and whatever
// bytes a log holds in a text field (another producer, an older Regatta),
// every JSON writer still writes JSON.
#include <gtest/gtest.h>

#include <capnp/message.h>
#include <nlohmann/json.hpp>

#include <random>

#include "events/codec.h"
#include "events/json.h"
#include "projections/projection_set.h"
#include "projections/render.h"

namespace regatta::projections {
namespace {

const char* kValid[] = {
    R"({"event":{"agentRegistered":{"agentId":"a1","hostname":"node1","resources":{"cpus":4,"memMb":8192},"attributes":[{"key":"zone","value":"z1"}]}}})",
    R"({"event":{"appDefined":{"version":"v1","spec":{"id":"/prod/web","cmd":"sleep 100","instances":1,"cpus":0.5,"memMb":64,"labels":[{"key":"app","value":"web"}]}}}})",
    R"({"event":{"taskLaunched":{"taskId":"web.1","appId":"/prod/web","frameworkId":"services","agentId":"a1","hostname":"node1","resources":{"cpus":0.5,"memMb":64},"hostPorts":[31005],"labels":[{"key":"app","value":"web"}]}}})",
    R"({"event":{"taskStatusChanged":{"taskId":"web.1","state":"running","message":"ok \u00e9"}}})",
    R"({"principal":"alice","reason":"why not","event":{"serviceDefined":{"spec":{"namespace":"default","name":"web","selector":[{"key":"app","value":"web"}],"ports":[{"port":80,"targetPort":"http"}]}}}})",
};

std::string Mutate(std::string line, std::mt19937_64& rng) {
  const int edits = 1 + static_cast<int>(rng() % 2);
  for (int e = 0; e < edits && !line.empty(); ++e) {
    const std::size_t at = rng() % line.size();
    switch (rng() % 4) {
      case 0: line[at] = static_cast<char>(rng() % 256); break;
      case 1: line.insert(at, 1, static_cast<char>(rng() % 256)); break;
      case 2: line.erase(at, 1); break;
      default: {
        static const char* kPieces[] = {"\\u0000", "\\ud800", "\\uffff", "\"inf\"", "-1e309", "\xff", "\xed\xa0\x80",
                                        "\\n", "NaN", "{}", "[]", "9999999999999999999999"};
        line.insert(at, kPieces[rng() % std::size(kPieces)]);
      }
    }
  }
  return line;
}

void ExpectReadable(ProjectionSet& set, const Event& event, const std::string& what) {
  const std::string dumped = EnvelopeToJson(event);
  EXPECT_TRUE(nlohmann::json::accept(dumped)) << what << ": dump wrote no JSON: " << dumped;
  ASSERT_TRUE(set.Apply(event).ok()) << what;
  for (const char* projection : {"scheduling", "discovery", "history"}) {
    auto rendered = RenderProjection(set, projection);
    ASSERT_TRUE(rendered.ok()) << what;
    EXPECT_TRUE(nlohmann::json::accept(*rendered)) << what << ": replay of " << projection << " wrote no JSON";
  }
}

TEST(Readability, WhateverAppendAcceptsReplayAndDumpCanRead) {
  std::mt19937_64 rng(20261203);
  ProjectionSet set;
  EventDecoder decoder;
  Revision revision = 0;
  std::size_t accepted = 0, refused = 0;
  EnvelopeStamp stamp;
  stamp.event_id = "e";
  stamp.principal = "p";
  for (int i = 0; i < 6000; ++i) {
    const std::string line = Mutate(kValid[i % std::size(kValid)], rng);
    auto encoded = EnvelopeFromJson(line, stamp);
    if (!encoded.ok()) {
      ++refused;
      EXPECT_EQ(encoded.status().code(), StatusCode::kInvalidArgument);
      continue;
    }
    ++accepted;
    auto event = decoder.Decode(LoggedEvent{revision++, encoded->bytes});
    ASSERT_TRUE(event.ok()) << line;
    ExpectReadable(set, *event, line);
  }
  std::cout << "mutated envelopes: " << accepted << " accepted, and all readable; " << refused << " refused\n";
  EXPECT_GT(accepted, 150u);
}

// An envelope another producer wrote, with bytes that are not UTF-8 in its
// text fields: folded, dumped and rendered all the same.
TEST(Readability, TextThatIsNotUtf8FromTheLogIsShownNotThrown) {
  capnp::MallocMessageBuilder message;
  EnvelopeStamp stamp;
  stamp.principal = std::string("bad\xff\xfeprincipal");
  stamp.reason = std::string("line\nbreak \xed\xa0\x80");
  auto envelope = InitEnvelope(message, stamp);
  auto agent = envelope.initEvent().initAgentRegistered();
  agent.setAgentId(std::string("agent\xc0\xaf"));
  agent.setHostname(std::string("host\x80"));
  auto attrs = agent.initAttributes(1);
  attrs[0].setKey("zone\xff");
  attrs[0].setValue("z\xfe");
  const EncodedEvent encoded = EncodeEnvelope(message);
  EventDecoder decoder;
  auto event = decoder.Decode(LoggedEvent{0, encoded.bytes});
  ASSERT_TRUE(event.ok());
  ProjectionSet set;
  ExpectReadable(set, *event, "invalid UTF-8 from another producer");

  capnp::MallocMessageBuilder app_message;
  auto app = InitEnvelope(app_message, stamp).initEvent().initAppDefined();
  app.setVersion("v\xff");
  auto spec = app.initSpec();
  spec.setId("/web");
  spec.setCmd(std::string("echo \xed\xa0\x80 \xff"));
  auto labels = spec.initLabels(1);
  labels[0].setKey("k\xfe");
  labels[0].setValue("\xc0");
  const EncodedEvent defined = EncodeEnvelope(app_message);
  auto app_event = decoder.Decode(LoggedEvent{1, defined.bytes});
  ASSERT_TRUE(app_event.ok());
  ExpectReadable(set, *app_event, "an app spec with invalid UTF-8 from another producer");
  EXPECT_EQ(RenderProjection(set, "history")->find("undecodable"), std::string::npos);
}

}  // namespace
}  // namespace regatta::projections

// A failure's code and field survive the trip from the master to whoever
// asked: the CLI's exit code and an API's status depend on them.
#include <gtest/gtest.h>

#include <capnp/message.h>

#include "actors/protocol/codec.h"

namespace regatta::protocol {
namespace {

Status RoundTrip(const Bytes& reply) {
  auto message = Received<MasterReply>::Read(reply, "reply");
  EXPECT_TRUE(message.ok()) << message.status().ToString();
  return StatusOfReply(message->root());
}

TEST(Reply, AFailureKeepsItsCodeFieldAndMessage) {
  const Status sent[] = {
      Status::InvalidField("cpus", "must be a finite number, not inf"),
      Status::Field(StatusCode::kNotFound, "taskId", "no live task web.1"),
      Status::Conflict("event log busy"),
      Status::Corruption("revision 17: crc mismatch"),
      Status::Unavailable("the log did not take it"),
      Status::FailedPrecondition("agent a1 is not active"),
      Status::IoError("write: No space left on device"),
  };
  for (const Status& s : sent) {
    const Status got = RoundTrip(FailureReply(s));
    EXPECT_EQ(got.code(), s.code()) << s.ToString();
    EXPECT_EQ(got.field(), s.field()) << s.ToString();
    EXPECT_EQ(got.message(), s.message());
  }
}

TEST(Reply, AcknowledgedAndRegisteredAreOk) {
  EXPECT_TRUE(RoundTrip(AcknowledgedReply()).ok());
  EXPECT_TRUE(RoundTrip(RegisteredReply("agent-1")).ok());
}

// What an older master wrote still reads as the kind it meant.
TEST(Reply, AnOlderMastersRefusalsKeepTheirMeaning) {
  capnp::MallocMessageBuilder refused;
  refused.initRoot<MasterReply>().setRefused("cpus: must be greater than 0");
  EXPECT_EQ(RoundTrip(Flatten(refused)).code(), StatusCode::kInvalidArgument);
  capnp::MallocMessageBuilder unavailable;
  unavailable.initRoot<MasterReply>().setUnavailable("try again");
  EXPECT_EQ(RoundTrip(Flatten(unavailable)).code(), StatusCode::kUnavailable);
}

TEST(Reply, ACodeFromANewerMasterIsUnavailableWithItsMessage) {
  capnp::MallocMessageBuilder message;
  auto failed = message.initRoot<MasterReply>().initFailed();
  failed.setCode(static_cast<ReplyCode>(42));
  failed.setMessage("something new");
  const Status got = RoundTrip(Flatten(message));
  EXPECT_EQ(got.code(), StatusCode::kUnavailable);
  EXPECT_EQ(got.message(), "something new");
}

}  // namespace
}  // namespace regatta::protocol

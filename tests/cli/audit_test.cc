// The audit fold: an app's changes, with who made them, from its events;
// other apps' events and task endings that no one asked for stay out.
#include "api/cli/audit.h"

#include <gtest/gtest.h>

#include "events/codec.h"
#include "tests/support/sample_events.h"

namespace regatta::cli {
namespace {

using namespace testing;

std::vector<AuditEntry> Audit(const std::string& app, const std::vector<EncodedEvent>& events) {
  AuditTrail trail(app);
  EventDecoder decoder;
  Revision revision = 0;
  for (const EncodedEvent& encoded : events) {
    auto event = decoder.Decode(LoggedEvent{revision++, encoded.bytes});
    EXPECT_TRUE(event.ok());
    if (event.ok()) trail.Observe(*event);
  }
  return trail.entries();
}

TEST(AuditTrail, NamesWhoChangedWhatInLogOrder) {
  const auto entries = Audit("/web", {
      AppDefined("/web", 2, "v1", 1, "ann", "sleep 1"),
      AppDefined("/other", 1, "v1", 2, "zed"),
      AppScaled("/web", 5, 2, 3),
      AppDefined("/web", 5, "v2", 4, "bob", "sleep 2"),
      TaskLaunched("web.1", "/web", "agent-1", 0.1, 32),
      TaskStatus("web.1", schema::TaskState::RUNNING),
      TaskStatus("web.1", schema::TaskState::KILLING),
      TaskStatus("web.1", schema::TaskState::KILLED),
      AppLaunchDelayReset("/web"),
      AppDeleted("/web"),
  });
  ASSERT_EQ(entries.size(), 6u);
  EXPECT_EQ(entries[0].change, "created version v1");
  EXPECT_EQ(entries[0].principal, "ann");
  EXPECT_EQ(entries[0].revision, 0u);
  EXPECT_EQ(entries[1].change, "scaled 2 -> 5");
  EXPECT_EQ(entries[2].change, "changed cmd (version v2)");  // instances came from the scale
  EXPECT_EQ(entries[2].principal, "bob");
  EXPECT_EQ(entries[3].change, "killed task web.1");
  EXPECT_EQ(entries[4].change, "reset the launch delay");
  EXPECT_EQ(entries[5].change, "deleted");
}

TEST(AuditTrail, AnAppNeverDefinedHasNoEntries) {
  EXPECT_TRUE(Audit("/nothing", {AppDefined("/web", 1, "v1"), AppScaled("/web", 2, 1)}).empty());
}

}  // namespace
}  // namespace regatta::cli

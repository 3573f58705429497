// One exit code per status code: a refusal keeps its kind from the master's
// decide step to the shell (docs/operations.md, "Exit codes").
#include <gtest/gtest.h>

#include "api/cli/cli.h"

namespace regatta::cli {
namespace {

TEST(ExitCodeFor, EachStatusCodeHasItsOwnExitCode) {
  const struct {
    StatusCode code;
    int exit;
  } cases[] = {
      {StatusCode::kOk, 0},
      {StatusCode::kIoError, 1},
      {StatusCode::kInvalidArgument, 2},
      {StatusCode::kNotFound, 3},
      {StatusCode::kCorruption, 4},
      {StatusCode::kConflict, 5},
      {StatusCode::kFailedPrecondition, 6},
      {StatusCode::kUnavailable, 7},
  };
  for (const auto& c : cases) {
    const Status status = c.code == StatusCode::kOk ? Status::Ok() : Status(c.code, "why");
    EXPECT_EQ(ExitCodeFor(status), c.exit) << StatusCodeName(c.code);
  }
}

TEST(ExitCodeFor, AFieldRefusalIsStillItsCode) {
  EXPECT_EQ(ExitCodeFor(Status::InvalidField("cpus", "must be a finite number, not inf")), 2);
  EXPECT_EQ(ExitCodeFor(Status::Field(StatusCode::kNotFound, "taskId", "no live task x")), 3);
}

}  // namespace
}  // namespace regatta::cli

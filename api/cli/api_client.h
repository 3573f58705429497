// The CLI's only way into a running cluster: the HTTP API at --api
// (Marathon's, and Mesos' /master/slaves). Every write carries who asks
// ($USER) and why (--reason), which the log records.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "api/cli/cli.h"
#include "events/base/status.h"

namespace regatta::cli {

using Json = nlohmann::json;

// The answer's JSON (null when it had no body) for a 2xx; otherwise the
// API's refusal as a Status with the matching code (422 and 400
// InvalidArgument, 404 NotFound, 409 Conflict, 412 FailedPrecondition, 503
// and 504 Unavailable), its message and Marathon's field details on one line.
Result<Json> CallApi(const GlobalOptions& global, const std::string& method, const std::string& target,
                     const Json& body = nullptr, const std::string& reason = "");

// An app's path under /v2/apps: its id, each segment escaped.
std::string AppPath(const std::string& id);

}  // namespace regatta::cli

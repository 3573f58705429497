// A Kubernetes request body as one JSON model, whether it came as JSON or
// YAML (application/yaml, application/apply-patch+yaml): YAML is decoded
// with libyaml, its scalars typed as Go's YAML-to-JSON conversion types
// them (null, booleans, numbers; quoted scalars stay strings). Pure.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "events/base/status.h"

namespace regatta::kube {

using Json = nlohmann::ordered_json;

// InvalidArgument, worded as kubectl words it: "error converting YAML to
// JSON: yaml: line 14: <why>" (lines count from 1, as kubectl counts them),
// or "invalid JSON at offset N: <why>". A body of several YAML documents
// is refused: one request carries one object.
Result<Json> DecodeBody(const std::string& body, const std::string& content_type);

// YAML text to JSON; the same errors.
Result<Json> YamlToJson(const std::string& text);

}  // namespace regatta::kube

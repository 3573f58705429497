// Marathon's app definition JSON (Marathon 1.x, /v2/apps) to and from the
// schema's AppSpec. Pure: no HTTP, no I/O; fuzzed (tests/fuzz/fuzz_marathon_app.cc).
//
// Decoding is strict where Marathon 1.5+ is: a field Marathon does not
// define is refused, naming it, and so is a value of the wrong type. The
// fields a GET adds (tasks, tasksRunning, deployments, versionInfo, ...) are
// accepted and ignored, since clients send an app back as they read it.
// Every refusal is InvalidArgument whose field() is a JSON pointer into the
// body ("/portDefinitions/0/port"), the path Marathon's errors name.
//
// Defaults are Marathon's: instances 1, cpus 1, mem 128, portDefinitions
// [{"port":0,"name":"default","protocol":"tcp"}] for host networking,
// upgradeStrategy {1, 1}, backoff 1 s x 1.15 up to 300 s.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "events/base/status.h"
#include "regatta/events.capnp.h"

namespace regatta::marathon {

using Json = nlohmann::ordered_json;

// Parses a request body. InvalidArgument, field "/", naming the offset for
// text that is not JSON (Marathon answers that with 400, and so does the API).
[[nodiscard]] Result<Json> ParseBody(std::string_view body);

// The app in `json` into `spec` (initialized by the caller). `id` overrides
// the body's id (PUT /v2/apps/{id}); ids are made absolute and their
// slashes collapsed, as Marathon does.
[[nodiscard]] Status DecodeApp(const Json& json, schema::AppSpec::Builder spec,
                               std::optional<std::string> id = std::nullopt);

// The definition's fields as Marathon writes them in a GET, with `version`.
Json EncodeApp(schema::AppSpec::Reader spec, const std::string& version);

// A domain refusal ("portDefinitions[0].port") as the JSON pointer Marathon
// names ("/portDefinitions/0/port").
std::string JsonPointer(const std::string& field);

// A dependency list, each id resolved against the group `base` (Marathon's
// relative ids: "db" beside /prod/web is /prod/db), into the list `init`
// makes. InvalidArgument names the entry that is not a string or climbs
// above "/".
struct Field;
[[nodiscard]] Status DecodeDependencies(const Field& f, const std::string& base,
                                        const std::function<capnp::List<capnp::Text>::Builder(unsigned)>& init);

// "/prod//web/" -> "/prod/web"; "web" -> "/web".
std::string NormalizeAppId(std::string_view id);

}  // namespace regatta::marathon

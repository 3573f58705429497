// JSON renderings of envelopes, through Cap'n Proto's JSON codec, for tools
// and for integrations that do not speak Cap'n Proto. Field names are the
// schema's; 64-bit integers are JSON strings (Cap'n Proto's convention, so no
// precision is lost in JavaScript clients).
#pragma once

#include <string>
#include <string_view>

#include "events/event.h"
#include "events/base/status.h"

namespace regatta {

// One line of JSON, with `revision` set to the event's log revision. Bytes
// of a text field that are not UTF-8 come out as U+FFFD.
std::string EnvelopeToJson(const Event& event);

// Parses one envelope from JSON. Fields the JSON sets win over the stamp; the
// revision is always cleared (the log assigns it). InvalidArgument when the
// JSON is malformed or not UTF-8, names a field the schema lacks, names no
// event, the event has no aggregate id, or CheckEnvelope refuses it.
Result<EncodedEvent> EnvelopeFromJson(std::string_view json,
                                      const EnvelopeStamp& stamp);

}  // namespace regatta

#include "events/json.h"

#include <capnp/compat/json.h>

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <utility>
#include <capnp/message.h>
#include <kj/exception.h>

#include "events/codec.h"
#include "events/domain/text.h"
#include "events/envelope_check.h"

namespace regatta {

std::string EnvelopeToJson(const Event& event) {
  capnp::MallocMessageBuilder copy;
  copy.setRoot(event.envelope);
  auto root = copy.getRoot<schema::Envelope>();
  root.setRevision(event.revision);
  capnp::JsonCodec codec;
  auto text = codec.encode(root.asReader());
  // A log may hold any bytes in a Text (another producer, an older
  // Regatta): the line stays valid JSON whatever it finds.
  return domain::ReplaceInvalidUtf8(std::string_view(text.cStr(), text.size()));
}

namespace {

void ApplyStamp(schema::Envelope::Builder envelope, const EnvelopeStamp& stamp) {
  envelope.setRevision(0);
  if (envelope.getEventId().size() == 0) envelope.setEventId(stamp.event_id);
  if (envelope.getTimeNanos() == 0) envelope.setTimeNanos(stamp.time_nanos);
  if (envelope.getPrincipal().size() == 0) envelope.setPrincipal(stamp.principal);
  if (envelope.getCorrelationId().size() == 0) {
    envelope.setCorrelationId(stamp.correlation_id);
  }
  if (envelope.getCausationId().size() == 0) envelope.setCausationId(stamp.causation_id);
  if (envelope.getReason().size() == 0) envelope.setReason(stamp.reason);
  if (envelope.getSchemaVersion() == 0) envelope.setSchemaVersion(kSchemaVersion);
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The code unit of a "\uXXXX" escape at json[at] (at the backslash), or -1.
long EscapeAt(std::string_view json, std::size_t at) {
  if (at + 6 > json.size() || json[at] != '\\' || json[at + 1] != 'u') return -1;
  long unit = 0;
  for (std::size_t i = at + 2; i < at + 6; ++i) {
    const int d = HexDigit(json[i]);
    if (d < 0) return -1;
    unit = unit * 16 + d;
  }
  return unit;
}

void AppendUtf8(std::uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

// Cap'n Proto 0.9's JSON decoder gets "\uXXXX" escapes wrong ("\u00e9"
// comes out as "I", a surrogate pair as two unrelated characters), so they
// are decoded here first, into the UTF-8 the decoder passes through: a
// surrogate pair into its one character, \u0022 and \u005c into \" and
// \\, the whitespace controls into \b \f \n \r \t. A lone surrogate,
// and any other control character, is refused: it is no text.
Result<std::string> DecodeUnicodeEscapes(std::string_view json) {
  std::string out;
  out.reserve(json.size());
  for (std::size_t i = 0; i < json.size(); ++i) {
    if (json[i] != '\\') {
      out += json[i];
      continue;
    }
    const long unit = EscapeAt(json, i);
    if (unit < 0) {  // another escape: keep it and what it escapes
      out += json[i];
      if (i + 1 < json.size()) out += json[++i];
      continue;
    }
    std::uint32_t cp = static_cast<std::uint32_t>(unit);
    std::size_t used = 6;
    if (cp >= 0xd800 && cp <= 0xdbff) {
      const long low = EscapeAt(json, i + 6);
      if (low < 0xdc00 || low > 0xdfff) {
        return Status::InvalidArgument("envelope: " + std::string(json.substr(i, 6)) + " is a lone surrogate, not text");
      }
      cp = 0x10000 + ((cp - 0xd800) << 10) + (static_cast<std::uint32_t>(low) - 0xdc00);
      used = 12;
    } else if (cp >= 0xdc00 && cp <= 0xdfff) {
      return Status::InvalidArgument("envelope: " + std::string(json.substr(i, 6)) + " is a lone surrogate, not text");
    }
    static constexpr std::pair<std::uint32_t, const char*> kShort[] = {
        {'"', "\\\""}, {'\\', "\\\\"}, {'\b', "\\b"}, {'\f', "\\f"}, {'\n', "\\n"}, {'\r', "\\r"}, {'\t', "\\t"}};
    const auto* short_form = std::find_if(std::begin(kShort), std::end(kShort), [&](const auto& s) { return s.first == cp; });
    if (short_form != std::end(kShort)) {
      out += short_form->second;
    } else if (cp < 0x20 || cp == 0x7f) {
      return Status::InvalidArgument("envelope: " + std::string(json.substr(i, 6)) + " is a control character");
    } else {
      AppendUtf8(cp, out);
    }
    i += used - 1;
  }
  return out;
}

bool JsonNamesAnEvent(std::string_view json) {
  // An unset union reads as its first member, so "no event" and "an empty
  // agentRegistered" look alike once decoded; the aggregate id check below
  // catches both.
  return json.find('{') != std::string_view::npos;
}

}  // namespace

Result<EncodedEvent> EnvelopeFromJson(std::string_view json,
                                      const EnvelopeStamp& stamp) {
  if (!JsonNamesAnEvent(json)) {
    return Status::InvalidArgument("envelope: expected a JSON object");
  }
  capnp::MallocMessageBuilder message;
  auto envelope = message.initRoot<schema::Envelope>();
  if (!domain::IsUtf8(json)) return Status::InvalidArgument("envelope: the line is not UTF-8");
  auto decoded = DecodeUnicodeEscapes(json);
  if (!decoded.ok()) return decoded.status();
  try {
    capnp::JsonCodec codec;
    codec.setRejectUnknownFields(true);  // a misspelt field must not vanish in silence
    codec.decode(kj::ArrayPtr<const char>(decoded->data(), decoded->size()), envelope);
  } catch (const kj::Exception& e) {
    return Status::InvalidArgument("envelope: " + domain::OneLine(e.getDescription().cStr()));
  }
  REGATTA_RETURN_IF_ERROR(CheckEnvelope(envelope.asReader()));
  ApplyStamp(envelope, stamp);
  if (AggregateKey(envelope.asReader()).empty()) {
    return Status::InvalidArgument(
        "envelope.event: missing, or its id field is empty (" +
        EventTypeName(envelope.asReader()) + ")");
  }
  return EncodeEnvelope(message);
}

}  // namespace regatta

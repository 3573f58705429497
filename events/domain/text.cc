#include "events/domain/text.h"

#include <cstdint>
#include <cstdio>

namespace regatta::domain {
namespace {

// The length of the UTF-8 sequence at `s[i]`, or 0 when none starts there.
std::size_t SequenceAt(std::string_view s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = byte(i);
  if (c < 0x80) return 1;
  std::size_t n;
  std::uint32_t cp;
  if ((c & 0xe0) == 0xc0) {
    n = 2, cp = c & 0x1f;
  } else if ((c & 0xf0) == 0xe0) {
    n = 3, cp = c & 0x0f;
  } else if ((c & 0xf8) == 0xf0) {
    n = 4, cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3f);
  }
  static constexpr std::uint32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kSmallest[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return n;
}

bool IsControl(unsigned char c) { return c < 0x20 || c == 0x7f; }

}  // namespace

bool IsUtf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = SequenceAt(text, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

namespace {

// Escapes into `out` until `max` characters are shown; true if cut short.
bool Escape(std::string_view text, std::size_t max, bool quotes, std::string& out) {
  std::size_t shown = 0;
  for (std::size_t i = 0; i < text.size();) {
    if (shown == max) return true;
    const unsigned char c = static_cast<unsigned char>(text[i]);
    const std::size_t n = SequenceAt(text, i);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (quotes && (c == '"' || c == '\\')) {
      out += '\\';
      out += static_cast<char>(c);
    } else if (n == 0 || IsControl(c)) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02x", c);
      out += hex;
    } else {
      out.append(text.substr(i, n));
      i += n;
      ++shown;
      continue;
    }
    ++i;
    ++shown;
  }
  return false;
}

}  // namespace

std::string Quote(std::string_view text, std::size_t max) {
  std::string out = "\"";
  if (Escape(text, max, true, out)) out += "...";
  return out + "\"";
}

std::string OneLine(std::string_view text) {
  std::string out;
  Escape(text, text.size(), false, out);
  return out;
}

std::string ReplaceInvalidUtf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = SequenceAt(text, i);
    if (n == 0) {
      out += "\xef\xbf\xbd";  // U+FFFD
      ++i;
    } else {
      out.append(text.substr(i, n));
      i += n;
    }
  }
  return out;
}

Status CheckUtf8(const std::string& field, std::string_view text) {
  if (IsUtf8(text)) return Status::Ok();
  return Status::InvalidField(field, Quote(text) + " is not UTF-8");
}

Status CheckName(const std::string& field, std::string_view text) {
  REGATTA_RETURN_IF_ERROR(CheckUtf8(field, text));
  for (char c : text) {
    if (IsControl(static_cast<unsigned char>(c))) {
      return Status::InvalidField(field, Quote(text) + " holds a control character");
    }
  }
  return Status::Ok();
}

}  // namespace regatta::domain

// Text that comes from outside: whether it is UTF-8, whether it holds
// control characters, and how to quote it in an error so the error stays
// one readable line.
#pragma once

#include <string>
#include <string_view>

#include "events/base/status.h"

namespace regatta::domain {

// Well-formed UTF-8: no stray continuation bytes, no overlong forms, no
// surrogates (U+D800..U+DFFF), nothing above U+10FFFF.
bool IsUtf8(std::string_view text);

// `text` in double quotes for a message: control characters, quotes,
// backslashes and bytes that are not UTF-8 escaped (\n, \", \x07), and cut
// to `max` characters with "..." after. Always one line.
std::string Quote(std::string_view text, std::size_t max = 80);

// `text` with control characters and bytes that are not UTF-8 escaped, so
// that a message quoting it stays one line; nothing else changes.
std::string OneLine(std::string_view text);

// `text` with every byte sequence that is not UTF-8 replaced by U+FFFD,
// for writers of JSON and terminals: whatever a log holds, it can be shown.
std::string ReplaceInvalidUtf8(std::string_view text);

// InvalidArgument naming `field` unless `text` is UTF-8 with no control
// characters (U+0000..U+001F, U+007F).
[[nodiscard]] Status CheckName(const std::string& field, std::string_view text);
// InvalidArgument naming `field` unless `text` is UTF-8 (a command, an
// environment value: newlines and tabs allowed).
[[nodiscard]] Status CheckUtf8(const std::string& field, std::string_view text);

}  // namespace regatta::domain

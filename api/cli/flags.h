// Checks for the command line's numbers, shared by every subcommand, so
// that a bad value is refused before anything starts, with one line and
// exit 2, and every flag's bound shows in --help.
//
// CLI11's own numeric checks let NaN through (it fails every comparison)
// and wrap "-1" into an unsigned; these parse the text themselves.
#pragma once

#include <cstdint>
#include <string>

#include <CLI/CLI.hpp>

namespace regatta::cli {

// A finite number in [min, max] (or (min, max] when `above_min`): seconds,
// cpus, megabytes. "inf", "nan", "1e999", "-1" fail it.
CLI::Validator Amount(double min, double max, bool above_min = false);

// A whole number in [min, max], digits only (no sign, no exponent).
CLI::Validator Count(std::uint64_t min, std::uint64_t max);

// What the validators say about `text`: "" when it passes (for tests).
std::string CheckAmount(const std::string& text, double min, double max, bool above_min);
std::string CheckCount(const std::string& text, std::uint64_t min, std::uint64_t max);

}  // namespace regatta::cli

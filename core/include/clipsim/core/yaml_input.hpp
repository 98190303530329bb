// Reading a researcher's YAML (run configs, sweep files, claims files) with one set of rules, so
// that a value accepted in one file is accepted in the others, and every refusal names the file,
// line and column. Numbers follow core/number_parse.hpp (decimal or exponent form, +-.inf, inf or
// infinity; NaN, hex floats and trailing text are refused, since no key takes them). A map that
// gives one key twice is refused: YAML forbids it, and yaml-cpp would silently keep the first.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <string>

#include "clipsim/core/input_error.hpp"

namespace clipsim::yaml {

// The node's place in `file` (1-based line and column); line 0 for a node without a mark.
InputLocation Where(const std::string& file, const YAML::Node& node);

// The YAML document in `text`; a syntax error is an InputError "YAML syntax error: ..." at its
// line and column of `file`, a key given twice in one map an InputError naming the key and both
// lines.
YAML::Node Parse(const std::string& text, const std::string& file);

// The text of a map key; InputError "a key must be plain text" at the key's line and column for
// a key that is a map or a list (YAML allows `? [a, b]: 1`; no clipsim file has such keys).
std::string KeyText(const YAML::Node& key, const std::string& file);

// The scalar's number (NumberSyntax::kExtended: infinities allowed; the caller checks its range),
// or InputError(key, value, "must be a number " + allowed).
double ReadNumber(const YAML::Node& node, const std::string& key, const std::string& allowed,
                  const std::string& file);

// An integer in [lo, hi] (an exactly integral number in exponent form, 1e6, is one), or
// InputError(key, value, "must be an integer in [lo, hi]").
std::int64_t ReadInt(const YAML::Node& node, const std::string& key, std::int64_t lo,
                     std::int64_t hi, const std::string& file);

// true or false as YAML spells them (true/false, yes/no, on/off), or InputError naming the key.
bool ReadBool(const YAML::Node& node, const std::string& key, const std::string& file);

}  // namespace clipsim::yaml

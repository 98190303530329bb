// Numbers read from text: one syntax for every file, spec string and command-line value clipsim
// reads, so that a number accepted in one place is accepted in all of them. The syntax is the
// decimal text std::from_chars reads (digits, an optional point, an optional exponent), with an
// optional leading '+' or '-'; no spaces, no hex, no trailing text, nothing beyond double's range.
// Infinity is spelled inf, .inf or infinity in any case (YAML's spelling and clipsim's own), and
// NaN only as results files write it. What differs between callers is only which values they take:
//   kFinite    user input where only a finite number makes sense (noise spec parameters, problem
//              parameters, tuned values);
//   kExtended  user input where infinity means "no bound" (clip thresholds, claim regions);
//   kResults   the files clipsim writes itself (results.csv and its neighbours), where a diverged
//              run's metrics read inf and an undefined one nan (core/number_text.hpp writes both).
// C++17 and the standard library only: replay/ (LibTorch, C++17) links it (clipsim_core_input,
// core/CMakeLists.txt).
#pragma once

#include <cstdint>
#include <string_view>

namespace clipsim {

enum class NumberSyntax { kFinite, kExtended, kResults };

// `text` as a number of the syntax above that `syntax` accepts; false (and `out` unspecified) if
// it is not one.
bool ParseDouble(std::string_view text, double& out, NumberSyntax syntax);

// A decimal integer with an optional sign (a '+' for unsigned), within the type's range; false if
// `text` is anything else ("1e6" included: where configs allow the exponent form of an integer,
// yaml::ReadInt reads it through ParseDouble).
bool ParseInt64(std::string_view text, std::int64_t& out);
bool ParseUint64(std::string_view text, std::uint64_t& out);

// Exactly 16 lower- or upper-case hex digits, the form core/number_text.hpp's Hex16 writes (cell
// ids, fingerprints, result hashes); false otherwise.
bool ParseHex16(std::string_view text, std::uint64_t& out);

}  // namespace clipsim

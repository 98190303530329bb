// User-input errors of clipsim-replay: a bad command-line value or a missing / malformed data
// file. main() prints every InputError on stderr and exits with code 2 (the same policy as the
// clipsim program; replay/ cannot link clipsim_core, so it carries its own small copy).
// Broken internal invariants are not InputErrors, and numerical divergence is data.
#pragma once

#include <stdexcept>
#include <string>

namespace clipsim::replay {

class InputError : public std::runtime_error {
 public:
  // key: the offending option or file ("--lr", "/data/train.bin"); value: what was given, as
  // written; allowed: the rule it broke ("> 0", "a multiple of 3074 bytes").
  InputError(const std::string& key, const std::string& value, const std::string& allowed);
  // A free-form message for errors that are not about one value.
  explicit InputError(const std::string& message);
};

}  // namespace clipsim::replay

// User-input errors: a bad config, spec, file or command-line value. The CLI turns every
// InputError into a message on stderr and exit code 2; broken internal invariants are not
// InputErrors (they abort), and numerical divergence is data, not an error.
// C++17 and the standard library only: replay/ (LibTorch, C++17) links it (clipsim_core_input,
// core/CMakeLists.txt).
#pragma once

#include <stdexcept>
#include <string>

namespace clipsim {

// Where a bad value came from. Empty fields are left out of the message.
struct InputLocation {
  std::string file;  // path of the config or data file, or "" for the command line
  int line = 0;      // 1-based; 0 when unknown
  int column = 0;    // 1-based; 0 when unknown
};

class InputError : public std::runtime_error {
 public:
  // key: the offending key ("alpha", "noise.alpha", "--count"); allowed: the rule it broke
  // ("in (0, 2]"); value: the value given, as written.
  InputError(std::string key, std::string value, std::string allowed, InputLocation where = {});
  // A free-form message for errors that are not about one key (unreadable file, YAML syntax).
  explicit InputError(std::string message, InputLocation where = {});

  const std::string& key() const { return key_; }
  const InputLocation& where() const { return where_; }

  // The same error located in a file (used when a spec parsed from a string sits inside YAML).
  InputError At(InputLocation where) const;

 private:
  std::string key_;
  std::string value_;
  std::string allowed_;
  std::string detail_;
  InputLocation where_;
};

// Formats "file:line:column: " (the parts that are known), for messages.
std::string FormatLocation(const InputLocation& where);

}  // namespace clipsim

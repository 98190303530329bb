#include "clipsim/core/input_error.hpp"

#include <utility>

namespace clipsim {
namespace {

std::string KeyMessage(const std::string& key, const std::string& value,
                       const std::string& allowed) {
  std::string m = key.empty() ? std::string("value") : "'" + key + "'";
  if (!value.empty()) m += " = " + value;
  m += ": " + allowed;
  return m;
}

}  // namespace

std::string FormatLocation(const InputLocation& where) {
  std::string s;
  if (!where.file.empty()) s += where.file + ":";
  if (where.line > 0) {
    s += std::to_string(where.line) + ":";
    if (where.column > 0) s += std::to_string(where.column) + ":";
  }
  if (!s.empty()) s += " ";
  return s;
}

InputError::InputError(std::string key, std::string value, std::string allowed, InputLocation where)
    : std::runtime_error(FormatLocation(where) + KeyMessage(key, value, allowed)),
      key_(std::move(key)),
      value_(std::move(value)),
      allowed_(std::move(allowed)),
      where_(std::move(where)) {}

InputError::InputError(std::string message, InputLocation where)
    : std::runtime_error(FormatLocation(where) + message),
      detail_(std::move(message)),
      where_(std::move(where)) {}

InputError InputError::At(InputLocation where) const {
  if (!detail_.empty()) return InputError(detail_, std::move(where));
  return InputError(key_, value_, allowed_, std::move(where));
}

}  // namespace clipsim

#include "clipsim/replay/input_error.hpp"

namespace clipsim::replay {

InputError::InputError(const std::string& key, const std::string& value, const std::string& allowed)
    : std::runtime_error(key + " is '" + value + "', but must be " + allowed) {}

InputError::InputError(const std::string& message) : std::runtime_error(message) {}

}  // namespace clipsim::replay

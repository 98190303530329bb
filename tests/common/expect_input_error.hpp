// Shared by the tests of input validation: an action must throw InputError, and its message must
// name every given part (the key, the value, the allowed range: what a user needs to fix it).
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "clipsim/core/input_error.hpp"

namespace clipsim::testing {

inline void ExpectInputError(const std::function<void()>& action,
                             const std::vector<std::string>& parts) {
  try {
    action();
    ADD_FAILURE() << "no InputError; expected one mentioning " << parts.front();
  } catch (const InputError& e) {
    const std::string message = e.what();
    for (const std::string& part : parts) {
      EXPECT_NE(message.find(part), std::string::npos) << "'" << message << "' lacks " << part;
    }
  }
}

}  // namespace clipsim::testing

// Shared by the optimizer tests (optimizers_test, scalar_step_test): settings of one method and
// batch size with no threshold (every threshold +inf), which each test then sets as it needs.
#pragma once

#include <cstdint>
#include <limits>

#include "clipsim/sim/optimizer.hpp"

namespace clipsim::sim::test_support {

inline OptimizerSettings Settings(Method m, std::int64_t n) {
  const double inf = std::numeric_limits<double>::infinity();
  OptimizerSettings s;
  s.method = m;
  s.batch_size = n;
  s.clip_threshold = inf;
  s.clip_scale = inf;
  return s;
}

}  // namespace clipsim::sim::test_support

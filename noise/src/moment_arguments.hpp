// The arguments every E||xi||^p computation takes (NoiseModel::Moment and the integrals behind it),
// checked in one place: p and dim come from users (the CLI's facts, a config's p, Python), so a bad
// one is an InputError naming it, never a crash.
#pragma once

#include "clipsim/core/input_error.hpp"
#include "clipsim/core/number_text.hpp"

namespace clipsim::noise::detail {

inline void CheckMomentArguments(double p, int dim) {
  if (!(p > 0.0)) throw InputError("p", ShortestText(p), "> 0 (the moment order of E||xi||^p)");
  if (dim < 1) throw InputError("dim", std::to_string(dim), ">= 1");
}

}  // namespace clipsim::noise::detail

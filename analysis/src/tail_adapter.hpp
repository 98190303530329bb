// The one place where the analysis calls the tail-index estimators of stats/tail_index.hpp.
#pragma once

#include <span>
#include <vector>

#include "clipsim/analysis/sweep_analysis.hpp"

namespace clipsim::analysis::detail {

// Hill's estimate of the tail index of the draws (finite, positive ones are used).
TailEstimate HillTailIndex(std::span<const double> draws, double confidence);

// Hill, then the second estimator, for the noise check.
std::vector<TailEstimate> NoiseTailIndices(std::span<const double> draws, double confidence);

}  // namespace clipsim::analysis::detail

// Transitional (see tests/CMakeLists.txt, clipsim_test_analysis_compat): the quantile intervals
// moved to clipsim/stats/quantile_ci.hpp, namespace clipsim::stats. tests/sim/ still includes this
// path; delete this file once it includes the stats header.
#pragma once

#include "clipsim/stats/quantile_ci.hpp"

namespace clipsim::analysis {

using stats::IntervalStatus;
using stats::QuantileEstimate;
using stats::QuantileWithCi;

}  // namespace clipsim::analysis

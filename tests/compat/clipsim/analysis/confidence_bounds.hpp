// Transitional (see tests/CMakeLists.txt, clipsim_test_analysis_compat): the confidence bounds
// moved to clipsim/stats/confidence_bounds.hpp, namespace clipsim::stats. tests/sim/ still
// includes this path; delete this file once it includes the stats header.
#pragma once

#include "clipsim/stats/confidence_bounds.hpp"

namespace clipsim::analysis {

using stats::BernsteinHoeffdingMean;
using stats::MeanConfidence;
using stats::QuantileLimit;
using stats::QuantileLowerLimit;
using stats::QuantileUpperLimit;

}  // namespace clipsim::analysis

// Transitional (see tests/CMakeLists.txt, clipsim_test_analysis_compat): the rate fits moved to
// clipsim/stats/rate_fit.hpp, namespace clipsim::stats. tests/sim/ still includes this path;
// delete this file once it includes the stats header.
#pragma once

#include "clipsim/stats/rate_fit.hpp"

namespace clipsim::analysis {

using stats::FitLine;

}  // namespace clipsim::analysis

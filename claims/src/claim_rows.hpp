// Pieces every claim kind uses to build its rows (claims.hpp): a cell's name in the report, the
// noise family the coverage rule counts, and the regime a row was decided in (where a metric sits
// in the read results is analysis/sweep_results.hpp's MetricIndex). A kind that gets a file of its
// own (claims_<kind>.cpp) includes this instead of repeating them.
#pragma once

#include <cstddef>
#include <string>

#include "clipsim/analysis/regime.hpp"
#include "clipsim/analysis/sweep_analysis.hpp"
#include "clipsim/analysis/sweep_results.hpp"
#include "clipsim/noise/noise_spec.hpp"

namespace clipsim::claims::detail {

// "label | setting" of the analyzed cell with this id (the id itself when it was not analyzed).
std::string CellName(const analysis::CellInfo& info, const analysis::SweepAnalysis& analysis);
// "stable" of "kind=stable,alpha=1.5,...": the family the coverage rule of CombineOutcomes counts.
using noise::NoiseFamily;
// Where a row was decided: the smallest and largest testable budget's regime, or why none is.
std::string RegimeSummary(const analysis::CellRegime& regime);

}  // namespace clipsim::claims::detail

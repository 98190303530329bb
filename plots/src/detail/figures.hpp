// The figure builders behind WriteSweepPlots, one per kind of figure. Each returns the Figure
// (data + gnuplot body) for one group of cells; none renders anything itself.
#pragma once

#include <string>
#include <vector>

#include "clipsim/analysis/results_table.hpp"
#include "clipsim/analysis/sweep_analysis.hpp"
#include "clipsim/plots/figure.hpp"

namespace clipsim::plots::detail {

using CellGroup = std::vector<const analysis::CellAnalysis*>;

// Theorem quantity against N per method: MoM with band, quantiles dashed, theory reference.
Figure RatePlot(const std::string& name, const CellGroup& cells,
                const analysis::SweepAnalysis& analysis);
// (1 - delta) quantile against 1/delta at the largest N, per method.
Figure DeltaPlot(const std::string& name, const CellGroup& cells,
                 const analysis::SweepAnalysis& analysis);
// Empirical CCDF of the noise norms with the fitted tail.
Figure NoiseTailPlot(const std::string& name, const analysis::NoiseNorms& norms,
                     const analysis::NoiseCheck& check);
// Median paired ratio against N per pair of cells, with intervals and the 10%-90% band.
Figure ComparisonPlot(const std::string& name, const std::string& title,
                      const std::vector<const analysis::PairedComparison*>& pairs,
                      const analysis::SweepAnalysis& analysis);

}  // namespace clipsim::plots::detail

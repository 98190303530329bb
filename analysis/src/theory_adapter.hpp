// The one place where the analysis asks the theory registry for a slope, so that the registry's
// interface is used from a single function.
#pragma once

#include <optional>
#include <string>

#include "clipsim/analysis/sweep_results.hpp"
#include "clipsim/stats/statistic.hpp"

namespace clipsim::analysis::detail {

struct TheoryLookup {
  std::optional<double> slope;  // slope in N of the statistic's bound
  std::string note;             // the source, or why there is no slope
};

// The method and p come from the cell's resolved columns (method, p) or its parameter columns
// (optimizer.method, p).
TheoryLookup LookupTheorySlope(const CellInfo& cell, const stats::Statistic& statistic);

// The cell's method name and moment order p as the registry wants them ("" / NaN when unknown).
std::string CellMethod(const CellInfo& cell);
double CellP(const CellInfo& cell);

}  // namespace clipsim::analysis::detail

// The paired_ratio claim kind (claims.hpp, top comment): the median over common seeds of the
// per-seed ratio a / b of two cells that share their noise stream, with its exact order-statistic
// interval, and with equal_time the ratio of their medians at equal compute time
// (claims_paired_ratio.cpp).
#pragma once

#include <vector>

#include "clipsim/claims/claims.hpp"

namespace clipsim::claims::detail {

// Decides the rows of a paired_ratio claim into `out` (rule, rows). `timings`: the sweep's
// timings.csv, read by the equal-time rows; `tuned`: the claim's tuned table when it names one,
// else null. confidence: the file's familywise confidence per claim.
void DecidePairedRatio(const ClaimSpec& spec, const analysis::SweepResults& results,
                       const analysis::SweepAnalysis& analysis,
                       const std::vector<analysis::CellTiming>& timings, double confidence,
                       const std::vector<TunedEntry>* tuned, ClaimResult& out);

}  // namespace clipsim::claims::detail

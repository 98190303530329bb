// The hitting_time claim kind (claims.hpp): iterations to ||grad f|| <= eps against Theorem 3's
// bound and the separation of two methods' counts in M (claims_hitting_time.cpp).
#pragma once

#include "clipsim/analysis/claims.hpp"

namespace clipsim::analysis::detail {

// Decides the rows of a hitting_time claim into `out` (rule, rows, notes); reads hitting.csv of
// results.dir. confidence: the file's familywise confidence per claim.
void DecideHittingTime(const ClaimSpec& spec, const SweepResults& results,
                       const SweepAnalysis& analysis, double confidence, ClaimResult& out);

}  // namespace clipsim::analysis::detail

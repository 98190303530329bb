// The hitting_time claim kind (claims.hpp): iterations to ||grad f|| <= eps against Theorem 3's
// bound and the separation of two methods' counts in M (claims_hitting_time.cpp).
#pragma once

#include "clipsim/claims/claims.hpp"

namespace clipsim::claims::detail {

// Decides the rows of a hitting_time claim into `out` (rule, rows, notes); reads hitting.csv of
// results.dir. confidence: the file's familywise confidence per claim.
void DecideHittingTime(const ClaimSpec& spec, const analysis::SweepResults& results,
                       const analysis::SweepAnalysis& analysis, double confidence,
                       ClaimResult& out);

}  // namespace clipsim::claims::detail

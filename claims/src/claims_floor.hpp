// The `floor` claim kind (claims.hpp): the floor of clipped SGD with a fixed threshold against the
// lower and upper bounds of analysis/clip_floor.hpp, the absence of a floor where none is expected,
// and the floor's exponent along a grid axis.
#pragma once

#include "clipsim/claims/claims.hpp"

namespace clipsim::claims::detail {

void DecideFloor(const ClaimSpec& spec, const analysis::SweepResults& results,
                 const analysis::SweepAnalysis& analysis, double confidence, ClaimResult& out);

}  // namespace clipsim::claims::detail

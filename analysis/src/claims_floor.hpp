// The `floor` claim kind (claims.hpp): the floor of clipped SGD with a fixed threshold against the
// lower and upper bounds of clip_floor.hpp, the absence of a floor where none is expected, and
// the floor's exponent along a grid axis.
#pragma once

#include "clipsim/analysis/claims.hpp"

namespace clipsim::analysis::detail {

void DecideFloor(const ClaimSpec& spec, const SweepResults& results, const SweepAnalysis& analysis,
                 double confidence, ClaimResult& out);

}  // namespace clipsim::analysis::detail

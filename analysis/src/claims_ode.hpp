// The ode claim kind (claims.hpp): streaming_least_squares runs against their risk ODE, and the
// clipping comparison criterion along it.
#pragma once

#include "clipsim/analysis/claims.hpp"

namespace clipsim::analysis::detail {

void DecideOde(const ClaimSpec& spec, const SweepResults& results, const SweepAnalysis& analysis,
               double confidence, ClaimResult& out);

}  // namespace clipsim::analysis::detail

// The ode claim kind (claims.hpp): streaming_least_squares runs against their risk ODE, and the
// clipping comparison criterion along it.
#pragma once

#include "clipsim/claims/claims.hpp"

namespace clipsim::claims::detail {

void DecideOde(const ClaimSpec& spec, const analysis::SweepResults& results,
               const analysis::SweepAnalysis& analysis, double confidence, ClaimResult& out);

}  // namespace clipsim::claims::detail

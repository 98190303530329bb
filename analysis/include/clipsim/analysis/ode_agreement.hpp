// A sweep of streaming_least_squares runs against the risk ODE (dynamics/risk_ode.hpp, the
// deterministic equivalent of Marshall, Xiao, Agarwala & Paquette 2024): per (cell, budget) the
// metric (value_gap, the risk) at every checkpoint over the seeds, its mean and 10% / 90%
// quantiles, and the ODE's prediction for the run the cell describes (built from cells.csv's
// canonical config and resolved.csv through dynamics::RunRiskOde, the same function
// `clipsim ode` uses). The ODE claim (claims.hpp, kind ode) and the ode_ figures read this.
//
// Relative error of the mean at a checkpoint: |mean - predicted| / predicted. MaxRelativeError
// is its maximum over the checkpoints with 0 < samples <= horizon x dim (horizon 0: every
// checkpoint after the start); +infinity where the prediction diverges or a run diverged.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "clipsim/analysis/sweep_results.hpp"
#include "clipsim/core/rng.hpp"

namespace clipsim::analysis {

// A planted variant of the ODE (the falsification checks): mu and nu multiplied, or the
// unclipped SGD ODE (mu = 1, nu = 2R + E eps^2) for every run.
struct OdeVariant {
  double mu_factor = 1.0;
  double nu_factor = 1.0;
  bool unclipped = false;
  std::string Describe() const;  // "the deterministic equivalent", "unclipped ODE", ...
};

struct OdeCurve {
  const CellResults* cell = nullptr;
  std::int64_t budget = 0;
  int dim = 0;
  std::vector<double> samples;              // checkpoints (samples consumed), ascending
  std::vector<std::vector<double>> values;  // values[j][s]: checkpoint j, seed s (common seeds)
  std::vector<double> mean;                 // over seeds
  std::vector<double> q10;
  std::vector<double> q90;
  std::vector<double> predicted;  // the ODE's risk (empty when there is no prediction)
  std::vector<double> ccc;        // the clipping comparison criterion along the prediction
  double clipped_median = 0.0;    // median clipped samples per run at the budget
  std::string why;                // why there is no prediction ("" when there is one)
};

// Every (cell, budget) of the results whose problem is streaming_least_squares, in results order.
// Reads the metric at every checkpoint from results.results_file. Throws InputError for a
// malformed file or a missing metric column; a run the ODE does not describe gets an empty
// prediction and `why`.
std::vector<OdeCurve> OdeCurves(const SweepResults& results, const std::string& metric,
                                const OdeVariant& variant = {});

// The maximum relative error of the mean over the checkpoints (see the top); with rng, the seeds
// are drawn with replacement first (one bootstrap replicate).
double MaxRelativeError(const OdeCurve& curve, double horizon, Rng* rng = nullptr);

// The columns that identify a setting of an ODE comparison: every grid column but problem.dim.
std::string OdeSettingKey(const SweepResults& results, const CellResults& cell);

}  // namespace clipsim::analysis

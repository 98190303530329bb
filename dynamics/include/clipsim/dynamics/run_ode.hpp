// The risk ODE of one run, built from what a run records: the canonical problem and noise texts
// (cells.csv's `problem` and `noise` columns, sim::FormatProblemSpec / noise::FormatNoiseSpec),
// its method and the resolved step, batch and threshold (resolved.csv). `clipsim ode` builds it
// from a run config and the ODE claim of `clipsim report` from a sweep's records, through this one
// function, so that both predict the same risk for the same run.
//
// Which runs the ODE describes (anything else is refused with InputError naming the key):
// streaming_least_squares, batch size 1 without accumulation or momentum, a constant step, and
//   sgd                               no clipping
//   clip_sgd, ps_clip_const           ||g|| clipped at clip_threshold (the same for batch 1)
//   median_clip_sgd                   ||g|| clipped at clip_ratio x the running median of ||g||
#pragma once

#include <cstdint>
#include <limits>
#include <string>

#include "clipsim/dynamics/risk_ode.hpp"

namespace clipsim::dynamics {

struct RunDescription {
  std::string problem;  // canonical problem text
  std::string noise;    // canonical noise text; "none" or "" for noise-free labels
  std::string method;   // the optimizer's config name
  std::string schedule = "constant";
  double eta = 0.0;
  std::int64_t batch_size = 1;
  std::int64_t accumulation = 1;
  double momentum = 0.0;
  double clip_threshold = std::numeric_limits<double>::infinity();  // clip_sgd, ps_clip_const
  double clip_ratio = std::numeric_limits<double>::quiet_NaN();     // median_clip_sgd
};

// The ODE of the run (streaming_lsq.hpp's instance, reduction_factors.hpp's factors). Throws
// InputError when the run is not one the ODE describes.
RiskOde RunRiskOde(const RunDescription& run);

}  // namespace clipsim::dynamics

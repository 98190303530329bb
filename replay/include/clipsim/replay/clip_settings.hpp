// The clipping constants a run uses, after "auto" values have been estimated (warmup.hpp).
#pragma once

#include <cstdint>

#include "clipsim/replay/tail_index.hpp"

namespace clipsim::replay {

struct ClipSettings {
  double clip_threshold = 1.0;        // clip-sgd: on the norm of the (accumulated) batch mean
  double clip_threshold_micro = 1.0;  // clip-sgd-micro: on the norm of each micro-batch mean
  double clip_scale = 1.0;            // ps-clip-sgd: alpha
  double clip_power = 2.0;            // ps-clip-sgd: beta
  double ps_threshold = 1.0;          // ps-clip-const

  // Provenance, recorded with the results.
  bool warmup_ran = false;
  int64_t warmup_samples = 0;     // per-sample gradients measured
  TailReport warmup_tail;         // of the noise norms ||g_k - batch mean|| in the warm-up
  double warmup_raw_power = 0.0;  // the Hill estimate before clamping into [1.1, 2]
  double warmup_seconds = 0.0;    // wall time of the warm-up (shared by all methods)
};

}  // namespace clipsim::replay

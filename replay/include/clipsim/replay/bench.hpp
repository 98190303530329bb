// `clipsim-replay --bench`: the median wall time of one optimizer step (forward, backward,
// clipping, update; device synchronized at the end of each step) of every method on one fixed
// synthetic batch, with the ratio PS-Clip-SGD / SGD. The rows are timed interleaved (step s of
// every row, then step s + 1), so that a change in machine load hits all rows alike.
// Rows: sgd, clip-sgd, ps-clip-sgd, ps-clip-const with K = 1, then sgd, clip-sgd,
// clip-sgd-micro, ps-clip-sgd with K = accum_steps micro-batches (clipping each micro-batch
// against clipping once). The clipping thresholds do not change the work done; "auto" ones are
// taken from the bench batch's own norms.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "clipsim/replay/options.hpp"

namespace clipsim::replay {

struct BenchRow {
  Method method = Method::kSgd;
  int accum_steps = 1;
  double median_ms = 0.0;
  double q25_ms = 0.0;
  double q75_ms = 0.0;
};

struct BenchReport {
  std::string device;
  std::vector<BenchRow> rows;
  double ps_clip_over_sgd = 0.0;  // median ps-clip-sgd / median sgd, K = 1
  double micro_over_once = 0.0;   // median clip-sgd-micro / median clip-sgd, K = accum_steps
};

// Uses options' device, threads, seed, norm_mode and clipping values. Prints the table to out.
BenchReport RunBench(const BenchOptions& bench, const TrainOptions& options, std::ostream& out);

}  // namespace clipsim::replay

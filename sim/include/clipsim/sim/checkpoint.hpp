// What a run records, at log-spaced numbers of consumed samples and at the end, and its CSV form
// (the same for `clipsim run` and for the sweep's results.csv).
//
// Iterates: x_0 is the start, x_t the iterate after t steps. At a checkpoint after t steps:
//   grad_norm, value_gap       ||grad f(x_t)||, f(x_t) - f_low at the current iterate
//   mean_grad_norm             (1/t) sum_{s<t} ||grad f(x_s)||   (x_0's value when t = 0)
//   mean_sq_grad_norm          (1/t) sum_{s<t} ||grad f(x_s)||^2
//   grad_norm_at_R             ||grad f(x_R)||, R uniform on {0, ..., t-1} (x_0 when t = 0): the
//                              quantity of the in-expectation theorems, E||grad f(x_R)||
//   min_grad_norm              min_{s<=t} ||grad f(x_s)||
//   clipped_fraction           clipped samples / consumed samples (0 for methods that never clip)
// A diverged run (NaN or inf in the iterate, gradient or value) reports +inf for every metric
// above except clipped_fraction from the divergence on, with diverged = 1, and the samples and
// iterations it had reached.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace clipsim::sim {

struct RunConfig;

struct Checkpoint {
  std::int64_t target = 0;      // the checkpoint: a number of samples on the log grid, or N
  std::int64_t samples = 0;     // samples consumed, the largest t * n * K <= target
  std::int64_t iterations = 0;  // t
  double grad_norm = 0.0;
  double value_gap = 0.0;
  double mean_grad_norm = 0.0;
  double mean_sq_grad_norm = 0.0;
  double grad_norm_at_R = 0.0;
  double min_grad_norm = 0.0;
  double clipped_fraction = 0.0;
  bool diverged = false;
};

// The column names, in order: target, samples, iterations, grad_norm, value_gap, mean_grad_norm,
// mean_sq_grad_norm, grad_norm_at_R, min_grad_norm, clipped_fraction, diverged.
const std::vector<std::string>& CheckpointColumns();
// Appends one CSV row (no newline): integers as such, doubles in shortest round-trip form
// (std::to_chars), +infinity as "inf", diverged as 0 or 1.
void AppendCheckpointCsv(std::string& out, const Checkpoint& c);
// Appends one line per checkpoint: prefix, the row of AppendCheckpointCsv, a newline. Where
// several targets fall within one step (a batch of 16 takes the log grid's 0, 1, 2, 3, 6 and 10
// before its first step), the rows differ only in the target, and the fields after it are copied
// from the line before instead of formatted again: formatting doubles was ~13% of a d = 1 sweep.
void AppendCheckpointLines(std::string& out, std::string_view prefix,
                           std::span<const Checkpoint> checkpoints);
// The CSV of one run as `clipsim run` prints it: the header line of CheckpointColumns, then one
// line per checkpoint.
std::string CheckpointTable(const std::vector<Checkpoint>& checkpoints);

// The checkpoint targets of a budget: 0 (the start), then round(10^(j / per_decade)) for
// j = 0, 1, ... while below N (duplicates dropped), then N. Depends only on (N, per_decade), so
// every run of a budget has the same rows whatever its batch size.
std::vector<std::int64_t> CheckpointTargets(std::int64_t budget, int per_decade);
std::vector<std::int64_t> CheckpointSchedule(const RunConfig& config);

}  // namespace clipsim::sim

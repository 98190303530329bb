// The sweep engine: every (cell, budget, seed) of a sweep file, on every core, committed in chunks
// so that a sweep killed at any moment resumes with exactly the output of an uninterrupted one.
//
// Output folder (core/results_folder.hpp declares the format and its schema version):
//   results.csv[.gz]  one row per (cell, budget, seed, checkpoint), cells in grid order, then
//                     budgets in file order, then seeds ascending: byte-identical for any thread
//                     count or shard split of the same build (no sorting needed)
//   timings.csv       seconds per run (outside the byte-identical results)
//   cells.csv         every cell's id, axis values and full resolved parameters
//   resolved.csv      per (cell, budget) the batch, steps, step and thresholds as run, and the
//                     problem and noise facts the theory needs (core/resolved_table.hpp)
//   noise_norms.csv   raw noise norms ||xi|| per distinct noise (when save_noise_norms > 0)
//   manifest.json     schema version, config, build, command line, times, counts, results hash
//   sweep.yaml        the config the folder was started with; state.json its fingerprint
//   chunks/           committed chunks (the unit of resumption and sharding) in append-only
//                     logs, one per process: per chunk a header line, results rows, timings
// Shard folders are joined by MergeSweeps (merge.hpp).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "clipsim/sweep/config.hpp"

namespace clipsim::sweep {

struct SweepOptions {
  std::string out_dir;
  int threads = 0;  // 0: every core
  // Run only part `shard_index` (0-based) of `shard_count` disjoint parts.
  int shard_index = 0;
  int shard_count = 1;
  // Progress on stderr: a bar on a terminal, otherwise a plain line every few seconds.
  bool progress = true;
  // Progress for the caller's own display (clipsim.sweep's tqdm bar), independent of `progress`:
  // called with the runs of the sweep done so far (committed before this call included) and
  // their total, from the engine's coordinating thread only (never a worker, never in a run), at
  // most every 200 ms and once at the end. It must not throw. Empty: not called.
  std::function<void(std::int64_t done, std::int64_t total)> on_progress;
  std::string command_line;  // recorded in the manifest and printed in the resume hint
  // Set from a signal handler: workers stop after their current run; finished chunks stay.
  const std::atomic<bool>* stop = nullptr;
  // Check every committed chunk against its hash before running (reads all results once) and
  // compute damaged ones again; without it a damaged chunk is found when assembling, and refused.
  bool verify = false;
};

struct SweepSize {
  std::int64_t cells = 0;
  std::int64_t budgets = 0;
  std::int64_t seeds = 0;
  std::int64_t runs = 0;
  std::int64_t chunks = 0;
  std::int64_t rows = 0;          // estimated: runs x checkpoints per run
  std::int64_t bytes = 0;         // estimated size of results.csv
  std::int64_t shard_runs = 0;    // runs in the requested shard
  std::int64_t already_done = 0;  // runs already committed in out_dir (when it exists)
};

struct SweepReport {
  SweepSize size;
  std::int64_t runs_now = 0;  // runs computed by this invocation
  std::int64_t diverged_now = 0;
  bool interrupted = false;
  bool complete = false;            // every chunk of the whole sweep is committed
  std::int64_t damaged_chunks = 0;  // found by verify, and computed again
  std::string results_path;         // set when complete
  double seconds = 0.0;
};

// Validates out_dir against the config (refusing a changed config or another build), then
// counts what would run. Creates nothing.
SweepSize PlanSweep(const SweepConfig& config, const SweepOptions& options);

// Runs what is missing in the requested shard and, when the whole sweep is then committed,
// writes results.csv, timings.csv, cells.csv, resolved.csv and manifest.json. Throws InputError for
// a folder that holds another config or another build's results.
SweepReport RunSweep(const SweepConfig& config, const SweepOptions& options);

}  // namespace clipsim::sweep

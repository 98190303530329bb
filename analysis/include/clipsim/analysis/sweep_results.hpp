// Reading a sweep output folder (written by `clipsim sweep`) into the final value of every run,
// through the results-folder contract (core/results_folder.hpp: file names, columns, the config
// text's grammar, the schema version), which the writer in `sim` uses too.
//
// Files read (columns always by name from the header, never by position):
//   manifest.json (required)       its schema_version must be results_folder::kSchemaVersion: a
//                                  folder of another format is refused by name, never misread;
//                                  a missing or damaged manifest is refused too. Build, config and
//                                  counts are echoed into the summary.
//   results.csv or results.csv.gz  cell,<param columns>,budget,seed,<checkpoint columns>; one row
//                                  per (cell, budget, seed, checkpoint). The final value of a run
//                                  is its last checkpoint: largest `target` (else `samples`) when
//                                  such a column exists, later rows winning ties; else the last
//                                  row.
//   cells.csv                      cell,<param columns>,<results_folder::kCellColumns>: missing
//                                  columns are left empty.
//   resolved.csv (optional)        per (cell, budget) what the runs ran with and the facts the
//                                  theory needs (core/resolved_table.hpp); missing in folders of
//                                  builds before it, where the regime of a theorem is unknown.
//   noise_norms.csv (optional)     noise_stream,noise,dim,norm.
//   timings.csv                    read on its own by ReadTimings (equal-time claims only).
//
// Divergence is data: a run whose `diverged` column is true (1/true) counts as +infinity in every
// metric, and so does any NaN or infinite metric value (a blow-up the run did not flag). Bad files
// (missing results, a header without cell/budget/seed, a malformed number, an unknown requested
// metric) throw InputError naming the file, line and column.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace clipsim::analysis {

// One cell of the grid: its id, parameters and the resolved facts the reports name.
struct CellInfo {
  std::string id;                   // 16 hex digits
  std::vector<std::string> params;  // values of SweepResults::param_columns, same order
  // From cells.csv where present ("" otherwise).
  std::string noise_stream;
  std::string problem;
  std::string dim;
  std::string noise;
  std::string p;
  std::string method;
  std::string schedule;

  // The value of a parameter column or a resolved column by name ("" when absent).
  std::string Get(std::string_view column) const;
  std::vector<std::pair<std::string, std::string>> columns;  // every cells.csv column, in order
};

// What one (cell, budget) ran with, from resolved.csv (core/resolved_table.hpp documents each
// field). Numbers the run does not use are NaN or +infinity, as written.
struct ResolvedRun {
  std::string method;
  std::string prescription;  // theory-registry entry of a theory schedule, "" otherwise
  std::int64_t batch_size = 0;
  std::int64_t accumulation = 1;
  std::int64_t iterations = 0;
  std::int64_t samples = 0;
  double eta = 0.0;
  double step_factor = 1.0;
  double batch_factor = 1.0;
  double clip_factor = 1.0;
  double clip_threshold = 0.0;
  double clip_scale = 0.0;
  double clip_power = 0.0;
  double sigma = 0.0;
  double p = 0.0;
  double L = 0.0;
  double delta = 0.0;
  double gradient_bound = 0.0;
  double start_grad_norm = 0.0;
};

// The final values of every seed of one (cell, budget).
struct BudgetRuns {
  std::int64_t budget = 0;
  std::vector<std::uint64_t> seeds;  // ascending
  // finals[m][i]: metric m (SweepResults::metrics order) of seed i; +infinity for diverged runs.
  std::vector<std::vector<double>> finals;
  int diverged = 0;  // runs flagged diverged or with a non-finite metric
  // Per seed (same order): clipped samples of the whole run, clipped_fraction x samples at its
  // final checkpoint (NaN when results.csv lacks those columns).
  std::vector<double> clipped_samples;
  bool has_resolved = false;  // resolved.csv has this (cell, budget)
  ResolvedRun resolved;
};

struct CellResults {
  CellInfo info;
  std::vector<BudgetRuns> budgets;  // ascending budget
  // The runs at one budget, or null when the cell has none there.
  const BudgetRuns* Find(std::int64_t budget) const;
};

// Raw noise norms ||xi|| of one noise stream.
struct NoiseNorms {
  std::string noise_stream;
  std::string noise;  // canonical noise spec text
  std::string dim;
  std::vector<double> norms;  // file order
};

struct SweepResults {
  std::string dir;
  std::string results_file;                // path read
  std::vector<std::string> param_columns;  // the grid axes, in header order
  std::vector<std::string> metrics;        // metric columns read, in analysis order
  std::vector<CellResults> cells;          // in order of first appearance in results
  std::vector<NoiseNorms> noise;           // empty without noise_norms.csv
  std::int64_t rows = 0;                   // data rows read
  std::string manifest_summary;            // "commit ..., config ..., ..." or ""
};

struct ReadOptions {
  // Metrics to read, in this order; empty: every checkpoint column except the bookkeeping ones
  // (target, samples, iterations, diverged, clipped_fraction), with `theorem_metric` first.
  std::vector<std::string> metrics;
  std::string theorem_metric = "mean_grad_norm";
};

// Reads DIR. Throws InputError for a missing or malformed folder (see above).
SweepResults ReadSweepDir(const std::string& dir, const ReadOptions& options = {});

// The index of `metric` in results.metrics; InputError naming the sweep folder when it was not
// read.
std::size_t MetricIndex(const SweepResults& results, const std::string& metric);

// Median seconds per run of one (cell, budget), from a sweep's timings.csv.
struct CellTiming {
  std::string cell;
  std::int64_t budget = 0;
  double median_seconds = 0.0;
  int runs = 0;
  // Every run's seconds by seed, ascending seed (empty when timings.csv has no seed column).
  std::vector<std::uint64_t> seeds;
  std::vector<double> seconds;
};
// Reads DIR/timings.csv; empty when the file is missing. Throws InputError when malformed.
std::vector<CellTiming> ReadTimings(const std::string& dir);

}  // namespace clipsim::analysis

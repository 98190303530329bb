// Tuning for a method comparison (claim 3): from a tuning sweep (its own seeds, one grid of step
// sizes - and thresholds for the clipped methods - shared by every method), pick per method and
// per budget the cell that minimizes the median over the tuning seeds of a metric at that budget
// (diverged runs count as +infinity, so a diverging setting is never chosen unless all diverge;
// ties go to the first cell in grid order). Every distinct chosen optimizer and schedule is then
// written into an evaluation sweep that runs on fresh seeds at every budget, and the table of
// which setting was tuned for which budget (TunedTableCsv) lets a claim compare, at each budget,
// the methods tuned for it.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "clipsim/analysis/sweep_results.hpp"

namespace clipsim::claims {

struct TuningCandidate {
  std::string cell;
  std::string method;
  std::string label;  // the cell's varying optimizer and schedule values
  std::vector<std::pair<std::string, std::string>> params;  // the same, as (column, value)
  double score = 0.0;  // median of the metric over the tuning seeds
  int seeds = 0;
  int diverged = 0;
};

struct TuningChoice {
  std::int64_t budget = 0;  // the budget it was tuned for
  TuningCandidate best;
  int candidates = 0;
  // Keys of the chosen cell's canonical config under optimizer. and schedule. (prefix removed),
  // without the symbolic defaults ("p", "sigma", "theory"), which the evaluation resolves alike.
  std::vector<std::pair<std::string, std::string>> optimizer;
  std::vector<std::pair<std::string, std::string>> schedule;
  // Tuned columns whose chosen value is the smallest or largest the method's grid tried
  // ("schedule.eta0 at the grid's minimum"): the optimum may lie outside the grid.
  std::vector<std::string> on_edge;
};

struct TuningResult {
  std::string metric;
  std::int64_t budget = 0;                  // the largest budget of the tuning sweep
  std::vector<TuningCandidate> candidates;  // every cell, grid order (scores at `budget`)
  std::vector<TuningChoice> choices;        // one per method at `budget`, first-appearance order
  // One per (method, budget) for every budget of the tuning sweep, ascending budget, then
  // method order; the largest budget's are `choices`.
  std::vector<TuningChoice> per_budget;
};

// One row of the tuned table: the setting chosen for a method at a budget, as the optimizer.* and
// schedule.* keys of the canonical config (cells.csv's `config` column of any cell running it).
struct TunedEntry {
  std::string method;
  std::int64_t budget = 0;
  std::vector<std::pair<std::string, std::string>> settings;  // ("optimizer.eta0", "0.01"), ...
};

// Throws InputError when the metric is missing or a cell has no `config` column.
TuningResult ChooseTuned(const analysis::SweepResults& tuning, const std::string& metric);

// The evaluation sweep: the template (a sweep file without optimizer, schedule and zip keys)
// followed by the chosen optimizers and schedules, zipped. Throws InputError when the template
// sets one of those keys.
std::string EvaluationConfig(const std::string& template_text, const std::string& template_path,
                             const TuningResult& tuning);

// Markdown: the grid with every candidate's score and the chosen value per method.
std::string TuningMarkdown(const TuningResult& tuning, const std::string& tuning_dir);

// The tuned table as CSV, "method,budget,settings" with settings "key=value;key=value" (keys with
// their optimizer. / schedule. prefix), one row per TuningResult::per_budget entry; and its
// reader (InputError naming file and line when malformed).
std::string TunedTableCsv(const TuningResult& tuning);
std::vector<TunedEntry> ReadTunedTable(const std::string& path);

// Whether a cell's canonical config (cells.csv `config`: "k=v;k=v") holds every setting.
bool ConfigHasSettings(const std::string& config,
                       const std::vector<std::pair<std::string, std::string>>& settings);

}  // namespace clipsim::claims

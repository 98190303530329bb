// Tuning for a method comparison (claim 3): from a tuning sweep (its own seeds, one grid of step
// sizes - and thresholds for the clipped methods - shared by every method, one budget), pick per
// method the cell that minimizes the median over the tuning seeds of a metric at the largest
// budget (diverged runs count as +infinity, so a diverging setting is never chosen unless all
// diverge; ties go to the first cell in grid order). The chosen optimizer and schedule keys are
// then written into an evaluation sweep that runs on fresh seeds.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "clipsim/analysis/results_table.hpp"

namespace clipsim::analysis {

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
  std::int64_t budget = 0;
  std::vector<TuningCandidate> candidates;  // every cell, grid order
  std::vector<TuningChoice> choices;        // one per method, in order of first appearance
};

// Throws InputError when the metric is missing or a cell has no `config` column.
TuningResult ChooseTuned(const SweepResults& tuning, const std::string& metric);

// The evaluation sweep: the template (a sweep file without optimizer, schedule and zip keys)
// followed by the chosen optimizers and schedules, zipped. Throws InputError when the template
// sets one of those keys.
std::string EvaluationConfig(const std::string& template_text, const std::string& template_path,
                             const TuningResult& tuning);

// Markdown: the grid with every candidate's score and the chosen value per method.
std::string TuningMarkdown(const TuningResult& tuning, const std::string& tuning_dir);

}  // namespace clipsim::analysis

// Command-line options shared by `clipsim analyze` and `clipsim plot` (the plot command runs the
// same analysis), so that both parse and validate them the same way.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "clipsim/analysis/sweep_analysis.hpp"
#include "clipsim/analysis/sweep_results.hpp"

namespace clipsim::app {

struct AnalysisArgs {
  std::string dir;
  analysis::AnalysisOptions options;
  std::vector<std::string> metrics;  // empty: every metric column

  // Adds DIR and the analysis options to a subcommand.
  void AddTo(CLI::App& cmd) {
    cmd.add_option("dir", dir, "Sweep output folder (written by `clipsim sweep --out DIR`)")
        ->required();
    cmd.add_option("--deltas", options.deltas,
                   "The (1 - delta) quantiles to report, each in (0, 1), comma separated")
        ->delimiter(',')
        ->capture_default_str();
    cmd.add_option("--confidence", options.confidence, "Coverage of every interval, in (0.5, 1)")
        ->capture_default_str();
    cmd.add_option("--verdict-confidence", options.verdict.confidence,
                   "Familywise confidence of the verdicts (Holm over cells), in (0.5, 1)")
        ->capture_default_str();
    cmd.add_option("--margin", options.verdict.margin,
                   "Equivalence margin on the slope: 'at least as fast' means slope < theory + "
                   "margin, in [0, 1)")
        ->capture_default_str();
    cmd.add_option("--bootstrap", options.bootstrap_resamples,
                   "Bootstrap replicates over seeds, in [100, 1000000]")
        ->capture_default_str();
    cmd.add_option("--bootstrap-seed", options.bootstrap_seed,
                   "Seed of the bootstrap (the output is a function of it)")
        ->capture_default_str();
    cmd.add_option("--metrics", metrics,
                   "Metric columns to analyze, comma separated (default: every metric column)")
        ->delimiter(',');
    cmd.add_option("--theorem-metric", options.theorem_metric,
                   "The theorem quantity ||grad f(x_R)||: verdicts and paired comparisons")
        ->capture_default_str();
    cmd.add_option("--hp-metric", options.hp_metric,
                   "The metric of the high-probability verdicts and delta fits (its quantiles)")
        ->capture_default_str();
    cmd.add_option("--threads", options.threads, "Worker threads (0: every core)")
        ->capture_default_str();
    // The regime rules (analysis/regime.hpp): where a theory cell's theorem is testable.
    cmd.add_option("--min-steps", options.regime.min_steps,
                   "Regime: a budget is testable only when the prescription leaves T >= this")
        ->capture_default_str();
    cmd.add_option("--max-bound-ratio", options.regime.max_bound_ratio,
                   "Regime: and bound(N) / ||grad f(x0)|| <= this")
        ->capture_default_str();
    cmd.add_option("--slope-tolerance", options.regime.slope_tolerance,
                   "Regime: and the bound's local slope is within this of the theory slope")
        ->capture_default_str();
    cmd.add_option("--min-clipped", options.regime.min_clipped_per_run,
                   "Regime: and the median clipped samples per run is at least this")
        ->capture_default_str();
    cmd.add_option("--min-rate-budgets", options.regime.min_rate_budgets,
                   "Regime: a rate needs this many testable budgets ...")
        ->capture_default_str();
    cmd.add_option("--min-rate-span", options.regime.min_rate_span,
                   "Regime: ... whose largest is at least this times the smallest")
        ->capture_default_str();
  }

  analysis::ReadOptions Read() const {
    analysis::ReadOptions read;
    read.metrics = metrics;
    read.theorem_metric = options.theorem_metric;
    return read;
  }
};

}  // namespace clipsim::app

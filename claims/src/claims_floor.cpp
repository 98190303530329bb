// The `floor` claim kind (claims.hpp, top comment): per cell, F(N) = the mean over seeds of the
// claim's metric (||grad f(x_N)||) at the last two budgets N1 < N2, with one percentile bootstrap
// over seeds (joint across the two budgets when they ran the same seeds, as the sweep does), for
// F(N2) and for the ratio F(N2) / F(N1). The bounds are analysis/clip_floor.hpp's, at the cell's
// resolved threshold c and sigma = sigma(2) of its noise.
#include "claims_floor.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "claim_rows.hpp"
#include "clipsim/analysis/clip_floor.hpp"
#include "clipsim/analysis/format.hpp"
#include "clipsim/core/number_parse.hpp"
#include "clipsim/core/rng.hpp"
#include "clipsim/stats/bootstrap.hpp"
#include "clipsim/stats/median.hpp"
#include "clipsim/stats/rate_fit.hpp"
#include "clipsim/stats/statistic.hpp"

namespace clipsim::claims::detail {

using analysis::Sig;
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// What one cell shows at its last two budgets.
struct CellFloor {
  const analysis::CellResults* cell = nullptr;
  std::int64_t n1 = 0, n2 = 0;  // the last two budgets
  int seeds = 0;
  double f1 = kNaN, f2 = kNaN, ratio = kNaN;  // point estimates
  std::vector<double> f2_reps, ratio_reps;    // bootstrap replicates
  stats::PercentileInterval f2_ci{kNaN, kNaN, 0}, ratio_ci{kNaN, kNaN, 0};
  double clipped_total = kNaN;  // median clipped samples per run at N2
  double clipped_late = kNaN;   // median clipped samples per run in (N1, N2]
  double c = kNaN, sigma = kNaN;
  std::string premise;  // why the bounds' premise fails ("" when it holds)
  std::string why;      // why the cell cannot be measured at all ("" when it can)
};

// F(N2) / F(N1); 0 when F(N2) = 0 (every run at the minimizer exactly: no floor).
double Ratio(double f2, double f1) {
  return f2 == 0.0 ? 0.0 : f2 / f1;
}

double Mean(const std::vector<double>& v) {
  double s = 0.0;
  for (double x : v) s += x;
  return v.empty() ? kNaN : s / static_cast<double>(v.size());
}

// The bounds hold for Clip-SGD with batch 1 on a problem of dimension 1, with sigma^2 = E xi^2
// finite: sigma(p) at p = 2 (resolved.csv's sigma is sigma(p) of the run's p).
std::string PremiseOf(const analysis::CellResults& cell, const analysis::ResolvedRun& r) {
  if (r.method != "clip_sgd" || r.batch_size != 1 || r.accumulation != 1) {
    return "the bounds are derived for clip_sgd with batch 1 (this cell: " + r.method + ", batch " +
           std::to_string(r.batch_size) + ")";
  }
  if (!cell.info.dim.empty() && cell.info.dim != "1") {
    return "the bounds are derived in dimension 1 (this cell: " + cell.info.dim + ")";
  }
  if (r.p != 2.0) {
    return "the bounds assume bounded variance, sigma^2 = E xi^2: run with p = 2 (this cell: p = " +
           Sig(r.p) + ")";
  }
  if (!(std::isfinite(r.sigma) && r.sigma > 0.0)) {
    return "the bounds assume a finite variance (this cell: sigma(2) = " + Sig(r.sigma) + ")";
  }
  if (!(std::isfinite(r.clip_threshold) && r.clip_threshold > 0.0)) {
    return "the bounds need a finite threshold c (this cell: " + Sig(r.clip_threshold) + ")";
  }
  return "";
}

CellFloor Measure(const analysis::CellResults& cell, std::size_t metric,
                  const analysis::SweepAnalysis& analysis, double level) {
  CellFloor f;
  f.cell = &cell;
  if (cell.budgets.size() < 2) {
    f.why = "needs two budgets (the floor is what stays flat between them)";
    return f;
  }
  const analysis::BudgetRuns& b1 = cell.budgets[cell.budgets.size() - 2];
  const analysis::BudgetRuns& b2 = cell.budgets.back();
  f.n1 = b1.budget;
  f.n2 = b2.budget;
  f.seeds = static_cast<int>(b2.seeds.size());
  if (b1.diverged > 0 || b2.diverged > 0) {
    f.why = "diverged runs at N=" + std::to_string(b1.diverged > 0 ? f.n1 : f.n2);
    return f;
  }
  f.f1 = Mean(b1.finals[metric]);
  f.f2 = Mean(b2.finals[metric]);
  f.ratio = Ratio(f.f2, f.f1);
  const bool joint = b1.seeds == b2.seeds;
  const stats::Statistic mean = stats::Statistic::Mean();
  stats::BootstrapOptions options;
  options.resamples = analysis.options.bootstrap_resamples;
  Rng rng = MakeRng({analysis.options.bootstrap_seed, StableHash(cell.info.id), 0xf100});
  const stats::BootstrapReplicates reps = stats::BootstrapOverSeeds(
      {b1.finals[metric], b2.finals[metric]}, joint, std::span(&mean, 1), options, rng);
  for (int r = 0; r < reps.resamples(); ++r) {
    f.f2_reps.push_back(reps.at(r, 0, 1));
    f.ratio_reps.push_back(Ratio(reps.at(r, 0, 1), reps.at(r, 0, 0)));
  }
  f.f2_ci = stats::PercentileBounds(f.f2_reps, level);
  f.ratio_ci = stats::PercentileBounds(f.ratio_reps, level);
  f.clipped_total = stats::Median(b2.clipped_samples);
  // With a schedule that does not depend on N (constant, polynomial) the run at N2 repeats the
  // run at N1 as its prefix (same seed, same noise stream), so the difference of a seed's counts
  // is its clips in (N1, N2]; under a schedule that depends on N it is the difference of two
  // runs' counts.
  if (joint) {
    std::vector<double> late(b2.clipped_samples.size());
    for (std::size_t i = 0; i < late.size(); ++i) {
      late[i] = b2.clipped_samples[i] - b1.clipped_samples[i];
    }
    f.clipped_late = stats::Median(late);
  } else {
    f.clipped_late = stats::Median(b2.clipped_samples) - stats::Median(b1.clipped_samples);
  }
  if (b2.has_resolved) {
    f.c = b2.resolved.clip_threshold;
    f.sigma = b2.resolved.sigma;
    f.premise = PremiseOf(cell, b2.resolved);
  } else {
    f.premise = "no resolved.csv: the threshold and sigma are unknown";
  }
  return f;
}

bool Resolved(const ClaimSpec& spec, const CellFloor& f) {
  return f.ratio_ci.lower >= 1.0 - spec.flat_margin && f.ratio_ci.upper <= 1.0 + spec.flat_margin;
}

std::string RatioText(const CellFloor& f) {
  return "F(N=" + std::to_string(f.n2) + ") / F(N=" + std::to_string(f.n1) +
         ") = " + Sig(f.ratio, 4) + " [" + Sig(f.ratio_ci.lower, 4) + ", " +
         Sig(f.ratio_ci.upper, 4) + "]";
}

std::string RegimeText(const CellFloor& f) {
  const std::string sigma = std::isnan(f.sigma) ? "no noise" : "sigma(2) = " + Sig(f.sigma, 4);
  return "c = " + Sig(f.c, 4) + ", " + sigma + "; " + RatioText(f) +
         "; clipped samples per run (median): " + Sig(f.clipped_late) + " in (" +
         std::to_string(f.n1) + ", " + std::to_string(f.n2) + "], " + Sig(f.clipped_total) +
         " in all";
}

// The exact floor of a two-point cell ("" for other laws), for the reader.
std::string TwoPointNote(const CellFloor& f) {
  const double atom = analysis::TwoPointAtomOfNoise(f.cell->info.noise);
  if (std::isnan(atom) || !(f.c > 0.0) || !(f.sigma > 0.0)) return "";
  const analysis::ClipFloorZeros z = analysis::TwoPointFloor(f.c, f.sigma, atom);
  if (z.low == z.high)
    return "; the two-point law's exact floor (atom " + Sig(atom) +
           "): " + Sig(std::abs(z.high), 4);
  return "; the two-point law's zeros fill [" + Sig(z.low, 4) + ", " + Sig(z.high, 4) +
         "] (a dead zone, atom " + Sig(atom) + ")";
}

ClaimRowResult FloorRow(const ClaimSpec& spec, const ClaimRowSpec& row_spec, const CellFloor& f,
                        const analysis::SweepAnalysis& analysis) {
  ClaimRowResult row;
  row.name = row_spec.name;
  row.cells = CellName(f.cell->info, analysis);
  row.control = row_spec.control;
  row.problem = f.cell->info.problem;
  row.noise_family = NoiseFamily(f.cell->info.noise);
  row.outcome = RowOutcome::kNotTestable;
  if (!f.why.empty()) {
    row.detail = f.why;
    row.regime = f.why;
    return row;
  }
  row.regime = RegimeText(f);
  // A row that is not testable says why first, where the summary shows it.
  const auto not_testable = [&](const std::string& reason, const std::string& why) {
    row.detail += "; not testable: " + why;
    row.regime = reason + "; " + row.regime;
  };
  row.detail = "F = mean over " + std::to_string(f.seeds) + " seeds of " + spec.metric +
               " at N=" + std::to_string(f.n2) + ": " + Sig(f.f2, 4) + " [" +
               Sig(f.f2_ci.lower, 4) + ", " + Sig(f.f2_ci.upper, 4) + "]";

  if (row_spec.floor_expect == FloorExpect::kNone) {
    // No floor: F keeps falling across the last budgets.
    row.estimate = f.ratio;
    row.lower = f.ratio_ci.lower;
    row.upper = f.ratio_ci.upper;
    row.target = "F(N2) / F(N1) <= " + Sig(1.0 - spec.flat_margin) + " (still falling)";
    if (!(f.clipped_total >= spec.regime.min_clipped_per_run)) {
      not_testable("no clipping", "the runs clip " + Sig(f.clipped_total) +
                                      " samples (median), fewer than " +
                                      Sig(spec.regime.min_clipped_per_run) +
                                      ": without clipping there is nothing to test");
      return row;
    }
    row.outcome = OutcomeOf(row.lower, row.upper, Region{-kInf, 1.0 - spec.flat_margin});
    if (row.outcome == RowOutcome::kContradicts) row.detail += "; a floor where none is expected";
    return row;
  }

  // A floor between the bounds.
  if (!f.premise.empty()) {
    not_testable("outside the bounds' premise", f.premise);
    return row;
  }
  const double lb = analysis::ClipFloorLowerBound(f.c, f.sigma);
  const double ub = analysis::ClipFloorUpperBound(f.c, f.sigma);
  Region region{0.0, kInf};
  if (row_spec.floor_lower) region.lower = spec.lower_factor * lb * (1.0 - spec.margin);
  if (row_spec.floor_upper) region.upper = spec.upper_factor * ub * (1.0 + spec.margin);
  row.estimate = f.f2;
  row.lower = f.f2_ci.lower;
  row.upper = f.f2_ci.upper;
  row.target = region.Describe();
  row.detail += "; lower bound min(sigma, sigma^2/c)/4 = " + Sig(lb, 4) + ", upper bound " +
                Sig(ub, 4) + TwoPointNote(f);
  if (spec.lower_factor != 1.0 || spec.upper_factor != 1.0) {
    row.detail += "; bounds multiplied by " + Sig(spec.lower_factor) + " (lower) and " +
                  Sig(spec.upper_factor) + " (upper)";
  }
  if (!(f.clipped_late >= spec.regime.min_clipped_per_run)) {
    not_testable("no clipping at the floor",
                 "the runs clip " + Sig(f.clipped_late) + " samples (median) in (" +
                     std::to_string(f.n1) + ", " + std::to_string(f.n2) + "], fewer than " +
                     Sig(spec.regime.min_clipped_per_run) + ": no clipping at the floor");
    return row;
  }
  if (!Resolved(spec, f)) {
    // Still falling and already below the lower bound: the lower bound is contradicted whatever
    // the remaining steps do.
    if (row_spec.floor_lower && f.ratio_ci.upper < 1.0 && f.f2_ci.upper < region.lower) {
      row.outcome = RowOutcome::kContradicts;
      row.detail += "; below the lower bound and still falling";
      return row;
    }
    not_testable("floor not resolved", "the floor is not resolved at these budgets (" +
                                           RatioText(f) + " is not within 1 +- " +
                                           Sig(spec.flat_margin) + ")");
    return row;
  }
  row.outcome = OutcomeOf(row.lower, row.upper, region);
  return row;
}

ClaimRowResult SlopeRow(const ClaimSpec& spec, const ClaimRowSpec& row_spec,
                        const std::vector<const CellFloor*>& cells, double level) {
  ClaimRowResult row;
  row.name = row_spec.name;
  row.control = row_spec.control;
  row.target = "slope in " + row_spec.region.Describe();
  row.outcome = RowOutcome::kNotTestable;
  std::vector<double> x;
  std::vector<const CellFloor*> used;
  std::string dropped;
  for (const CellFloor* f : cells) {
    if (row.problem.empty()) {
      row.problem = f->cell->info.problem;
      row.noise_family = NoiseFamily(f->cell->info.noise);
    }
    double v = kNaN;
    const std::string text = f->cell->info.Get(row_spec.along);
    const bool numeric = ParseDouble(text, v, NumberSyntax::kFinite) && v > 0.0;
    if (numeric && !(v >= row_spec.along_within.lower && v <= row_spec.along_within.upper)) {
      continue;  // another branch of the bound
    }
    std::string why = f->why.empty() ? f->premise : f->why;
    if (why.empty() && !numeric) why = row_spec.along + " = '" + text + "' is not a number > 0";
    if (why.empty() && !(f->clipped_late >= spec.regime.min_clipped_per_run)) {
      why = "no clipping at the floor";
    }
    if (why.empty() && !Resolved(spec, *f)) why = "floor not resolved (" + RatioText(*f) + ")";
    if (!why.empty()) {
      dropped += (dropped.empty() ? "" : "; ") + row_spec.along + "=" + text + ": " + why;
      continue;
    }
    x.push_back(std::log(v));
    used.push_back(f);
  }
  std::string points;
  for (std::size_t i = 0; i < used.size(); ++i) {
    points += (points.empty() ? "" : ", ") + Sig(std::exp(x[i])) + ": " + Sig(used[i]->f2, 4);
  }
  row.cells = std::to_string(used.size()) + " cells along " + row_spec.along + " in " +
              row_spec.along_within.Describe() + (points.empty() ? "" : " (" + points + ")");
  const double x_span =
      x.empty() ? 0.0
                : *std::max_element(x.begin(), x.end()) - *std::min_element(x.begin(), x.end());
  row.regime = std::to_string(used.size()) + " of the selected cells in " +
               row_spec.along_within.Describe() + " with a resolved floor";
  if (used.size() < 3 || !(x_span > 0.0)) {
    row.detail = "not testable: needs 3 cells with a resolved floor at distinct values of " +
                 row_spec.along + (dropped.empty() ? "" : " (left out: " + dropped + ")");
    return row;
  }
  std::vector<double> y;
  for (const CellFloor* f : used) y.push_back(std::log(f->f2));
  row.estimate = stats::FitLine(x, y).slope;
  // Replicate r: every cell's own replicate r (cells are independent runs).
  std::vector<double> slopes;
  const std::size_t reps = used.front()->f2_reps.size();
  for (std::size_t r = 0; r < reps; ++r) {
    for (std::size_t i = 0; i < used.size(); ++i) y[i] = std::log(used[i]->f2_reps[r]);
    slopes.push_back(stats::FitLine(x, y).slope);
  }
  const stats::PercentileInterval ci = stats::PercentileBounds(slopes, level);
  row.lower = ci.lower;
  row.upper = ci.upper;
  row.detail = "least-squares slope of log F against log " + row_spec.along + " over " +
               std::to_string(used.size()) + " cells, " + std::to_string(reps) +
               " bootstrap replicates" + (dropped.empty() ? "" : "; left out: " + dropped);
  row.outcome = OutcomeOf(row.lower, row.upper, row_spec.region);
  return row;
}

}  // namespace

void DecideFloor(const ClaimSpec& spec, const analysis::SweepResults& results,
                 const analysis::SweepAnalysis& analysis, double confidence, ClaimResult& out) {
  const std::size_t metric = analysis::MetricIndex(results, spec.metric);
  // The rows, with their cells, before any interval: the Bonferroni count needs them all.
  struct Item {
    const ClaimRowSpec* row;
    std::vector<std::size_t> cells;  // indices into results.cells
  };
  std::vector<Item> items;
  std::size_t counted = 0;
  for (const ClaimRowSpec& row : spec.rows) {
    Item item{&row, {}};
    for (std::size_t c = 0; c < results.cells.size(); ++c) {
      if (row.select.Matches(results.cells[c].info)) item.cells.push_back(c);
    }
    if (!row.control) counted += row.along.empty() ? item.cells.size() : 1;
    items.push_back(std::move(item));
  }
  const double level =
      1.0 - (1.0 - confidence) / static_cast<double>(std::max<std::size_t>(1, counted));
  out.rule =
      "F = the mean over seeds of " + spec.metric +
      " at the largest budget N2, with its percentile bootstrap interval over seeds (joint with "
      "the "
      "budget N1 before it) at level " +
      Sig(level, 4) + " (Bonferroni over the claim's " + std::to_string(counted) +
      " rows: familywise " + Sig(confidence, 3) +
      "). The floor is resolved where the interval of F(N2) / F(N1) lies within 1 +- " +
      Sig(spec.flat_margin) +
      ". A floor row (Clip-SGD, batch 1, dimension 1, p = 2 so that sigma = sigma(2)) is testable "
      "where the floor is resolved and the runs clip at least " +
      Sig(spec.regime.min_clipped_per_run) +
      " samples (median) between N1 and N2; it supports the claim when F's interval lies in "
      "[lower bound x (1 - " +
      Sig(spec.margin) + "), upper bound x (1 + " + Sig(spec.margin) +
      ")] (analysis/clip_floor.hpp: lower min(sigma, sigma^2/c)/4, upper (c - sqrt(c^2 - "
      "sigma^2))/2 for sigma < c, sigma/2 below 2c, c + min(sigma, sigma^2/(4c)) beyond) and "
      "contradicts it when the "
      "interval lies outside, or when F is below the lower bound and still falling. A no-floor "
      "row supports when F(N2) / F(N1) lies below 1 - " +
      Sig(spec.flat_margin) +
      " (still falling) and contradicts when it lies above. A slope row fits log F against log "
      "of a grid column over its cells with a resolved floor (each cell's bootstrap replicates "
      "combined), against its region.";

  std::vector<CellFloor> floors(results.cells.size());
  std::vector<bool> measured(results.cells.size(), false);
  const auto floor_of = [&](std::size_t c) -> const CellFloor& {
    if (!measured[c]) {
      floors[c] = Measure(results.cells[c], metric, analysis, level);
      measured[c] = true;
    }
    return floors[c];
  };
  for (const Item& item : items) {
    if (!item.row->along.empty()) {
      std::vector<const CellFloor*> cells;
      for (std::size_t c : item.cells) cells.push_back(&floor_of(c));
      out.rows.push_back(SlopeRow(spec, *item.row, cells, level));
      continue;
    }
    for (std::size_t c : item.cells) {
      out.rows.push_back(FloorRow(spec, *item.row, floor_of(c), analysis));
    }
  }
}

}  // namespace clipsim::claims::detail

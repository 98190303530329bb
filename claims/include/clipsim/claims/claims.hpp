// Deciding a paper's claims from sweeps: each claim names a sweep folder, a kind of decision and
// one or more tests ("rows"); every row yields an estimate with a confidence interval and an
// outcome against a stated region: supports, contradicts, inconclusive, or not testable (the
// theorem says nothing where the row looks: analysis/regime.hpp). The claim's verdict follows from
// the rows that are not controls:
//   "not reproduced"  some testable row contradicts the claim (its interval lies outside the
//                     region, the bound is violated, or the rate is "slower than theory");
//   "reproduced"      every testable row supports it, and every problem kind and every noise
//                     family among the claim's rows has at least one testable row;
//   "not testable"    no row is testable;
//   "inconclusive"    otherwise (an interval straddles a boundary, a problem or noise family has
//                     no testable row, a statistic is undefined, or no cell matched).
// Contradiction wins over support, so a claim cannot be rescued by its other rows. A row marked
// `control` is decided and reported like the others but never counts for or against the claim
// (it shows what a method without the mechanism does at the same settings).
//
// Kinds (how a row's interval is computed; rows of one claim share a confidence by Bonferroni:
// with m rows and confidence 1 - a, each interval has level 1 - a / m, except where Holm is
// named):
//   rate            per selected theory cell, up to two rows (ClaimRowSpec::checks): "bound",
//                   the theorem quantity against the bound with its constants at every testable
//                   budget (analysis/bound_check.hpp: holds supports, violated contradicts), and
//                   "slope", the slope over the testable budgets against the theory slope
//                   (analysis/verdict.hpp, margin in slope units) for the first statistic in the
//                   preference list that carries a verdict. Holm runs over every hypothesis of the
//                   claim's rows that are not controls (one family per claim: bound hypotheses and
//                   slope hypotheses together); the controls form a family of their own. A row with
//                   `expect: violated` (a broken twin) supports the claim when the bound is
//                   violated and contradicts it when the bound holds; it has no slope row.
//                   A row with `slope: equal` tests equivalence instead (ClaimRowSpec).
//   delta_exponent  the local exponent e of the (1 - delta) quantile in 1/delta between two deltas
//                   d1 > d2 at the largest budget, q(d) ~ d^(-e): e = log(q2 / q1) / log(d1 / d2),
//                   with the conservative interval from the exact order-statistic intervals of both
//                   quantiles (each at level 1 - a / (2 m)). A power law in 1/delta has e = its
//                   exponent; a polylogarithmic growth log(1/delta)^c has e ~ c / log(1/delta).
//                   With `against`, a row compares two cells: it supports when a's interval lies
//                   entirely below b's (a's quantiles grow more slowly in 1/delta), contradicts
//                   when entirely above (each of the four quantiles at level 1 - a / (4 m)).
//                   With `against` and a `region`, the row's estimate is the difference
//                   e_a - e_b with the conservative interval [lower_a - upper_b, upper_a -
//                   lower_b], decided against the region: [-inf, 0] is "a grows more slowly",
//                   [-m, m] "a and b grow alike within m" (a light-tailed control, where clipping
//                   must not change the delta dependence). With `require_clipping`, a row is not
//                   testable unless its cell a clips at least min_clipped_per_run samples per
//                   run (median), a (and b) make at least min_steps steps (resolved.csv), and the
//                   seeds resolve both quantiles of both cells at the row's level: the claim is
//                   about clipping, over more than a handful of steps, at the deltas named.
//   paired_ratio    the median over common seeds of the ratio a / b of the metric of two cells
//                   that share their noise stream (common random numbers), with its exact
//                   order-statistic interval, at the claim's budget (default: the largest common
//                   one). With equal_time, also the ratio at equal compute time (see below).
//   hp_bound        per selected theory cell and per delta of the claim (`deltas`), at the claim's
//                   budget (default: the largest testable one): the exact order-statistic upper
//                   confidence limit of the (1 - delta) quantile over seeds of
//                   sqrt(mean_sq_grad_norm) against the entry's high-probability bound at delta
//                   (theory.hpp, HighProbabilityBound), at level 1 - a / m over the claim's m
//                   (cell, delta) rows: below the bound supports, the lower limit above it
//                   contradicts. Not testable where the budget is not (analysis/regime.hpp), where
//                   the entry has no high-probability bound (plain SGD), or where that bound
//                   exceeds max_bound_ratio x ||grad f(x0)|| (it would hold for a method that never
//                   moves).
//   slope_region    the least-squares slope of log(statistic) against log N across budgets with
//                   its bootstrap interval (stats/rate_fit.hpp), e.g. the median: a floor is a
//                   slope near 0, convergence a clearly negative slope.
//   floor           the floor of clipped SGD with a fixed threshold (analysis/clip_floor.hpp;
//                   Koloskova, Hendrikx & Stich 2023). Per selected cell, F = the mean over seeds
//                   of the metric at the largest budget N2 and the ratio F(N2) / F(N1) to the
//                   budget before, one percentile bootstrap over seeds for both
//                   (claims/src/claims_floor.cpp). The floor is resolved where the ratio's interval
//                   lies within 1 +- flat_margin. `expect: floor` rows (Clip-SGD, batch 1,
//                   dimension 1, p = 2 so that sigma = sigma(2)) are testable where the floor is
//                   resolved and the runs clip between N1 and N2; F's interval against [lower bound
//                   (1 - margin), upper bound (1 + margin)] (`checks: [lower, upper]` chooses the
//                   sides), and a row below the lower bound that is still falling contradicts.
//                   `expect: none` rows: the ratio's interval below 1 - flat_margin supports (no
//                   floor), above it contradicts. Rows with `along: COLUMN`: the slope of log F
//                   against log COLUMN over the selected cells with a resolved floor (at least 3)
//                   whose COLUMN value lies in `within`, against `region`.
//   ode             streaming_least_squares runs against their deterministic equivalent, the
//                   risk ODE (analysis/ode_agreement.hpp; Marshall et al. 2024). Cells are grouped
//                   into settings (every grid column but problem.dim); E(d) is the largest relative
//                   error |mean - ODE| / ODE of the mean over seeds of the metric at the
//                   checkpoints with samples <= horizon x d, at the claim's budget (default the
//                   largest). Per setting, up to two rows (ClaimRowSpec::checks): "agreement",
//                   E at the largest d against [0, tolerance], and "trend", the least-squares
//                   slope of log E against log d, which must lie below 0; both with percentile
//                   bootstrap intervals over the seeds (each cell resampled on its own, the file's
//                   replicates and seed) at the rows' Bonferroni level. A row with `expect:
//                   disagrees` (a planted wrong ODE, ClaimRowSpec::ode) supports the claim when E
//                   at the largest d lies above the tolerance (the rule detects the wrong model)
//                   and contradicts it when within. "ccc" rows, one per cell: the largest value
//                   of the clipping comparison criterion mu^2 (2R + E eps^2) / nu along the cell's
//                   ODE trajectory (a computed number, no interval) against the region. Rows on
//                   a clipping method are not testable unless its runs clip at least
//                   RegimeRules::min_clipped_per_run samples (median over seeds).
//   hitting_time    iterations to ||grad f|| <= eps (analysis/hitting_time.hpp) in a sweep whose
//                   runs stop there, one point per instance (problem, start, noise: one M = sup
//                   ||grad f|| on the start's level set). Per row up to two checks (`checks`):
//                   "bound", every selected clipped-GD cell's count against Theorem 3's bound of
//                   Zhang et al. (2020) times the row's bound_factor (above it contradicts; a
//                   broken twin with `expect: violated` must exceed it somewhere), testable only at
//                   Theorem 3's own step and threshold, exact gradients and eps small against
//                   ||grad f(x0)||; "separation", the least-squares slope of log(best count of
//                   `against` / best count of `select`) against log(M / log M) over the instances
//                   ("best": the fewest iterations over the selector's cells of an instance, e.g.
//                   GD over its grid of steps), with an interval that adds the grids' resolution
//                   (and, with several seeds, a bootstrap over seeds of the medians): supports when
//                   it lies in [1 - margin, inf), contradicts when it lies below.
//                   claims/src/claims_hitting_time.cpp documents the rules (HittingRules).
//
// Equal compute time (paired_ratio with equal_time): per cell and budget the median seconds per run
// from timings.csv and the median of the metric over seeds; both medians are interpolated linearly
// in (log seconds, log metric) at the largest time both cells reached, t = min(a's largest, b's
// largest), within both measured ranges (no extrapolation). Its interval is a percentile bootstrap
// over the common seeds (each budget resampled on its own; a seed's metric and its run time move
// together, so the timing noise of repeated runs is in the interval), at the rows' Bonferroni
// level, with the file's bootstrap replicates and seed; a replicate whose curves do not overlap is
// undefined and counts against the interval. The two cells' runs are timed at different moments
// (a sweep runs cell after cell), and a machine's speed drifts between them: on the 2-core
// development VM the two cores' sampler speeds differed by up to 20%, and both moved by 20-30%
// within half an hour, so a row decided on the timings as measured flipped between runs of the
// same report. So the row must hold for every ratio of the two machines' speeds within
// 1 +- time_drift (default 0.2): the bootstrap is repeated with b's run times scaled by five
// factors from 1/(1 + time_drift) to 1 + time_drift, evenly in log, and the row's interval is the
// union of the five (undefined, so inconclusive, if any is); the estimate is the one at the
// timings as measured. The row then supports, contradicts or is inconclusive like any other.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "clipsim/analysis/ode_agreement.hpp"
#include "clipsim/analysis/sweep_analysis.hpp"
#include "clipsim/analysis/sweep_results.hpp"
#include "clipsim/claims/claims_tuning.hpp"

namespace clipsim::claims {

enum class ClaimKind {
  kRate,
  kDeltaExponent,
  kPairedRatio,
  kSlopeRegion,
  kHpBound,
  kFloor,
  kOde,
  kHittingTime
};
std::string_view ToString(ClaimKind kind);
// "rate", "delta_exponent", "paired_ratio", "slope_region", "hp_bound", "floor", "ode",
// "hitting_time"; false when unknown.
bool ClaimKindFromString(std::string_view text, ClaimKind& kind);

enum class ClaimVerdict { kReproduced, kNotReproduced, kInconclusive, kNotTestable };
std::string_view ToString(ClaimVerdict verdict);

enum class RowOutcome { kSupports, kContradicts, kInconclusive, kNotTestable };
std::string_view ToString(RowOutcome outcome);

// Cells whose columns (grid axes or resolved cells.csv columns) equal the given values.
struct CellSelector {
  std::vector<std::pair<std::string, std::string>> match;  // column -> value; empty: every cell
  bool Matches(const analysis::CellInfo& info) const;
  std::string Describe() const;  // "method=sgd, optimizer.accumulation=2" or "every cell"
};

// Closed region [lower, upper] of the estimate in which it supports the claim.
struct Region {
  double lower = -std::numeric_limits<double>::infinity();
  double upper = std::numeric_limits<double>::infinity();
  std::string Describe() const;  // "[0.9, 1.1]", "< 1", ">= 0.909"
};

// Outcome of an interval [lower, upper] against a region: inside -> supports, disjoint ->
// contradicts, straddling or undefined (NaN) -> inconclusive.
RowOutcome OutcomeOf(double lower, double upper, const Region& region);

// floor: what a row expects of its cells.
enum class FloorExpect {
  kFloor,  // a floor between the bounds
  kNone,   // no floor: the metric still falling across the last budgets
};

struct ClaimRowSpec {
  std::string name;
  CellSelector select;   // the cells tested (paired_ratio: the numerator a)
  CellSelector against;  // paired_ratio: the denominator b (same noise stream as a)
  Region region;         // unused by rate
  bool control = false;  // reported, never counted (see the top)
  // rate: which rows to make per cell ("bound", "slope"); default both.
  bool check_bound = true;
  bool check_slope = true;
  // rate: true for a broken twin, which must violate the bound (`expect: violated`).
  bool expect_violation = false;
  // rate: the slope must EQUAL the theory's within the margin (optimality on a worst-case
  // instance, where the bound is attained up to a constant: measured / bound flat in N), not
  // merely be at least as fast. The row supports when the slope's bootstrap interval, at level
  // 1 - a / m over the claim's m equivalence rows, lies in [theory - margin, theory + margin],
  // and contradicts when it is disjoint from it (`slope: equal`).
  bool slope_equivalence = false;
  // paired_ratio: the row is testable only where the numerator a clips at least
  // RegimeRules::min_clipped_per_run samples per run (median over seeds) at the claim's budget,
  // so that "clipping does (not) help" is never tested with clipping off. delta_exponent: the
  // same, and a and b make at least RegimeRules::min_steps steps, and the seeds resolve the
  // quantiles at both deltas (see the top).
  bool require_clipping = false;
  // floor: a floor between the bounds, or none (`expect: floor | none`).
  FloorExpect floor_expect = FloorExpect::kFloor;
  // floor: the sides of a floor row's region (`checks: [lower, upper]`); both by default.
  bool floor_lower = true;
  bool floor_upper = true;
  // floor: a slope row when set: the slope of log F against log(this grid column) over the
  // selected cells, against `region` (`along: optimizer.clip_threshold`).
  std::string along;
  // floor: a slope row uses only the cells whose `along` value lies in this range (`within:
  // [1, .inf]`: the branch of the bound the exponent belongs to).
  Region along_within;
  // delta_exponent with `against`: a `region` was given, so the row decides the difference of the
  // exponents e_a - e_b against it instead of "a's interval entirely below b's" (see the top).
  bool exponent_difference = false;
  // ode: the rows made per setting ("agreement", "trend") or per cell ("ccc"); default the first
  // two (`checks: [agreement, trend]` or `[ccc]`).
  bool check_agreement = true;
  bool check_trend = true;
  bool check_ccc = false;
  // ode: the ODE the row predicts with (`ode: {unclipped: true}` or `{mu_factor: x, nu_factor:
  // y}`: a planted wrong model) and whether the row expects it to disagree (`expect: disagrees`).
  analysis::OdeVariant ode;
  bool expect_disagreement = false;
  // hitting_time: the factor on Theorem 3's bound in the bound check (1: the theorem's
  // constants; a planted wrong constant such as 1/20 with `expect: violated`).
  double bound_factor = 1.0;
};

// hitting_time: where a point (an instance, one M) is testable.
struct HittingRules {
  // eps at most this fraction of ||grad f(x0)||: a target the start already nearly meets tests
  // nothing about the path.
  double max_eps_ratio = 0.1;
  // separation: at least this many points where both selectors reached eps, spanning at least
  // min_span in M (largest / smallest): a growth rate needs a decade.
  int min_points = 3;
  double min_span = 10.0;
};

struct ClaimSpec {
  std::string id;
  std::string title;
  std::string statement;  // what the paper claims and how the rows test it (free text)
  ClaimKind kind = ClaimKind::kRate;
  std::string sweep;  // folder name under the results root
  std::string metric = "mean_grad_norm";
  // rate: statistics in order of preference ("mean", "mom", "q(1-0.5)"); slope_region: the first.
  std::vector<std::string> statistics = {"mean", "mom"};
  double margin = 0.05;      // rate: equivalence margin in slope units (verdict.hpp); floor: the
                             // relative tolerance on both bounds
  double delta_high = 0.01;  // delta_exponent: d1
  double delta_low = 0.001;  // delta_exponent: d2 < d1
  std::int64_t budget = 0;   // paired_ratio, delta_exponent, hp_bound: 0 = the largest
  std::vector<double> deltas = {0.1, 0.01, 0.001};  // hp_bound: the deltas of the rows
  bool equal_time = false;                          // paired_ratio: add the equal-compute-time rows
  // equal_time: the relative drift of the machine's speed between the moments the two cells were
  // timed that an equal-time row must survive (see "Equal compute time" above); 0: none.
  double time_drift = 0.2;
  // paired_ratio: a tuned table (clipsim tune --tuned, under the results root). Then the rows are
  // decided at EVERY budget of the table, each between the settings of a and b tuned for that
  // budget (a cell runs a setting when its config holds the table's keys); equal-time rows use
  // the settings tuned for the largest budget.
  std::string tuned;
  std::vector<ClaimRowSpec> rows;    // rate: one spec, expanded to one row per cell
  std::vector<std::string> figures;  // plot file name patterns (claims_report.hpp); empty: all
  int max_figures = 4;               // at most this many figures in the report
  std::vector<std::string> include;  // markdown files (relative to the results root) to show
  analysis::RegimeRules regime;      // where the theorems are testable (regime.hpp)
  // floor: the floor is resolved where F(N2) / F(N1) lies within 1 +- flat_margin.
  double flat_margin = 0.1;
  // floor: factors on the lower and upper bounds (1 in the paper's claims; a wrong constant
  // planted to show that the data can violate a bound).
  double lower_factor = 1.0;
  double upper_factor = 1.0;
  // ode: the relative error of the mean allowed at a setting's largest dimension, in (0, 10].
  double tolerance = 0.05;
  // ode: the checkpoints compared, samples <= horizon x dim (0: every one after the start).
  double horizon = 0.0;
  // hitting_time: where its points are testable.
  HittingRules hitting;
};

struct ClaimsFile {
  std::string path;
  std::string title;
  double confidence = 0.95;  // familywise per claim: 1 - a
  int bootstrap = 2000;      // bootstrap replicates of the rate and slope fits
  std::uint64_t bootstrap_seed = 20260501;
  std::vector<ClaimSpec> claims;
};

struct ClaimRowResult {
  std::string name;
  std::string cells;  // the cell(s) behind the row (labels and setting)
  double estimate = std::numeric_limits<double>::quiet_NaN();
  double lower = std::numeric_limits<double>::quiet_NaN();
  double upper = std::numeric_limits<double>::quiet_NaN();
  std::string target;  // the region or the theory value it is compared with
  std::string detail;  // further numbers (seeds, p-values, timings)
  std::string regime;  // n, T, clipped fraction and bound ratio where the row was decided
  RowOutcome outcome = RowOutcome::kInconclusive;
  bool control = false;
  // For the coverage rule of "reproduced": the problem kind and noise family of the row's cell.
  std::string problem;
  std::string noise_family;
};

struct ClaimResult {
  std::string id;
  ClaimVerdict verdict = ClaimVerdict::kInconclusive;
  std::string rule;  // how the rows were computed and decided, in words
  std::vector<ClaimRowResult> rows;
  std::vector<std::string> notes;
};

// The verdict from row outcomes as described at the top (no rows: inconclusive). When `why` is
// given, it receives the reason a claim that is not contradicted is not reproduced.
ClaimVerdict CombineOutcomes(const std::vector<ClaimRowResult>& rows, std::string* why = nullptr);

// Decides one claim. `results` holds at least spec.metric (and, for rate, mean_grad_norm and
// mean_sq_grad_norm); `analysis` is AnalyzeSweep of it with ClaimAnalysisOptions (its regime and
// bound checks are what rate rows read); `timings` is read by equal_time. confidence: the
// file's.
// `tuned`: the claim's tuned table when it names one (ReadTunedTable), else null.
ClaimResult DecideClaim(const ClaimSpec& spec, const analysis::SweepResults& results,
                        const analysis::SweepAnalysis& analysis,
                        const std::vector<analysis::CellTiming>& timings, double confidence,
                        const std::vector<TunedEntry>* tuned = nullptr);

// What `clipsim report` reads of a claim's sweep folder: the claim's metric first, and whatever
// else its kind decides on (rate and hp_bound: mean_grad_norm and mean_sq_grad_norm).
analysis::ReadOptions ClaimReadOptions(const ClaimSpec& spec);

// The analysis options a claim needs: the file's bootstrap settings, the claim's margin, and for
// slope_region the Bonferroni-adjusted interval level.
analysis::AnalysisOptions ClaimAnalysisOptions(const ClaimSpec& spec, const ClaimsFile& file);

}  // namespace clipsim::claims

// hitting_time claims (claims.hpp, analysis/hitting_time.hpp). Rules, per row of the claims file:
//
// Points. The cells that ran with stop_at_grad_norm = eps > 0 are grouped into instances by their
// noise stream (problem, noise, p and start: sim's NoiseStreamIdentity) and eps; one instance has
// one M = sup ||grad f|| on the level set of its start (hitting.csv). A selector's count at an
// instance is its best cell there: the fewest iterations to eps, by the median over seeds (one
// seed for exact gradients); censored and diverged runs count as +infinity (not reached within
// their T iterations), never as hits.
//
// "bound" (Theorem 3 of Zhang, He, Sra & Jadbabaie 2020): every selected cell is a point. A point
// is testable when (1) the problem states (L0, L1) (its premise, on all of R^d), (2) the cell runs
// Theorem 3's own clipped GD: clip_sgd, batch 1, no accumulation, momentum 0, step 1/(10 L0) and
// threshold min(1/eta, 1/(10 L1 eta)) (relative tolerance 1e-9), (3) with exact gradients (no
// noise: the theorem is deterministic), (4) eps <= max_eps_ratio ||grad f(x0)||. Its count (the
// largest over seeds) is compared with bound_factor x 20 L0 Delta / eps^2 + 20 max(1, L1^2)
// Delta / L0: above it contradicts the claim (a censored run whose T is at least the bound is
// above it), every testable point at or below it supports it; a censored run with T below the
// bound leaves the row inconclusive. `expect: violated` (a planted wrong constant) reverses the
// two outcomes. Deterministic counts: the interval is the point.
//
// "separation": the points are the instances where both `select` (a) and `against` (b) have
// cells; testable where M > e is known, eps <= max_eps_ratio ||grad f(x0)|| and both reached eps.
// With at least min_points testable points spanning min_span in M, the least-squares slope of
// y = log(b / a) against x = log(M / log M) (natural logs): slope 1 is the ratio growing like
// M / log M, the shape of the fixed-step lower bound over Theorem 3's bound. Interval: (i) the
// grids' resolution: a best count is known only up to the ratio r between neighbouring steps of
// its selector's grid (the largest such ratio over the instances; 1 for a single cell), when the
// count scales like 1/step between them, so every y_i may be off by up to log(r_a) + log(r_b);
// the slope then moves by at most (log r_a + log r_b) C with C = sum of the positive
// least-squares weights (x_i - mean x) / sum (x_j - mean x)^2; (ii) with more than one seed, a
// percentile bootstrap over seeds (seed indices resampled jointly for every cell of the row when
// they ran the same seeds, else per cell), each replicate recomputing the medians, the bests and
// the slope, at level 1 - a / m, m = the claim's separation rows of the same family (claim rows
// or controls); a replicate with a point not reached is undefined and counts against the interval.
// The row supports when the interval lies in [1 - margin, inf), contradicts when it lies below
// 1 - margin, and is inconclusive when it straddles it.
#include "claims_hitting_time.hpp"

#include <algorithm>
#include <boost/random/uniform_int_distribution.hpp>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "claim_rows.hpp"
#include "clipsim/analysis/format.hpp"
#include "clipsim/analysis/hitting_time.hpp"
#include "clipsim/analysis/report.hpp"
#include "clipsim/core/results_folder.hpp"
#include "clipsim/core/rng.hpp"
#include "clipsim/stats/bootstrap.hpp"
#include "clipsim/stats/median.hpp"
#include "clipsim/stats/rate_fit.hpp"

namespace clipsim::claims::detail {

using analysis::AppendWith;
using analysis::Shortest;
using analysis::Sig;
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The value of a key of a cell's config text (results_folder.hpp), "" when absent.
std::string ConfigValue(const analysis::CellInfo& info, const std::string& key) {
  return results_folder::ConfigValue(info.Get(results_folder::kConfigColumn), key).value_or("");
}

bool Near(double a, double b) {
  return std::abs(a - b) <= 1e-9 * std::max(std::abs(a), std::abs(b));
}

// One instance: the cells of a row's two selectors that share its noise stream and eps.
struct Instance {
  std::string key;
  analysis::HittingFacts facts;
  double delta = kNaN;
  double start_grad = kNaN;
  std::vector<const analysis::CellHitting*> a;
  std::vector<const analysis::CellHitting*> b;
};

std::vector<Instance> Instances(const std::vector<analysis::CellHitting>& cells,
                                const ClaimRowSpec& row) {
  std::vector<Instance> out;
  std::map<std::string, std::size_t> index;
  for (const analysis::CellHitting& h : cells) {
    const bool in_a = row.select.Matches(h.cell->info);
    const bool in_b = !row.against.match.empty() && row.against.Matches(h.cell->info);
    if (!in_a && !in_b) continue;
    const std::string stream =
        h.cell->info.noise_stream.empty() ? h.cell->info.id : h.cell->info.noise_stream;
    const std::string key = stream + "|" + Shortest(h.facts.eps);
    auto [it, inserted] = index.emplace(key, out.size());
    if (inserted) {
      Instance inst;
      inst.key = key;
      inst.facts = h.facts;
      if (h.runs->has_resolved) {
        inst.delta = h.runs->resolved.delta;
        inst.start_grad = h.runs->resolved.start_grad_norm;
      }
      out.push_back(inst);
    }
    Instance& inst = out[it->second];
    if (in_a) inst.a.push_back(&h);
    if (in_b) inst.b.push_back(&h);
  }
  std::sort(out.begin(), out.end(),
            [](const Instance& x, const Instance& y) { return x.facts.M < y.facts.M; });
  return out;
}

// The largest ratio between neighbouring steps of a selector's cells at one instance.
double GridRatio(const std::vector<const analysis::CellHitting*>& cells) {
  std::vector<double> eta;
  for (const analysis::CellHitting* h : cells) {
    if (h->runs->has_resolved && h->runs->resolved.eta > 0.0) eta.push_back(h->runs->resolved.eta);
  }
  std::sort(eta.begin(), eta.end());
  eta.erase(std::unique(eta.begin(), eta.end()), eta.end());
  double r = 1.0;
  for (std::size_t i = 1; i < eta.size(); ++i) r = std::max(r, eta[i] / eta[i - 1]);
  return r;
}

// The best (fewest iterations) of a selector's cells at an instance, by their medians.
struct Best {
  double count = kInf;
  const analysis::CellHitting* cell = nullptr;
};
Best BestOf(const std::vector<const analysis::CellHitting*>& cells) {
  Best best;
  for (const analysis::CellHitting* h : cells) {
    const double m = h->Median();
    if (best.cell == nullptr || m < best.count) {
      best.count = m;
      best.cell = h;
    }
  }
  return best;
}

std::string StepText(const analysis::CellHitting* h) {
  if (h == nullptr || !h->runs->has_resolved) return "";
  return "eta " + Sig(h->runs->resolved.eta, 3);
}

// Why eps is too large to test anything at this instance ("" when it is small enough).
std::string EpsTooLarge(const Instance& inst, const HittingRules& rules) {
  if (inst.facts.eps <= rules.max_eps_ratio * inst.start_grad) return "";
  return "eps " + Sig(inst.facts.eps) + " > " + Sig(rules.max_eps_ratio) +
         " ||grad f(x0)|| = " + Sig(rules.max_eps_ratio * inst.start_grad);
}

// Why a clipped-GD cell is not Theorem 3's setting at its instance ("" when it is).
std::string NotTheorem3(const Instance& inst, const analysis::CellHitting& h,
                        const HittingRules& rules) {
  const analysis::HittingFacts& f = inst.facts;
  const analysis::ResolvedRun& r = h.runs->resolved;
  const analysis::ClippedGdStep step = analysis::Theorem3Step(f.L0, f.L1);
  if (!(f.L0 > 0.0 && std::isfinite(f.L0) && f.L1 >= 0.0 && std::isfinite(f.L1))) {
    return "(L0, L1) not stated by the problem: Theorem 3's premise is not established";
  }
  if (!h.runs->has_resolved || r.method != "clip_sgd" || r.batch_size != 1 || r.accumulation != 1 ||
      ConfigValue(h.cell->info, "optimizer.momentum") != "0") {
    return "not Theorem 3's method (clip_sgd, batch 1, momentum 0)";
  }
  if (!Near(r.eta, step.eta) || !Near(r.clip_threshold, step.threshold)) {
    return "not Theorem 3's step " + Sig(step.eta, 4) + " and threshold " + Sig(step.threshold, 4) +
           " (eta " + Sig(r.eta, 4) + ", threshold " + Sig(r.clip_threshold, 4) + ")";
  }
  if (h.cell->info.noise != "none" && !h.cell->info.noise.empty()) {
    return "noisy gradients: Theorem 3 is about exact gradients";
  }
  return EpsTooLarge(inst, rules);
}

// --- bound ---------------------------------------------------------------------------------------

ClaimRowResult BoundRow(const ClaimSpec& spec, const ClaimRowSpec& row,
                        const std::vector<Instance>& instances) {
  ClaimRowResult out;
  out.name = (row.name.empty() ? "hitting" : row.name) + ": Theorem 3 bound";
  out.control = row.control;
  out.target = row.expect_violation
                   ? "count > " + Sig(row.bound_factor) + " x bound at some testable M (a twin)"
                   : "count <= " + Sig(row.bound_factor) + " x bound at every testable M";
  std::string detail, not_testable;
  int testable = 0, exceeded = 0, undecided = 0, cells = 0;
  double worst = kNaN;
  double m_lo = kInf, m_hi = 0.0;
  for (const Instance& inst : instances) {
    for (const analysis::CellHitting* h : inst.a) {
      ++cells;
      if (out.problem.empty()) {
        out.problem = h->cell->info.problem;
        out.noise_family = NoiseFamily(h->cell->info.noise);
      }
      const std::string at = "M=" + Sig(inst.facts.M, 3);
      const analysis::HittingFacts& f = inst.facts;
      const std::string why = NotTheorem3(inst, *h, spec.hitting);
      if (!why.empty()) {
        AppendWith(not_testable, "; ", at + ": " + why);
        continue;
      }
      ++testable;
      m_lo = std::min(m_lo, f.M);
      m_hi = std::max(m_hi, f.M);
      const double bound =
          row.bound_factor * analysis::Theorem3Bound(f.L0, f.L1, inst.delta, f.eps);
      double count = 0.0;
      for (double t : h->times) count = std::max(count, t);
      std::string item = at + ": ";
      if (std::isfinite(count)) {
        const double ratio = count / bound;
        worst = std::isnan(worst) ? ratio : std::max(worst, ratio);
        if (count > bound) ++exceeded;
        item += Shortest(count) + " / " + Sig(bound, 4) + " = " + Sig(ratio, 3);
      } else if (static_cast<double>(h->limit) >= bound) {
        ++exceeded;
        worst = kInf;
        item += "not reached within T = " + std::to_string(h->limit) + " >= bound " + Sig(bound, 4);
      } else {
        ++undecided;
        item += "not reached within T = " + std::to_string(h->limit) + " < bound " + Sig(bound, 4) +
                " (undecided)";
      }
      AppendWith(detail, "; ", item);
    }
  }
  out.cells = row.select.Describe() + " (" + std::to_string(cells) + " cells)";
  out.estimate = out.lower = out.upper = worst;
  out.regime = testable == 0
                   ? "no testable point" + (not_testable.empty() ? "" : ": " + not_testable)
                   : std::to_string(testable) + " testable points, M = " + Sig(m_lo, 3) + " .. " +
                         Sig(m_hi, 3) + "; eps <= " + Sig(spec.hitting.max_eps_ratio) +
                         " ||grad f(x0)||";
  out.detail = "count / (" + Sig(row.bound_factor) +
               " x Theorem 3 bound) per M: " + (detail.empty() ? "none" : detail) +
               (not_testable.empty() || testable == 0 ? "" : "; not testable: " + not_testable);
  if (testable == 0) {
    out.outcome = RowOutcome::kNotTestable;
  } else if (exceeded > 0) {
    out.outcome = row.expect_violation ? RowOutcome::kSupports : RowOutcome::kContradicts;
  } else if (undecided > 0) {
    out.outcome = RowOutcome::kInconclusive;
  } else {
    out.outcome = row.expect_violation ? RowOutcome::kContradicts : RowOutcome::kSupports;
  }
  return out;
}

// --- separation ----------------------------------------------------------------------------------

// Why an instance is not a point of the separation fit ("" when it is).
std::string NotSeparationPoint(const Instance& inst, const Best& a, const Best& b,
                               const HittingRules& rules) {
  if (!(inst.facts.M > std::exp(1.0) && std::isfinite(inst.facts.M))) return "M unknown or <= e";
  if (std::string why = EpsTooLarge(inst, rules); !why.empty()) return why;
  if (!std::isfinite(a.count)) return "the selected method did not reach eps";
  if (!std::isfinite(b.count)) {
    return "the compared method did not reach eps at any of its settings (T = " +
           std::to_string(inst.b.front()->limit) + ")";
  }
  return "";
}

// The slope of log(b / a) against log(M / log M), NaN when a point is not reached.
double SeparationSlope(const std::vector<double>& x, const std::vector<double>& a,
                       const std::vector<double>& b) {
  std::vector<double> y(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (!(std::isfinite(a[i]) && std::isfinite(b[i]) && a[i] > 0.0 && b[i] > 0.0)) return kNaN;
    y[i] = std::log(b[i] / a[i]);
  }
  return stats::FitLine(x, y).slope;
}

ClaimRowResult SeparationRow(const ClaimSpec& spec, const ClaimRowSpec& row,
                             const std::vector<Instance>& instances,
                             const analysis::SweepAnalysis& analysis, double level,
                             std::uint64_t salt) {
  ClaimRowResult out;
  out.name = (row.name.empty() ? "hitting" : row.name) + ": separation";
  out.control = row.control;
  const Region region{1.0 - spec.margin, kInf};
  out.target =
      "slope of log(count ratio) on log(M / log M) in " + region.Describe() + " (M / log M growth)";
  std::vector<const Instance*> points;
  std::string not_testable, detail;
  double r_a = 1.0, r_b = 1.0;
  for (const Instance& inst : instances) {
    if (inst.a.empty() || inst.b.empty()) continue;
    if (out.problem.empty()) {
      out.cells = row.select.Describe() + " vs " + row.against.Describe();
      out.problem = inst.a.front()->cell->info.problem;
      out.noise_family = NoiseFamily(inst.a.front()->cell->info.noise);
    }
    const std::string at = "M=" + Sig(inst.facts.M, 3);
    const Best a = BestOf(inst.a);
    const Best b = BestOf(inst.b);
    const std::string why = NotSeparationPoint(inst, a, b, spec.hitting);
    if (!why.empty()) {
      AppendWith(not_testable, "; ", at + ": " + why);
      continue;
    }
    points.push_back(&inst);
    r_a = std::max(r_a, GridRatio(inst.a));
    r_b = std::max(r_b, GridRatio(inst.b));
    AppendWith(detail, "; ",
               at + ": " + Shortest(a.count) +
                   (inst.a.size() > 1 ? " (" + StepText(a.cell) + ")" : "") + " vs " +
                   Shortest(b.count) + " (" + StepText(b.cell) + "), ratio " +
                   Sig(b.count / a.count, 3));
  }
  const double span = points.empty() ? 0.0 : points.back()->facts.M / points.front()->facts.M;
  out.regime =
      std::to_string(points.size()) + " points" +
      (points.empty() ? std::string()
                      : ", M = " + Sig(points.front()->facts.M, 3) + " .. " +
                            Sig(points.back()->facts.M, 3) + " (span " + Sig(span, 3) + ")") +
      "; grid ratios " + Sig(r_a, 3) + " and " + Sig(r_b, 3) +
      (not_testable.empty() ? "" : "; not testable: " + not_testable);
  if (static_cast<int>(points.size()) < spec.hitting.min_points || span < spec.hitting.min_span) {
    out.outcome = RowOutcome::kNotTestable;
    out.detail = "needs " + std::to_string(spec.hitting.min_points) + " points spanning " +
                 Sig(spec.hitting.min_span) + " in M; " + (detail.empty() ? "none" : detail);
    return out;
  }
  std::vector<double> x, ya, yb;
  for (const Instance* p : points) {
    x.push_back(std::log(p->facts.M / std::log(p->facts.M)));
    ya.push_back(BestOf(p->a).count);
    yb.push_back(BestOf(p->b).count);
  }
  const double slope = SeparationSlope(x, ya, yb);
  double mean = 0.0, sxx = 0.0, c_pos = 0.0;
  for (double v : x) mean += v / static_cast<double>(x.size());
  for (double v : x) sxx += (v - mean) * (v - mean);
  for (double v : x) c_pos += std::max(0.0, (v - mean) / sxx);
  const double widen = c_pos * (std::log(r_a) + std::log(r_b));
  double lower = slope - widen, upper = slope + widen;
  // Several seeds: a percentile bootstrap of the slope over seeds.
  std::size_t seeds = 1;
  bool joint = true;
  std::vector<const analysis::CellHitting*> cells;
  for (const Instance* p : points) {
    for (const auto* list : {&p->a, &p->b}) {
      for (const analysis::CellHitting* h : *list) {
        cells.push_back(h);
        if (h->times.size() != cells.front()->times.size()) joint = false;
        seeds = std::max(seeds, h->times.size());
      }
    }
  }
  std::string boot;
  if (seeds > 1) {
    const int replicates = std::max(100, analysis.options.bootstrap_resamples);
    Rng rng = MakeRng({analysis.options.bootstrap_seed, salt});
    std::vector<double> slopes(static_cast<std::size_t>(replicates));
    std::map<const analysis::CellHitting*, double> median;
    std::vector<std::size_t> pick;
    std::vector<double> v;
    for (double& s : slopes) {
      const auto draw = [&](std::size_t n) {
        pick.resize(n);
        boost::random::uniform_int_distribution<std::size_t> u(0, n - 1);
        for (std::size_t& k : pick) k = u(rng);
      };
      if (joint) draw(cells.front()->times.size());
      for (const analysis::CellHitting* h : cells) {
        if (!joint) draw(h->times.size());
        v.clear();
        for (std::size_t k : pick) v.push_back(h->times[k]);
        median[h] = stats::UpperMedian(v);  // as CellHitting::Median
      }
      std::vector<double> ra, rb;
      for (const Instance* p : points) {
        double ba = kInf, bb = kInf;
        for (const analysis::CellHitting* h : p->a) ba = std::min(ba, median[h]);
        for (const analysis::CellHitting* h : p->b) bb = std::min(bb, median[h]);
        ra.push_back(ba);
        rb.push_back(bb);
      }
      s = SeparationSlope(x, ra, rb);
    }
    const stats::PercentileInterval ci = stats::PercentileBounds(slopes, level);
    lower = ci.lower - widen;
    upper = ci.upper + widen;
    boot = "; bootstrap over " + std::to_string(seeds) + " seeds (" + std::to_string(replicates) +
           " replicates, " + std::to_string(ci.undefined) + " undefined), level " + Sig(level, 4);
  }
  out.estimate = slope;
  out.lower = lower;
  out.upper = upper;
  out.outcome = OutcomeOf(lower, upper, region);
  out.detail = "best counts per M (select vs against): " + detail + "; slope " + Sig(slope, 4) +
               ", grid widening +-" + Sig(widen, 3) + boot;
  return out;
}

}  // namespace

void DecideHittingTime(const ClaimSpec& spec, const analysis::SweepResults& results,
                       const analysis::SweepAnalysis& analysis, double confidence,
                       ClaimResult& out) {
  const HittingRules& rules = spec.hitting;
  bool bound = false, separation = false;
  for (const ClaimRowSpec& row : spec.rows) {
    bound = bound || row.check_bound;
    separation = separation || (row.check_slope && !row.against.match.empty());
  }
  out.rule =
      "iterations to ||grad f|| <= eps, the exact hitting time of runs stopped there (censored "
      "and diverged runs are not hits).";
  if (bound) {
    out.rule +=
        " Bound: each selected clipped-GD cell (Theorem 3's step 1/(10 L0) and threshold "
        "min(1/eta, 1/(10 L1 eta)), batch 1, momentum 0, exact gradients, eps <= " +
        Sig(rules.max_eps_ratio) +
        " ||grad f(x0)||; otherwise not testable) against bound_factor x (20 L0 Delta / eps^2 + "
        "20 max(1, L1^2) Delta / L0): one count above it contradicts, all at or below it "
        "support (a row with expect: violated, a planted wrong constant, the reverse).";
  }
  if (separation) {
    out.rule +=
        " Separation: the least-squares slope of log(best count of `against` / best count of "
        "`select`) against log(M / log M), M = sup ||grad f|| on the start's level set (best: "
        "the fewest iterations over a selector's cells of an instance), over at least " +
        std::to_string(rules.min_points) + " values of M spanning " + Sig(rules.min_span) +
        "; interval: the slope moved by the step grids' resolution (and a percentile bootstrap "
        "over seeds where there are several, familywise confidence " +
        Sig(confidence, 3) + ", Bonferroni over the separation rows); supports when it lies in [" +
        Sig(1.0 - spec.margin) + ", inf), contradicts when below.";
  }
  const analysis::HittingTable table = analysis::ReadHittingTable(results.dir);
  if (table.empty()) {
    out.notes.push_back("no hitting.csv in " + results.dir +
                        ": the sweep's runs do not stop at a gradient norm (stop_at_grad_norm)");
    return;
  }
  const std::vector<analysis::CellHitting> cells = analysis::HittingTimes(results, table);
  std::size_t separations[2] = {0, 0};
  for (const ClaimRowSpec& row : spec.rows) {
    if (row.check_slope && !row.against.match.empty()) ++separations[row.control ? 1 : 0];
  }
  std::uint64_t salt = 0;
  for (const ClaimRowSpec& row : spec.rows) {
    ++salt;
    const std::vector<Instance> instances = Instances(cells, row);
    if (row.check_bound) out.rows.push_back(BoundRow(spec, row, instances));
    if (row.check_slope && !row.against.match.empty()) {
      const double m = static_cast<double>(std::max<std::size_t>(1, separations[row.control]));
      const double level = 1.0 - (1.0 - confidence) / m;
      out.rows.push_back(SeparationRow(spec, row, instances, analysis, level, salt));
    }
  }
}

}  // namespace clipsim::claims::detail

// The ode claim kind (claims.hpp): per setting, the largest relative error of the mean risk
// against the risk ODE at the largest dimension and its trend in d; per cell, the clipping
// comparison criterion along the ODE's trajectory.
#include "claims_ode.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "claim_rows.hpp"
#include "clipsim/analysis/format.hpp"
#include "clipsim/core/rng.hpp"
#include "clipsim/stats/bootstrap.hpp"
#include "clipsim/stats/rate_fit.hpp"

namespace clipsim::claims::detail {

using analysis::AppendWith;
using analysis::Shortest;
using analysis::Sig;
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
// Below this many seeds a bootstrap over the seeds has too few distinct resamples to give an
// interval (with 2 seeds, 3), so the agreement and trend rows stay inconclusive.
constexpr std::size_t kMinSeeds = 8;

enum class Check { kAgreement, kTrend, kCcc };

struct Item {
  const ClaimRowSpec* row = nullptr;
  Check check = Check::kAgreement;
  std::size_t group = 0;                      // kAgreement, kTrend: index into the groups
  const analysis::OdeCurve* curve = nullptr;  // kCcc
};

// The cells of one setting at the claim's budget, by increasing dimension, with the bootstrap
// replicates of E(d) (replicates[b][i] for curve i).
struct Group {
  const ClaimRowSpec* row = nullptr;
  std::vector<const analysis::OdeCurve*> curves;
  std::vector<double> estimate;
  std::vector<std::vector<double>> replicates;
};

bool Clips(const analysis::OdeCurve& c) {
  return c.cell->info.method != "sgd";
}

double SlopeOf(const std::vector<const analysis::OdeCurve*>& curves, const std::vector<double>& e) {
  std::vector<double> x;
  std::vector<double> y;
  for (std::size_t i = 0; i < curves.size(); ++i) {
    if (!(e[i] > 0.0) || !std::isfinite(e[i])) return kNaN;
    x.push_back(std::log(static_cast<double>(curves[i]->dim)));
    y.push_back(std::log(e[i]));
  }
  return stats::FitLine(x, y).slope;
}

std::string Percent(double x) {
  return std::isfinite(x) ? Sig(100.0 * x, 3) + "%" : Shortest(x);
}

// "d=100: 12 clipped per run (0.8%)".
std::string ClipText(const analysis::OdeCurve& c) {
  const analysis::BudgetRuns* b = c.cell->Find(c.budget);
  const double samples =
      b != nullptr && b->has_resolved ? static_cast<double>(b->resolved.samples) : kNaN;
  return "d=" + std::to_string(c.dim) + ": " + Sig(c.clipped_median) + " clipped per run (" +
         Percent(c.clipped_median / samples) + ")";
}

// The regime rule: a clipping method's runs must clip. Empty when testable.
std::string Untestable(const std::vector<const analysis::OdeCurve*>& curves,
                       const analysis::RegimeRules& rules) {
  for (const analysis::OdeCurve* c : curves) {
    if (Clips(*c) && !(c->clipped_median >= rules.min_clipped_per_run)) {
      return "not testable: the runs at d=" + std::to_string(c->dim) + " clip " +
             Sig(c->clipped_median) + " samples per run (median), below min_clipped_per_run " +
             Sig(rules.min_clipped_per_run) + ": the clipped ODE is not tested where nothing clips";
    }
  }
  return "";
}

std::string NoPrediction(const std::vector<const analysis::OdeCurve*>& curves) {
  for (const analysis::OdeCurve* c : curves) {
    if (!c->why.empty()) return "no ODE prediction at d=" + std::to_string(c->dim) + ": " + c->why;
  }
  return "";
}

}  // namespace

void DecideOde(const ClaimSpec& spec, const analysis::SweepResults& results,
               const analysis::SweepAnalysis& analysis, double confidence, ClaimResult& out) {
  // One set of curves per ODE variant the rows ask for.
  std::deque<std::pair<std::string, std::vector<analysis::OdeCurve>>> variants;
  const auto curves_for =
      [&](const analysis::OdeVariant& v) -> const std::vector<analysis::OdeCurve>& {
    const std::string key = v.Describe();
    for (const auto& [k, c] : variants) {
      if (k == key) return c;
    }
    variants.emplace_back(key, analysis::OdeCurves(results, spec.metric, v));
    return variants.back().second;
  };
  std::vector<Group> groups;
  std::vector<Item> items;
  for (const ClaimRowSpec& row : spec.rows) {
    const std::vector<analysis::OdeCurve>& curves = curves_for(row.ode);
    // Per cell, the curve at the claim's budget (default: the cell's largest).
    std::map<std::string, std::vector<const analysis::OdeCurve*>> by_setting;
    std::vector<std::string> order;
    for (const analysis::OdeCurve& c : curves) {
      if (!row.select.Matches(c.cell->info)) continue;
      const std::int64_t want = spec.budget > 0 ? spec.budget : c.cell->budgets.back().budget;
      if (c.budget != want) continue;
      if (row.check_ccc) items.push_back({&row, Check::kCcc, 0, &c});
      const std::string key = analysis::OdeSettingKey(results, *c.cell);
      if (!by_setting.count(key)) order.push_back(key);
      by_setting[key].push_back(&c);
    }
    if (!row.check_agreement && !row.check_trend) continue;
    for (const std::string& key : order) {
      Group g;
      g.row = &row;
      g.curves = by_setting[key];
      std::stable_sort(
          g.curves.begin(), g.curves.end(),
          [](const analysis::OdeCurve* a, const analysis::OdeCurve* b) { return a->dim < b->dim; });
      groups.push_back(std::move(g));
      if (row.check_agreement || row.expect_disagreement) {
        items.push_back({&row, Check::kAgreement, groups.size() - 1, nullptr});
      }
      if (row.check_trend && !row.expect_disagreement && groups.back().curves.size() >= 2) {
        items.push_back({&row, Check::kTrend, groups.size() - 1, nullptr});
      }
    }
  }
  std::size_t intervals = 0;
  for (const Item& item : items) intervals += item.check != Check::kCcc ? 1 : 0;
  const double a = 1.0 - confidence;
  const double level = 1.0 - a / static_cast<double>(std::max<std::size_t>(1, intervals));
  const int replicates = analysis.options.bootstrap_resamples;

  // Bootstrap over the seeds, each cell resampled on its own.
  for (std::size_t g = 0; g < groups.size(); ++g) {
    Group& group = groups[g];
    Rng rng = MakeRng({analysis.options.bootstrap_seed, 0x0de0de, g});
    for (const analysis::OdeCurve* c : group.curves) {
      group.estimate.push_back(analysis::MaxRelativeError(*c, spec.horizon));
    }
    group.replicates.assign(static_cast<std::size_t>(replicates), {});
    for (std::vector<double>& r : group.replicates) {
      for (const analysis::OdeCurve* c : group.curves)
        r.push_back(analysis::MaxRelativeError(*c, spec.horizon, &rng));
    }
  }

  // The rule in words: the parts this claim's rows use.
  std::string rule;
  if (intervals > 0) {
    rule = "E(d) = max over the checkpoints with samples <= " +
           (spec.horizon > 0.0 ? Sig(spec.horizon) + " x d" : std::string("N")) +
           " of |mean - ODE| / ODE, the mean over seeds of " + spec.metric +
           " against the risk ODE of the cell's run, per setting (every grid column but "
           "problem.dim). agreement: E at the largest d against [0, " +
           Sig(spec.tolerance) +
           "]; trend: the least-squares slope of log E against log d, below 0. Percentile "
           "bootstrap intervals over the seeds (" +
           std::to_string(replicates) + " replicates, each cell resampled on its own) at level " +
           Sig(level, 4) + " (Bonferroni over " + std::to_string(intervals) +
           " intervals: familywise " + Sig(confidence, 3) + "; at least " +
           std::to_string(kMinSeeds) +
           " seeds per cell). A planted wrong ODE (expect: disagrees) supports the claim when E "
           "at the largest d lies above the tolerance. ";
  }
  if (intervals < items.size()) {
    rule +=
        "ccc: the largest clipping comparison criterion mu^2 (2R + E eps^2) / nu along the "
        "cell's ODE trajectory" +
        (spec.horizon > 0.0 ? " (samples <= " + Sig(spec.horizon) + " x d)" : std::string()) +
        ", a computed number (quadrature, no interval), against the region. ";
  }
  out.rule = rule + "Rows on a clipping method are not testable where its runs clip fewer than " +
             Sig(spec.regime.min_clipped_per_run) + " samples per run (median).";

  for (const Item& item : items) {
    ClaimRowResult row;
    row.name = item.row->name;
    row.control = item.row->control;
    if (item.check == Check::kCcc) {
      const analysis::OdeCurve& c = *item.curve;
      row.name += " (CCC)";
      row.cells = CellName(c.cell->info, analysis) + ", d=" + std::to_string(c.dim);
      row.problem = c.cell->info.problem;
      row.noise_family = NoiseFamily(c.cell->info.noise);
      row.target = item.row->region.Describe();
      row.regime = ClipText(c);
      if (!c.why.empty()) {
        row.detail = "no ODE prediction: " + c.why;
        out.rows.push_back(std::move(row));
        continue;
      }
      double sup = 0.0;
      double last = kNaN;
      for (std::size_t j = 0; j < c.samples.size(); ++j) {
        const double k = c.samples[j];
        if (!(k > 0.0) || (spec.horizon > 0.0 && k > spec.horizon * c.dim)) continue;
        sup = std::max(sup, c.ccc[j]);
        last = c.ccc[j];
      }
      row.estimate = row.lower = row.upper = sup;
      row.detail = "largest CCC along the ODE " + Sig(sup, 4) + ", at the last checkpoint " +
                   Sig(last, 4) + " (ODE risk there " + Sig(c.predicted.back(), 4) + ")";
      const std::string why = Untestable({&c}, spec.regime);
      if (!Clips(c)) {
        row.outcome = RowOutcome::kNotTestable;
        row.detail += "; not testable: the method does not clip (CCC = 1)";
      } else if (!why.empty()) {
        row.outcome = RowOutcome::kNotTestable;
        row.detail += "; " + why;
      } else {
        row.outcome = OutcomeOf(row.lower, row.upper, item.row->region);
      }
      out.rows.push_back(std::move(row));
      continue;
    }

    const Group& g = groups[item.group];
    const analysis::OdeCurve& top = *g.curves.back();
    std::string dims;
    for (const analysis::OdeCurve* c : g.curves) AppendWith(dims, ", ", std::to_string(c->dim));
    row.cells = CellName(top.cell->info, analysis) + ", d = " + dims;
    row.problem = top.cell->info.problem;
    row.noise_family = NoiseFamily(top.cell->info.noise);
    std::string regime;
    for (const analysis::OdeCurve* c : g.curves) AppendWith(regime, "; ", ClipText(*c));
    row.regime = regime;
    std::string detail = item.row->ode.Describe() + "; N=" + std::to_string(top.budget) + ", " +
                         std::to_string(top.values.empty() ? 0 : top.values.front().size()) +
                         " seeds; E(d):";
    for (std::size_t i = 0; i < g.curves.size(); ++i) {
      std::vector<double> r;
      for (const std::vector<double>& rep : g.replicates) r.push_back(rep[i]);
      const stats::PercentileInterval ci = stats::PercentileBounds(r, level);
      detail += std::string(i ? "," : "") + " d=" + std::to_string(g.curves[i]->dim) + " " +
                Percent(g.estimate[i]) + " [" + Percent(ci.lower) + ", " + Percent(ci.upper) + "]";
    }
    row.detail = detail;
    if (const std::string why = NoPrediction(g.curves); !why.empty()) {
      row.detail += "; " + why;
      out.rows.push_back(std::move(row));
      continue;
    }
    std::size_t seeds = kMinSeeds;
    for (const analysis::OdeCurve* c : g.curves) {
      seeds = std::min(seeds, c->values.empty() ? 0 : c->values.front().size());
    }
    if (seeds < kMinSeeds) {
      row.detail += "; fewer than " + std::to_string(kMinSeeds) +
                    " seeds: no bootstrap interval (inconclusive)";
      out.rows.push_back(std::move(row));
      continue;
    }
    if (item.check == Check::kAgreement) {
      row.name += " (agreement at d=" + std::to_string(top.dim) + ")";
      std::vector<double> r;
      for (const std::vector<double>& rep : g.replicates) r.push_back(rep.back());
      const stats::PercentileInterval ci = stats::PercentileBounds(r, level);
      row.estimate = g.estimate.back();
      row.lower = ci.lower;
      row.upper = ci.upper;
      if (item.row->expect_disagreement) {
        row.target = "> " + Sig(spec.tolerance) + " (a planted wrong ODE must disagree)";
        row.outcome = row.lower > spec.tolerance    ? RowOutcome::kSupports
                      : row.upper <= spec.tolerance ? RowOutcome::kContradicts
                                                    : RowOutcome::kInconclusive;
      } else {
        row.target = Region{0.0, spec.tolerance}.Describe();
        row.outcome = OutcomeOf(row.lower, row.upper, Region{0.0, spec.tolerance});
      }
    } else {
      row.name += " (trend in d)";
      std::vector<double> r;
      for (const std::vector<double>& rep : g.replicates) r.push_back(SlopeOf(g.curves, rep));
      const stats::PercentileInterval ci = stats::PercentileBounds(r, level);
      row.estimate = SlopeOf(g.curves, g.estimate);
      row.lower = ci.lower;
      row.upper = ci.upper;
      row.target = "slope of log E in log d < 0";
      row.outcome = OutcomeOf(row.lower, row.upper, Region{-kInf, 0.0});
    }
    if (const std::string why = Untestable(g.curves, spec.regime); !why.empty()) {
      row.outcome = RowOutcome::kNotTestable;
      row.detail += "; " + why;
    }
    out.rows.push_back(std::move(row));
  }
}

}  // namespace clipsim::claims::detail

// Claim decisions (claims.hpp): every row is an interval against a region, and the claim's verdict
// follows from its rows. The statistics come from the existing analysis (rate verdicts, slope fits)
// or from the raw finals (paired ratios, quantiles), never from anything typed into the claims
// file.
#include "clipsim/claims/claims.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "claim_rows.hpp"
#include "claims_floor.hpp"
#include "claims_hitting_time.hpp"
#include "claims_ode.hpp"
#include "claims_paired_ratio.hpp"
#include "clipsim/analysis/csv.hpp"
#include "clipsim/analysis/format.hpp"
#include "clipsim/analysis/hitting_time.hpp"
#include "clipsim/analysis/report.hpp"
#include "clipsim/core/input_error.hpp"
#include "clipsim/core/number_parse.hpp"
#include "clipsim/noise/noise_spec.hpp"
#include "clipsim/stats/bootstrap.hpp"
#include "clipsim/stats/confidence_bounds.hpp"
#include "clipsim/stats/median.hpp"
#include "clipsim/stats/quantile_ci.hpp"
#include "clipsim/stats/statistic.hpp"
#include "clipsim/theory/registry.hpp"

namespace clipsim::claims {

using analysis::BudgetList;
using analysis::Join;
using analysis::Sig;

namespace detail {

std::string CellName(const analysis::CellInfo& info, const analysis::SweepAnalysis& analysis) {
  for (const analysis::CellAnalysis& c : analysis.cells) {
    if (c.info.id == info.id) return c.label + " | " + c.setting;
  }
  return info.id;
}

std::string RegimeSummary(const analysis::CellRegime& r) {
  if (!r.applicable) return r.why_not;
  const std::vector<std::size_t> t = r.TestableIndices();
  if (t.empty()) return "no testable budget: " + r.FailedSummary();
  const analysis::BudgetRegime& lo = r.budgets[t.front()];
  const analysis::BudgetRegime& hi = r.budgets[t.back()];
  std::string s = "N=" + std::to_string(lo.budget) + ": " + lo.Describe();
  if (t.size() > 1) s += "; N=" + std::to_string(hi.budget) + ": " + hi.Describe();
  s += " (" + std::to_string(t.size()) + " of " + std::to_string(r.budgets.size()) +
       " budgets testable)";
  return s;
}

}  // namespace detail

namespace {

using detail::CellName;
using detail::NoiseFamily;
using detail::RegimeSummary;

using stats::Median;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// --- rate ----------------------------------------------------------------------------------------

RowOutcome FromBound(analysis::BoundVerdict v, bool expect_violation) {
  switch (v) {
    case analysis::BoundVerdict::kHolds:
      return expect_violation ? RowOutcome::kContradicts : RowOutcome::kSupports;
    case analysis::BoundVerdict::kViolated:
      return expect_violation ? RowOutcome::kSupports : RowOutcome::kContradicts;
    case analysis::BoundVerdict::kInconclusive:
      return RowOutcome::kInconclusive;
    case analysis::BoundVerdict::kNotTestable:
      return RowOutcome::kNotTestable;
  }
  return RowOutcome::kInconclusive;
}

RowOutcome FromSlope(analysis::Verdict v) {
  switch (v) {
    case analysis::Verdict::kAtLeastAsFast:
      return RowOutcome::kSupports;
    case analysis::Verdict::kSlower:
      return RowOutcome::kContradicts;
    case analysis::Verdict::kNotTestable:
      return RowOutcome::kNotTestable;
    default:
      return RowOutcome::kInconclusive;
  }
}

// The statistic a slope row uses: the first in the preference list whose verdict is a test (or
// "not testable", which every statistic of the cell shares).
const analysis::RateResult* ChooseRate(const ClaimSpec& spec, const analysis::MetricAnalysis* ma,
                                       std::string& why) {
  if (ma == nullptr) {
    why = "metric " + spec.metric + " not analyzed";
    return nullptr;
  }
  for (const std::string& name : spec.statistics) {
    for (const analysis::RateResult& r : ma->rates) {
      if (r.statistic.Name() != name) continue;
      if (r.verdict == analysis::Verdict::kAtLeastAsFast ||
          r.verdict == analysis::Verdict::kSlower ||
          r.verdict == analysis::Verdict::kInconclusive ||
          r.verdict == analysis::Verdict::kNotTestable) {
        return &r;
      }
      why += (why.empty() ? "" : "; ") + name + ": " + std::string(ToString(r.verdict)) +
             (r.note.empty() ? "" : " (" + r.note + ")");
      break;
    }
  }
  return nullptr;
}

void DecideRate(const ClaimSpec& spec, const analysis::SweepAnalysis& analysis, double confidence,
                ClaimResult& out) {
  out.rule =
      "per selected theory cell, at the budgets where its theorem is testable (" +
      spec.regime.Describe() +
      "): bound, the mean over seeds of mean_grad_norm (= E||grad f(x_R)||) and the root of the "
      "mean of mean_sq_grad_norm against the entry's in-expectation bound with its constants "
      "(one-sided empirical Bernstein / Hoeffding bounds on [0, G]): holds supports the claim, "
      "violated contradicts it (a broken twin expects the opposite); slope, of log(statistic of " +
      spec.metric +
      ") against log N over the testable budgets, bootstrap over seeds, against theory + margin " +
      Sig(spec.margin) +
      ": 'at least as fast as theory' supports, 'slower than theory' contradicts. Holm over "
      "every bound and slope hypothesis of the claim's rows at familywise confidence " +
      Sig(confidence, 3) +
      " (controls in a family of their own). Statistic of the slope: the first of [" +
      Join(spec.statistics, ", ") +
      "] that carries a verdict. The bound row's estimate is the largest mean/bound over the "
      "testable budgets, its interval that budget's one-sided bounds (Bonferroni level).";

  struct Item {
    const ClaimRowSpec* row = nullptr;
    const analysis::CellAnalysis* cell = nullptr;
    const analysis::RateResult* rate = nullptr;  // the chosen statistic (slope rows)
    std::string why;                             // why no statistic was chosen
    std::size_t bound = SIZE_MAX;                // index into bounds
    std::size_t slope = SIZE_MAX;                // index into slopes
  };
  std::vector<Item> items;
  for (const ClaimRowSpec& row : spec.rows) {
    for (const analysis::CellAnalysis& cell : analysis.cells) {
      if (!row.select.Matches(cell.info)) continue;
      Item item;
      item.row = &row;
      item.cell = &cell;
      items.push_back(item);
    }
  }
  std::vector<analysis::CellBoundCheck> bounds;
  std::vector<analysis::SlopeTest> slopes;
  bounds.reserve(items.size());
  slopes.reserve(items.size());
  for (Item& item : items) {
    if (item.row->check_bound && item.cell->regime.applicable) {
      item.bound = bounds.size();
      bounds.push_back(item.cell->bound);
    }
    if (item.row->check_slope && !item.row->expect_violation) {
      item.rate = ChooseRate(spec, item.cell->Find(spec.metric), item.why);
      if (item.rate != nullptr && item.rate->verdict != analysis::Verdict::kNotTestable &&
          !item.row->slope_equivalence) {
        item.slope = slopes.size();
        slopes.push_back(item.rate->test);
      }
    }
  }
  // Holm: one family for the claim's rows, one for the controls.
  std::vector<double> slope_adjusted(2 * slopes.size(), 1.0);
  for (bool controls : {false, true}) {
    std::vector<double> raw;
    std::vector<double*> adjusted;
    std::vector<analysis::CellBoundCheck*> family;
    for (const Item& item : items) {
      if (item.row->control != controls) continue;
      if (item.bound != SIZE_MAX) {
        analysis::CollectBoundHypotheses(bounds[item.bound], raw, adjusted);
        family.push_back(&bounds[item.bound]);
      }
      if (item.slope != SIZE_MAX) {
        raw.push_back(slopes[item.slope].p_fast);
        adjusted.push_back(&slope_adjusted[2 * item.slope]);
        raw.push_back(slopes[item.slope].p_slow);
        adjusted.push_back(&slope_adjusted[2 * item.slope + 1]);
      }
    }
    const std::vector<double> holm = analysis::HolmAdjust(raw);
    for (std::size_t i = 0; i < holm.size(); ++i) *adjusted[i] = holm[i];
    analysis::SetBoundVerdicts(family, confidence, raw.size());
  }
  for (std::size_t i = 0; i < slopes.size(); ++i) {
    analysis::DecideSlopeTest(slopes[i], slope_adjusted[2 * i], slope_adjusted[2 * i + 1],
                              confidence);
  }

  // Equivalence rows: Bonferroni over them, within each family (claim rows, controls).
  std::size_t equivalence_rows[2] = {0, 0};
  for (const Item& item : items) {
    if (item.row->slope_equivalence && item.rate != nullptr) {
      ++equivalence_rows[item.row->control ? 1 : 0];
    }
  }

  for (const Item& item : items) {
    const analysis::CellAnalysis& cell = *item.cell;
    const std::string base = item.row->name.empty() ? "rate" : item.row->name;
    ClaimRowResult proto;
    proto.cells = cell.label + " | " + cell.setting;
    proto.control = item.row->control;
    proto.problem = cell.info.problem.empty() ? cell.info.Get("problem.kind") : cell.info.problem;
    proto.noise_family = NoiseFamily(cell.info.noise);
    proto.regime = RegimeSummary(cell.regime);
    if (item.row->check_bound) {
      ClaimRowResult row = proto;
      row.name = base + ": bound";
      row.target = item.row->expect_violation ? "mean/bound > 1 at some testable N (a broken twin)"
                                              : "mean/bound < 1 at every testable N";
      if (item.bound == SIZE_MAX) {
        row.outcome = RowOutcome::kNotTestable;
        row.detail = cell.regime.why_not;
      } else {
        const analysis::CellBoundCheck& b = bounds[item.bound];
        row.outcome = FromBound(b.verdict, item.row->expect_violation);
        const analysis::BudgetBoundCheck* worst = nullptr;
        std::string per_budget;
        for (const analysis::BudgetBoundCheck& bb : b.budgets) {
          if (!bb.testable) continue;
          if (worst == nullptr || bb.ratio > worst->ratio) worst = &bb;
          per_budget +=
              (per_budget.empty() ? "" : ", ") + std::string("N=") + std::to_string(bb.budget) +
              " " + Sig(bb.ratio, 3) + " " +
              analysis::FormatInterval(bb.mean.lower / bb.bound, bb.mean.upper / bb.bound) + " " +
              std::string(ToString(bb.verdict));
        }
        if (worst != nullptr) {
          row.estimate = worst->ratio;
          row.lower = worst->mean.lower / worst->bound;
          row.upper = worst->mean.upper / worst->bound;
          row.detail = std::string(ToString(b.verdict)) +
                       "; mean/bound per testable N: " + per_budget + "; " +
                       std::to_string(worst->seeds) + " seeds";
        } else {
          row.detail = b.note.empty() ? "no testable budget" : b.note;
        }
      }
      out.rows.push_back(std::move(row));
    }
    if (item.row->check_slope && !item.row->expect_violation) {
      ClaimRowResult row = proto;
      row.name = base + ": slope";
      if (item.rate == nullptr) {
        row.detail = item.why.empty() ? "no statistic with a verdict" : item.why;
      } else if (item.row->slope_equivalence &&
                 item.rate->verdict != analysis::Verdict::kNotTestable &&
                 item.rate->test_fit.defined && item.rate->theory_slope) {
        const analysis::RateResult& r = *item.rate;
        const double m = static_cast<double>(equivalence_rows[item.row->control ? 1 : 0]);
        const double level = 1.0 - (1.0 - confidence) / std::max(1.0, m);
        const stats::PercentileInterval ci =
            stats::PercentileBounds(r.test_fit.slope_replicates, level);
        const double theory = *r.theory_slope;
        const Region region{theory - spec.margin, theory + spec.margin};
        row.estimate = r.test_fit.fit.slope;
        row.lower = ci.lower;
        row.upper = ci.upper;
        row.target = "equal to theory " + Sig(theory, 4) + ": " + region.Describe();
        row.detail = r.statistic.Name() + " over N = " + BudgetList(r.test_budgets) +
                     ", interval at level " + Sig(level, 4) +
                     " (Bonferroni over the claim's equivalence rows), R^2 " +
                     Sig(r.test_fit.fit.r2, 3);
        row.outcome = OutcomeOf(row.lower, row.upper, region);
      } else if (item.slope == SIZE_MAX) {
        row.outcome = RowOutcome::kNotTestable;
        row.target = item.rate->theory_slope ? "theory " + Sig(*item.rate->theory_slope, 4)
                                             : std::string("theory");
        row.detail = item.rate->note;
      } else {
        const analysis::SlopeTest& t = slopes[item.slope];
        const analysis::RateResult& r = *item.rate;
        row.estimate = t.measured;
        row.lower = r.test_fit.slope_ci.lower;
        row.upper = r.test_fit.slope_ci.upper;
        row.target = "theory " + Sig(t.theory, 4) + " (boundary " + Sig(t.boundary, 4) + ")";
        row.detail = r.statistic.Name() + " over N = " + BudgetList(r.test_budgets) + ": " +
                     std::string(ToString(t.verdict)) + ", Holm p " + Sig(t.p_holm, 2) + ", R^2 " +
                     Sig(r.test_fit.fit.r2, 3);
        row.outcome = FromSlope(t.verdict);
      }
      out.rows.push_back(std::move(row));
    }
  }
}

// --- delta_exponent ------------------------------------------------------------------------------

// The local exponent of a cell's quantiles in 1/delta at the claim's budget, with the interval
// from the exact order-statistic intervals of both quantiles at `level`.
struct Exponent {
  const analysis::BudgetRuns* budget = nullptr;
  std::size_t seeds = 0;
  stats::QuantileEstimate q1, q2;
  bool ok = false;
  double estimate = kNaN, lower = kNaN, upper = kNaN;
};

Exponent LocalExponent(const ClaimSpec& spec, const analysis::CellResults& cell, std::size_t m,
                       double level) {
  Exponent e;
  if (spec.budget > 0) {
    e.budget = cell.Find(spec.budget);
  } else if (!cell.budgets.empty()) {
    e.budget = &cell.budgets.back();
  }
  if (e.budget == nullptr) return e;
  std::vector<double> sorted = e.budget->finals[m];
  std::sort(sorted.begin(), sorted.end());
  e.seeds = sorted.size();
  e.q1 = stats::QuantileWithCi(sorted, 1.0 - spec.delta_high, level);
  e.q2 = stats::QuantileWithCi(sorted, 1.0 - spec.delta_low, level);
  e.ok = e.q1.status == stats::IntervalStatus::kOk && e.q2.status == stats::IntervalStatus::kOk &&
         std::isfinite(e.q2.upper) && e.q1.lower > 0.0 && e.q2.estimate > 0.0;
  if (!e.ok) return e;
  const double span = std::log(spec.delta_high / spec.delta_low);
  e.estimate = std::log(e.q2.estimate / e.q1.estimate) / span;
  e.lower = std::log(e.q2.lower / e.q1.upper) / span;
  e.upper = std::log(e.q2.upper / e.q1.lower) / span;
  return e;
}

std::string ExponentDetail(const ClaimSpec& spec, const Exponent& e) {
  return "N=" + std::to_string(e.budget->budget) + ", " + std::to_string(e.seeds) + " seeds, q(1-" +
         stats::FormatDelta(spec.delta_high) + ") = " + Sig(e.q1.estimate) + ", q(1-" +
         stats::FormatDelta(spec.delta_low) + ") = " + Sig(e.q2.estimate);
}

// Why a delta_exponent row with require_clipping is not testable (empty: it is): its cell a must
// clip and both cells make min_steps steps at the budget, and the seeds must resolve both
// quantiles of both cells at the row's level. `regime` receives the numbers either way.
std::string ComparisonRegime(const ClaimSpec& spec, const Exponent& a, const Exponent* b,
                             double level, std::string& regime) {
  const analysis::BudgetRuns& runs = *a.budget;
  const double clipped = Median(runs.clipped_samples);
  const auto steps = [](const analysis::BudgetRuns& r) {
    return r.has_resolved ? r.resolved.iterations : std::int64_t{-1};
  };
  regime = "N=" + std::to_string(runs.budget) + ": T " +
           (steps(runs) >= 0 ? std::to_string(steps(runs)) : std::string("unknown")) +
           ", median clipped samples per run of a " + Sig(clipped);
  const std::int64_t min_steps = spec.regime.min_steps;
  for (const Exponent* e : {&a, b}) {
    if (e == nullptr || e->budget == nullptr) continue;
    if (steps(*e->budget) < 0) return "T unknown (no resolved.csv for this budget)";
    if (steps(*e->budget) < min_steps) {
      return "T = " + std::to_string(steps(*e->budget)) + " steps (resolved.csv), fewer than " +
             std::to_string(min_steps) + ": a handful of steps tests nothing";
    }
  }
  if (!(clipped >= spec.regime.min_clipped_per_run)) {
    return "a clips " + Sig(clipped) + " samples per run (median), fewer than " +
           Sig(spec.regime.min_clipped_per_run) + ": the mechanism is not exercised";
  }
  for (const Exponent* e : {&a, b}) {
    if (e == nullptr || e->budget == nullptr) continue;
    if (e->q1.status != stats::IntervalStatus::kOk || e->q2.status != stats::IntervalStatus::kOk) {
      return std::to_string(e->seeds) + " seeds cannot resolve the (1 - " +
             stats::FormatDelta(spec.delta_low) + ") quantile at level " + Sig(level, 4) +
             " (needs " +
             std::to_string(stats::MinDrawsForQuantileCi(1.0 - spec.delta_low, level)) + ")";
    }
  }
  return "";
}

void DecideDeltaExponent(const ClaimSpec& spec, const analysis::SweepResults& results,
                         const analysis::SweepAnalysis& analysis, double confidence,
                         ClaimResult& out) {
  const std::size_t m = analysis::MetricIndex(results, spec.metric);
  struct Item {
    const ClaimRowSpec* row;
    const analysis::CellResults* cell;
    const analysis::CellResults* other;  // `against`: the cell compared with (same noise stream)
  };
  std::vector<Item> items;
  std::size_t quantiles = 0;
  for (const ClaimRowSpec& row : spec.rows) {
    for (const analysis::CellResults& cell : results.cells) {
      if (!row.select.Matches(cell.info)) continue;
      if (row.against.match.empty()) {
        items.push_back({&row, &cell, nullptr});
        quantiles += 2;
        continue;
      }
      for (const analysis::CellResults& other : results.cells) {
        if (&other == &cell || !row.against.Matches(other.info)) continue;
        if (other.info.noise_stream != cell.info.noise_stream) continue;
        items.push_back({&row, &cell, &other});
        quantiles += 4;
      }
    }
  }
  const double a = 1.0 - confidence;
  const double level = 1.0 - a / static_cast<double>(std::max<std::size_t>(1, quantiles));
  out.rule = "local exponent e = log(q(1-" + stats::FormatDelta(spec.delta_low) + ") / q(1-" +
             stats::FormatDelta(spec.delta_high) + ")) / log(" +
             stats::FormatDelta(spec.delta_high) + "/" + stats::FormatDelta(spec.delta_low) +
             ") of " + spec.metric +
             " at the budget, so that q ~ delta^(-e); interval from the exact order-statistic "
             "intervals of both quantiles, each at level " +
             Sig(level, 4) + " (Bonferroni over the " + std::to_string(quantiles) +
             " quantiles: familywise " + Sig(confidence, 3) +
             "). A row supports the claim when the interval lies in its region; a row with a "
             "cell to compare against supports it when its interval lies entirely below the "
             "other cell's, and contradicts it when entirely above; a row with a cell to "
             "compare against and a region decides the difference e_a - e_b (interval [lower_a "
             "- upper_b, upper_a - lower_b]) against the region.";
  for (const Item& item : items) {
    ClaimRowResult row;
    row.name = item.row->name;
    row.cells = CellName(item.cell->info, analysis) +
                (item.other != nullptr ? " vs " + CellName(item.other->info, analysis) : "");
    row.control = item.row->control;
    row.problem = item.cell->info.problem;
    row.noise_family = NoiseFamily(item.cell->info.noise);
    row.target = item.other == nullptr || item.row->exponent_difference
                     ? item.row->region.Describe()
                     : "below the other cell's exponent";
    const Exponent e = LocalExponent(spec, *item.cell, m, level);
    if (e.budget == nullptr) {
      row.detail = "budget " + std::to_string(spec.budget) + " not in the sweep";
      out.rows.push_back(std::move(row));
      continue;
    }
    row.detail = ExponentDetail(spec, e);
    for (const analysis::CellAnalysis& c : analysis.cells) {
      if (c.info.id != item.cell->info.id) continue;
      if (const analysis::MetricAnalysis* ma = c.Find(spec.metric)) {
        if (ma->delta_power.fit.defined) {
          row.detail += "; fit over all deltas: log q vs log(1/delta) slope " +
                        Sig(ma->delta_power.fit.fit.slope) + " (R^2 " +
                        Sig(ma->delta_power.fit.fit.r2) + ")";
        }
        if (ma->delta_polylog.fit.defined) {
          row.detail += ", vs log log(1/delta) slope " + Sig(ma->delta_polylog.fit.fit.slope) +
                        " (R^2 " + Sig(ma->delta_polylog.fit.fit.r2) + ")";
        }
      }
    }
    const Exponent f =
        item.other != nullptr ? LocalExponent(spec, *item.other, m, level) : Exponent{};
    if (item.other != nullptr && f.budget != nullptr) {
      row.detail += "; other cell: " + ExponentDetail(spec, f);
    }
    if (item.row->require_clipping) {
      const std::string why =
          ComparisonRegime(spec, e, item.other != nullptr ? &f : nullptr, level, row.regime);
      if (!why.empty()) {
        row.outcome = RowOutcome::kNotTestable;
        row.detail += "; not testable: " + why;
        out.rows.push_back(std::move(row));
        continue;
      }
    }
    if (!e.ok) {
      row.detail += "; not enough finite seeds for the intervals at this level";
      out.rows.push_back(std::move(row));
      continue;
    }
    row.estimate = e.estimate;
    row.lower = e.lower;
    row.upper = e.upper;
    if (item.other == nullptr) {
      row.outcome = OutcomeOf(row.lower, row.upper, item.row->region);
      out.rows.push_back(std::move(row));
      continue;
    }
    if (f.budget == nullptr || !f.ok) {
      row.detail += "; the other cell has no exponent interval at this level";
      out.rows.push_back(std::move(row));
      continue;
    }
    if (item.row->exponent_difference) {
      row.detail += "; exponents a " + Sig(e.estimate, 3) + " " +
                    analysis::FormatInterval(e.lower, e.upper) + ", b " + Sig(f.estimate, 3) + " " +
                    analysis::FormatInterval(f.lower, f.upper);
      row.estimate = e.estimate - f.estimate;
      row.lower = e.lower - f.upper;
      row.upper = e.upper - f.lower;
      row.outcome = OutcomeOf(row.lower, row.upper, item.row->region);
      out.rows.push_back(std::move(row));
      continue;
    }
    row.target = "below the other cell's " + Sig(f.estimate, 3) + " " +
                 analysis::FormatInterval(f.lower, f.upper);
    row.outcome = e.upper < f.lower   ? RowOutcome::kSupports
                  : e.lower > f.upper ? RowOutcome::kContradicts
                                      : RowOutcome::kInconclusive;
    out.rows.push_back(std::move(row));
  }
}

// --- hp_bound ------------------------------------------------------------------------------------

void DecideHpBound(const ClaimSpec& spec, const analysis::SweepResults& results,
                   const analysis::SweepAnalysis& analysis, double confidence, ClaimResult& out) {
  const std::size_t sq = analysis::MetricIndex(results, "mean_sq_grad_norm");
  struct Item {
    const ClaimRowSpec* row;
    const analysis::CellResults* cell;
    const analysis::CellAnalysis* analysis;
  };
  std::vector<Item> items;
  for (const ClaimRowSpec& row : spec.rows) {
    for (std::size_t c = 0; c < results.cells.size(); ++c) {
      if (row.select.Matches(results.cells[c].info)) {
        items.push_back({&row, &results.cells[c], &analysis.cells[c]});
      }
    }
  }
  const double a = 1.0 - confidence;
  std::size_t counted = 0;
  for (const Item& item : items) counted += item.row->control ? 0 : spec.deltas.size();
  const double alpha = a / static_cast<double>(std::max<std::size_t>(1, counted));
  out.rule =
      "per selected theory cell and delta, at the budget (the claim's, else the largest testable "
      "one): the exact order-statistic upper confidence limit of the (1 - delta) quantile over "
      "seeds of sqrt(mean_sq_grad_norm) = sqrt((1/T) sum_t ||grad f(x_t)||^2) against the "
      "entry's high-probability bound at delta (analysis/THEORY.md), each limit at level 1 - " +
      Sig(alpha, 3) + " (Bonferroni over the claim's " + std::to_string(counted) +
      " (cell, delta) rows: familywise " + Sig(confidence, 3) +
      "): below the bound supports the claim; the lower limit above it contradicts it.";
  for (const Item& item : items) {
    const analysis::CellRegime& regime = item.analysis->regime;
    // The budget: the claim's, else the largest testable one, else the largest.
    const analysis::BudgetRuns* runs = nullptr;
    const analysis::BudgetRegime* g = nullptr;
    for (std::size_t j = 0; j < item.cell->budgets.size(); ++j) {
      const analysis::BudgetRuns& b = item.cell->budgets[j];
      const analysis::BudgetRegime* bg = j < regime.budgets.size() ? &regime.budgets[j] : nullptr;
      if (spec.budget > 0 ? b.budget == spec.budget : (bg != nullptr && bg->testable)) {
        runs = &b;
        g = bg;
      }
    }
    if (runs == nullptr && spec.budget == 0 && !item.cell->budgets.empty()) {
      runs = &item.cell->budgets.back();
      g = regime.budgets.empty() ? nullptr : &regime.budgets.back();
    }
    std::vector<double> sorted;
    if (runs != nullptr) {
      for (double v : runs->finals[sq]) sorted.push_back(std::sqrt(v));  // +inf stays +inf
      std::sort(sorted.begin(), sorted.end());
    }
    for (double delta : spec.deltas) {
      ClaimRowResult row;
      row.name = item.row->name + ": delta=" + stats::FormatDelta(delta);
      row.cells = item.analysis->label + " | " + item.analysis->setting;
      row.control = item.row->control;
      row.problem = item.cell->info.problem;
      row.noise_family = NoiseFamily(item.cell->info.noise);
      row.target = "q(1-" + stats::FormatDelta(delta) + ") of sqrt(mean_sq_grad_norm) < HP bound";
      if (runs == nullptr) {
        row.outcome = RowOutcome::kNotTestable;
        row.detail = "budget " + std::to_string(spec.budget) + " not in the sweep";
        out.rows.push_back(std::move(row));
        continue;
      }
      row.regime = g != nullptr ? "N=" + std::to_string(runs->budget) + ": " + g->Describe()
                                : regime.why_not;
      if (!regime.applicable || g == nullptr || !g->testable) {
        row.outcome = RowOutcome::kNotTestable;
        row.detail = !regime.applicable ? regime.why_not : regime.FailedSummary();
        out.rows.push_back(std::move(row));
        continue;
      }
      const analysis::ResolvedRun& r = runs->resolved;
      const theory::BoundInputs in = analysis::BoundInputsAt(r, runs->budget);
      theory::TheoryBound hp;
      hp.why_not = "no registry entry";
      if (const theory::TheoryEntry* e = theory::FindTheory(regime.entry))
        hp = e->HighProbabilityBound(in, delta);
      if (!hp.available) {
        row.outcome = RowOutcome::kNotTestable;
        row.detail = "no high-probability bound: " + hp.why_not;
        out.rows.push_back(std::move(row));
        continue;
      }
      // A bound above ||grad f(x0)|| holds for the method that never moves: it says nothing.
      if (!(hp.value <= spec.regime.max_bound_ratio * r.start_grad_norm)) {
        row.outcome = RowOutcome::kNotTestable;
        row.detail = "the high-probability bound " + Sig(hp.value, 4) + " is above " +
                     Sig(spec.regime.max_bound_ratio) + " x ||grad f(x0)|| = " +
                     Sig(spec.regime.max_bound_ratio * r.start_grad_norm, 4);
        out.rows.push_back(std::move(row));
        continue;
      }
      const stats::QuantileLimit up = stats::QuantileUpperLimit(sorted, 1.0 - delta, alpha);
      const stats::QuantileLimit lo = stats::QuantileLowerLimit(sorted, 1.0 - delta, alpha);
      row.estimate = up.estimate / hp.value;
      row.detail = "N=" + std::to_string(runs->budget) + ", " + std::to_string(sorted.size()) +
                   " seeds: q(1-" + stats::FormatDelta(delta) + ") = " + Sig(up.estimate, 4) +
                   ", HP bound " + Sig(hp.value, 4) + " (estimate and interval: q / bound)";
      if (!up.supported || !lo.supported) {
        row.detail += "; too few seeds for the limits at this level";
        out.rows.push_back(std::move(row));
        continue;
      }
      row.lower = lo.limit / hp.value;
      row.upper = up.limit / hp.value;
      row.outcome = OutcomeOf(row.lower, row.upper, Region{0.0, 1.0});
      out.rows.push_back(std::move(row));
    }
  }
}

// --- slope_region --------------------------------------------------------------------------------

void DecideSlopeRegion(const ClaimSpec& spec, const analysis::SweepAnalysis& analysis,
                       ClaimResult& out) {
  const std::string statistic = spec.statistics.empty() ? "q(1-0.5)" : spec.statistics.front();
  out.rule = "least-squares slope of log(" + statistic + " of " + spec.metric +
             ") against log N across budgets, with its bootstrap percentile interval at level " +
             Sig(analysis.options.confidence, 4) +
             " (Bonferroni over the claim's rows). The row supports the claim when the interval "
             "lies in its region and contradicts it when the interval lies outside.";
  for (const ClaimRowSpec& spec_row : spec.rows) {
    for (const analysis::CellAnalysis& cell : analysis.cells) {
      if (!spec_row.select.Matches(cell.info)) continue;
      ClaimRowResult row;
      row.name = spec_row.name;
      row.cells = cell.label + " | " + cell.setting;
      row.target = spec_row.region.Describe();
      const analysis::MetricAnalysis* ma = cell.Find(spec.metric);
      const analysis::RateResult* rate = nullptr;
      if (ma != nullptr) {
        for (const analysis::RateResult& r : ma->rates) {
          if (r.statistic.Name() == statistic) rate = &r;
        }
      }
      if (rate == nullptr || !rate->fit.defined) {
        row.detail = rate == nullptr ? "statistic " + statistic + " not fitted"
                                     : "fit undefined: " + rate->fit.reason;
      } else {
        row.estimate = rate->fit.fit.slope;
        row.lower = rate->fit.slope_ci.lower;
        row.upper = rate->fit.slope_ci.upper;
        row.detail = statistic + " over " + std::to_string(rate->fit.fit.points) +
                     " budgets, R^2 " + Sig(rate->fit.fit.r2);
        if (ma != nullptr && !ma->budgets.empty()) {
          const analysis::BudgetSummary& last = ma->budgets.back();
          for (const stats::QuantileEstimate& q : last.quantiles) {
            if (std::abs(q.level - 0.5) < 1e-12) {
              row.detail += "; median at N=" + std::to_string(last.budget) + ": " + Sig(q.estimate);
            }
          }
        }
        row.outcome = OutcomeOf(row.lower, row.upper, spec_row.region);
      }
      out.rows.push_back(std::move(row));
    }
  }
}

}  // namespace

std::string_view ToString(ClaimKind kind) {
  switch (kind) {
    case ClaimKind::kRate:
      return "rate";
    case ClaimKind::kDeltaExponent:
      return "delta_exponent";
    case ClaimKind::kPairedRatio:
      return "paired_ratio";
    case ClaimKind::kSlopeRegion:
      return "slope_region";
    case ClaimKind::kHpBound:
      return "hp_bound";
    case ClaimKind::kFloor:
      return "floor";
    case ClaimKind::kOde:
      return "ode";
    case ClaimKind::kHittingTime:
      return "hitting_time";
  }
  return "?";
}

bool ClaimKindFromString(std::string_view text, ClaimKind& kind) {
  for (ClaimKind k : {ClaimKind::kRate, ClaimKind::kDeltaExponent, ClaimKind::kPairedRatio,
                      ClaimKind::kSlopeRegion, ClaimKind::kHpBound, ClaimKind::kFloor,
                      ClaimKind::kOde, ClaimKind::kHittingTime}) {
    if (ToString(k) == text) {
      kind = k;
      return true;
    }
  }
  return false;
}

std::string_view ToString(ClaimVerdict verdict) {
  switch (verdict) {
    case ClaimVerdict::kReproduced:
      return "reproduced";
    case ClaimVerdict::kNotReproduced:
      return "not reproduced";
    case ClaimVerdict::kInconclusive:
      return "inconclusive";
    case ClaimVerdict::kNotTestable:
      return "not testable";
  }
  return "?";
}

std::string_view ToString(RowOutcome outcome) {
  switch (outcome) {
    case RowOutcome::kSupports:
      return "supports";
    case RowOutcome::kContradicts:
      return "contradicts";
    case RowOutcome::kInconclusive:
      return "inconclusive";
    case RowOutcome::kNotTestable:
      return "not testable";
  }
  return "?";
}

bool CellSelector::Matches(const analysis::CellInfo& info) const {
  for (const auto& [column, value] : match) {
    if (info.Get(column) != value) return false;
  }
  return true;
}

std::string CellSelector::Describe() const {
  if (match.empty()) return "every cell";
  std::string s;
  for (const auto& [column, value] : match) s += (s.empty() ? "" : ", ") + column + "=" + value;
  return s;
}

std::string Region::Describe() const {
  const bool lo = std::isfinite(lower);
  const bool hi = std::isfinite(upper);
  if (lo && hi) return "[" + Sig(lower, 4) + ", " + Sig(upper, 4) + "]";
  if (lo) return ">= " + Sig(lower, 4);
  if (hi) return "<= " + Sig(upper, 4);
  return "any";
}

RowOutcome OutcomeOf(double lower, double upper, const Region& region) {
  if (std::isnan(lower) || std::isnan(upper)) return RowOutcome::kInconclusive;
  if (lower >= region.lower && upper <= region.upper) return RowOutcome::kSupports;
  if (upper < region.lower || lower > region.upper) return RowOutcome::kContradicts;
  return RowOutcome::kInconclusive;
}

ClaimVerdict CombineOutcomes(const std::vector<ClaimRowResult>& rows, std::string* why) {
  std::string reason;
  const auto result = [&](ClaimVerdict v) {
    if (why != nullptr) *why = reason;
    return v;
  };
  bool all = true;
  int counted = 0, testable = 0;
  // Coverage: every problem kind and noise family of the claim needs a testable row.
  std::set<std::string> problems, noises, problems_tested, noises_tested;
  for (const ClaimRowResult& r : rows) {
    if (r.control) continue;
    ++counted;
    if (r.outcome == RowOutcome::kContradicts) return result(ClaimVerdict::kNotReproduced);
    if (!r.problem.empty()) problems.insert(r.problem);
    if (!r.noise_family.empty()) noises.insert(r.noise_family);
    if (r.outcome == RowOutcome::kNotTestable) continue;
    ++testable;
    if (!r.problem.empty()) problems_tested.insert(r.problem);
    if (!r.noise_family.empty()) noises_tested.insert(r.noise_family);
    if (r.outcome != RowOutcome::kSupports) all = false;
  }
  if (counted == 0) {
    reason = "no row that is not a control";
    return result(ClaimVerdict::kInconclusive);
  }
  if (testable == 0) {
    reason = "no row is testable";
    return result(ClaimVerdict::kNotTestable);
  }
  if (!all) {
    reason = "a testable row is inconclusive";
    return result(ClaimVerdict::kInconclusive);
  }
  std::string missing;
  for (const std::string& p : problems) {
    if (!problems_tested.count(p)) missing += (missing.empty() ? "" : ", ") + ("problem " + p);
  }
  for (const std::string& n : noises) {
    if (!noises_tested.count(n)) missing += (missing.empty() ? "" : ", ") + ("noise " + n);
  }
  if (!missing.empty()) {
    reason = "every testable row supports the claim, but no row is testable for " + missing;
    return result(ClaimVerdict::kInconclusive);
  }
  return result(ClaimVerdict::kReproduced);
}

ClaimResult DecideClaim(const ClaimSpec& spec, const analysis::SweepResults& results,
                        const analysis::SweepAnalysis& analysis,
                        const std::vector<analysis::CellTiming>& timings, double confidence,
                        const std::vector<TunedEntry>* tuned) {
  ClaimResult out;
  out.id = spec.id;
  switch (spec.kind) {
    case ClaimKind::kRate:
      DecideRate(spec, analysis, confidence, out);
      break;
    case ClaimKind::kDeltaExponent:
      DecideDeltaExponent(spec, results, analysis, confidence, out);
      break;
    case ClaimKind::kPairedRatio:
      detail::DecidePairedRatio(spec, results, analysis, timings, confidence, tuned, out);
      break;
    case ClaimKind::kSlopeRegion:
      DecideSlopeRegion(spec, analysis, out);
      break;
    case ClaimKind::kHpBound:
      DecideHpBound(spec, results, analysis, confidence, out);
      break;
    case ClaimKind::kFloor:
      detail::DecideFloor(spec, results, analysis, confidence, out);
      break;
    case ClaimKind::kOde:
      detail::DecideOde(spec, results, analysis, confidence, out);
      break;
    case ClaimKind::kHittingTime:
      detail::DecideHittingTime(spec, results, analysis, confidence, out);
      break;
  }
  if (out.rows.empty()) out.notes.push_back("no cell of the sweep matched the claim's selectors");
  std::string why;
  out.verdict = CombineOutcomes(out.rows, &why);
  if (!why.empty()) out.notes.push_back(why);
  return out;
}

analysis::ReadOptions ClaimReadOptions(const ClaimSpec& spec) {
  // A hitting_time claim reads the final iterations and ||grad f|| (analysis/hitting_time.hpp).
  if (spec.kind == ClaimKind::kHittingTime) return analysis::HittingReadOptions();
  analysis::ReadOptions read;
  read.metrics = {spec.metric};
  // A rate or hp_bound claim checks the bound on the path averages as well
  // (analysis/bound_check.hpp).
  if (spec.kind == ClaimKind::kRate || spec.kind == ClaimKind::kHpBound) {
    for (const char* m : {"mean_grad_norm", "mean_sq_grad_norm"}) {
      if (spec.metric != m) read.metrics.push_back(m);
    }
  }
  read.theorem_metric = spec.metric;
  return read;
}

analysis::AnalysisOptions ClaimAnalysisOptions(const ClaimSpec& spec, const ClaimsFile& file) {
  analysis::AnalysisOptions options;
  options.bootstrap_resamples = file.bootstrap;
  options.bootstrap_seed = file.bootstrap_seed;
  options.verdict.confidence = file.confidence;
  options.verdict.margin = spec.margin;
  options.regime = spec.regime;
  options.theorem_metric = spec.metric;
  options.threads = 0;
  if (spec.kind == ClaimKind::kSlopeRegion) {
    const double m = static_cast<double>(std::max<std::size_t>(1, spec.rows.size()));
    options.confidence = 1.0 - (1.0 - file.confidence) / m;
  } else {
    options.confidence = file.confidence;
  }
  return options;
}

}  // namespace clipsim::claims

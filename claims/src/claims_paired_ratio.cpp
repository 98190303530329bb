// The paired_ratio claim kind (claims.hpp, top comment). Pairs: per row, every cell a matching
// `select` with every other cell b matching `against` on the same noise stream (common random
// numbers); with a tuned table, at every budget of the table the cells that run the settings
// tuned for that budget. Per pair, at the claim's budget (default: the largest both ran), the
// median over common seeds of the ratio a / b of the metric (both diverged: 1), with its exact
// order-statistic interval at the Bonferroni level over every row; with equal_time, also the
// ratio of the medians at equal compute time, interpolated log-log in the median seconds per run,
// with a percentile bootstrap over the common seeds.
#include "claims_paired_ratio.hpp"

#include <algorithm>
#include <boost/random/uniform_int_distribution.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "claim_rows.hpp"
#include "clipsim/analysis/format.hpp"
#include "clipsim/core/results_folder.hpp"
#include "clipsim/core/rng.hpp"
#include "clipsim/stats/bootstrap.hpp"
#include "clipsim/stats/median.hpp"
#include "clipsim/stats/quantile_ci.hpp"

namespace clipsim::claims::detail {

using analysis::Sig;
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct Pair {
  const ClaimRowSpec* row;
  const analysis::CellResults* a;
  const analysis::CellResults* b;
  std::int64_t tuned_for = 0;  // with a tuned table: the budget both settings were tuned for
};

// The cell among `cells` matching `select` that runs the setting tuned for (method, budget), or
// null. The method is the selected cells' own.
const analysis::CellResults* TunedCell(const analysis::SweepResults& results,
                                       const CellSelector& select,
                                       const std::vector<TunedEntry>& tuned, std::int64_t budget) {
  for (const analysis::CellResults& c : results.cells) {
    if (!select.Matches(c.info)) continue;
    for (const TunedEntry& e : tuned) {
      if (e.budget == budget && e.method == c.info.method &&
          ConfigHasSettings(c.info.Get(results_folder::kConfigColumn), e.settings)) {
        return &c;
      }
    }
  }
  return nullptr;
}

std::int64_t PairBudget(const ClaimSpec& spec, const Pair& pair) {
  if (pair.tuned_for > 0) return pair.tuned_for;
  const analysis::CellResults& a = *pair.a;
  const analysis::CellResults& b = *pair.b;
  if (spec.budget > 0) return spec.budget;
  for (auto it = a.budgets.rbegin(); it != a.budgets.rend(); ++it) {
    if (b.Find(it->budget) != nullptr) return it->budget;
  }
  return 0;
}

// b's median metric at `seconds`, interpolated in (log s, log metric); NaN outside b's range.
double InterpolateAtTime(const std::vector<std::pair<double, double>>& points, double seconds) {
  if (points.empty() || !(seconds > 0.0)) return kNaN;
  for (std::size_t i = 0; i + 1 < points.size(); ++i) {
    const auto [t0, y0] = points[i];
    const auto [t1, y1] = points[i + 1];
    if (seconds < t0 || seconds > t1) continue;
    if (!(y0 > 0.0) || !(y1 > 0.0) || !std::isfinite(y0) || !std::isfinite(y1)) return kNaN;
    if (t1 == t0) return y0;
    const double w = std::log(seconds / t0) / std::log(t1 / t0);
    return std::exp((1.0 - w) * std::log(y0) + w * std::log(y1));
  }
  if (points.size() == 1 && points.front().first == seconds) return points.front().second;
  return kNaN;
}

// Per-seed ratios a/b of metric m over the common seeds, ascending (inf/inf and 0/0 count as 1).
std::vector<double> SeedRatios(const analysis::BudgetRuns& ba, const analysis::BudgetRuns& bb,
                               std::size_t m, int* a_better, int* b_better) {
  std::vector<double> ratios;
  std::size_t j = 0;
  for (std::size_t i = 0; i < ba.seeds.size(); ++i) {
    while (j < bb.seeds.size() && bb.seeds[j] < ba.seeds[i]) ++j;
    if (j == bb.seeds.size() || bb.seeds[j] != ba.seeds[i]) continue;
    const double x = ba.finals[m][i];
    const double y = bb.finals[m][j];
    double r = x / y;
    if (std::isnan(r)) r = 1.0;
    ratios.push_back(r);
    if (a_better != nullptr && x < y) ++*a_better;
    if (b_better != nullptr && x > y) ++*b_better;
  }
  std::sort(ratios.begin(), ratios.end());
  return ratios;
}

// One budget's common seeds of a and b: their metric and their run time.
struct TimedBudget {
  std::vector<double> metric_a, metric_b, seconds_a, seconds_b;
};

TimedBudget JoinTimed(const analysis::BudgetRuns& a, const analysis::BudgetRuns& b,
                      const analysis::CellTiming& ta, const analysis::CellTiming& tb,
                      std::size_t m) {
  TimedBudget out;
  const auto seconds_of = [](const analysis::CellTiming& t, std::uint64_t seed) {
    const auto it = std::lower_bound(t.seeds.begin(), t.seeds.end(), seed);
    return it != t.seeds.end() && *it == seed
               ? t.seconds[static_cast<std::size_t>(it - t.seeds.begin())]
               : kNaN;
  };
  std::size_t j = 0;
  for (std::size_t i = 0; i < a.seeds.size(); ++i) {
    while (j < b.seeds.size() && b.seeds[j] < a.seeds[i]) ++j;
    if (j == b.seeds.size() || b.seeds[j] != a.seeds[i]) continue;
    const double sa = seconds_of(ta, a.seeds[i]);
    const double sb = seconds_of(tb, a.seeds[i]);
    if (std::isnan(sa) || std::isnan(sb)) continue;
    out.metric_a.push_back(a.finals[m][i]);
    out.metric_b.push_back(b.finals[m][j]);
    out.seconds_a.push_back(sa);
    out.seconds_b.push_back(sb);
  }
  return out;
}

struct EqualTime {
  double ratio = kNaN, seconds = kNaN, a = kNaN, b = kNaN;
};

// The ratio of a's and b's median metric, each interpolated log-log in its median run time at the
// largest time both reached, with b's run times multiplied by b_time_scale. With rng, every
// budget's seeds are resampled first (a replicate).
EqualTime EqualTimeRatio(const std::vector<TimedBudget>& budgets, double b_time_scale, Rng* rng) {
  std::vector<std::pair<double, double>> ca, cb;
  std::vector<double> ya, yb, sa, sb;
  for (const TimedBudget& t : budgets) {
    const std::size_t n = t.metric_a.size();
    ya.resize(n);
    yb.resize(n);
    sa.resize(n);
    sb.resize(n);
    boost::random::uniform_int_distribution<std::size_t> pick(0, n - 1);
    for (std::size_t k = 0; k < n; ++k) {
      const std::size_t i = rng != nullptr ? pick(*rng) : k;
      ya[k] = t.metric_a[i];
      yb[k] = t.metric_b[i];
      sa[k] = t.seconds_a[i];
      sb[k] = t.seconds_b[i];
    }
    ca.emplace_back(stats::Median(sa), stats::Median(ya));
    cb.emplace_back(b_time_scale * stats::Median(sb), stats::Median(yb));
  }
  std::sort(ca.begin(), ca.end());
  std::sort(cb.begin(), cb.end());
  EqualTime out;
  if (ca.empty() || cb.empty()) return out;
  out.seconds = std::min(ca.back().first, cb.back().first);
  out.a = InterpolateAtTime(ca, out.seconds);
  out.b = InterpolateAtTime(cb, out.seconds);
  if (!std::isnan(out.a) && !std::isnan(out.b) && out.b > 0.0) out.ratio = out.a / out.b;
  return out;
}

// The factors b's run times are scaled by for a time drift: five, evenly spaced in log from
// 1/(1 + drift) to 1 + drift, 1 among them (the timings as measured); just 1 without drift.
std::vector<double> DriftScales(double drift) {
  if (!(drift > 0.0)) return {1.0};
  const double r = std::sqrt(1.0 + drift);
  return {1.0 / (r * r), 1.0 / r, 1.0, r, r * r};
}

}  // namespace

void DecidePairedRatio(const ClaimSpec& spec, const analysis::SweepResults& results,
                       const analysis::SweepAnalysis& analysis,
                       const std::vector<analysis::CellTiming>& timings, double confidence,
                       const std::vector<TunedEntry>* tuned, ClaimResult& out) {
  const std::size_t m = analysis::MetricIndex(results, spec.metric);
  std::vector<Pair> pairs;
  std::vector<std::int64_t> tuned_budgets;
  if (tuned != nullptr) {
    for (const TunedEntry& e : *tuned) {
      if (std::find(tuned_budgets.begin(), tuned_budgets.end(), e.budget) == tuned_budgets.end()) {
        tuned_budgets.push_back(e.budget);
      }
    }
    std::sort(tuned_budgets.begin(), tuned_budgets.end());
  }
  for (const ClaimRowSpec& row : spec.rows) {
    if (tuned != nullptr) {
      // At every budget of the tuned table, a and b tuned for that budget.
      for (std::int64_t n : tuned_budgets) {
        const analysis::CellResults* a = TunedCell(results, row.select, *tuned, n);
        const analysis::CellResults* b = TunedCell(results, row.against, *tuned, n);
        if (a != nullptr && b != nullptr && a != b &&
            a->info.noise_stream == b->info.noise_stream) {
          pairs.push_back({&row, a, b, n});
        }
      }
      continue;
    }
    for (const analysis::CellResults& a : results.cells) {
      if (!row.select.Matches(a.info)) continue;
      for (const analysis::CellResults& b : results.cells) {
        if (&a == &b || !row.against.Matches(b.info)) continue;
        if (a.info.noise_stream != b.info.noise_stream) continue;
        pairs.push_back({&row, &a, &b});
      }
    }
  }
  // Equal time: once per row, for the pair tuned for the largest budget (or every pair).
  const auto timed_pair = [&](const Pair& p) {
    return spec.equal_time && (tuned == nullptr || p.tuned_for == tuned_budgets.back());
  };
  std::size_t timed_rows = 0;
  for (const Pair& p : pairs) timed_rows += timed_pair(p) ? 1 : 0;
  // Bonferroni over every row that can contradict: each pair, and the equal-time rows.
  const std::size_t all_rows = pairs.size() + timed_rows;
  const double level =
      1.0 - (1.0 - confidence) / static_cast<double>(std::max<std::size_t>(1, all_rows));
  out.rule = "median over common seeds of the per-seed ratio a/b of " + spec.metric +
             " (cells on the same noise stream: common random numbers; both diverged counts as "
             "1), with its exact order-statistic interval at level " +
             Sig(level, 4) + " (Bonferroni over the " + std::to_string(all_rows) +
             " rows: familywise " + Sig(confidence, 3) +
             "). The row supports the claim when the interval lies in its region and contradicts "
             "it when the interval lies outside.";
  if (spec.equal_time) {
    out.rule +=
        " Equal compute time: the medians of a and b over seeds, interpolated log-log in the "
        "median seconds per run of each budget (timings.csv), at the largest time both reached, "
        "with a percentile-bootstrap interval over the common seeds (each budget resampled, a "
        "seed's metric and run time together: " +
        std::to_string(analysis.options.bootstrap_resamples) + " replicates, seed " +
        std::to_string(analysis.options.bootstrap_seed) +
        ") at the same level; decided like the other rows.";
    if (spec.time_drift > 0.0) {
      out.rule +=
          " The two cells were timed at different moments of one machine, whose speed "
          "drifts: an equal-time row must hold for every ratio of their speeds within "
          "1 +- time_drift = " +
          Sig(spec.time_drift, 3) +
          ", so its interval is the union of the intervals with b's run times scaled by "
          "five factors from 1/(1 + time_drift) to 1 + time_drift (evenly in log), and "
          "its estimate the one at the timings as measured.";
    }
  }
  std::map<std::pair<std::string, std::int64_t>, const analysis::CellTiming*> seconds;
  for (const analysis::CellTiming& t : timings) seconds[{t.cell, t.budget}] = &t;
  for (const Pair& pair : pairs) {
    ClaimRowResult row;
    row.name = pair.row->name;
    row.cells = CellName(pair.a->info, analysis) + " vs " + CellName(pair.b->info, analysis);
    row.target = pair.row->region.Describe();
    const std::int64_t budget = PairBudget(spec, pair);
    const analysis::BudgetRuns* ba = pair.a->Find(budget);
    const analysis::BudgetRuns* bb = pair.b->Find(budget);
    if (ba == nullptr || bb == nullptr) {
      row.detail = "no common budget";
      out.rows.push_back(std::move(row));
      continue;
    }
    int a_better = 0, b_better = 0;
    const std::vector<double> ratios = SeedRatios(*ba, *bb, m, &a_better, &b_better);
    row.detail = "N=" + std::to_string(budget) + ", " + std::to_string(ratios.size()) +
                 " common seeds, a better on " + std::to_string(a_better) + ", b better on " +
                 std::to_string(b_better);
    // The other common budgets, for the reader (the decision uses the budget above).
    std::string others;
    for (const analysis::BudgetRuns& oa : pair.a->budgets) {
      const analysis::BudgetRuns* ob = pair.b->Find(oa.budget);
      if (oa.budget == budget || ob == nullptr) continue;
      std::vector<double> r = SeedRatios(oa, *ob, m, nullptr, nullptr);
      if (r.empty()) continue;
      // The lower median: the estimate QuantileWithCi gives the row's own budget.
      others += (others.empty() ? "" : ", ") + std::string("N=") + std::to_string(oa.budget) +
                ": " + Sig(stats::LowerMedian(r));
    }
    if (!others.empty()) row.detail += "; median ratio at the other budgets: " + others;
    if (!ratios.empty()) {
      const stats::QuantileEstimate med = stats::QuantileWithCi(ratios, 0.5, level);
      row.estimate = med.estimate;
      if (med.status == stats::IntervalStatus::kOk) {
        row.lower = med.lower;
        row.upper = med.upper;
        row.outcome = OutcomeOf(row.lower, row.upper, pair.row->region);
      } else {
        row.detail += "; too few seeds for the interval";
      }
    }
    row.control = pair.row->control;
    if (pair.row->require_clipping) {
      // "Clipping does (not) help" says nothing where the clipped method never clips.
      const double clipped = stats::Median(ba->clipped_samples);
      row.regime = "median clipped samples per run of a: " + Sig(clipped) +
                   " at N=" + std::to_string(budget);
      if (!(clipped >= spec.regime.min_clipped_per_run)) {
        row.outcome = RowOutcome::kNotTestable;
        row.detail += "; not testable: a clips " + Sig(clipped) +
                      " samples per run (median), fewer than " +
                      Sig(spec.regime.min_clipped_per_run) + ": the mechanism is not exercised";
      }
    }
    if (pair.tuned_for > 0) {
      row.name += " (tuned for N=" + std::to_string(pair.tuned_for) + ")";
      row.detail += "; both settings tuned for this budget";
    }
    out.rows.push_back(std::move(row));
    if (!timed_pair(pair)) continue;

    // Equal compute time.
    ClaimRowResult timed;
    timed.name = pair.row->name + " (equal time)";
    timed.cells = out.rows.back().cells;
    timed.target = pair.row->region.Describe();
    // Per budget timed for both, the common seeds' metric and seconds (a's and b's).
    std::vector<TimedBudget> timed_budgets;
    for (const analysis::BudgetRuns& ba2 : pair.a->budgets) {
      const analysis::BudgetRuns* bb2 = pair.b->Find(ba2.budget);
      const auto ta = seconds.find({pair.a->info.id, ba2.budget});
      const auto tb = seconds.find({pair.b->info.id, ba2.budget});
      if (bb2 == nullptr || ta == seconds.end() || tb == seconds.end()) continue;
      TimedBudget tbud = JoinTimed(ba2, *bb2, *ta->second, *tb->second, m);
      if (!tbud.metric_a.empty()) timed_budgets.push_back(std::move(tbud));
    }
    std::string pts;
    const EqualTime point = EqualTimeRatio(timed_budgets, 1.0, nullptr);
    if (!std::isnan(point.ratio)) {
      timed.estimate = point.ratio;
      pts = "at " + Sig(point.seconds) + " s per run (the largest time both reached): a's median " +
            Sig(point.a) + ", b's median " + Sig(point.b) + ", both interpolated";
      // Per scaling of b's times (the drift), the replicates: every budget's common seeds
      // resampled, metric and time together, the same resamples at every scaling. The row's
      // interval is the union; a scaling whose curves do not overlap leaves it undefined.
      const std::vector<double> scales = DriftScales(spec.time_drift);
      double lowest = point.ratio, highest = point.ratio;
      timed.lower = std::numeric_limits<double>::infinity();
      timed.upper = -timed.lower;
      std::size_t undefined = 0;
      for (double scale : scales) {
        Rng rng = MakeRng({analysis.options.bootstrap_seed, StableHash(pair.a->info.id),
                           StableHash(pair.b->info.id), 0x71e});
        const double at_scale = EqualTimeRatio(timed_budgets, scale, nullptr).ratio;
        std::vector<double> replicates;
        replicates.reserve(static_cast<std::size_t>(analysis.options.bootstrap_resamples));
        for (int r = 0; r < analysis.options.bootstrap_resamples; ++r) {
          replicates.push_back(EqualTimeRatio(timed_budgets, scale, &rng).ratio);
        }
        const stats::PercentileInterval ci = stats::PercentileBounds(replicates, level);
        // NaN, once set, stays: the row is not decidable over the whole drift band.
        timed.lower = std::min(timed.lower, ci.lower);
        timed.upper = std::max(timed.upper, ci.upper);
        if (std::isnan(at_scale) || std::isnan(ci.lower) || std::isnan(ci.upper)) {
          timed.lower = timed.upper = kNaN;
        }
        if (!std::isnan(at_scale)) {
          lowest = std::min(lowest, at_scale);
          highest = std::max(highest, at_scale);
        }
        undefined += ci.undefined;
      }
      pts += "; bootstrap interval over " + std::to_string(analysis.options.bootstrap_resamples) +
             " replicates" +
             (undefined > 0 ? " (" + std::to_string(undefined) + " undefined)" : "");
      if (scales.size() > 1) {
        pts += ", the union over b's run times scaled by 1/" + Sig(1.0 + spec.time_drift, 3) +
               " to " + Sig(1.0 + spec.time_drift, 3) + " (time_drift; estimates " + Sig(lowest) +
               " to " + Sig(highest) + ")";
      }
    }
    if (timed_budgets.empty()) {
      timed.detail = "no timings";
    } else if (std::isnan(timed.estimate)) {
      timed.detail = "the timed ranges do not overlap";
    } else {
      timed.detail = pts;
      timed.outcome = OutcomeOf(timed.lower, timed.upper, pair.row->region);
    }
    timed.control = pair.row->control;
    out.rows.push_back(std::move(timed));
  }
}

}  // namespace clipsim::claims::detail

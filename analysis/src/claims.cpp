// Claim decisions (claims.hpp): every row is an interval against a region, and the claim's verdict
// follows from its rows. The statistics come from the existing analysis (rate verdicts, slope fits)
// or from the raw finals (paired ratios, quantiles), never from anything typed into the claims
// file.
#include "clipsim/analysis/claims.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "clipsim/analysis/quantile_ci.hpp"
#include "clipsim/analysis/statistic.hpp"
#include "clipsim/core/input_error.hpp"
#include "detail/csv.hpp"
#include "detail/format.hpp"

namespace clipsim::analysis {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

std::size_t MetricIndex(const SweepResults& results, const std::string& metric) {
  const auto it = std::find(results.metrics.begin(), results.metrics.end(), metric);
  if (it == results.metrics.end()) {
    throw InputError("metric", metric, "a metric column of " + results.dir);
  }
  return static_cast<std::size_t>(it - results.metrics.begin());
}

const BudgetRuns* FindBudget(const CellResults& cell, std::int64_t budget) {
  for (const BudgetRuns& b : cell.budgets) {
    if (b.budget == budget) return &b;
  }
  return nullptr;
}

std::string CellName(const CellInfo& info, const SweepAnalysis& analysis) {
  for (const CellAnalysis& c : analysis.cells) {
    if (c.info.id == info.id) return c.label + " | " + c.setting;
  }
  return info.id;
}

double Median(std::vector<double> v) {
  if (v.empty()) return kNaN;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// --- rate ----------------------------------------------------------------------------------------

// "steps T: 1 at N=1000, 12 at N=30000" (medians over seeds), or "".
std::string StepsNote(const SweepResults* steps, const std::string& cell_id) {
  if (steps == nullptr) return "";
  const auto it = std::find(steps->metrics.begin(), steps->metrics.end(), "iterations");
  if (it == steps->metrics.end()) return "";
  const std::size_t m = static_cast<std::size_t>(it - steps->metrics.begin());
  for (const CellResults& c : steps->cells) {
    if (c.info.id != cell_id || c.budgets.empty()) continue;
    const BudgetRuns& lo = c.budgets.front();
    const BudgetRuns& hi = c.budgets.back();
    return "; steps T: " + detail::Sig(Median(lo.finals[m])) +
           " at N=" + std::to_string(lo.budget) + ", " + detail::Sig(Median(hi.finals[m])) +
           " at N=" + std::to_string(hi.budget);
  }
  return "";
}

void DecideRate(const ClaimSpec& spec, const SweepAnalysis& analysis, const SweepResults* steps,
                ClaimResult& out) {
  const CellSelector select = spec.rows.empty() ? CellSelector{} : spec.rows.front().select;
  out.rule =
      "slope of log(statistic of " + spec.metric +
      ") against log N across budgets, bootstrap "
      "over seeds; the verdicts of `clipsim analyze` (Holm over the sweep's cells, margin " +
      detail::Sig(spec.margin) +
      " in slope units): 'at least as fast as theory' supports the claim, 'slower than theory' "
      "contradicts it. Statistic: the first of [" +
      [&] {
        std::string s;
        for (const std::string& name : spec.statistics) s += (s.empty() ? "" : ", ") + name;
        return s;
      }() +
      "] that carries a verdict in the cell. Interval: the slope's bootstrap percentile interval.";
  for (const CellAnalysis& cell : analysis.cells) {
    if (!select.Matches(cell.info)) continue;
    ClaimRowResult row;
    row.name = spec.rows.empty() ? "rate" : spec.rows.front().name;
    row.cells = cell.label + " | " + cell.setting;
    const MetricAnalysis* ma = cell.Find(spec.metric);
    const RateResult* chosen = nullptr;
    std::string why;
    if (ma != nullptr) {
      for (const std::string& name : spec.statistics) {
        for (const RateResult& r : ma->rates) {
          if (r.statistic.Name() != name) continue;
          if (r.verdict == Verdict::kAtLeastAsFast || r.verdict == Verdict::kSlower ||
              r.verdict == Verdict::kInconclusive) {
            chosen = &r;
          } else {
            why += (why.empty() ? "" : "; ") + name + ": " + std::string(ToString(r.verdict)) +
                   (r.note.empty() ? "" : " (" + r.note + ")");
          }
          break;
        }
        if (chosen != nullptr) break;
      }
    } else {
      why = "metric " + spec.metric + " not analyzed";
    }
    if (chosen == nullptr) {
      row.detail =
          (why.empty() ? "no statistic with a verdict" : why) + StepsNote(steps, cell.info.id);
      row.outcome = RowOutcome::kInconclusive;
    } else {
      row.estimate = chosen->test.measured;
      row.lower = chosen->fit.slope_ci.lower;
      row.upper = chosen->fit.slope_ci.upper;
      row.target = "theory " + detail::Sig(chosen->test.theory, 4) + " (boundary " +
                   detail::Sig(chosen->test.boundary, 4) + ")";
      row.detail = chosen->statistic.Name() + ": " + std::string(ToString(chosen->verdict)) +
                   ", Holm p " + detail::Sig(chosen->test.p_holm, 2) + ", R^2 " +
                   detail::Sig(chosen->fit.fit.r2, 3);
      row.detail += StepsNote(steps, cell.info.id);
      row.outcome = chosen->verdict == Verdict::kAtLeastAsFast ? RowOutcome::kSupports
                    : chosen->verdict == Verdict::kSlower      ? RowOutcome::kContradicts
                                                               : RowOutcome::kInconclusive;
    }
    out.rows.push_back(std::move(row));
  }
}

// --- delta_exponent ------------------------------------------------------------------------------

void DecideDeltaExponent(const ClaimSpec& spec, const SweepResults& results,
                         const SweepAnalysis& analysis, double confidence, ClaimResult& out) {
  const std::size_t m = MetricIndex(results, spec.metric);
  struct Item {
    const ClaimRowSpec* row;
    const CellResults* cell;
  };
  std::vector<Item> items;
  for (const ClaimRowSpec& row : spec.rows) {
    for (const CellResults& cell : results.cells) {
      if (row.select.Matches(cell.info)) items.push_back({&row, &cell});
    }
  }
  const double a = 1.0 - confidence;
  const double level = 1.0 - a / (2.0 * std::max<std::size_t>(1, items.size()));
  const double span = std::log(spec.delta_high / spec.delta_low);
  out.rule = "local exponent e = log(q(1-" + FormatDelta(spec.delta_low) + ") / q(1-" +
             FormatDelta(spec.delta_high) + ")) / log(" + FormatDelta(spec.delta_high) + "/" +
             FormatDelta(spec.delta_low) + ") of " + spec.metric +
             " at the budget, so that q ~ delta^(-e); interval from the exact order-statistic "
             "intervals of both quantiles, each at level " +
             detail::Sig(level, 4) + " (Bonferroni over the " + std::to_string(2 * items.size()) +
             " quantiles: familywise " + detail::Sig(confidence, 3) +
             "). The row supports the claim when the interval lies in its region.";
  for (const Item& item : items) {
    ClaimRowResult row;
    row.name = item.row->name;
    row.cells = CellName(item.cell->info, analysis);
    row.target = item.row->region.Describe();
    const BudgetRuns* b = nullptr;
    if (spec.budget > 0) {
      b = FindBudget(*item.cell, spec.budget);
    } else if (!item.cell->budgets.empty()) {
      b = &item.cell->budgets.back();
    }
    if (b == nullptr) {
      row.detail = "budget " + std::to_string(spec.budget) + " not in the sweep";
      out.rows.push_back(std::move(row));
      continue;
    }
    std::vector<double> sorted = b->finals[m];
    std::sort(sorted.begin(), sorted.end());
    const QuantileEstimate q1 = QuantileWithCi(sorted, 1.0 - spec.delta_high, level);
    const QuantileEstimate q2 = QuantileWithCi(sorted, 1.0 - spec.delta_low, level);
    row.detail = "N=" + std::to_string(b->budget) + ", " + std::to_string(sorted.size()) +
                 " seeds, q(1-" + FormatDelta(spec.delta_high) + ") = " + detail::Sig(q1.estimate) +
                 ", q(1-" + FormatDelta(spec.delta_low) + ") = " + detail::Sig(q2.estimate);
    for (const CellAnalysis& c : analysis.cells) {
      if (c.info.id != item.cell->info.id) continue;
      if (const MetricAnalysis* ma = c.Find(spec.metric)) {
        if (ma->delta_power.fit.defined) {
          row.detail += "; fit over all deltas: log q vs log(1/delta) slope " +
                        detail::Sig(ma->delta_power.fit.fit.slope) + " (R^2 " +
                        detail::Sig(ma->delta_power.fit.fit.r2) + ")";
        }
        if (ma->delta_polylog.fit.defined) {
          row.detail += ", vs log log(1/delta) slope " +
                        detail::Sig(ma->delta_polylog.fit.fit.slope) + " (R^2 " +
                        detail::Sig(ma->delta_polylog.fit.fit.r2) + ")";
        }
      }
    }
    const bool ok = q1.status == IntervalStatus::kOk && q2.status == IntervalStatus::kOk &&
                    std::isfinite(q2.upper) && q1.lower > 0.0 && q2.estimate > 0.0;
    if (!ok) {
      row.detail += "; not enough finite seeds for the intervals at this level";
      out.rows.push_back(std::move(row));
      continue;
    }
    row.estimate = std::log(q2.estimate / q1.estimate) / span;
    row.lower = std::log(q2.lower / q1.upper) / span;
    row.upper = std::log(q2.upper / q1.lower) / span;
    row.outcome = OutcomeOf(row.lower, row.upper, item.row->region);
    out.rows.push_back(std::move(row));
  }
}

// --- paired_ratio --------------------------------------------------------------------------------

struct Pair {
  const ClaimRowSpec* row;
  const CellResults* a;
  const CellResults* b;
};

std::int64_t PairBudget(const ClaimSpec& spec, const CellResults& a, const CellResults& b) {
  if (spec.budget > 0) return spec.budget;
  for (auto it = a.budgets.rbegin(); it != a.budgets.rend(); ++it) {
    if (FindBudget(b, it->budget) != nullptr) return it->budget;
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
std::vector<double> SeedRatios(const BudgetRuns& ba, const BudgetRuns& bb, std::size_t m,
                               int* a_better, int* b_better) {
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

void DecidePairedRatio(const ClaimSpec& spec, const SweepResults& results,
                       const SweepAnalysis& analysis, const std::vector<CellTiming>& timings,
                       double confidence, ClaimResult& out) {
  const std::size_t m = MetricIndex(results, spec.metric);
  std::vector<Pair> pairs;
  for (const ClaimRowSpec& row : spec.rows) {
    for (const CellResults& a : results.cells) {
      if (!row.select.Matches(a.info)) continue;
      for (const CellResults& b : results.cells) {
        if (&a == &b || !row.against.Matches(b.info)) continue;
        if (a.info.noise_stream != b.info.noise_stream) continue;
        pairs.push_back({&row, &a, &b});
      }
    }
  }
  const double level =
      1.0 - (1.0 - confidence) / static_cast<double>(std::max<std::size_t>(1, pairs.size()));
  out.rule = "median over common seeds of the per-seed ratio a/b of " + spec.metric +
             " (cells on the same noise stream: common random numbers; both diverged counts as "
             "1), with its exact order-statistic interval at level " +
             detail::Sig(level, 4) + " (Bonferroni over the " + std::to_string(pairs.size()) +
             " pairs: familywise " + detail::Sig(confidence, 3) +
             "). The row supports the claim when the interval lies in its region and contradicts "
             "it when the interval lies outside.";
  if (spec.equal_time) {
    out.rule +=
        " Equal compute time: the medians of a and b over seeds, interpolated log-log in the "
        "median seconds per run of each budget (timings.csv), at the largest time both reached; "
        "a point estimate without interval, so it can support the claim (ratio in the region) or "
        "leave it inconclusive, never contradict it.";
  }
  std::map<std::pair<std::string, std::int64_t>, double> seconds;
  for (const CellTiming& t : timings) seconds[{t.cell, t.budget}] = t.median_seconds;
  for (const Pair& pair : pairs) {
    ClaimRowResult row;
    row.name = pair.row->name;
    row.cells = CellName(pair.a->info, analysis) + " vs " + CellName(pair.b->info, analysis);
    row.target = pair.row->region.Describe();
    const std::int64_t budget = PairBudget(spec, *pair.a, *pair.b);
    const BudgetRuns* ba = FindBudget(*pair.a, budget);
    const BudgetRuns* bb = FindBudget(*pair.b, budget);
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
    for (const BudgetRuns& oa : pair.a->budgets) {
      const BudgetRuns* ob = FindBudget(*pair.b, oa.budget);
      if (oa.budget == budget || ob == nullptr) continue;
      const std::vector<double> r = SeedRatios(oa, *ob, m, nullptr, nullptr);
      if (r.empty()) continue;
      others += (others.empty() ? "" : ", ") + std::string("N=") + std::to_string(oa.budget) +
                ": " + detail::Sig(r[(r.size() - 1) / 2]);
    }
    if (!others.empty()) row.detail += "; median ratio at the other budgets: " + others;
    if (!ratios.empty()) {
      const QuantileEstimate med = QuantileWithCi(ratios, 0.5, level);
      row.estimate = med.estimate;
      if (med.status == IntervalStatus::kOk) {
        row.lower = med.lower;
        row.upper = med.upper;
        row.outcome = OutcomeOf(row.lower, row.upper, pair.row->region);
      } else {
        row.detail += "; too few seeds for the interval";
      }
    }
    out.rows.push_back(std::move(row));
    if (!spec.equal_time) continue;

    // Equal compute time.
    ClaimRowResult timed;
    timed.name = pair.row->name + " (equal time)";
    timed.cells = out.rows.back().cells;
    timed.target = pair.row->region.Describe();
    auto curve = [&](const CellResults& cell) {
      std::vector<std::pair<double, double>> points;
      for (const BudgetRuns& b : cell.budgets) {
        const auto it = seconds.find({cell.info.id, b.budget});
        if (it == seconds.end()) continue;
        points.emplace_back(it->second, Median(b.finals[m]));
      }
      std::sort(points.begin(), points.end());
      return points;
    };
    const auto ca = curve(*pair.a);
    const auto cb = curve(*pair.b);
    std::string pts;
    if (!ca.empty() && !cb.empty()) {
      // The largest compute time both methods reached, inside both timed ranges.
      const double t = std::min(ca.back().first, cb.back().first);
      const double ya = InterpolateAtTime(ca, t);
      const double yb = InterpolateAtTime(cb, t);
      if (!std::isnan(ya) && !std::isnan(yb) && yb > 0.0) {
        timed.estimate = ya / yb;
        pts = "at " + detail::Sig(t) + " s per run (the largest time both reached): a's median " +
              detail::Sig(ya) + ", b's median " + detail::Sig(yb) + ", both interpolated";
      }
      // The ratio at a's other timed budgets inside b's range, for the reader.
      std::string at_times;
      for (const auto& [ta, ya_k] : ca) {
        const double yb_k = InterpolateAtTime(cb, ta);
        if (ta == t || std::isnan(yb_k) || !(yb_k > 0.0)) continue;
        at_times +=
            (at_times.empty() ? "" : ", ") + detail::Sig(ta) + " s: " + detail::Sig(ya_k / yb_k);
      }
      if (!at_times.empty()) pts += "; ratio at a's other timed points: " + at_times;
    }
    if (ca.empty() || cb.empty()) {
      timed.detail = "no timings";
    } else if (std::isnan(timed.estimate)) {
      timed.detail = "the timed ranges do not overlap (a: " + detail::Sig(ca.front().first) + ".." +
                     detail::Sig(ca.back().first) + " s, b: " + detail::Sig(cb.front().first) +
                     ".." + detail::Sig(cb.back().first) + " s)";
    } else {
      timed.detail = pts + " (point estimate, no interval)";
      const double e = timed.estimate;
      timed.outcome = (e >= pair.row->region.lower && e <= pair.row->region.upper)
                          ? RowOutcome::kSupports
                          : RowOutcome::kInconclusive;
    }
    out.rows.push_back(std::move(timed));
  }
}

// --- slope_region --------------------------------------------------------------------------------

void DecideSlopeRegion(const ClaimSpec& spec, const SweepAnalysis& analysis, ClaimResult& out) {
  const std::string statistic = spec.statistics.empty() ? "q(1-0.5)" : spec.statistics.front();
  out.rule = "least-squares slope of log(" + statistic + " of " + spec.metric +
             ") against log N across budgets, with its bootstrap percentile interval at level " +
             detail::Sig(analysis.options.confidence, 4) +
             " (Bonferroni over the claim's rows). The row supports the claim when the interval "
             "lies in its region and contradicts it when the interval lies outside.";
  for (const ClaimRowSpec& spec_row : spec.rows) {
    for (const CellAnalysis& cell : analysis.cells) {
      if (!spec_row.select.Matches(cell.info)) continue;
      ClaimRowResult row;
      row.name = spec_row.name;
      row.cells = cell.label + " | " + cell.setting;
      row.target = spec_row.region.Describe();
      const MetricAnalysis* ma = cell.Find(spec.metric);
      const RateResult* rate = nullptr;
      if (ma != nullptr) {
        for (const RateResult& r : ma->rates) {
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
                     " budgets, R^2 " + detail::Sig(rate->fit.fit.r2);
        if (ma != nullptr && !ma->budgets.empty()) {
          const BudgetSummary& last = ma->budgets.back();
          for (const QuantileEstimate& q : last.quantiles) {
            if (std::abs(q.level - 0.5) < 1e-12) {
              row.detail +=
                  "; median at N=" + std::to_string(last.budget) + ": " + detail::Sig(q.estimate);
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
  }
  return "?";
}

bool ClaimKindFromString(std::string_view text, ClaimKind& kind) {
  for (ClaimKind k : {ClaimKind::kRate, ClaimKind::kDeltaExponent, ClaimKind::kPairedRatio,
                      ClaimKind::kSlopeRegion}) {
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
  }
  return "?";
}

bool CellSelector::Matches(const CellInfo& info) const {
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
  if (lo && hi) return "[" + detail::Sig(lower, 4) + ", " + detail::Sig(upper, 4) + "]";
  if (lo) return ">= " + detail::Sig(lower, 4);
  if (hi) return "<= " + detail::Sig(upper, 4);
  return "any";
}

RowOutcome OutcomeOf(double lower, double upper, const Region& region) {
  if (std::isnan(lower) || std::isnan(upper)) return RowOutcome::kInconclusive;
  if (lower >= region.lower && upper <= region.upper) return RowOutcome::kSupports;
  if (upper < region.lower || lower > region.upper) return RowOutcome::kContradicts;
  return RowOutcome::kInconclusive;
}

ClaimVerdict CombineOutcomes(const std::vector<ClaimRowResult>& rows) {
  if (rows.empty()) return ClaimVerdict::kInconclusive;
  bool all = true;
  for (const ClaimRowResult& r : rows) {
    if (r.outcome == RowOutcome::kContradicts) return ClaimVerdict::kNotReproduced;
    if (r.outcome != RowOutcome::kSupports) all = false;
  }
  return all ? ClaimVerdict::kReproduced : ClaimVerdict::kInconclusive;
}

std::vector<CellTiming> ReadTimings(const std::string& dir) {
  const std::string path = dir + "/timings.csv";
  if (!std::filesystem::exists(path)) return {};
  const std::string text = detail::ReadFileMaybeGzip(path);
  detail::CsvReader reader(text, path);
  std::vector<std::string_view> fields;
  if (!reader.Next(fields)) return {};
  const std::vector<std::string> header(fields.begin(), fields.end());
  const int c_cell = detail::FindColumn(header, "cell");
  const int c_budget = detail::FindColumn(header, "budget");
  const int c_seconds = detail::FindColumn(header, "seconds");
  if (c_cell < 0 || c_budget < 0 || c_seconds < 0) {
    throw InputError("header", "", "cell, budget and seconds columns", {path, 1, 0});
  }
  std::map<std::pair<std::string, std::int64_t>, std::vector<double>> samples;
  std::vector<std::pair<std::string, std::int64_t>> order;
  while (reader.Next(fields)) {
    const int need = std::max({c_cell, c_budget, c_seconds});
    if (static_cast<int>(fields.size()) <= need) {
      throw InputError("row", "", "as many fields as the header", {path, reader.line(), 0});
    }
    std::int64_t budget = 0;
    double s = 0.0;
    if (!detail::ParseInt64(fields[c_budget], budget) ||
        !detail::ParseDouble(fields[c_seconds], s)) {
      throw InputError("budget/seconds", std::string(fields[c_budget]), "numbers",
                       {path, reader.line(), 0});
    }
    const auto key = std::make_pair(std::string(fields[c_cell]), budget);
    if (!samples.count(key)) order.push_back(key);
    samples[key].push_back(s);
  }
  std::vector<CellTiming> out;
  for (const auto& key : order) {
    const std::vector<double>& v = samples[key];
    out.push_back({key.first, key.second, Median(v), static_cast<int>(v.size())});
  }
  return out;
}

ClaimResult DecideClaim(const ClaimSpec& spec, const SweepResults& results,
                        const SweepAnalysis& analysis, const std::vector<CellTiming>& timings,
                        double confidence, const SweepResults* steps) {
  ClaimResult out;
  out.id = spec.id;
  switch (spec.kind) {
    case ClaimKind::kRate:
      DecideRate(spec, analysis, steps, out);
      break;
    case ClaimKind::kDeltaExponent:
      DecideDeltaExponent(spec, results, analysis, confidence, out);
      break;
    case ClaimKind::kPairedRatio:
      DecidePairedRatio(spec, results, analysis, timings, confidence, out);
      break;
    case ClaimKind::kSlopeRegion:
      DecideSlopeRegion(spec, analysis, out);
      break;
  }
  if (out.rows.empty()) out.notes.push_back("no cell of the sweep matched the claim's selectors");
  out.verdict = CombineOutcomes(out.rows);
  return out;
}

AnalysisOptions ClaimAnalysisOptions(const ClaimSpec& spec, const ClaimsFile& file) {
  AnalysisOptions options;
  options.bootstrap_resamples = file.bootstrap;
  options.bootstrap_seed = file.bootstrap_seed;
  options.verdict.confidence = file.confidence;
  options.verdict.margin = spec.margin;
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

}  // namespace clipsim::analysis

#include "clipsim/analysis/report.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>

#include "clipsim/analysis/csv.hpp"
#include "clipsim/analysis/format.hpp"
#include "clipsim/core/input_error.hpp"

namespace clipsim::analysis {
namespace {

void WriteFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw InputError("cannot write the file", {path});
  out << content;
  if (!out) throw InputError("cannot write the file", {path});
}

std::string Percent(double fraction) {
  if (std::isnan(fraction)) return "nan";
  return Sig(100.0 * fraction, 3) + "%";
}

std::string Markdown(const std::vector<std::string>& header,
                     const std::vector<std::vector<std::string>>& rows) {
  const auto escape = [](const std::string& s) {
    std::string out;
    for (char c : s) out += c == '|' ? std::string("\\|") : std::string(1, c);
    return out;
  };
  std::string out = "|";
  for (const std::string& h : header) {
    out += ' ';
    out += escape(h);
    out += " |";
  }
  out += "\n|";
  for (std::size_t i = 0; i < header.size(); ++i) out += "---|";
  out += "\n";
  for (const auto& row : rows) {
    out += "|";
    for (const std::string& f : row) {
      out += ' ';
      out += escape(f);
      out += " |";
    }
    out += "\n";
  }
  return out;
}

std::string PlainTable(const std::vector<std::string>& header,
                       const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> width(header.size(), 0);
  for (std::size_t i = 0; i < header.size(); ++i) width[i] = header[i].size();
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size() && i < width.size(); ++i) {
      width[i] = std::max(width[i], row[i].size());
    }
  }
  const auto line = [&](const std::vector<std::string>& fields) {
    std::string out;
    for (std::size_t i = 0; i < fields.size(); ++i) {
      std::string f = fields[i];
      if (i + 1 < fields.size()) f.resize(width[i], ' ');
      out += (i ? "  " : "") + f;
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  std::string out = line(header);
  std::vector<std::string> rule;
  for (std::size_t w : width) rule.emplace_back(w, '-');
  out += line(rule);
  for (const auto& row : rows) out += line(row);
  return out;
}

std::string QuantileText(const stats::QuantileEstimate& q) {
  if (q.status != stats::IntervalStatus::kOk) return Sig(q.estimate) + " (not enough seeds)";
  return Sig(q.estimate) + " " + FormatInterval(q.lower, q.upper);
}

std::string MeanText(const BudgetSummary& b) {
  if (b.mean_status == MeanStatus::kInfinite) return "inf (diverged runs)";
  std::string out = Sig(b.mean) + " " + FormatInterval(b.mean_ci.lower, b.mean_ci.upper);
  if (b.mean_status == MeanStatus::kUnreliable) out += " unreliable";
  if (b.mean_status == MeanStatus::kUnchecked) out += " unchecked";
  return out;
}

std::string MomText(const stats::MedianOfMeans& m) {
  if (m.status != stats::IntervalStatus::kOk) return Sig(m.estimate) + " (too few blocks)";
  return Sig(m.estimate) + " " + FormatInterval(m.lower, m.upper);
}

std::string TailText(const TailEstimate& t) {
  if (!t.ok) return "n/a";
  return Sig(t.estimate) + " " + FormatInterval(t.lower, t.upper);
}

std::string SlopeText(const stats::LogLineFit& f) {
  if (!f.defined) return "n/a (" + f.reason + ")";
  return Fixed(f.fit.slope) + " " + "[" + Fixed(f.slope_ci.lower) + ", " + Fixed(f.slope_ci.upper) +
         "]";
}

std::string TheoryText(const RateResult& r) {
  return r.theory_slope ? Fixed(*r.theory_slope) : std::string("n/a");
}

std::string VerdictText(const RateResult& r) {
  std::string out(ToString(r.verdict));
  if (r.verdict == Verdict::kAtLeastAsFast || r.verdict == Verdict::kSlower ||
      r.verdict == Verdict::kInconclusive) {
    out += " (p_Holm " + Sig(r.test.p_holm, 2) + ")";
  }
  return out;
}

// The statistic the in-expectation verdict rests on: the mean where its interval is valid at
// every budget (a bounded metric, or a tail index shown above 2), else the median-of-means.
const RateResult* ExpectationRate(const MetricAnalysis& m) {
  const bool reliable = std::all_of(m.budgets.begin(), m.budgets.end(), [](const BudgetSummary& b) {
    return b.mean_status == MeanStatus::kReliable || b.mean_status == MeanStatus::kBounded;
  });
  const stats::StatisticKind want =
      reliable ? stats::StatisticKind::kMean : stats::StatisticKind::kMedianOfMeans;
  for (const RateResult& r : m.rates) {
    if (r.statistic.kind == want) return &r;
  }
  return nullptr;
}

// The high-probability rate at the smallest delta whose fit is defined.
const RateResult* HighProbabilityRate(const MetricAnalysis& m) {
  const RateResult* best = nullptr;
  for (const RateResult& r : m.rates) {
    if (r.statistic.kind != stats::StatisticKind::kQuantile || !r.fit.defined) continue;
    if (best == nullptr || r.statistic.delta < best->statistic.delta) best = &r;
  }
  return best;
}

// Settings in order of first appearance, each with its cells.
std::vector<std::pair<std::string, std::vector<const CellAnalysis*>>> BySetting(
    const SweepAnalysis& a) {
  std::vector<std::pair<std::string, std::vector<const CellAnalysis*>>> out;
  for (const CellAnalysis& c : a.cells) {
    auto it =
        std::find_if(out.begin(), out.end(), [&](const auto& p) { return p.first == c.setting; });
    if (it == out.end()) {
      out.emplace_back(c.setting, std::vector<const CellAnalysis*>{});
      it = out.end() - 1;
    }
    it->second.push_back(&c);
  }
  return out;
}

// The regime column of the verdict table: "3 of 5 (1e+04..1e+05)", "none", "-" (no theory cell).
std::string RegimeText(const CellRegime& r) {
  if (!r.applicable) return "-";
  const std::vector<std::size_t> t = r.TestableIndices();
  std::string out = std::to_string(t.size()) + " of " + std::to_string(r.budgets.size());
  if (!t.empty()) {
    out += " (" + Sig(static_cast<double>(r.budgets[t.front()].budget), 2) + ".." +
           Sig(static_cast<double>(r.budgets[t.back()].budget), 2) + ")";
  }
  return out;
}

std::string BoundText(const CellBoundCheck& b) {
  if (b.verdict == BoundVerdict::kNotTestable) return std::string(ToString(b.verdict));
  return std::string(ToString(b.verdict)) + " (max mean/bound " + Sig(b.worst_ratio, 2) + ")";
}

// What a cell is, for a reader: a control or a broken twin is said so.
std::string RoleText(const CellRegime& r) {
  if (!r.applicable) return "";
  std::string out;
  if (r.control) out = "control: " + r.method + " at " + r.entry + "'s prescription";
  if (r.twin) {
    AppendWith(out, "; ",
               "variant of the prescription (a step, batch or clip factor): judged against the "
               "prescription's bound");
  }
  return out;
}

std::string ConfidenceText(const AnalysisOptions& o) {
  return Sig(100.0 * o.confidence, 4) + "%";
}

std::string HowVerdicts(const SweepAnalysis& a) {
  const AnalysisOptions& o = a.options;
  return "Verdicts: for each cell, the slope b of log(statistic) against log(N) (least squares "
         "over the budgets where the cell's theorem is testable, see the regime section; every "
         "budget for cells without a theory schedule) is compared with c = theory slope + margin "
         "(margin " +
         Shortest(o.verdict.margin) +
         "). \"at least as fast as theory\" rejects H: b >= c; \"slower than theory\" rejects "
         "H: b <= c; each with a percentile-bootstrap p-value over seeds (B = " +
         std::to_string(o.bootstrap_resamples) + ", seed " + std::to_string(o.bootstrap_seed) +
         ", undefined replicates counted against the claim), Holm-corrected over both directions "
         "of every cell of the sweep, one family per statistic, at familywise confidence " +
         Sig(100.0 * o.verdict.confidence, 4) +
         "%. \"inconclusive\": neither hypothesis rejected; \"not testable at these budgets\": "
         "the regime rules leave too few testable budgets (the note says which rule failed "
         "where). Theory slopes are those of upper bounds, so a steeper measured slope agrees "
         "with them, and the bound itself is checked with its constants in its own section. The "
         "in-expectation verdict uses the mean where its interval is valid at every budget (a "
         "metric bounded by the problem's G, or a Hill interval of its tail index across seeds "
         "above 2, and no divergence), else the median-of-means. The high-probability verdicts "
         "use the quantiles of " +
         o.hp_metric + ".\n";
}

// regime.csv: every budget of every theory cell, with each rule's numbers.
std::string RegimeCsv(const SweepAnalysis& a) {
  CsvWriter csv({"cell",
                 "method",
                 "setting",
                 "entry",
                 "control",
                 "partner",
                 "step_factor_twin",
                 "budget",
                 "batch_size",
                 "iterations",
                 "clipped_median",
                 "clipped_fraction",
                 "clipped_from_partner",
                 "bound",
                 "start_grad_norm",
                 "bound_ratio",
                 "bound_slope",
                 "theory_slope",
                 "testable",
                 "failed",
                 "rate_testable",
                 "rate_reason",
                 "prescription_testable_from"});
  for (const CellAnalysis& c : a.cells) {
    const CellRegime& r = c.regime;
    if (!r.applicable) continue;
    for (const BudgetRegime& b : r.budgets) {
      const std::string failed = Join(b.failed, "; ");
      csv.Row({c.info.id,
               c.label,
               c.setting,
               r.entry,
               r.control ? "1" : "0",
               r.partner,
               r.twin ? "1" : "0",
               std::to_string(b.budget),
               std::to_string(b.batch_size),
               std::to_string(b.iterations),
               Shortest(b.clipped_median),
               Shortest(b.clipped_fraction),
               b.clipped_from_partner ? "1" : "0",
               Shortest(b.bound),
               Shortest(b.start_grad_norm),
               Shortest(b.bound_ratio),
               Shortest(b.bound_slope),
               Shortest(r.theory_slope),
               b.testable ? "1" : "0",
               failed,
               r.rate_testable ? "1" : "0",
               r.rate_reason,
               std::to_string(r.prescription_testable_from)});
    }
  }
  return csv.text();
}

// bounds.csv: measured against the bound at every budget of every theory cell.
std::string BoundsCsv(const SweepAnalysis& a) {
  CsvWriter csv(
      {"cell",          "method",         "setting",        "entry",          "control",
       "budget",        "testable",       "seeds",          "diverged",       "gradient_bound",
       "bound",         "mean_grad_norm", "mean_lower",     "mean_upper",     "mean_over_bound",
       "rms_grad_norm", "rms_lower",      "rms_upper",      "rms_over_bound", "p_below",
       "p_below_sq",    "p_above",        "p_above_sq",     "holm_below",     "holm_below_sq",
       "holm_above",    "holm_above_sq",  "budget_verdict", "rms_certified",  "cell_verdict",
       "note"});
  for (const CellAnalysis& c : a.cells) {
    if (!c.regime.applicable) continue;
    for (const BudgetBoundCheck& b : c.bound.budgets) {
      const bool have = !b.draws.empty();
      const auto num = [&](double v) { return have ? Shortest(v) : std::string(); };
      csv.Row({c.info.id,
               c.label,
               c.setting,
               c.regime.entry,
               c.regime.control ? "1" : "0",
               std::to_string(b.budget),
               b.testable ? "1" : "0",
               std::to_string(b.seeds),
               std::to_string(b.diverged),
               Shortest(b.gradient_bound),
               Shortest(b.bound),
               num(b.mean.mean),
               num(b.mean.lower),
               num(b.mean.upper),
               num(b.ratio),
               num(std::sqrt(b.mean_sq.mean)),
               num(std::sqrt(b.mean_sq.lower)),
               num(std::sqrt(b.mean_sq.upper)),
               num(b.rms_ratio),
               num(b.p_below),
               num(b.p_below_sq),
               num(b.p_above),
               num(b.p_above_sq),
               b.testable ? Shortest(b.holm_below) : "",
               b.testable ? Shortest(b.holm_below_sq) : "",
               b.testable ? Shortest(b.holm_above) : "",
               b.testable ? Shortest(b.holm_above_sq) : "",
               b.testable ? std::string(ToString(b.verdict)) : "not testable",
               b.testable ? (b.sq_holds ? "1" : "0") : "",
               std::string(ToString(c.bound.verdict)),
               c.bound.note});
    }
  }
  return csv.text();
}

// summary.md's sections on the regime and the bounds.
std::string RegimeAndBoundsMarkdown(const SweepAnalysis& a) {
  const AnalysisOptions& o = a.options;
  std::string md = "\n## Regime: where each theorem is testable\n\n";
  md += "A (cell, budget) is testable when " + o.regime.Describe() +
        ". Every rule is computed from the prescription (theory/registry.hpp), the problem and "
        "noise facts of resolved.csv and the clip counts of the runs, never from the statistic "
        "being judged (regime.hpp). Rates and bound checks use the testable budgets only.\n";
  bool any = false;
  for (const auto& [setting, cells] : BySetting(a)) {
    std::vector<std::vector<std::string>> rows;
    for (const CellAnalysis* c : cells) {
      if (!c->regime.applicable) continue;
      for (const BudgetRegime& b : c->regime.budgets) {
        const std::string failed = Join(b.failed, "; ");
        rows.push_back({c->label, std::to_string(b.budget), std::to_string(b.batch_size),
                        std::to_string(b.iterations),
                        Sig(b.clipped_median) + (b.clipped_from_partner ? " (clipped cell)" : ""),
                        Sig(b.bound), Sig(b.bound_ratio, 2), Fixed(b.bound_slope),
                        b.testable ? "yes" : "no: " + failed});
      }
      if (!c->regime.rate_testable) {
        rows.push_back(
            {c->label, "rate", "", "", "", "", "", "", "not testable: " + c->regime.rate_reason});
      }
    }
    if (rows.empty()) continue;
    any = true;
    md += "\n### " + setting + "\n\n";
    md += Markdown({"method", "N", "n", "T", "clipped per run (median)", "bound",
                    "bound/||grad f(x0)||", "bound slope", "testable"},
                   rows);
  }
  if (!any) md += "\n(no theory-schedule cell with resolved facts)\n";

  md += "\n## The bound with its constants\n\n";
  md +=
      "At every testable budget: the mean over seeds of mean_grad_norm (= E||grad f(x_R)||) and "
      "the root of the mean of mean_sq_grad_norm, against the entry's in-expectation bound at "
      "its prescription. One-sided empirical Bernstein / Hoeffding bounds on [0, G] and "
      "[0, G^2], Holm over every hypothesis of the sweep at familywise confidence " +
      Sig(100.0 * o.verdict.confidence, 4) +
      "%; the intervals shown are at the Bonferroni level (bound_check.hpp). A control is "
      "judged against its entry's bound, a broken twin (step_factor != 1) against the "
      "prescription's.\n";
  any = false;
  for (const auto& [setting, cells] : BySetting(a)) {
    std::vector<std::vector<std::string>> rows;
    for (const CellAnalysis* c : cells) {
      if (!c->regime.applicable) continue;
      for (const BudgetBoundCheck& b : c->bound.budgets) {
        if (b.draws.empty()) continue;
        rows.push_back({c->label, std::to_string(b.budget), b.testable ? "yes" : "no", Sig(b.bound),
                        Sig(b.mean.mean) + " " + FormatInterval(b.mean.lower, b.mean.upper),
                        Sig(b.ratio, 3),
                        Sig(std::sqrt(b.mean_sq.mean)) + " " +
                            FormatInterval(std::sqrt(b.mean_sq.lower), std::sqrt(b.mean_sq.upper)),
                        b.testable ? std::string(ToString(b.verdict)) : "not testable"});
      }
      rows.push_back({c->label, "cell", "", "", "", "", "",
                      std::string(ToString(c->bound.verdict)) +
                          (c->bound.note.empty() ? "" : ": " + c->bound.note)});
    }
    if (rows.empty()) continue;
    any = true;
    md += "\n### " + setting + "\n\n";
    md += Markdown({"method", "N", "testable", "bound", "E||grad f(x_R)|| [CI]", "mean/bound",
                    "sqrt(E mean_sq) [CI]", "verdict"},
                   rows);
  }
  if (!any) md += "\n(no theory-schedule cell)\n";
  return md;
}

// budgets.csv: cell x metric x budget.
std::string BudgetsCsv(const SweepAnalysis& a) {
  CsvWriter csv({"cell",         "method",     "setting",        "metric",
                 "budget",       "seeds",      "diverged",       "diverged_fraction",
                 "mean",         "mean_lower", "mean_upper",     "mean_status",
                 "tail_method",  "tail_index", "tail_lower",     "tail_upper",
                 "tail_k",       "mom",        "mom_lower",      "mom_upper",
                 "mom_coverage", "mom_blocks", "mom_block_size", "mom_status"});
  for (const CellAnalysis& c : a.cells) {
    for (const MetricAnalysis& m : c.metrics) {
      for (const BudgetSummary& b : m.budgets) {
        csv.Row({c.info.id,
                 c.label,
                 c.setting,
                 m.metric,
                 std::to_string(b.budget),
                 std::to_string(b.n),
                 std::to_string(b.diverged),
                 Shortest(b.diverged_fraction),
                 Shortest(b.mean),
                 Shortest(b.mean_ci.lower),
                 Shortest(b.mean_ci.upper),
                 std::string(ToString(b.mean_status)),
                 b.tail.method,
                 Shortest(b.tail.estimate),
                 Shortest(b.tail.lower),
                 Shortest(b.tail.upper),
                 std::to_string(b.tail.k),
                 Shortest(b.mom.estimate),
                 Shortest(b.mom.lower),
                 Shortest(b.mom.upper),
                 Shortest(b.mom.coverage),
                 std::to_string(b.mom.blocks),
                 std::to_string(b.mom.block_size),
                 std::string(ToString(b.mom.status))});
      }
    }
  }
  return csv.text();
}

// quantiles.csv: cell x metric x budget x delta.
std::string QuantilesCsv(const SweepAnalysis& a) {
  const AnalysisOptions& o = a.options;
  CsvWriter csv({"cell", "method", "setting", "metric", "budget", "seeds", "delta", "level",
                 "estimate", "lower", "upper", "coverage", "status"});
  for (const CellAnalysis& c : a.cells) {
    for (const MetricAnalysis& m : c.metrics) {
      for (const BudgetSummary& b : m.budgets) {
        for (std::size_t i = 0; i < b.quantiles.size(); ++i) {
          const stats::QuantileEstimate& q = b.quantiles[i];
          csv.Row({c.info.id, c.label, c.setting, m.metric, std::to_string(b.budget),
                   std::to_string(b.n), Shortest(o.deltas[i]), Shortest(q.level),
                   Shortest(q.estimate), Shortest(q.lower), Shortest(q.upper), Shortest(q.coverage),
                   std::string(ToString(q.status))});
        }
      }
    }
  }
  return csv.text();
}

// What rates.csv and verdicts.csv both say of one rate.
struct RateFacts {
  bool tested = false;   // a test ran: the p-values and the boundary are shown
  bool theorem = false;  // its verdict is decided (see below)
  std::string theory;    // the theory slope, or empty
  std::string note;
  std::string test_budgets;
};

RateFacts FactsOf(const AnalysisOptions& o, const MetricAnalysis& m, const RateResult& r) {
  RateFacts f;
  f.tested = r.verdict == Verdict::kAtLeastAsFast || r.verdict == Verdict::kSlower ||
             r.verdict == Verdict::kInconclusive;
  // Decided: the mean and median-of-means of the theorem metric, the quantiles of the
  // high-probability metric (AnalysisOptions::hp_metric says why they differ).
  const bool quantile = r.statistic.kind == stats::StatisticKind::kQuantile;
  f.theorem = quantile ? m.metric == o.hp_metric : m.metric == o.theorem_metric;
  f.theory = r.theory_slope ? Shortest(*r.theory_slope) : "";
  f.note = r.test_fit.defined || r.verdict == Verdict::kNotTestable ? r.note : r.test_fit.reason;
  f.test_budgets = BudgetList(r.test_budgets);
  return f;
}

// rates.csv: cell x metric x statistic, the fit over every budget and over the tested ones.
std::string RatesCsv(const SweepAnalysis& a) {
  CsvWriter csv({"cell",
                 "method",
                 "setting",
                 "metric",
                 "statistic",
                 "slope",
                 "slope_lower",
                 "slope_upper",
                 "r2",
                 "r2_lower",
                 "r2_upper",
                 "intercept",
                 "points",
                 "undefined_replicates",
                 "theory_slope",
                 "theory_note",
                 "boundary",
                 "p_fast",
                 "p_slow",
                 "p_holm",
                 "verdict",
                 "note",
                 "test_budgets",
                 "test_slope",
                 "test_slope_lower",
                 "test_slope_upper"});
  for (const CellAnalysis& c : a.cells) {
    for (const MetricAnalysis& m : c.metrics) {
      for (const RateResult& r : m.rates) {
        const RateFacts f = FactsOf(a.options, m, r);
        csv.Row({c.info.id,
                 c.label,
                 c.setting,
                 m.metric,
                 r.statistic.Name(),
                 Shortest(r.fit.fit.slope),
                 Shortest(r.fit.slope_ci.lower),
                 Shortest(r.fit.slope_ci.upper),
                 Shortest(r.fit.fit.r2),
                 Shortest(r.fit.r2_ci.lower),
                 Shortest(r.fit.r2_ci.upper),
                 Shortest(r.fit.fit.intercept),
                 std::to_string(r.fit.fit.points),
                 std::to_string(r.fit.slope_ci.undefined),
                 f.theory,
                 r.theory_note,
                 f.tested ? Shortest(r.test.boundary) : "",
                 f.tested ? Shortest(r.test.p_fast) : "",
                 f.tested ? Shortest(r.test.p_slow) : "",
                 f.tested ? Shortest(r.test.p_holm) : "",
                 f.theorem ? std::string(ToString(r.verdict)) : "",
                 f.note,
                 f.test_budgets,
                 Shortest(r.test_fit.fit.slope),
                 Shortest(r.test_fit.slope_ci.lower),
                 Shortest(r.test_fit.slope_ci.upper)});
      }
    }
  }
  return csv.text();
}

// verdicts.csv, the verdict table: the rates whose verdict is decided, with the slope of the fit
// the verdict was decided on (the testable budgets of a theory cell), the regime, and the bound
// check of the cell.
std::string VerdictsCsv(const SweepAnalysis& a) {
  CsvWriter csv({"cell", "method", "setting", "metric", "statistic", "test_budgets", "slope",
                 "slope_lower", "slope_upper", "r2", "theory_slope", "boundary", "p_holm",
                 "verdict", "note", "regime_entry", "control", "bound_verdict"});
  for (const CellAnalysis& c : a.cells) {
    for (const MetricAnalysis& m : c.metrics) {
      for (const RateResult& r : m.rates) {
        const RateFacts f = FactsOf(a.options, m, r);
        if (!f.theorem) continue;
        csv.Row({c.info.id, c.label, c.setting, m.metric, r.statistic.Name(), f.test_budgets,
                 Shortest(r.test_fit.fit.slope), Shortest(r.test_fit.slope_ci.lower),
                 Shortest(r.test_fit.slope_ci.upper), Shortest(r.test_fit.fit.r2), f.theory,
                 f.tested ? Shortest(r.test.boundary) : "", f.tested ? Shortest(r.test.p_holm) : "",
                 std::string(ToString(r.verdict)), f.note, c.regime.entry,
                 c.regime.control ? "1" : "0",
                 c.regime.applicable ? std::string(ToString(c.bound.verdict)) : ""});
      }
    }
  }
  return csv.text();
}

// delta_fits.csv: cell x metric, the exponents of the quantiles in log(1/delta) and in
// log(log(1/delta)).
std::string DeltaFitsCsv(const SweepAnalysis& a) {
  CsvWriter csv({"cell", "method", "setting", "metric", "budget", "transform", "deltas", "exponent",
                 "exponent_lower", "exponent_upper", "r2", "note"});
  for (const CellAnalysis& c : a.cells) {
    for (const MetricAnalysis& m : c.metrics) {
      for (const DeltaFit* d : {&m.delta_power, &m.delta_polylog}) {
        std::string used;
        for (double x : d->deltas) AppendWith(used, " ", Shortest(x));
        csv.Row({c.info.id, c.label, c.setting, m.metric, std::to_string(d->budget), d->transform,
                 used, Shortest(d->fit.fit.slope), Shortest(d->fit.slope_ci.lower),
                 Shortest(d->fit.slope_ci.upper), Shortest(d->fit.fit.r2), d->fit.reason});
      }
    }
  }
  return csv.text();
}

// paired.csv: pairs of cells on common seeds x budget.
std::string PairedCsv(const SweepAnalysis& a) {
  CsvWriter csv({"setting",      "cell_a",           "method_a",        "cell_b",
                 "method_b",     "budget",           "seeds",           "both_diverged",
                 "median_ratio", "median_lower",     "median_upper",    "median_status",
                 "q10_ratio",    "q10_lower",        "q10_upper",       "q90_ratio",
                 "q90_lower",    "q90_upper",        "a_better",        "b_better",
                 "p_a_better",   "p_a_better_lower", "p_a_better_upper"});
  for (const PairedComparison& p : a.paired) {
    csv.Row({p.setting,
             p.cell_a,
             p.label_a,
             p.cell_b,
             p.label_b,
             std::to_string(p.budget),
             std::to_string(p.n),
             std::to_string(p.both_diverged),
             Shortest(p.median_ratio.estimate),
             Shortest(p.median_ratio.lower),
             Shortest(p.median_ratio.upper),
             std::string(ToString(p.median_ratio.status)),
             Shortest(p.q10_ratio.estimate),
             Shortest(p.q10_ratio.lower),
             Shortest(p.q10_ratio.upper),
             Shortest(p.q90_ratio.estimate),
             Shortest(p.q90_ratio.lower),
             Shortest(p.q90_ratio.upper),
             std::to_string(p.a_better),
             std::to_string(p.b_better),
             Shortest(p.p_a_better),
             Shortest(p.p_a_better_lower),
             Shortest(p.p_a_better_upper)});
  }
  return csv.text();
}

// noise_tail.csv: noise stream x tail-index estimator.
std::string NoiseTailCsv(const SweepAnalysis& a) {
  CsvWriter csv({"noise_stream", "noise", "dim", "norms", "method", "tail_index", "lower", "upper",
                 "k", "assumed_p", "assessment"});
  for (const NoiseCheck& n : a.noise) {
    std::string ps;
    for (const std::string& p : n.assumed_p) AppendWith(ps, " ", p);
    for (const TailEstimate& t : n.estimates) {
      csv.Row({n.noise_stream, n.noise, n.dim, std::to_string(n.count), t.method,
               Shortest(t.estimate), Shortest(t.lower), Shortest(t.upper), std::to_string(t.k), ps,
               n.assessment});
    }
  }
  return csv.text();
}

// summary.md's title, the sweep it analyses and the settings of the analysis.
std::string SummaryHeading(const SweepAnalysis& a) {
  const AnalysisOptions& o = a.options;
  std::string md = "# Analysis of " + a.dir + "\n\n";
  if (!a.manifest_summary.empty()) md += "Sweep: " + a.manifest_summary + ".\n\n";
  std::string dl;
  for (double d : o.deltas) AppendWith(dl, ", ", Shortest(d));
  md += "Settings: intervals at " + ConfidenceText(o) + "; deltas " + dl +
        "; bootstrap B = " + std::to_string(o.bootstrap_resamples) + " (seed " +
        std::to_string(o.bootstrap_seed) + "); median-of-means with ceil(8 ln(1/" +
        Shortest(o.mom_failure) + ")) blocks; theorem metric " + o.theorem_metric + ".\n\n";
  return md;
}

// summary.md's verdicts: how they are decided, then one table per setting.
std::string VerdictsMarkdown(const SweepAnalysis& a) {
  const AnalysisOptions& o = a.options;
  std::string md = "## Verdicts (in expectation: " + o.theorem_metric +
                   "; with high probability: " + o.hp_metric + ")\n\n";
  md += HowVerdicts(a) + "\n";
  for (const auto& [setting, cells] : BySetting(a)) {
    std::vector<std::vector<std::string>> rows;
    for (const CellAnalysis* c : cells) {
      for (const MetricAnalysis& m : c->metrics) {
        if (m.metric != o.theorem_metric && m.metric != o.hp_metric) continue;
        for (const RateResult& r : m.rates) {
          const bool quantile = r.statistic.kind == stats::StatisticKind::kQuantile;
          if (quantile != (m.metric == o.hp_metric) && o.hp_metric != o.theorem_metric) continue;
          rows.push_back({c->label, m.metric + ": " + r.statistic.Name(), TheoryText(r),
                          BudgetList(r.test_budgets), SlopeText(r.test_fit),
                          r.test_fit.defined ? Fixed(r.test_fit.fit.r2) : "n/a", VerdictText(r),
                          r.note});
        }
      }
    }
    if (rows.empty()) continue;
    md += "\n### " + setting + "\n\n";
    md += Markdown({"method", "statistic", "theory slope", "budgets of the fit", "slope [CI]",
                    "R^2", "verdict", "note"},
                   rows);
  }
  return md;
}

// summary.md's per-budget table of the theorem metric (mean, tail index, median-of-means,
// quantiles), one per setting.
std::string BudgetsMarkdown(const SweepAnalysis& a) {
  const AnalysisOptions& o = a.options;
  std::string md = "\n## " + o.theorem_metric + " per budget\n\n";
  md +=
      "Final value over seeds; diverged runs count as +inf. Mean: percentile bootstrap interval, "
      "valid for a metric bounded by the problem's G (\"bounded\"), otherwise marked unreliable "
      "when the metric's Hill tail index across seeds is not shown to exceed 2 (its interval "
      "reaches below 2). "
      "Median-of-means: exact interval for the median of a block mean. Quantiles: exact "
      "order-statistic interval, \"not enough seeds\" where the seed count cannot support "
      "delta.\n";
  for (const auto& [setting, cells] : BySetting(a)) {
    md += "\n### " + setting + "\n\n";
    std::vector<std::string> header = {
        "method", "N", "seeds", "diverged", "mean [CI]", "tail index [CI]", "MoM [CI]"};
    for (double d : o.deltas) header.push_back("q(1-" + Shortest(d) + ") [CI]");
    std::vector<std::vector<std::string>> rows;
    for (const CellAnalysis* c : cells) {
      const MetricAnalysis* m = c->Find(o.theorem_metric);
      if (m == nullptr) continue;
      for (const BudgetSummary& b : m->budgets) {
        std::vector<std::string> row = {c->label,
                                        std::to_string(b.budget),
                                        std::to_string(b.n),
                                        Percent(b.diverged_fraction),
                                        MeanText(b),
                                        TailText(b.tail),
                                        MomText(b.mom)};
        for (const stats::QuantileEstimate& q : b.quantiles) row.push_back(QuantileText(q));
        rows.push_back(std::move(row));
      }
    }
    md += Markdown(header, rows);
  }
  return md;
}

// summary.md's rates of the metrics other than the theorem metric.
std::string OtherRatesMarkdown(const SweepAnalysis& a) {
  const AnalysisOptions& o = a.options;
  std::string md = "\n## Rates of the other metrics\n\n";
  std::vector<std::vector<std::string>> rows;
  for (const CellAnalysis& c : a.cells) {
    for (const MetricAnalysis& m : c.metrics) {
      if (m.metric == o.theorem_metric) continue;
      for (const RateResult& r : m.rates) {
        if (r.statistic.kind == stats::StatisticKind::kQuantile) continue;
        rows.push_back({c.setting, c.label, m.metric, r.statistic.Name(), SlopeText(r.fit),
                        r.fit.defined ? Fixed(r.fit.fit.r2) : "n/a", r.note});
      }
    }
  }
  md += rows.empty()
            ? std::string("(none)\n")
            : Markdown({"setting", "method", "metric", "statistic", "slope [CI]", "R^2", "note"},
                       rows) +
                  "\nQuantile slopes of every metric are in rates.csv.\n";
  return md;
}

// summary.md's dependence on delta at the largest budget.
std::string DeltaMarkdown(const SweepAnalysis& a) {
  const AnalysisOptions& o = a.options;
  std::string md = "\n## Dependence on delta at the largest budget (" + o.hp_metric + ")\n\n";
  md +=
      "Exponent of log q(1-delta) in log(1/delta): near 1/alpha is the polynomial behaviour of "
      "plain SGD under alpha-stable noise, near 0 what clipped methods should show; in "
      "log(log(1/delta)): the polylog exponent. Intervals: bootstrap over seeds.\n\n";
  std::vector<std::vector<std::string>> rows;
  for (const CellAnalysis& c : a.cells) {
    const MetricAnalysis* m = c.Find(o.hp_metric);
    if (m == nullptr) continue;
    std::string used;
    for (double x : m->delta_power.deltas) AppendWith(used, ", ", Shortest(x));
    rows.push_back({c.setting, c.label, std::to_string(m->delta_power.budget),
                    used.empty() ? "n/a" : used, SlopeText(m->delta_power.fit),
                    SlopeText(m->delta_polylog.fit)});
  }
  md += Markdown({"setting", "method", "N", "deltas", "exponent in log(1/delta) [CI]",
                  "exponent in log(log(1/delta)) [CI]"},
                 rows);
  return md;
}

// summary.md's paired comparisons at each pair's largest common budget.
std::string PairedMarkdown(const SweepAnalysis& a) {
  const AnalysisOptions& o = a.options;
  std::string md =
      "\n## Paired comparison of methods on common seeds (" + o.theorem_metric + ")\n\n";
  md +=
      "Cells that differ only in optimizer parameters share their noise; per seed the ratio "
      "a/b of the theorem quantity (both diverged: a tie, ratio 1). Median ratio with its exact "
      "order-statistic interval; P(a < b) among non-ties with a Clopper-Pearson interval. "
      "Largest common budget here; every budget in paired.csv.\n\n";
  std::map<std::string, std::int64_t> largest;
  for (const PairedComparison& p : a.paired) {
    auto& v = largest[p.cell_a + p.cell_b];
    v = std::max(v, p.budget);
  }
  std::vector<std::vector<std::string>> rows;
  for (const PairedComparison& p : a.paired) {
    if (p.budget != largest[p.cell_a + p.cell_b]) continue;
    rows.push_back(
        {p.setting, p.label_a + " / " + p.label_b, std::to_string(p.budget), std::to_string(p.n),
         QuantileText(p.median_ratio), QuantileText(p.q10_ratio), QuantileText(p.q90_ratio),
         Fixed(p.p_a_better) + " " + FormatInterval(p.p_a_better_lower, p.p_a_better_upper)});
  }
  md += rows.empty() ? std::string("(no pairs of cells share noise)\n")
                     : Markdown({"setting", "a / b", "N", "seeds", "median ratio [CI]",
                                 "q0.1 ratio [CI]", "q0.9 ratio [CI]", "P(a < b) [CI]"},
                                rows);
  return md;
}

// summary.md's noise tail check.
std::string NoiseMarkdown(const SweepAnalysis& a) {
  std::string md = "\n## Noise tail check\n\n";
  std::vector<std::vector<std::string>> rows;
  for (const NoiseCheck& n : a.noise) {
    for (const TailEstimate& t : n.estimates) {
      rows.push_back({n.noise, n.dim, std::to_string(n.count), t.method, TailText(t),
                      std::to_string(t.k), n.assessment});
    }
  }
  md += rows.empty() ? std::string("(no noise_norms.csv: set save_noise_norms in the sweep)\n")
                     : Markdown({"noise", "dim", "norms", "estimator", "tail index [CI]", "k",
                                 "assumed p: assessment"},
                                rows);
  return md;
}

// summary.md's list of the files written before it.
std::string FilesMarkdown(const std::vector<std::string>& written) {
  std::string md = "\n## Files\n\n";
  for (const std::string& p : written) {
    md += "- " + std::filesystem::path(p).filename().string() + "\n";
  }
  return md;
}

// summary.md: every section above, then the files written before it.
std::string SummaryMarkdown(const SweepAnalysis& a, const std::vector<std::string>& written) {
  return SummaryHeading(a) + VerdictsMarkdown(a) + RegimeAndBoundsMarkdown(a) + BudgetsMarkdown(a) +
         OtherRatesMarkdown(a) + DeltaMarkdown(a) + PairedMarkdown(a) + NoiseMarkdown(a) +
         FilesMarkdown(written);
}

}  // namespace

std::string FormatInterval(double lower, double upper, int digits) {
  if (std::isnan(lower) || std::isnan(upper)) return "[n/a]";
  std::string out = "[";
  out += Sig(lower, digits);
  out += ", ";
  out += Sig(upper, digits);
  out += ']';
  return out;
}

std::string VerdictTable(const SweepAnalysis& a) {
  const AnalysisOptions& o = a.options;
  std::string out = "Verdicts: in expectation on " + o.theorem_metric +
                    ", with high probability on " + o.hp_metric + " (familywise confidence " +
                    Sig(100.0 * o.verdict.confidence, 4) + "%, Holm over cells, margin " +
                    Shortest(o.verdict.margin) +
                    ", bootstrap B = " + std::to_string(o.bootstrap_resamples) +
                    "); slopes over the testable budgets only\n";
  out += "Testable (regime): " + o.regime.Describe() + "\n";
  bool any = false;
  std::vector<std::string> reasons;
  for (const auto& [setting, cells] : BySetting(a)) {
    std::vector<std::vector<std::string>> rows;
    for (const CellAnalysis* c : cells) {
      const MetricAnalysis* m = c->Find(o.theorem_metric);
      if (m == nullptr) continue;
      const RateResult* e = ExpectationRate(*m);
      const MetricAnalysis* hm = c->Find(o.hp_metric);
      const RateResult* h = hm ? HighProbabilityRate(*hm) : nullptr;
      std::vector<std::string> row = {c->label, c->info.id};
      row.push_back(e ? TheoryText(*e) : "n/a");
      row.push_back(RegimeText(c->regime));
      row.push_back(c->regime.applicable ? BoundText(c->bound) : "-");
      row.push_back(e ? e->statistic.Name() : "n/a");
      row.push_back(e ? SlopeText(e->test_fit) : "n/a");
      row.push_back(e ? VerdictText(*e) : "n/a");
      row.push_back(h ? h->statistic.Name() : "no quantile supported");
      row.push_back(h ? SlopeText(h->test_fit) : "n/a");
      row.push_back(h ? VerdictText(*h) : "n/a");
      rows.push_back(std::move(row));
      const std::string role = RoleText(c->regime);
      if (!role.empty()) reasons.push_back(c->info.id + " is a " + role);
      if (e != nullptr && e->verdict == Verdict::kNotTestable) {
        reasons.push_back(c->info.id + " not testable: " + e->note);
      }
      if (c->regime.applicable && c->bound.verdict == BoundVerdict::kNotTestable &&
          !c->bound.note.empty()) {
        reasons.push_back(c->info.id + " bound not testable: " + c->bound.note);
      }
    }
    if (rows.empty()) continue;
    any = true;
    out += "\n" + setting + "\n";
    out += PlainTable({"method", "cell", "theory", "testable N", "bound check", "E-stat",
                       "slope [CI]", "verdict", "HP-stat", "slope [CI]", "verdict"},
                      rows);
  }
  if (!any) out += "\n(no cell has the theorem metric " + o.theorem_metric + ")\n";
  if (!reasons.empty()) {
    out += "\n";
    for (const std::string& r : reasons) out += r + "\n";
  }
  return out;
}

std::vector<std::string> WriteAnalysisReport(const SweepAnalysis& a, const std::string& out_dir) {
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec) throw InputError("cannot create the folder: " + ec.message(), {out_dir});
  std::vector<std::string> written;
  const auto emit = [&](std::string_view name, const std::string& content) {
    const std::string path = out_dir + "/" + std::string(name);
    WriteFile(path, content);
    written.push_back(path);
  };
  emit(kBudgetsFile, BudgetsCsv(a));
  emit(kQuantilesFile, QuantilesCsv(a));
  emit(kRatesFile, RatesCsv(a));
  emit(kVerdictsFile, VerdictsCsv(a));
  emit(kDeltaFitsFile, DeltaFitsCsv(a));
  emit(kRegimeFile, RegimeCsv(a));
  emit(kBoundsFile, BoundsCsv(a));
  emit(kPairedFile, PairedCsv(a));
  emit(kNoiseTailFile, NoiseTailCsv(a));
  emit(kSummaryFile, SummaryMarkdown(a, written));  // last: it lists the files above
  return written;
}

}  // namespace clipsim::analysis

#include <algorithm>
#include <cmath>

#include "clipsim/plots/gnuplot.hpp"
#include "figures.hpp"
#include "plot_text.hpp"

namespace clipsim::plots::detail {

using analysis::BudgetSummary;
using analysis::MetricAnalysis;
using analysis::RateResult;
using stats::IntervalStatus;
using stats::StatisticKind;

// Dash patterns of the quantile lines, one per delta (solid is the median-of-means, long dashes
// the theory reference).
std::string QuantileDash(std::size_t i) {
  static const char* kDash[] = {"(10,6)", "(3,5)", "(14,5,3,5)", "(3,4,3,4,14,5)", "(24,6,3,6)"};
  return kDash[i % (sizeof kDash / sizeof kDash[0])];
}

Figure RatePlot(const std::string& name, const CellGroup& cells,
                const analysis::SweepAnalysis& analysis) {
  const analysis::AnalysisOptions& o = analysis.options;
  const std::string& metric = o.theorem_metric;
  Figure f;
  f.name = name;
  f.caption = "Rate plot (" + SettingTitle(*cells.front()) + "): final " + metric +
              " over seeds against the budget N, log-log; per method the median-of-means with "
              "its interval band (solid), the (1 - delta) quantiles (dashed), the fitted slope "
              "of the median-of-means and the theory slope (long dashes, a reference line through "
              "the first point).";
  std::string data = "# " + f.caption + "\n# One block per method (gnuplot index i).\n";
  std::string plot;
  std::vector<bool> delta_drawn(o.deltas.size(), false);
  int block = 0;
  for (std::size_t c = 0; c < cells.size(); ++c) {
    const MetricAnalysis* m = cells[c]->Find(metric);
    if (m == nullptr || m->budgets.empty()) continue;
    const RateResult* mom = nullptr;
    const RateResult* mean = nullptr;
    for (const RateResult& r : m->rates) {
      if (r.statistic.kind == stats::StatisticKind::kMedianOfMeans) mom = &r;
      if (r.statistic.kind == stats::StatisticKind::kMean) mean = &r;
    }
    // Theory reference through the first median-of-means point: C N^s.
    const BudgetSummary& first = m->budgets.front();
    const double s = mom && mom->theory_slope ? *mom->theory_slope : std::nan("");
    const double c0 = first.mom.estimate / std::pow(static_cast<double>(first.budget), s);
    data += "# method " + cells[c]->label + ", cell " + cells[c]->info.id + "\n";
    data += "# N mom mom_lower mom_upper mean";
    for (double d : o.deltas) data += " q(1-" + Num(d) + ")";
    data += " theory_reference\n";
    std::vector<bool> has_delta(o.deltas.size(), false);
    for (const BudgetSummary& b : m->budgets) {
      const double n = static_cast<double>(b.budget);
      data += Num(n) + " " + Num(b.mom.estimate) + " " +
              Num(b.mom.status == stats::IntervalStatus::kOk ? b.mom.lower : std::nan("")) + " " +
              Num(b.mom.status == stats::IntervalStatus::kOk ? b.mom.upper : std::nan("")) + " " +
              Num(b.mean);
      for (std::size_t i = 0; i < b.quantiles.size(); ++i) {
        const bool ok = b.quantiles[i].status == stats::IntervalStatus::kOk &&
                        std::isfinite(b.quantiles[i].estimate);
        has_delta[i] = has_delta[i] || ok;
        data += " " + Num(ok ? b.quantiles[i].estimate : std::nan(""));
      }
      data += " " + Num(std::isfinite(s) ? c0 * std::pow(n, s) : std::nan("")) + "\n";
    }
    data += "\n\n";
    const std::string color = "lc rgb " + GnuplotQuote(Color(c));
    const std::string idx = " index " + std::to_string(block++);
    const std::string src = GnuplotQuote(name + ".dat") + idx;
    std::string mom_title = cells[c]->label + ": MoM";
    if (mom && mom->fit.defined) {
      mom_title += ", slope " + Fixed(mom->fit.fit.slope) + " [" + Fixed(mom->fit.slope_ci.lower) +
                   ", " + Fixed(mom->fit.slope_ci.upper) + "]";
    }
    if (mean && mean->fit.defined && mean->verdict != analysis::Verdict::kNoFit &&
        mean->verdict != analysis::Verdict::kWithheld) {
      mom_title += "; mean slope " + Fixed(mean->fit.fit.slope);
    }
    if (!std::isfinite(s)) mom_title += "; no theory slope";
    plot += "  " + src + " using 1:3:4 with filledcurves " + color +
            " fillstyle transparent solid 0.15 noborder notitle, \\\n";
    plot += "  " + src + " using 1:2 with linespoints " + color + " lw 2 pt 7 ps 0.8 title " +
            GnuplotQuote(mom_title) + ", \\\n";
    for (std::size_t i = 0; i < o.deltas.size(); ++i) {
      if (!has_delta[i]) continue;
      delta_drawn[i] = true;
      plot += "  " + src + " using 1:" + std::to_string(6 + i) + " with lines " + color +
              " lw 1.5 dt " + QuantileDash(i) + " notitle, \\\n";
    }
    if (std::isfinite(s)) {
      plot += "  " + src + " using 1:" + std::to_string(6 + o.deltas.size()) + " with lines " +
              color + " lw 2 dt (20,10) title " +
              GnuplotQuote(cells[c]->label + ": theory slope " + Fixed(s)) + ", \\\n";
    }
  }
  for (std::size_t i = 0; i < o.deltas.size(); ++i) {
    if (!delta_drawn[i]) continue;
    plot += "  keyentry with lines lc rgb \"#444444\" lw 1.5 dt " + QuantileDash(i) + " title " +
            GnuplotQuote("(1 - " + Num(o.deltas[i]) + ") quantile, every method") + ", \\\n";
  }
  plot +=
      "  keyentry title \"MoM: median-of-means over seeds (shaded: its interval); slopes "
      "[bootstrap interval over seeds]\", \\\n";
  EndPlotList(plot);
  f.data.emplace_back(name + ".dat", data);
  const MetricAnalysis* m0 = cells.front()->Find(metric);
  const int seeds = m0 && !m0->budgets.empty() ? m0->budgets.back().n : 0;
  const std::string title = SettingTitle(*cells.front()) + "\n" + metric + " against the budget, " +
                            std::to_string(seeds) + " seeds per point";
  f.body = "set datafile missing \"nan\"\n" + std::string(kBudgetAxes) + "set ylabel " +
           GnuplotQuote(metric + " at the end of the run (over seeds)") + "\n" + "set title " +
           GnuplotQuote(title) + "\n" + KeyBelowThenPlot(plot);
  f.width_px = 1100;
  f.height_px = HeightFor(plot);
  return f;
}

}  // namespace clipsim::plots::detail

#include <cmath>

#include "clipsim/plots/gnuplot.hpp"
#include "figures.hpp"
#include "plot_text.hpp"

namespace clipsim::plots::detail {

using stats::IntervalStatus;

Figure DeltaPlot(const std::string& name, const CellGroup& cells,
                 const analysis::SweepAnalysis& analysis) {
  const analysis::AnalysisOptions& o = analysis.options;
  const std::string& metric = o.hp_metric;  // why not theorem_metric: AnalysisOptions
  Figure f;
  f.name = name;
  f.caption = "Delta plot (" + SettingTitle(*cells.front()) + "): the (1 - delta) quantile of " +
              metric +
              " over seeds against 1/delta at each method's largest budget, log-log, "
              "with exact order-statistic intervals; the legend gives the fitted exponent of "
              "1/delta (near 1/alpha: polynomial, as plain SGD under alpha-stable noise; near "
              "0: the polylog behaviour of clipped methods).";
  std::string data = "# " + f.caption + "\n# One block per method (gnuplot index i).\n";
  std::string plot;
  int block = 0;
  std::int64_t budget = 0;
  for (std::size_t c = 0; c < cells.size(); ++c) {
    const analysis::MetricAnalysis* m = cells[c]->Find(metric);
    if (m == nullptr || m->budgets.empty()) continue;
    const analysis::BudgetSummary& b = m->budgets.back();
    budget = std::max(budget, b.budget);
    data += "# method " + cells[c]->label + ", cell " + cells[c]->info.id + ", N " +
            std::to_string(b.budget) + "\n# one_over_delta quantile lower upper\n";
    int rows = 0;
    for (std::size_t i = 0; i < b.quantiles.size(); ++i) {
      const stats::QuantileEstimate& q = b.quantiles[i];
      if (q.status != stats::IntervalStatus::kOk || !std::isfinite(q.estimate)) continue;
      data += Num(1.0 / o.deltas[i]) + " " + Num(q.estimate) + " " + Num(q.lower) + " " +
              Num(q.upper) + "\n";
      ++rows;
    }
    data += "\n\n";
    if (rows == 0) {
      ++block;
      continue;
    }
    std::string title = cells[c]->label;
    const stats::LogLineFit& power = m->delta_power.fit;
    if (power.defined) {
      title += ": exponent " + Fixed(power.fit.slope) + " [" + Fixed(power.slope_ci.lower) + ", " +
               Fixed(power.slope_ci.upper) + "]";
    }
    const std::string color = "lc rgb " + GnuplotQuote(Color(c));
    plot += "  " + GnuplotQuote(name + ".dat") + " index " + std::to_string(block++) +
            " using 1:2:3:4 with yerrorlines " + color + " lw 2 pt 7 ps 0.8 title " +
            GnuplotQuote(title) + ", \\\n";
  }
  EndPlotList(plot);
  if (plot.empty()) plot = "  keyentry title \"no quantile is supported by the seed count\"";
  f.data.emplace_back(name + ".dat", data);
  const std::string title = SettingTitle(*cells.front()) + "\n(1 - delta) quantile of " + metric +
                            " at the largest budget N = " + std::to_string(budget);
  // A tick at every 1/delta (log axes over one or two decades show too few of their own).
  std::string xtics = "set xtics (";
  for (std::size_t i = 0; i < o.deltas.size(); ++i) {
    if (i) xtics += ", ";
    xtics += GnuplotQuote(Short(1.0 / o.deltas[i], 4)) + " " + Num(1.0 / o.deltas[i]);
  }
  xtics += ")\n";
  f.body = xtics +
           "set datafile missing \"nan\"\n"
           "set logscale xy\n"
           "set autoscale xfix\n"
           "set grid xtics ytics mxtics mytics lc rgb \"#dddddd\"\n"
           "set xlabel \"1/delta\"\n"
           "set ylabel " +
           GnuplotQuote("(1 - delta) quantile of " + metric) + "\n" + "set title " +
           GnuplotQuote(title) + "\n" + "set offsets graph 0.05, graph 0.05, 0, 0\n" +
           KeyBelowThenPlot(plot);
  f.width_px = 1100;
  f.height_px = HeightFor(plot);
  return f;
}

}  // namespace clipsim::plots::detail

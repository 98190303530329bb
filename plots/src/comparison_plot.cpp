#include <algorithm>
#include <cmath>
#include <map>

#include "clipsim/plots/gnuplot.hpp"
#include "figures.hpp"
#include "plot_text.hpp"

namespace clipsim::plots::detail {

Figure ComparisonPlot(const std::string& name, const std::string& title,
                      const std::vector<const analysis::PairedComparison*>& pairs,
                      const analysis::SweepAnalysis& analysis) {
  const std::string& metric = analysis.options.theorem_metric;
  Figure f;
  f.name = name;
  f.caption = "Method comparison (" + title + "): per-seed ratio a/b of " + metric +
              " for cells that share their noise, at equal budget N, against N; points: the "
              "median ratio with its exact order-statistic interval; band: the 10% to 90% "
              "quantiles of the seeds' ratios; below 1 means a is better.";
  // One block per (a, b) pair, rows by budget.
  std::map<std::pair<std::string, std::string>, std::vector<const analysis::PairedComparison*>>
      by_pair;
  std::vector<std::pair<std::string, std::string>> order;
  for (const analysis::PairedComparison* p : pairs) {
    const auto key = std::make_pair(p->cell_a, p->cell_b);
    if (!by_pair.count(key)) order.push_back(key);
    by_pair[key].push_back(p);
  }
  std::string data = "# " + f.caption + "\n# One block per pair (gnuplot index i).\n";
  std::string plot;
  // The y range always holds the line "ratio 1" (equal methods) and every band.
  double y_lo = 1.0, y_hi = 1.0;
  const auto widen = [&](double y) {
    if (std::isfinite(y) && y > 0) {
      y_lo = std::min(y_lo, y);
      y_hi = std::max(y_hi, y);
    }
  };
  for (std::size_t k = 0; k < order.size(); ++k) {
    auto rows = by_pair[order[k]];
    std::sort(rows.begin(), rows.end(),
              [](const auto* x, const auto* y) { return x->budget < y->budget; });
    const analysis::PairedComparison& first = *rows.front();
    data += "# " + first.label_a + " / " + first.label_b + " (cells " + first.cell_a + " / " +
            first.cell_b + ")\n# N median lower upper q10 q90 seeds\n";
    for (const analysis::PairedComparison* p : rows) {
      for (double y : {p->q10_ratio.estimate, p->q90_ratio.estimate, p->median_ratio.lower,
                       p->median_ratio.upper, p->median_ratio.estimate}) {
        widen(y);
      }
      const bool ok = p->median_ratio.status == stats::IntervalStatus::kOk;
      data += Num(static_cast<double>(p->budget)) + " " + Num(p->median_ratio.estimate) + " " +
              Num(ok ? p->median_ratio.lower : std::nan("")) + " " +
              Num(ok ? p->median_ratio.upper : std::nan("")) + " " + Num(p->q10_ratio.estimate) +
              " " + Num(p->q90_ratio.estimate) + " " + std::to_string(p->n) + "\n";
    }
    data += "\n\n";
    const analysis::PairedComparison& last = *rows.back();
    const std::string color = "lc rgb " + GnuplotQuote(Color(k));
    const std::string src = GnuplotQuote(name + ".dat") + " index " + std::to_string(k);
    plot += "  " + src + " using 1:5:6 with filledcurves " + color +
            " fillstyle transparent solid 0.12 noborder notitle, \\\n";
    plot +=
        "  " + src + " using 1:2:3:4 with yerrorlines " + color + " lw 2 pt 7 ps 0.8 title " +
        GnuplotQuote(first.label_a + " / " + first.label_b + ": median " +
                     Short(last.median_ratio.estimate) + " at N = " + std::to_string(last.budget) +
                     ", P(a < b) = " + Fixed(last.p_a_better, 2)) +
        ", \\\n";
  }
  plot += "  1 with lines lc rgb \"#444444\" dt 2 title \"ratio 1 (equal)\"";
  f.data.emplace_back(name + ".dat", data);
  f.body = "set datafile missing \"nan\"\n" + std::string(kBudgetAxes) + "set yrange [" +
           Num(y_lo / 1.5) + ":" + Num(y_hi * 1.5) + "]\n" + "set ylabel " +
           GnuplotQuote("per-seed ratio a/b of " + metric) + "\n" + "set title " +
           GnuplotQuote(title + "\npaired comparison on common seeds (band: 10%-90% of seeds)") +
           "\n" + KeyBelowThenPlot(plot);
  f.width_px = 1100;
  f.height_px = HeightFor(plot);
  return f;
}

}  // namespace clipsim::plots::detail

// The bound check of one setting as a figure: the measured theorem quantity against the registry
// entries' bounds with their constants (top), and measured / bound (bottom), over N.
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <tuple>

#include "clipsim/plots/gnuplot.hpp"
#include "figures.hpp"
#include "plot_text.hpp"

namespace clipsim::plots::detail {
namespace {

using analysis::BudgetBoundCheck;
using analysis::CellAnalysis;

// One bound line: an entry's bound at the budgets of the cells that share it.
struct BoundSeries {
  std::string entry;
  std::map<std::int64_t, double> bound;  // N -> bound
  std::vector<std::string> cells;        // ids of the cells judged against it
};

bool SameBound(double a, double b) {
  return a == b || std::abs(a - b) <= 1e-12 * std::max(std::abs(a), std::abs(b));
}

// Adds a cell's bounds to the first series of its entry that agrees at every common budget, or
// starts a new series (two cells of one entry whose bounds differ, e.g. other problem facts).
void AddToSeries(const CellAnalysis& cell, std::vector<BoundSeries>& series) {
  for (BoundSeries& s : series) {
    if (s.entry != cell.regime.entry) continue;
    bool agrees = true;
    for (const BudgetBoundCheck& b : cell.bound.budgets) {
      const auto it = s.bound.find(b.budget);
      if (it != s.bound.end() && std::isfinite(b.bound) && !SameBound(it->second, b.bound)) {
        agrees = false;
      }
    }
    if (!agrees) continue;
    for (const BudgetBoundCheck& b : cell.bound.budgets) {
      if (std::isfinite(b.bound)) s.bound.emplace(b.budget, b.bound);
    }
    s.cells.push_back(cell.info.id);
    return;
  }
  BoundSeries s;
  s.entry = cell.regime.entry;
  for (const BudgetBoundCheck& b : cell.bound.budgets) {
    if (std::isfinite(b.bound)) s.bound.emplace(b.budget, b.bound);
  }
  s.cells.push_back(cell.info.id);
  series.push_back(std::move(s));
}

// Dash patterns of the bound lines, one per series.
std::string BoundDash(std::size_t i) {
  static const char* kDash[] = {"solid", "(16,6)", "(4,4)", "(16,5,4,5)"};
  return kDash[i % (sizeof kDash / sizeof kDash[0])];
}

}  // namespace

Figure BoundPlot(const std::string& name, const CellGroup& cells,
                 const analysis::SweepAnalysis& analysis) {
  CellGroup theory;
  for (const CellAnalysis* c : cells) {
    if (c->regime.applicable && !c->bound.budgets.empty()) theory.push_back(c);
  }
  const std::string setting = SettingTitle(*cells.front());
  Figure f;
  f.name = name;
  f.caption =
      "Bound check (" + setting +
      "). Top: per theory cell, E||grad f(x_R)|| estimated by the mean over seeds of the final "
      "mean_grad_norm (points, with its " +
      ShownBoundLevel(analysis) +
      " as error bars), the registry entry's in-expectation bound at its prescription (one line "
      "per distinct bound, analysis/THEORY.md; a control is judged against its entry's bound, a "
      "variant against the prescription's) and ||grad f(x0)|| (dotted). Bottom: measured / bound "
      "with the interval divided by the bound, and the bound itself (ratio 1, dashed). Filled "
      "points: testable budgets; open points: not testable (regime.hpp: " +
      analysis.options.regime.Describe() +
      "). Cells are drawn a few percent apart in N at each budget; a lower confidence bound of 0 "
      "reaches the bottom edge. The legend gives each cell's bound verdict at familywise "
      "confidence " +
      Short(analysis.options.verdict.confidence) + ".";

  std::vector<BoundSeries> series;
  for (const CellAnalysis* c : theory) AddToSeries(*c, series);
  std::vector<double> starts;  // distinct ||grad f(x0)||
  double y_lo = std::numeric_limits<double>::infinity(), y_hi = 0.0;
  double r_lo = 1.0, r_hi = 1.0;
  const auto widen = [](double y, double& lo, double& hi) {
    if (std::isfinite(y) && y > 0) {
      lo = std::min(lo, y);
      hi = std::max(hi, y);
    }
  };

  std::string data = "# " + f.caption +
                     "\n# Blocks (gnuplot index i): one per theory cell, then one per distinct "
                     "bound.\n# Cell block columns: N bound mean mean_lower mean_upper ratio "
                     "ratio_lower ratio_upper testable seeds start_grad_norm\n";
  int seeds = 0;
  for (std::size_t c = 0; c < theory.size(); ++c) {
    const CellAnalysis& cell = *theory[c];
    data += "# cell " + cell.info.id + ": " + cell.label + BoundRole(cell) + "; entry " +
            cell.regime.entry + "; verdict " + std::string(ToString(cell.bound.verdict)) + "\n";
    for (std::size_t j = 0; j < cell.bound.budgets.size(); ++j) {
      const BudgetBoundCheck& b = cell.bound.budgets[j];
      const BoundPoint p = ShownBoundPoint(b);
      const double start =
          j < cell.regime.budgets.size() ? cell.regime.budgets[j].start_grad_norm : std::nan("");
      if (std::isfinite(start) && std::none_of(starts.begin(), starts.end(),
                                               [&](double s) { return SameBound(s, start); })) {
        starts.push_back(start);
      }
      for (double y : {p.mean, p.lower, p.upper, b.bound, start}) widen(y, y_lo, y_hi);
      for (double y : {p.ratio, p.ratio_lower, p.ratio_upper}) widen(y, r_lo, r_hi);
      seeds = std::max(seeds, b.seeds);
      data += std::to_string(b.budget) + " " + Num(b.bound) + " " + Num(p.mean) + " " +
              Num(p.lower) + " " + Num(p.upper) + " " + Num(p.ratio) + " " + Num(p.ratio_lower) +
              " " + Num(p.ratio_upper) + " " + (b.testable ? "1" : "0") + " " +
              std::to_string(b.seeds) + " " + Num(start) + "\n";
    }
    data += "\n\n";
  }
  for (const BoundSeries& s : series) {
    data += "# bound of entry " + s.entry + " (cells";
    for (const std::string& id : s.cells) data += " " + id;
    data += ")\n# N bound\n";
    for (const auto& [n, bound] : s.bound) {
      data += std::to_string(n) + " " + Num(bound) + "\n";
    }
    data += "\n\n";
  }
  f.data.emplace_back(name + ".dat", data);

  // Log axes: a lower confidence bound of 0 (clamped to the range) is drawn at the floor.
  if (!(y_hi > 0)) y_lo = y_hi = 1.0;
  const double floor = y_lo / 3.0;
  const double r_floor = r_lo / 3.0;
  const std::string fl = Short(floor), rfl = Short(r_floor);
  const std::string file = GnuplotQuote(name + ".dat");
  std::string top, bottom;
  const std::size_t bound_block = theory.size();
  for (std::size_t k = 0; k < series.size(); ++k) {
    std::string title = series[k].entry + " bound (THEORY.md)";
    if (std::count_if(series.begin(), series.end(),
                      [&](const BoundSeries& s) { return s.entry == series[k].entry; }) > 1) {
      title += ", cells " + series[k].cells.front() + (series[k].cells.size() > 1 ? "..." : "");
    }
    top += "  " + file + " index " + std::to_string(bound_block + k) +
           " using 1:2 with lines lc rgb \"#222222\" lw 2.5 dt " + BoundDash(k) + " title " +
           GnuplotQuote(title) + ", \\\n";
  }
  for (double s : starts) {
    top += "  " + Num(s) + " with lines lc rgb \"#777777\" lw 1.5 dt (2,4) title " +
           GnuplotQuote("||grad f(x0)|| = " + Short(s)) + ", \\\n";
  }
  for (std::size_t c = 0; c < theory.size(); ++c) {
    const CellAnalysis& cell = *theory[c];
    const std::string color = "lc rgb " + GnuplotQuote(Color(c));
    const std::string src = "  " + file + " index " + std::to_string(c);
    // Cells side by side at each N (a few percent apart), so that their error bars do not hide
    // each other; the data file keeps the exact N.
    const double shift = std::pow(
        10.0, 0.012 * (static_cast<double>(c) - 0.5 * static_cast<double>(theory.size() - 1)));
    const std::string x = "($1*" + Short(shift, 4) + ")";
    const std::string name_text = cell.label + BoundRole(cell);
    std::string verdict = std::string(ToString(cell.bound.verdict));
    if (std::isfinite(cell.bound.worst_ratio)) {
      verdict += ", largest mean/bound " + Short(cell.bound.worst_ratio);
    }
    // Columns: value, lower, upper of the panel (3 4 5 on top, 6 7 8 below); 9 is `testable`.
    for (auto [panel, col, f0] : {std::tuple{&top, 3, fl}, std::tuple{&bottom, 6, rfl}}) {
      const std::string y = "$" + std::to_string(col), lo = "$" + std::to_string(col + 1);
      const std::string hi = std::to_string(col + 2);
      const std::string low = "(" + lo + ">" + f0 + "?" + lo + ":" + f0 + ")";
      *panel += src + " using " + x + ":" + std::to_string(col) + " with lines " + color +
                " lw 1.2 notitle, \\\n";
      *panel += src + " using " + x + ":($9>0?" + y + ":1/0):" + low + ":" + hi +
                " with yerrorbars " + color + " lw 1.5 pt 7 ps 1.1 title " +
                GnuplotQuote(panel == &top ? name_text : name_text + ": " + verdict) + ", \\\n";
      *panel += src + " using " + x + ":($9>0?1/0:" + y + "):" + low + ":" + hi +
                " with yerrorbars " + color + " lw 1.5 pt 6 ps 1.1 notitle, \\\n";
    }
  }
  top +=
      "  keyentry with points lc rgb \"#444444\" pt 7 title \"filled: testable budget\", \\\n"
      "  keyentry with points lc rgb \"#444444\" pt 6 title \"open: not testable (see the "
      "caption's rules)\", \\\n";
  bottom +=
      "  1 with lines lc rgb \"#222222\" lw 2 dt 2 title \"measured = bound (ratio 1)\", \\\n";
  EndPlotList(top);
  EndPlotList(bottom);

  // Two panels stacked, the keys below each; fixed side margins align the N axes.
  const int top_px = 460 + 24 * KeyEntries(top);
  const int bottom_px = 420 + 24 * KeyEntries(bottom);
  const int height = top_px + bottom_px;
  const double top_frac = static_cast<double>(top_px) / height;
  const std::string title = setting + "\nE||grad f(x_R)|| against the theorem's bound, " +
                            std::to_string(seeds) + " seeds per point";
  // The key below each panel; `height 1`: without it the lower panel's key runs into its x label.
  const std::string common =
      std::string(kBudgetAxes) +
      "set key bmargin left vertical Left reverse maxcols 1 spacing 1.1 height 1\n";
  f.body =
      "set datafile missing \"nan\"\n"
      "set lmargin 12\n"
      "set rmargin 6\n"
      "set multiplot\n"
      "set size 1, " +
      Num(top_frac) + "\nset origin 0, " + Num(1.0 - top_frac) + "\n" + common + "set yrange [" +
      fl + ":" + Short(y_hi * 2.0) + "]\n" + "set ylabel " +
      GnuplotQuote("E||grad f(x_R)|| (mean of mean_grad_norm over seeds)") + "\n" + "set title " +
      GnuplotQuote(title) + "\n" + "plot \\\n" + top + "\n" + "set size 1, " + Num(1.0 - top_frac) +
      "\nset origin 0, 0\n" + "unset title\n" + "set yrange [" + rfl + ":" + Short(r_hi * 2.0) +
      "]\n" + "set ylabel " + GnuplotQuote("measured / bound") + "\n" + "plot \\\n" + bottom +
      "\n" + "unset multiplot\n";
  f.width_px = 1200;
  f.height_px = height;
  return f;
}

}  // namespace clipsim::plots::detail

// Sensitivity of the bound check to the prescription: measured / bound at the largest budget of
// each theory cell against one varied column, the other varied columns at their centre.
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "clipsim/core/number_parse.hpp"
#include "clipsim/plots/gnuplot.hpp"
#include "figures.hpp"
#include "plot_text.hpp"

namespace clipsim::plots::detail {
namespace {

using analysis::CellAnalysis;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool IsSensitivityColumn(const std::string& column) {
  return std::find(std::begin(kSensitivityColumns), std::end(kSensitivityColumns), column) !=
         std::end(kSensitivityColumns);
}

bool IsFactor(const std::string& column) {
  return column == "schedule.batch_factor" || column == "schedule.clip_factor";
}

// The cell's value of a sensitivity column: the grid axis by name; a cell that leaves a factor
// unset runs it at 1 (the prescription), and p and the dimension fall back to the resolved
// columns of cells.csv. NaN when the text is not a number.
double ColumnValue(const CellAnalysis& cell, const std::string& column) {
  std::string text = cell.info.Get(column);
  if (text.empty()) {
    if (IsFactor(column)) text = "1";
    if (column == "p") text = cell.info.p;
    if (column == "problem.dim") text = cell.info.dim;
  }
  double v = 0.0;
  return ParseDouble(text, v, NumberSyntax::kFinite) ? v : kNaN;
}

// The cells compared in one sensitivity figure agree on everything but the sensitivity columns.
std::string GroupKey(const CellAnalysis& cell, const std::vector<std::string>& columns) {
  std::string key = cell.regime.entry + "|" + cell.regime.method;
  for (std::size_t c = 0; c < columns.size() && c < cell.info.params.size(); ++c) {
    if (IsSensitivityColumn(columns[c])) continue;
    key += "|" + columns[c] + "=" + cell.info.params[c];
  }
  return key;
}

// "problem nonconvex_sum, dim 1; noise ...; p 1.4", leaving out what the figure varies.
std::string GroupTitle(const SensitivityGroup& g) {
  const analysis::CellInfo& i = g.cells.front()->info;
  const auto varied = [&](const std::string& column) {
    return std::any_of(g.axes.begin(), g.axes.end(),
                       [&](const SensitivityAxis& a) { return a.column == column; });
  };
  std::string line = g.entry + " cells";
  const std::string problem = i.problem.empty() ? i.Get("problem.kind") : i.problem;
  if (!problem.empty()) line += "; problem " + problem;
  const std::string dim = i.dim.empty() ? i.Get("problem.dim") : i.dim;
  if (!dim.empty() && !varied("problem.dim")) line += ", dim " + dim;
  if (!i.noise.empty()) line += "; noise " + i.noise;
  const std::string p = i.p.empty() ? i.Get("p") : i.p;
  if (!p.empty() && !varied("p")) line += "; p " + p;
  return line;
}

std::string CentreText(const SensitivityGroup& g) {
  std::string text;
  for (const SensitivityAxis& a : g.axes) {
    if (!text.empty()) text += ", ";
    text += a.column + " = " + Num(a.centre);
  }
  return text;
}

}  // namespace

std::vector<SensitivityGroup> SensitivityGroups(const analysis::SweepAnalysis& analysis) {
  std::vector<std::string> keys;
  std::vector<SensitivityGroup> groups;
  for (const CellAnalysis& cell : analysis.cells) {
    if (!cell.regime.applicable || cell.regime.control || cell.bound.budgets.empty()) continue;
    const std::string key = GroupKey(cell, analysis.param_columns);
    auto it = std::find(keys.begin(), keys.end(), key);
    if (it == keys.end()) {
      keys.push_back(key);
      groups.emplace_back();
      groups.back().entry = cell.regime.entry;
      it = keys.end() - 1;
    }
    SensitivityGroup& g = groups[static_cast<std::size_t>(it - keys.begin())];
    g.cells.push_back(&cell);
    std::vector<double> values;
    for (const char* column : kSensitivityColumns) values.push_back(ColumnValue(cell, column));
    g.values.push_back(std::move(values));
  }
  std::vector<SensitivityGroup> out;
  for (SensitivityGroup& g : groups) {
    // Per column: the distinct values in cell order with their counts; the centre is the most
    // frequent, the first met among equals.
    std::vector<std::size_t> kept;
    for (std::size_t k = 0; k < std::size(kSensitivityColumns); ++k) {
      std::vector<std::pair<double, int>> counts;
      for (const std::vector<double>& v : g.values) {
        if (!std::isfinite(v[k])) continue;
        auto it = std::find_if(counts.begin(), counts.end(),
                               [&](const auto& c) { return c.first == v[k]; });
        if (it == counts.end()) {
          counts.emplace_back(v[k], 1);
        } else {
          ++it->second;
        }
      }
      if (counts.size() < 2) continue;
      const auto centre =
          std::max_element(counts.begin(), counts.end(),
                           [](const auto& a, const auto& b) { return a.second < b.second; });
      const std::string column = kSensitivityColumns[k];
      g.axes.push_back({column, centre->first, column != "p"});
      kept.push_back(k);
    }
    if (g.axes.empty()) continue;
    for (std::vector<double>& v : g.values) {
      std::vector<double> only;
      for (std::size_t k : kept) only.push_back(v[k]);
      v = std::move(only);
    }
    out.push_back(std::move(g));
  }
  return out;
}

Figure SensitivityPlot(const std::string& name, const SensitivityGroup& g,
                       const analysis::SweepAnalysis& analysis) {
  const std::string title = GroupTitle(g);
  Figure f;
  f.name = name;
  f.caption =
      "Sensitivity of the bound check (" + title +
      "): for each varied column, measured / bound at the largest budget of each cell (the mean "
      "over seeds of the final mean_grad_norm over the registry entry's in-expectation bound at "
      "its prescription) against the column's value, with the " +
      ShownBoundLevel(analysis) +
      " divided by the bound as error bars. A panel uses the cells whose other varied columns "
      "are at their centre, the most frequent value of each column among the cells (the first "
      "met in cell order among equally frequent ones); here " +
      CentreText(g) +
      ". Orange vertical line: the prescription (factor 1) for the factors, the centre for p and "
      "the dimension; dashed: the bound (ratio 1). Filled points: testable at that budget, open: "
      "not (regime.hpp: " +
      analysis.options.regime.Describe() + ").";
  std::string data = "# " + f.caption + "\n# centre: " + CentreText(g) +
                     "\n# One block per varied column (gnuplot index i).\n";
  const std::size_t panels = g.axes.size();
  const std::size_t cols = panels == 1 ? 1 : 2;
  const std::size_t rows = (panels + cols - 1) / cols;
  std::string body = "set datafile missing \"nan\"\nset multiplot layout " + std::to_string(rows) +
                     "," + std::to_string(cols) + " title " +
                     GnuplotQuote(title + "\nmeasured / bound at the largest budget") + "\n";
  for (std::size_t k = 0; k < panels; ++k) {
    const SensitivityAxis& a = g.axes[k];
    std::string others;
    for (std::size_t j = 0; j < panels; ++j) {
      if (j == k) continue;
      others += std::string(others.empty() ? "" : ", ") + g.axes[j].column + " = " +
                Num(g.axes[j].centre);
    }
    // The cells of this panel, by value.
    std::vector<std::size_t> members;
    for (std::size_t c = 0; c < g.cells.size(); ++c) {
      bool at_centre = std::isfinite(g.values[c][k]);
      for (std::size_t j = 0; j < panels; ++j) {
        if (j != k && g.values[c][j] != g.axes[j].centre) at_centre = false;
      }
      if (at_centre) members.push_back(c);
    }
    std::stable_sort(members.begin(), members.end(),
                     [&](std::size_t x, std::size_t y) { return g.values[x][k] < g.values[y][k]; });
    data += "# column " + a.column + ", centre " + Num(a.centre) + "; cells with " +
            (others.empty() ? std::string("no other varied column") : others) +
            "\n# value N ratio ratio_lower ratio_upper testable mean mean_lower mean_upper bound "
            "seeds cell\n";
    double lo = 1.0, hi = 1.0;
    for (std::size_t c : members) {
      const analysis::BudgetBoundCheck& b = g.cells[c]->bound.budgets.back();
      const BoundPoint p = ShownBoundPoint(b);
      for (double y : {p.ratio, p.ratio_lower, p.ratio_upper}) {
        if (std::isfinite(y) && y > 0) {
          lo = std::min(lo, y);
          hi = std::max(hi, y);
        }
      }
      data += Num(g.values[c][k]) + " " + std::to_string(b.budget) + " " + Num(p.ratio) + " " +
              Num(p.ratio_lower) + " " + Num(p.ratio_upper) + " " + (b.testable ? "1" : "0") + " " +
              Num(p.mean) + " " + Num(p.lower) + " " + Num(p.upper) + " " + Num(b.bound) + " " +
              std::to_string(b.seeds) + " " + g.cells[c]->info.id + "\n";
    }
    data += "\n\n";
    // The x range holds every value and the mark, with a margin (so the ratio-1 line spans it).
    const double mark = IsFactor(a.column) ? 1.0 : a.centre;
    double x_lo = mark, x_hi = mark;
    for (std::size_t c : members) {
      x_lo = std::min(x_lo, g.values[c][k]);
      x_hi = std::max(x_hi, g.values[c][k]);
    }
    const bool log_x = a.log_x && x_lo > 0;
    const double span = x_hi > x_lo ? x_hi - x_lo : std::max(std::abs(x_hi), 1.0);
    const std::string x_range =
        log_x ? "[" + Short(x_lo / 1.6) + ":" + Short(x_hi * 1.6) + "]"
              : "[" + Short(x_lo - 0.1 * span) + ":" + Short(x_hi + 0.1 * span) + "]";
    // A tick at every value on a log axis (a factor grid spans too little for decade ticks).
    std::string xtics = "set xtics autofreq\n";
    if (log_x && !members.empty()) {
      std::vector<double> ticks;
      for (std::size_t c : members) ticks.push_back(g.values[c][k]);
      ticks.erase(std::unique(ticks.begin(), ticks.end()), ticks.end());
      xtics = "set xtics (";
      for (std::size_t t = 0; t < ticks.size(); ++t) {
        xtics +=
            std::string(t ? ", " : "") + GnuplotQuote(Short(ticks[t], 4)) + " " + Num(ticks[t]);
      }
      xtics += ")\n";
    }
    std::string budget_text = "each at its largest N";
    if (!members.empty() && std::all_of(members.begin(), members.end(), [&](std::size_t c) {
          return g.cells[c]->bound.budgets.back().budget ==
                 g.cells[members.front()]->bound.budgets.back().budget;
        })) {
      budget_text =
          "at N = " + std::to_string(g.cells[members.front()]->bound.budgets.back().budget);
    }
    const std::string floor = Short(lo / 3.0);
    const std::string low = "($4>" + floor + "?$4:" + floor + ")";
    const std::string src = "  " + GnuplotQuote(name + ".dat") + " index " + std::to_string(k);
    const std::string mark_title =
        IsFactor(a.column) ? "prescription (factor 1)" : "centre " + a.column + " = " + Num(mark);
    std::string plot;
    if (members.empty()) {
      // A design without the centre combination: nothing to draw for this column.
      plot += "  keyentry title \"no cell has the other varied columns at their centre\", \\\n";
    } else {
      plot += src + " using 1:3 with lines lc rgb \"#0072B2\" lw 1.2 notitle, \\\n";
      plot += src + " using 1:($6>0?$3:1/0):" + low +
              ":5 with yerrorbars lc rgb \"#0072B2\" lw 1.5 pt 7 ps 1.1 title " +
              GnuplotQuote("measured / bound, filled: testable") + ", \\\n";
      plot += src + " using 1:($6>0?1/0:$3):" + low +
              ":5 with yerrorbars lc rgb \"#0072B2\" lw 1.5 pt 6 ps 1.1 title \"open: not "
              "testable\", \\\n";
    }
    plot +=
        "  1 with lines lc rgb \"#222222\" lw 2 dt 2 title \"measured = bound (ratio 1)\", \\\n";
    plot += "  keyentry with lines lc rgb \"#D55E00\" lw 2.5 dt (6,3) title " +
            GnuplotQuote(mark_title);
    body +=
        std::string(log_x ? "set logscale x\n" : "unset logscale x\n") +
        "set logscale y\n"
        "set xrange " +
        x_range + "\n" + xtics +
        "set grid xtics ytics mxtics mytics lc rgb \"#dddddd\"\n"
        "set xlabel " +
        GnuplotQuote(a.column + (others.empty() ? "" : " (" + others + ")")) + "\n" +
        "set ylabel \"measured / bound\"\n" + "set yrange [" + floor + ":" + Short(hi * 2.0) +
        "]\n" + "unset arrow\n" + "set arrow from " + Num(mark) + ", graph 0 to " + Num(mark) +
        ", graph 1 nohead back lc rgb \"#D55E00\" lw 2.5 dt (6,3)\n" + "set title " +
        GnuplotQuote(a.column + ": " + std::to_string(members.size()) + " cells, " + budget_text) +
        "\n" + "set key bmargin left vertical Left reverse maxcols 1 spacing 1.1 height 1\n" +
        "plot \\\n" + plot + "\n";
  }
  body += "unset multiplot\n";
  f.data.emplace_back(name + ".dat", data);
  f.body = body;
  f.width_px = cols == 1 ? 800 : 1400;
  f.height_px = static_cast<int>(rows) * 620 + 60;
  return f;
}

}  // namespace clipsim::plots::detail

// The floor of clipped SGD with a fixed threshold (analysis/clip_floor.hpp; Koloskova, Hendrikx &
// Stich 2023): the final ||grad f(x_N)|| at the largest budget against the threshold c and against
// the noise scale sigma, with the lower bound, the upper bound and the construction's exact floor.
#include <algorithm>
#include <cmath>
#include <limits>

#include "clipsim/analysis/clip_floor.hpp"
#include "clipsim/noise/noise_spec.hpp"
#include "clipsim/plots/gnuplot.hpp"
#include "figures.hpp"
#include "plot_text.hpp"

namespace clipsim::plots::detail {
namespace {

using analysis::BudgetSummary;
using analysis::CellAnalysis;

// The most frequent value (the first met among equally frequent ones).
double Mode(const std::vector<double>& values) {
  std::vector<std::pair<double, int>> counts;
  for (double v : values) {
    auto it =
        std::find_if(counts.begin(), counts.end(), [&](const auto& c) { return c.first == v; });
    if (it == counts.end()) {
      counts.emplace_back(v, 1);
    } else {
      ++it->second;
    }
  }
  double mode = std::numeric_limits<double>::quiet_NaN();
  int most = 0;
  for (const auto& [value, count] : counts) {
    if (count > most) {
      mode = value;
      most = count;
    }
  }
  return mode;
}

// Which law a point shows: the construction (a two-point atom whose every point sits at 2c/sigma,
// or 2 for sigma >= 2c), another two-point law, or the noise's own family.
bool AtConstruction(const FloorPoint& p) {
  const double construction = analysis::ClipFloorConstructionAtom(p.c, p.sigma);
  return std::abs(p.atom - construction) <= 1e-9 * construction;
}

std::string SeriesOf(const FloorPoint& p, const std::vector<FloorPoint>& points) {
  if (std::isnan(p.atom)) return p.family;
  const bool construction = std::all_of(points.begin(), points.end(), [&](const FloorPoint& o) {
    return o.atom != p.atom || AtConstruction(o);
  });
  if (construction) return "two-point, the construction (atom 2c/sigma, or 2 for sigma >= 2c)";
  if (p.atom == 1.0) return "two-point, symmetric (atom 1)";
  return "two-point, atom " + Short(p.atom);
}

}  // namespace

std::vector<FloorPoint> FloorPoints(const analysis::SweepResults& results,
                                    const analysis::SweepAnalysis& analysis) {
  std::vector<FloorPoint> points;
  for (const CellAnalysis& cell : analysis.cells) {
    const auto r =
        std::find_if(results.cells.begin(), results.cells.end(),
                     [&](const analysis::CellResults& c) { return c.info.id == cell.info.id; });
    if (r == results.cells.end() || r->budgets.empty() || !r->budgets.back().has_resolved) continue;
    const analysis::ResolvedRun& run = r->budgets.back().resolved;
    const analysis::MetricAnalysis* m = cell.Find("grad_norm");
    // The bounds' premise (claims_floor.cpp): Clip-SGD, batch 1, dimension 1, sigma = sigma(2).
    if (m == nullptr || m->budgets.empty() || run.method != "clip_sgd" || run.batch_size != 1 ||
        run.accumulation != 1 || run.p != 2.0 || !(std::isfinite(run.sigma) && run.sigma > 0.0) ||
        !(std::isfinite(run.clip_threshold) && run.clip_threshold > 0.0) ||
        (!cell.info.dim.empty() && cell.info.dim != "1") || !run.prescription.empty()) {
      continue;
    }
    FloorPoint p;
    p.cell = &cell;
    p.c = run.clip_threshold;
    p.sigma = run.sigma;
    p.atom = analysis::TwoPointAtomOfNoise(cell.info.noise);
    p.family = noise::NoiseFamily(cell.info.noise);
    const BudgetSummary& last = m->budgets.back();
    p.budget = last.budget;
    p.mean = last.mean;
    p.lower = last.mean_ci.lower;
    p.upper = last.mean_ci.upper;
    if (m->budgets.size() >= 2) p.ratio = last.mean / m->budgets[m->budgets.size() - 2].mean;
    points.push_back(p);
  }
  if (points.size() < 2) points.clear();
  return points;
}

Figure FloorPlot(const std::string& name, const std::vector<FloorPoint>& points) {
  std::vector<double> cs, sigmas;
  for (const FloorPoint& p : points) {
    cs.push_back(p.c);
    sigmas.push_back(p.sigma);
  }
  const double sigma_star = Mode(sigmas);
  const double c_star = Mode(cs);
  Figure f;
  f.name = name;
  f.caption =
      "The floor of Clip-SGD with a fixed threshold c (batch 1, f = L x^2 / 2 in dimension 1, "
      "p = 2): the mean over seeds of ||grad f(x_N)|| at the largest budget, with its bootstrap "
      "interval, against c at sigma = " +
      Short(sigma_star) + " (left) and against sigma = sigma(2) at c = " + Short(c_star) +
      " (right; each panel drawn where its points take two values or more); filled where the floor "
      "is resolved (the mean moved by at most 10% between the "
      "last two budgets), open where it is still falling. Lines: the lower bound min(sigma, "
      "sigma^2/c)/4, the upper bound for any mean-zero law of variance sigma^2, and the exact "
      "floor "
      "of the two-point construction (analysis/clip_floor.hpp, analysis/THEORY.md).";
  // Series in order of first appearance; per panel the points of the series on that panel.
  std::vector<std::string> series;
  for (const FloorPoint& p : points) {
    const std::string s = SeriesOf(p, points);
    if (std::find(series.begin(), series.end(), s) == series.end()) series.push_back(s);
  }
  std::string data = "# " + f.caption +
                     "\n# Blocks (gnuplot index i): per series the points against c, then per "
                     "series the points against sigma, then the curves against c and against "
                     "sigma.\n# Point columns: x F F_lower F_upper resolved c sigma N\n";
  double y_lo = 1e300, y_hi = 0.0;
  const auto widen = [&](double y) {
    if (std::isfinite(y) && y > 0.0) {
      y_lo = std::min(y_lo, y);
      y_hi = std::max(y_hi, y);
    }
  };
  double c_lo = 1e300, c_hi = 0.0, s_lo = 1e300, s_hi = 0.0;
  for (bool against_c : {true, false}) {
    for (const std::string& s : series) {
      data += "# " + s + (against_c ? ", against c" : ", against sigma") + "\n";
      bool any = false;
      for (const FloorPoint& p : points) {
        if (SeriesOf(p, points) != s) continue;
        if (against_c ? p.sigma != sigma_star : p.c != c_star) continue;
        const bool resolved = std::abs(p.ratio - 1.0) <= 0.1;
        const double x = against_c ? p.c : p.sigma;
        if (against_c) {
          c_lo = std::min(c_lo, x);
          c_hi = std::max(c_hi, x);
        } else {
          s_lo = std::min(s_lo, x);
          s_hi = std::max(s_hi, x);
        }
        for (double y : {p.mean, p.lower, p.upper}) widen(y);
        data += Num(x) + " " + Num(p.mean) + " " + Num(p.lower) + " " + Num(p.upper) + " " +
                (resolved ? "1" : "0") + " " + Num(p.c) + " " + Num(p.sigma) + " " +
                std::to_string(p.budget) + "\n";
        any = true;
      }
      // gnuplot skips a block without data lines, which would shift every later index.
      if (!any) data += "nan nan nan nan 0 nan nan 0\n";
      data += "\n\n";
    }
  }
  // The curves on a log grid a little wider than the points.
  const auto curves = [&](bool against_c, double lo, double hi) {
    std::string block =
        std::string("# curves against ") +
        (against_c ? "c at sigma = " + Num(sigma_star) : "sigma at c = " + Num(c_star)) +
        "\n# x lower_bound upper_bound construction_floor\n";
    if (!(hi > 0.0)) lo = hi = 1.0;
    const double a = std::log(lo / 1.5), b = std::log(hi * 1.5);
    for (int i = 0; i <= 200; ++i) {
      const double x = std::exp(a + (b - a) * i / 200.0);
      const double c = against_c ? x : c_star;
      const double sigma = against_c ? sigma_star : x;
      const double l = analysis::ClipFloorLowerBound(c, sigma);
      const double u = analysis::ClipFloorUpperBound(c, sigma);
      const double k = analysis::ConstructionFloor(c, sigma);
      widen(l);
      widen(u);
      block += Num(x) + " " + Num(l) + " " + Num(u) + " " + Num(k) + "\n";
    }
    return block + "\n\n";
  };
  data += curves(true, c_lo, c_hi);
  data += curves(false, s_lo, s_hi);
  f.data.emplace_back(name + ".dat", data);

  if (!(y_hi > 0.0)) y_lo = y_hi = 1.0;
  const std::string file = GnuplotQuote(name + ".dat");
  const std::size_t n = series.size();
  std::string panels[2];
  for (int panel = 0; panel < 2; ++panel) {
    std::string& plot = panels[panel];
    const std::size_t curve_block = 2 * n + static_cast<std::size_t>(panel);
    const std::string cb = "  " + file + " index " + std::to_string(curve_block);
    plot += cb + " using 1:2 with lines lc rgb \"#222222\" lw 2 dt 2 title " +
            GnuplotQuote("lower bound min(sigma, sigma^2/c)/4") + ", \\\n";
    plot += cb + " using 1:3 with lines lc rgb \"#222222\" lw 2.5 title " +
            GnuplotQuote("upper bound (any law of variance sigma^2)") + ", \\\n";
    plot += cb + " using 1:4 with lines lc rgb \"#999999\" lw 1.5 dt (4,4) title " +
            GnuplotQuote("the construction's exact floor") + ", \\\n";
    for (std::size_t s = 0; s < n; ++s) {
      const std::string src =
          "  " + file + " index " + std::to_string(static_cast<std::size_t>(panel) * n + s);
      const std::string color = "lc rgb " + GnuplotQuote(Color(s));
      plot += src + " using 1:($5>0?$2:1/0):3:4 with yerrorbars " + color +
              " lw 1.5 pt 7 ps 1.2 title " + GnuplotQuote(series[s]) + ", \\\n";
      plot += src + " using 1:($5>0?1/0:$2):3:4 with yerrorbars " + color +
              " lw 1.5 pt 6 ps 1.2 notitle, \\\n";
    }
    plot +=
        "  keyentry with points lc rgb \"#444444\" pt 6 title \"open: not resolved (still "
        "falling)\", \\\n";
    EndPlotList(plot);
  }
  // A panel is drawn where its points take at least two values of its x (the c panel when
  // neither does).
  const auto distinct = [&](bool against_c) {
    std::vector<double> xs;
    for (const FloorPoint& p : points) {
      if (against_c ? p.sigma != sigma_star : p.c != c_star) continue;
      const double x = against_c ? p.c : p.sigma;
      if (std::find(xs.begin(), xs.end(), x) == xs.end()) xs.push_back(x);
    }
    return xs.size();
  };
  std::vector<int> drawn;
  if (distinct(true) >= 2) drawn.push_back(0);
  if (distinct(false) >= 2) drawn.push_back(1);
  if (drawn.empty()) drawn.push_back(0);
  const int height = 560 + 24 * KeyEntries(panels[drawn.front()]);
  const std::string axes =
      "set logscale xy\n"
      "set grid xtics ytics mxtics mytics lc rgb \"#dddddd\"\n"
      "set key bmargin left vertical Left reverse maxcols 1 spacing 1.1 height 1\n"
      "set yrange [" +
      Short(y_lo / 2.0) + ":" + Short(y_hi * 2.0) + "]\n" +
      "set ylabel \"floor: mean ||grad f(x_N)|| over seeds\"\n";
  f.body =
      "set datafile missing \"nan\"\n"
      "set multiplot layout 1, " +
      std::to_string(drawn.size()) + " title " +
      GnuplotQuote("The floor of clipped SGD against the threshold and the noise scale") + "\n" +
      axes;
  for (int panel : drawn) {
    const bool against_c = panel == 0;
    const double lo = against_c ? c_lo : s_lo, hi = against_c ? c_hi : s_hi;
    f.body += "set xrange [" + Short(lo / 1.6) + ":" + Short(hi * 1.6) + "]\n";
    f.body += against_c ? "set xlabel \"clipping threshold c\"\nset title " +
                              GnuplotQuote("against c, sigma = " + Short(sigma_star)) + "\n"
                        : "set xlabel \"noise scale sigma = sigma(2)\"\nset title " +
                              GnuplotQuote("against sigma, c = " + Short(c_star)) + "\n";
    f.body += "plot \\\n" + panels[panel] + "\n";
  }
  f.body += "unset multiplot\n";
  f.width_px = drawn.size() == 2 ? 1600 : 900;
  f.height_px = height;
  return f;
}

}  // namespace clipsim::plots::detail

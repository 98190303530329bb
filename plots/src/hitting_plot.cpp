// Iterations to eps against M (hitting_time.hpp): for a sweep whose runs stop at ||grad f|| <= eps,
// one figure per problem family (the kind and its parameters other than the one moving M), log-log,
// one curve per method: its best count per instance (the fewest iterations over the method's cells
// there: GD over its grid of steps), with Theorem 3's bound of clipped GD drawn where the clipped
// cells run Theorem 3's step and threshold.
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "clipsim/analysis/hitting_time.hpp"
#include "clipsim/plots/gnuplot.hpp"
#include "figures.hpp"
#include "plot_text.hpp"

namespace clipsim::plots::detail {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The problem family of a cell: its kind and every problem.* grid column but the one that moves M
// on the separation instance (problem.level_set_gradient); the start (start_scale) is not part of
// it, so a family's instances are its values of M.
std::string FamilyKey(const analysis::CellInfo& info) {
  std::string key = info.problem + " dim " + info.dim;
  for (const auto& [column, value] : info.columns) {
    if (column.rfind("problem.", 0) == 0 && column != "problem.level_set_gradient" &&
        column != "problem.kind" && column != "problem.dim" && !value.empty()) {
      key += ", " + column.substr(8) + " " + value;
    }
  }
  return key + "; noise " + info.noise;
}

struct Instance {
  double M = kNaN;
  double bound = kNaN;  // Theorem 3's bound, where a clipped cell runs Theorem 3's step
  std::map<std::string, double> best;  // method -> fewest iterations (median over seeds)
};

}  // namespace

std::vector<Figure> HittingPlots(const std::string& dir) {
  const analysis::HittingTable table = analysis::ReadHittingTable(dir);
  if (table.empty()) return {};
  const analysis::SweepResults results =
      analysis::ReadSweepDir(dir, analysis::HittingReadOptions());
  const std::vector<analysis::CellHitting> cells = analysis::HittingTimes(results, table);
  // family -> instance key -> instance; methods in order of first appearance.
  std::vector<std::string> families;
  std::map<std::string, std::map<std::string, Instance>> by_family;
  std::vector<std::string> methods;
  double eps = kNaN;
  for (const analysis::CellHitting& h : cells) {
    const analysis::CellInfo& info = h.cell->info;
    const std::string family = FamilyKey(info);
    if (!by_family.count(family)) families.push_back(family);
    const std::string method = info.method.empty() ? info.Get("optimizer.method") : info.method;
    if (std::find(methods.begin(), methods.end(), method) == methods.end()) {
      methods.push_back(method);
    }
    Instance& inst = by_family[family][info.noise_stream + "|" + Num(h.facts.eps)];
    inst.M = h.facts.M;
    eps = h.facts.eps;
    const double m = h.Median();
    auto it = inst.best.find(method);
    if (it == inst.best.end() || m < it->second) inst.best[method] = m;
    const analysis::ResolvedRun& r = h.runs->resolved;
    const analysis::ClippedGdStep step = analysis::Theorem3Step(h.facts.L0, h.facts.L1);
    // Theorem 3 is about exact gradients: no bound drawn for noisy runs.
    if (method == "clip_sgd" && h.runs->has_resolved && info.noise == "none" &&
        std::abs(r.eta / step.eta - 1) < 1e-9 &&
        std::abs(r.clip_threshold / step.threshold - 1) < 1e-9) {
      inst.bound = analysis::Theorem3Bound(h.facts.L0, h.facts.L1, r.delta, h.facts.eps);
    }
  }
  std::vector<Figure> figures;
  for (std::size_t k = 0; k < families.size(); ++k) {
    std::vector<Instance> points;
    for (const auto& [key, inst] : by_family[families[k]]) points.push_back(inst);
    if (points.size() < 2) continue;
    std::sort(points.begin(), points.end(),
              [](const Instance& a, const Instance& b) { return a.M < b.M; });
    Figure f;
    f.name = "hitting_" + Index2(figures.size()) + "_" + Slug(families[k]);
    f.caption =
        "Iterations to ||grad f|| <= eps = " + Num(eps) +
        " against M = sup ||grad f|| on the "
        "level set of the start (" +
        families[k] +
        "), log-log: per method the fewest iterations over its cells at each M (GD and "
        "normalized GD: the best step of their grids; the median over seeds where there are "
        "several); a method that never reached eps at some M leaves a gap there. Dashed (exact "
        "gradients only): Theorem 3's bound 20 L0 Delta / eps^2 + 20 max(1, L1^2) Delta / L0 of "
        "clipped GD at its step and threshold (Zhang, He, Sra & Jadbabaie 2020).";
    std::string data = "# " + f.caption + "\n# M bound";
    for (const std::string& m : methods) data += " " + m;
    data += "\n";
    bool has_bound = false;
    std::vector<bool> has(methods.size(), false);
    for (const Instance& p : points) {
      data += Num(p.M) + " " + Num(p.bound);
      has_bound = has_bound || std::isfinite(p.bound);
      for (std::size_t j = 0; j < methods.size(); ++j) {
        const auto it = p.best.find(methods[j]);
        const double v = it == p.best.end() || !std::isfinite(it->second) ? kNaN : it->second;
        has[j] = has[j] || std::isfinite(v);
        data += " " + Num(v);
      }
      data += "\n";
    }
    const std::string src = GnuplotQuote(f.name + ".dat");
    std::string plot;
    for (std::size_t j = 0; j < methods.size(); ++j) {
      if (!has[j]) continue;
      const std::string label = methods[j] == "sgd"              ? "(S)GD, best step of its grid"
                                : methods[j] == "clip_sgd"       ? "clipped (S)GD (clip_sgd)"
                                : methods[j] == "normalized_sgd" ? "normalized (S)GD, best step"
                                                                 : methods[j];
      plot += "  " + src + " using 1:" + std::to_string(3 + j) + " with linespoints lc rgb " +
              GnuplotQuote(Color(j)) + " lw 2 pt 7 ps 0.9 title " + GnuplotQuote(label) + ", \\\n";
    }
    if (has_bound) {
      plot += "  " + src +
              " using 1:2 with lines lc rgb \"#444444\" lw 2 dt (12,6) title \"Theorem 3's bound "
              "(clipped GD)\", \\\n";
    }
    EndPlotList(plot);
    f.data.emplace_back(f.name + ".dat", data);
    f.body =
        "set datafile missing \"nan\"\nset logscale xy\nset format x \"%.0s%c\"\n"
        "set format y \"%.0s%c\"\nset autoscale xfix\n"
        "set offsets graph 0.04, graph 0.04, 0, 0\n"
        "set xlabel \"M = sup ||grad f|| on the level set of x_0\"\n"
        "set ylabel \"iterations to ||grad f|| <= " +
        Num(eps) + "\"\nset title " + GnuplotQuote(families[k] + "\niterations to eps against M") +
        "\nset key bmargin left vertical Left reverse maxcols 1 spacing 1.1\n"
        "set grid xtics ytics mxtics mytics lc rgb \"#dddddd\"\n"
        "plot \\\n" +
        plot + "\n";
    f.width_px = 1100;
    f.height_px = HeightFor(plot);
    figures.push_back(std::move(f));
  }
  return figures;
}

}  // namespace clipsim::plots::detail

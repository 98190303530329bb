#include <algorithm>
#include <cmath>
#include <string>

#include "clipsim/core/results_folder.hpp"
#include "clipsim/plots/gnuplot.hpp"
#include "figures.hpp"
#include "plot_text.hpp"

namespace clipsim::plots::detail {

Figure OdePlot(const std::string& name, const std::vector<const analysis::OdeCurve*>& curves) {
  const analysis::OdeCurve& first = *curves.front();
  // The setting without its dimension: method, step and threshold as run, noise, spectrum.
  const analysis::CellInfo& info = first.cell->info;
  std::string label = info.method;
  if (const analysis::BudgetRuns* b = first.cell->Find(first.budget); b && b->has_resolved) {
    label += ", eta " + Short(b->resolved.eta);
    if (std::isfinite(b->resolved.clip_threshold)) {
      label += ", clip_threshold " + Short(b->resolved.clip_threshold);
    }
  }
  const std::string config = info.Get(results_folder::kConfigColumn);
  for (const char* key : {"clip_ratio", "clip_window"}) {
    if (const auto v = results_folder::ConfigValue(config, std::string("optimizer.") + key)) {
      label += ", " + std::string(key) + "=" + *v;
    }
  }
  // The spectrum: the problem's own parameters from `power` on ("power=1 ..."), as configured.
  std::string spectrum;
  const std::string problem = results_folder::ConfigValue(config, "problem").value_or("");
  for (std::size_t at = problem.find("power="); at != std::string::npos;
       at = problem.find("power=", at + 1)) {
    if (at != 0 && problem[at - 1] != ',') continue;
    spectrum = problem.substr(at);
    std::replace(spectrum.begin(), spectrum.end(), ',', ' ');
    break;
  }
  const std::string setting = info.problem + " (" + spectrum + "); noise " + info.noise;
  Figure f;
  f.name = name;
  const std::size_t seeds = first.values.empty() ? 0 : first.values.front().size();
  f.caption = "Risk ODE against simulation (" + label + "; " + setting +
              "): the risk R(x) = value_gap against the samples per dimension k / d (from 0.01), "
              "one colour per dimension d; points: the mean over " +
              std::to_string(seeds) +
              " seeds, band: their 10% to 90% quantiles, line: the deterministic equivalent of "
              "the same run (dynamics/risk_ode.hpp, Marshall et al. 2024).";
  std::string data = "# " + f.caption + "\n# One block per dimension (gnuplot index i).\n";
  std::string plot;
  for (std::size_t k = 0; k < curves.size(); ++k) {
    const analysis::OdeCurve& c = *curves[k];
    // From 1/100 of a sample per dimension on: before that the risk has not moved.
    data += "# d = " + std::to_string(c.dim) + ", cell " + c.cell->info.id +
            ", N = " + std::to_string(c.budget) + "\n# k/d mean q10 q90 ode\n";
    for (std::size_t j = 0; j < c.samples.size(); ++j) {
      if (!(c.samples[j] >= 0.01 * c.dim)) continue;
      const double ode = c.predicted.size() == c.samples.size() ? c.predicted[j] : std::nan("");
      data += Num(c.samples[j] / c.dim) + " " + Num(c.mean[j]) + " " + Num(c.q10[j]) + " " +
              Num(c.q90[j]) + " " + Num(std::isfinite(ode) ? ode : std::nan("")) + "\n";
    }
    data += "\n\n";
    const std::string color = "lc rgb " + GnuplotQuote(Color(k));
    const std::string src = GnuplotQuote(name + ".dat") + " index " + std::to_string(k);
    const std::string d = "d = " + std::to_string(c.dim);
    plot += "  " + src + " using 1:3:4 with filledcurves " + color +
            " fillstyle transparent solid 0.15 noborder notitle, \\\n";
    plot += "  " + src + " using 1:2 with points " + color + " pt 7 ps 0.7 title " +
            GnuplotQuote(d + ": simulated mean (band 10%-90%)") + ", \\\n";
    plot += "  " + src + " using 1:5 with lines " + color + " lw 2 title " +
            GnuplotQuote(d + ": risk ODE" + (c.why.empty() ? "" : " (none: " + c.why + ")")) +
            ", \\\n";
  }
  EndPlotList(plot);
  f.data.emplace_back(name + ".dat", data);
  f.body =
      "set datafile missing \"nan\"\n"
      "set logscale xy\n"
      "set grid xtics ytics mxtics mytics lc rgb \"#dddddd\"\n"
      "set xlabel \"k / d (samples per dimension)\"\n"
      "set ylabel \"risk R(x) = (x - x*)^T K (x - x*) / 2\"\n"
      "set title " +
      GnuplotQuote(label + "\n" + setting + ": risk ODE vs simulation") + "\n" +
      KeyBelowThenPlot(plot);
  f.width_px = 1100;
  f.height_px = HeightFor(plot);
  return f;
}

}  // namespace clipsim::plots::detail

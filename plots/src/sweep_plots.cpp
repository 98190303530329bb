#include "clipsim/plots/sweep_plots.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "clipsim/core/input_error.hpp"
#include "clipsim/plots/gnuplot.hpp"
#include "figures.hpp"
#include "plot_text.hpp"

namespace clipsim::plots {
namespace {

std::string FileName(const std::string& path) {
  return std::filesystem::path(path).filename().string();
}

}  // namespace

PlotReport WriteSweepPlots(const analysis::SweepResults& results,
                           const analysis::SweepAnalysis& analysis, const std::string& out_dir,
                           const PlotOptions& options) {
  PlotReport report;
  const GnuplotInfo& g = FindGnuplot();
  if (!g.found) {
    report.note =
        "gnuplot not found on PATH: data and scripts only (install gnuplot and run "
        "`gnuplot NAME.gp` in " +
        out_dir + ")";
  } else {
    report.note = g.version + ", terminals " + (g.png_terminal.empty() ? "none" : g.png_terminal) +
                  (g.pdf_terminal.empty() ? "" : " + " + g.pdf_terminal);
  }

  // Settings in order of first appearance.
  std::vector<std::pair<std::string, detail::CellGroup>> settings;
  for (const analysis::CellAnalysis& c : analysis.cells) {
    auto it = std::find_if(settings.begin(), settings.end(),
                           [&](const auto& s) { return s.first == c.setting; });
    if (it == settings.end()) {
      settings.emplace_back(c.setting, detail::CellGroup{});
      it = settings.end() - 1;
    }
    it->second.push_back(&c);
  }

  std::vector<Figure> figures;
  // A sweep whose runs stop at ||grad f|| <= eps (hitting.csv) is about iterations to eps: its
  // figures are the hitting-time curves; the per-setting figures against the budget would read
  // the stopped runs' repeated final state as a rate.
  std::vector<Figure> hitting = detail::HittingPlots(results.dir);
  if (!hitting.empty()) settings.clear();
  for (std::size_t s = 0; s < settings.size(); ++s) {
    const detail::CellGroup& cells = settings[s].second;
    const std::string slug = detail::SettingSlug(*cells.front());
    const std::string tag = detail::Index2(s) + "_" + slug;
    figures.push_back(detail::RatePlot("rate_" + tag, cells, analysis));
    figures.push_back(detail::DeltaPlot("delta_" + tag, cells, analysis));
    std::vector<const analysis::PairedComparison*> pairs;
    for (const analysis::PairedComparison& p : analysis.paired) {
      if (p.setting == settings[s].first) pairs.push_back(&p);
    }
    if (!pairs.empty()) {
      figures.push_back(detail::ComparisonPlot(
          "compare_" + tag, detail::SettingTitle(*cells.front()), pairs, analysis));
    }
    if (detail::HasTheoryCell(cells)) {
      figures.push_back(detail::BoundPlot("bound_" + tag, cells, analysis));
    }
  }
  // Risk ODE against simulation: one figure per setting of streaming_least_squares cells (every
  // grid column but problem.dim), each cell at its largest budget, by increasing dimension.
  const std::vector<analysis::OdeCurve> ode_curves = analysis::OdeCurves(results, "value_gap");
  std::vector<std::pair<std::string, std::vector<const analysis::OdeCurve*>>> ode_groups;
  for (const analysis::OdeCurve& c : ode_curves) {
    if (c.budget != c.cell->budgets.back().budget) continue;
    const std::string key = analysis::OdeSettingKey(results, *c.cell);
    auto it = std::find_if(ode_groups.begin(), ode_groups.end(),
                           [&](const auto& group) { return group.first == key; });
    if (it == ode_groups.end()) {
      ode_groups.emplace_back(key, std::vector<const analysis::OdeCurve*>{});
      it = ode_groups.end() - 1;
    }
    it->second.push_back(&c);
  }
  for (std::size_t k = 0; k < ode_groups.size(); ++k) {
    std::vector<const analysis::OdeCurve*>& group = ode_groups[k].second;
    std::stable_sort(group.begin(), group.end(),
                     [](const auto* a, const auto* b) { return a->dim < b->dim; });
    const analysis::CellInfo& i = group.front()->cell->info;
    const std::string slug = detail::Slug(i.method + " " + detail::CompactNoise(i.noise));
    figures.push_back(detail::OdePlot("ode_" + detail::Index2(k) + "_" + slug, group));
  }
  for (std::size_t k = 0; k < results.noise.size(); ++k) {
    const analysis::NoiseNorms& norms = results.noise[k];
    const auto check = std::find_if(
        analysis.noise.begin(), analysis.noise.end(),
        [&](const analysis::NoiseCheck& c) { return c.noise_stream == norms.noise_stream; });
    if (check == analysis.noise.end()) continue;
    const std::string slug = detail::Slug(norms.noise.empty() ? norms.noise_stream : norms.noise);
    figures.push_back(detail::NoiseTailPlot(
        "noise_tail_" + detail::Index2(k) + "_" + slug + "_d" + detail::Slug(norms.dim), norms,
        *check));
  }

  const std::vector<detail::SensitivityGroup> groups = detail::SensitivityGroups(analysis);
  for (std::size_t k = 0; k < groups.size(); ++k) {
    const analysis::CellInfo& i = groups[k].cells.front()->info;
    const std::string problem = i.problem.empty() ? i.Get("problem.kind") : i.problem;
    const std::string slug =
        detail::Slug(groups[k].entry + " " + problem + " " + detail::CompactNoise(i.noise));
    figures.push_back(detail::SensitivityPlot("sensitivity_" + detail::Index2(k) + "_" + slug,
                                              groups[k], analysis));
  }

  const std::vector<detail::FloorPoint> floor = detail::FloorPoints(results, analysis);
  if (!floor.empty())
    figures.push_back(detail::FloorPlot("floor_" + detail::Slug(FileName(analysis.dir)), floor));
  for (Figure& f : hitting) figures.push_back(std::move(f));

  for (const Figure& f : figures) report.figures.push_back(WriteFigure(f, out_dir, options.render));

  std::string index = "# Figures of " + analysis.dir + "\n\n";
  index +=
      "Each figure comes with its data (NAME.dat) and gnuplot script (NAME.gp); run `gnuplot "
      "NAME.gp` in this folder to render it again after editing. Rendered with: " +
      report.note + ".\n\n";
  for (const FigureFiles& f : report.figures) {
    index += "## " + f.name + "\n\n" + f.caption + "\n\n";
    if (!f.png.empty()) index += "![" + f.name + "](" + FileName(f.png) + ")\n\n";
    index += "Files: " + FileName(f.script);
    for (const std::string& d : f.data) index += ", " + FileName(d);
    if (!f.png.empty()) index += ", " + FileName(f.png);
    if (!f.pdf.empty()) index += ", " + FileName(f.pdf);
    index += "\n";
    if (!f.error.empty()) index += "\nNote: " + f.error + "\n";
    index += "\n";
  }
  report.index = out_dir + "/index.md";
  std::ofstream out(report.index, std::ios::binary | std::ios::trunc);
  if (!out) throw InputError("cannot write the file", {report.index});
  out << index;
  return report;
}

}  // namespace clipsim::plots

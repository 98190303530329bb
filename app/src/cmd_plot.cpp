// clipsim plot DIR [options]: the rate, delta, noise-tail and method-comparison figures of a
// sweep folder under DIR/plots/ (PNG and PDF with gnuplot, each with its data and script).
#include <cstdio>
#include <memory>
#include <string>

#include "analysis_args.hpp"
#include "clipsim/analysis/sweep_analysis.hpp"
#include "clipsim/analysis/sweep_results.hpp"
#include "clipsim/plots/sweep_plots.hpp"
#include "command.hpp"

namespace clipsim::app {
namespace {

struct PlotArgs {
  AnalysisArgs common;
  std::string out;  // default DIR/plots
  bool no_render = false;
};

int RunPlot(const PlotArgs& args) {
  const analysis::SweepResults results =
      analysis::ReadSweepDir(args.common.dir, args.common.Read());
  const analysis::SweepAnalysis a = analysis::AnalyzeSweep(results, args.common.options);
  const std::string out =
      args.out.empty() ? args.common.dir + "/" + std::string(plots::kPlotsFolder) : args.out;
  plots::PlotOptions options;
  options.render = !args.no_render;
  const plots::PlotReport report = plots::WriteSweepPlots(results, a, out, options);
  int failed = 0;
  for (const plots::FigureFiles& f : report.figures) {
    if (!f.png.empty()) std::printf("%s\n", f.png.c_str());
    if (!f.pdf.empty()) std::printf("%s\n", f.pdf.c_str());
    if (f.png.empty()) {
      std::printf("%s (data and script only: %s)\n", f.script.c_str(), f.error.c_str());
      ++failed;
    }
  }
  std::printf("plots: %zu figures in %s (%s); captions in %s\n", report.figures.size(), out.c_str(),
              report.note.c_str(), report.index.c_str());
  // Missing gnuplot is not an error of the user's data: the figures' data and scripts are there.
  return 0;
}

}  // namespace

void RegisterPlot(CLI::App& root, Action& action) {
  auto args = std::make_shared<PlotArgs>();
  CLI::App* cmd = root.add_subcommand(
      "plot", "Rate, delta, noise-tail and comparison figures of a sweep folder (DIR/plots/)");
  args->common.AddTo(*cmd);
  cmd->add_option("--out", args->out, "Output folder (default: DIR/plots)");
  cmd->add_flag("--no-render", args->no_render,
                "Write each figure's data and gnuplot script without running gnuplot");
  cmd->callback([args, &action] { action = [args] { return RunPlot(*args); }; });
}

}  // namespace clipsim::app

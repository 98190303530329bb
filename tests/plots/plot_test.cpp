// Figures of a synthetic sweep: every figure's data and script are written, titles name problem,
// noise and dimension, legends sit outside the plot; with gnuplot on PATH the PNG and PDF files
// are real images (checks of the rendering are skipped when gnuplot is absent). Also the
// `clipsim plot` command.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "../analysis/synthetic_sweep.hpp"
#include "clipsim/analysis/results_table.hpp"
#include "clipsim/analysis/sweep_analysis.hpp"
#include "clipsim/plots/gnuplot.hpp"
#include "clipsim/plots/sweep_plots.hpp"
#include "common/temp_files.hpp"

namespace clipsim::plots {
namespace {

using clipsim::testing::ReadText;
using clipsim::testing::TempDir;

namespace fs = std::filesystem;

analysis::testing::SyntheticSweep Sweep() {
  analysis::testing::SyntheticSweep s;
  s.seeds = 150;
  s.budgets = {1000, 10000, 100000};
  s.cells.resize(2);
  s.cells[0].method = "ps_clip_sgd";
  s.cells[1].method = "sgd";
  s.cells[1].slope = -0.05;
  s.noise_norms = 2000;
  return s;
}

struct Written {
  analysis::SweepResults results;
  analysis::SweepAnalysis analysis;
  PlotReport report;
};

Written Plot(const std::string& dir, bool render) {
  analysis::testing::WriteSyntheticSweep(Sweep(), dir);
  Written w;
  w.results = analysis::ReadSweepDir(dir);
  analysis::AnalysisOptions options;
  options.bootstrap_resamples = 200;
  w.analysis = analysis::AnalyzeSweep(w.results, options);
  PlotOptions plot;
  plot.render = render;
  w.report = WriteSweepPlots(w.results, w.analysis, dir + "/plots", plot);
  return w;
}

TEST(SweepPlots, DataAndScriptOfEveryFigure) {
  TempDir dir("scripts");
  const Written w = Plot(dir.str(), /*render=*/false);
  // One setting (rate, delta, comparison) and one noise stream (tail).
  ASSERT_EQ(w.report.figures.size(), 4u);
  const std::string prefixes[] = {"rate_", "delta_", "compare_", "noise_tail_"};
  for (std::size_t i = 0; i < 4; ++i) {
    const FigureFiles& f = w.report.figures[i];
    EXPECT_EQ(f.name.rfind(prefixes[i], 0), 0u) << f.name;
    ASSERT_TRUE(fs::exists(f.script)) << f.script;
    ASSERT_EQ(f.data.size(), 1u);
    EXPECT_GT(fs::file_size(f.data[0]), 100u);
    EXPECT_TRUE(f.png.empty());
    const std::string script = ReadText(f.script);
    EXPECT_NE(script.find("set title"), std::string::npos);
    EXPECT_NE(script.find("set xlabel"), std::string::npos);
    EXPECT_NE(script.find("set ylabel"), std::string::npos);
    EXPECT_NE(script.find("set key bmargin"), std::string::npos);  // legend below, outside
    EXPECT_NE(script.find("noise kind=stable"), std::string::npos) << f.name;
    EXPECT_NE(script.find("dim 10"), std::string::npos) << f.name;
    EXPECT_NE(script.find(f.name + ".png"), std::string::npos);
  }
  const std::string rate = ReadText(w.report.figures[0].script);
  EXPECT_NE(rate.find("problem quadratic"), std::string::npos);
  EXPECT_NE(rate.find("theory slope -0.200"), std::string::npos);  // the reference line
  EXPECT_NE(rate.find(": MoM, slope"), std::string::npos);
  EXPECT_NE(rate.find("MoM: median-of-means over seeds"), std::string::npos);
  EXPECT_NE(rate.find("quantile"), std::string::npos);
  EXPECT_TRUE(fs::exists(w.report.index));
  EXPECT_NE(ReadText(w.report.index).find(w.report.figures[0].caption), std::string::npos);
}

TEST(SweepPlots, RendersPngAndPdfWithGnuplot) {
  if (!FindGnuplot().found) GTEST_SKIP() << "gnuplot not on PATH: rendering not checked";
  TempDir dir("render");
  const Written w = Plot(dir.str(), /*render=*/true);
  for (const FigureFiles& f : w.report.figures) {
    ASSERT_FALSE(f.png.empty()) << f.name << ": " << f.error;
    const std::string png = ReadText(f.png);
    ASSERT_GT(png.size(), 1000u) << f.png;
    EXPECT_EQ(png.substr(1, 3), "PNG") << f.png;
    if (FindGnuplot().pdf_terminal.empty()) continue;
    ASSERT_FALSE(f.pdf.empty()) << f.name << ": " << f.error;
    EXPECT_EQ(ReadText(f.pdf).substr(0, 5), "%PDF-") << f.pdf;
  }
  // A broken script is reported, not thrown, and its data stay.
  Figure bad;
  bad.name = "broken";
  bad.caption = "a figure whose script fails";
  bad.data = {{"broken.dat", "1 2\n"}};
  bad.body = "plot 'no_such_file.dat' using 1:2\n";
  const FigureFiles f = WriteFigure(bad, dir.str() + "/plots", true);
  EXPECT_TRUE(f.png.empty());
  EXPECT_NE(f.error.find("gnuplot failed"), std::string::npos) << f.error;
  EXPECT_TRUE(fs::exists(dir.str() + "/plots/broken.dat"));
}

TEST(PlotCommand, WritesTheFiguresUnderDirPlots) {
  TempDir dir("cli");
  analysis::testing::WriteSyntheticSweep(Sweep(), dir.str());
  const std::string command =
      std::string(CLIPSIM_BINARY) + " plot " + dir.str() + " --bootstrap 200 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string out;
  char buf[4096];
  std::size_t got = 0;
  while ((got = std::fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, got);
  const int status = ::pclose(pipe);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << out;
  EXPECT_NE(out.find("plots: 4 figures"), std::string::npos) << out;
  EXPECT_TRUE(fs::exists(dir.str() + "/plots/index.md"));
}

}  // namespace
}  // namespace clipsim::plots

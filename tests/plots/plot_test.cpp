// Figures of a synthetic sweep: every figure's data and script are written, titles name problem,
// noise and dimension, legends sit outside the plot; with gnuplot on PATH the PNG and PDF files
// are real images (checks of the rendering are skipped when gnuplot is absent). Also the
// `clipsim plot` command, and the bound and sensitivity figures on planted analyses and on a
// real theory sweep.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "../analysis/synthetic_sweep.hpp"
#include "clipsim/analysis/results_table.hpp"
#include "clipsim/analysis/sweep_analysis.hpp"
#include "clipsim/core/number_parse.hpp"
#include "clipsim/plots/gnuplot.hpp"
#include "clipsim/plots/sweep_plots.hpp"
#include "common/run_command.hpp"
#include "common/temp_files.hpp"
#include "detail/figures.hpp"

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
  std::string out;
  EXPECT_EQ(clipsim::testing::RunCommand(
                std::string(CLIPSIM_BINARY) + " plot " + dir.str() + " --bootstrap 200", &out),
            0)
      << out;
  EXPECT_NE(out.find("plots: 4 figures"), std::string::npos) << out;
  EXPECT_TRUE(fs::exists(dir.str() + "/plots/index.md"));
}

}  // namespace
}  // namespace clipsim::plots

// ---------------------------------------------------------------------------------------------
// The bound and sensitivity figures, on planted analyses: the numbers in their data files are the
// bound check's, read back as numbers.
namespace clipsim::plots {
namespace {

using clipsim::testing::ReadText;
using clipsim::testing::TempDir;

namespace fs = std::filesystem;

// The rows of a gnuplot data file, one vector per block (blocks end at a blank line), comment
// lines skipped; each row split at spaces.
using Rows = std::vector<std::vector<std::string>>;
std::vector<Rows> DataBlocks(const std::string& text) {
  std::vector<Rows> blocks(1);
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] == '#') continue;
    if (line.empty()) {
      if (!blocks.back().empty()) blocks.emplace_back();
      continue;
    }
    std::vector<std::string> row;
    std::istringstream words(line);
    for (std::string w; words >> w;) row.push_back(w);
    blocks.back().push_back(row);
  }
  if (blocks.back().empty()) blocks.pop_back();
  return blocks;
}

// A data-file number ("nan" and "inf" as clipsim writes them).
double Number(const std::string& text) {
  double v = 0.0;
  EXPECT_TRUE(ParseDouble(text, v, NumberSyntax::kResults)) << text;
  return v;
}

// Equal as doubles, NaN equal to NaN.
void ExpectSame(double got, double want, const std::string& what) {
  if (std::isnan(want)) {
    EXPECT_TRUE(std::isnan(got)) << what << ": " << got;
  } else {
    EXPECT_EQ(got, want) << what;
  }
}

const FigureFiles* FindFigure(const PlotReport& report, const std::string& prefix) {
  for (const FigureFiles& f : report.figures) {
    if (f.name.rfind(prefix, 0) == 0) return &f;
  }
  return nullptr;
}

int CountFigures(const PlotReport& report, const std::string& prefix) {
  int n = 0;
  for (const FigureFiles& f : report.figures) n += f.name.rfind(prefix, 0) == 0 ? 1 : 0;
  return n;
}

struct PlantedBudget {
  std::int64_t budget = 0;
  bool testable = true;
  double bound = 0.0;
  double mean = 0.0, lower = 0.0, upper = 0.0;
  bool draws = true;  // false: no confidence bounds (no finite G, too few seeds)
  double start = 0.5;
};

// A theory cell (regime.applicable) with a planted bound check.
analysis::CellAnalysis TheoryCell(const std::string& id, const std::string& method,
                                  const std::string& entry, const std::string& setting,
                                  const std::vector<PlantedBudget>& budgets) {
  analysis::CellAnalysis c;
  c.info.id = id;
  c.info.problem = "nonconvex_sum";
  c.info.dim = "1";
  c.info.noise = "kind=stable,alpha=1.5,skew=0,scale=0.1";
  c.info.p = "1.4";
  c.info.method = method;
  c.label = method + ", theory schedule";
  c.setting = setting;
  c.regime.applicable = true;
  c.regime.entry = entry;
  c.regime.method = method;
  c.regime.control = method != entry;
  c.bound.cell = id;
  c.bound.verdict = analysis::BoundVerdict::kInconclusive;
  for (const PlantedBudget& p : budgets) {
    analysis::BudgetRegime r;
    r.budget = p.budget;
    r.bound = p.bound;
    r.start_grad_norm = p.start;
    r.testable = p.testable;
    c.regime.budgets.push_back(r);
    analysis::BudgetBoundCheck b;
    b.budget = p.budget;
    b.testable = p.testable && p.draws;  // as CheckCellBound: no confidence bound, no test
    b.bound = p.bound;
    b.seeds = 40;
    b.gradient_bound = 1.0;
    if (p.draws) {
      b.draws.assign(40, p.mean);
      b.draws_sq.assign(40, p.mean * p.mean);
      b.mean.mean = p.mean;
      b.mean.lower = p.lower;
      b.mean.upper = p.upper;
      b.mean.n = 40;
      b.ratio = p.mean / p.bound;
    }
    c.bound.budgets.push_back(b);
  }
  return c;
}

analysis::SweepAnalysis PlantedBoundAnalysis() {
  analysis::SweepAnalysis a;
  a.dir = "planted";
  const std::string s1 = "problem nonconvex_sum; noise kind=stable,alpha=1.5";
  const std::string s2 = "problem quadratic; noise kind=stable,alpha=1.5";
  // The prescription, with a budget below the testable range and one without confidence bounds.
  a.cells.push_back(TheoryCell("00000000000000a1", "ps_clip_sgd", "ps_clip_sgd", s1,
                               {{1000, false, 0.3, 0.09, 0.0, 0.21},
                                {10000, true, 0.18, 0.045, 0.01, 0.17},
                                {100000, true, 0.12, 0.0245, 0.003, 0.15, false}}));
  // Its control (plain SGD at PS-Clip-SGD's prescription) and a 10x-step variant: same bound.
  a.cells.push_back(TheoryCell("00000000000000a2", "sgd", "ps_clip_sgd", s1,
                               {{1000, false, 0.3, 0.1, 0.0, 0.23},
                                {10000, true, 0.18, 0.053, 0.02, 0.18},
                                {100000, true, 0.12, 0.029, 0.004, 0.16}}));
  a.cells.back().label = "sgd, theory schedule, prescription=ps_clip_sgd";
  a.cells.push_back(TheoryCell("00000000000000a3", "ps_clip_sgd", "ps_clip_sgd", s1,
                               {{1000, false, 0.3, 0.31, 0.19, 0.44},
                                {10000, true, 0.18, 0.31, 0.18, 0.44},
                                {100000, true, 0.12, 0.308, 0.18, 0.43}}));
  a.cells.back().regime.twin = true;
  a.cells.back().label = "ps_clip_sgd, theory schedule, step_factor=10";
  a.cells.back().bound.verdict = analysis::BoundVerdict::kViolated;
  // Another entry's bound: drawn as a line of its own.
  a.cells.push_back(
      TheoryCell("00000000000000a4", "clip_sgd", "clip_sgd", s1,
                 {{1000, true, 0.4, 0.1, 0.05, 0.2}, {10000, true, 0.25, 0.06, 0.03, 0.12}}));
  // Not a theory cell (no regime): in no bound figure.
  analysis::CellAnalysis plain;
  plain.info.id = "00000000000000a5";
  plain.info.problem = "nonconvex_sum";
  plain.label = "adam_norm";
  plain.setting = s1;
  plain.regime.why_not = "not a theory schedule";
  a.cells.push_back(plain);
  // A second setting without theory cells.
  plain.info.id = "00000000000000b1";
  plain.info.problem = "quadratic";
  plain.setting = s2;
  a.cells.push_back(plain);
  // The analysis decides the theory cells as one family: 4 hypotheses per testable budget.
  std::size_t m = 0;
  for (const analysis::CellAnalysis& c : a.cells) {
    for (const analysis::BudgetBoundCheck& b : c.bound.budgets) m += b.testable ? 4 : 0;
  }
  for (analysis::CellAnalysis& c : a.cells) {
    if (!c.regime.applicable) continue;
    c.bound.family_size = m;
    c.bound.shown_alpha = 0.05 / static_cast<double>(m);
  }
  return a;
}

TEST(BoundPlot, DataFileHoldsTheBoundCheckNumbers) {
  TempDir dir("bound");
  const analysis::SweepAnalysis a = PlantedBoundAnalysis();
  PlotOptions o;
  o.render = false;
  const PlotReport report = WriteSweepPlots(analysis::SweepResults{}, a, dir.str(), o);
  // One bound figure: the first setting; the second has no theory cell.
  ASSERT_EQ(CountFigures(report, "bound_"), 1);
  const FigureFiles* f = FindFigure(report, "bound_01_");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(CountFigures(report, "bound_02_"), 0);
  ASSERT_EQ(f->data.size(), 1u);
  const std::vector<Rows> blocks = DataBlocks(ReadText(f->data[0]));
  // Four theory cells, then two distinct bounds (ps_clip_sgd's, shared by three cells; clip_sgd's).
  ASSERT_EQ(blocks.size(), 6u);
  for (std::size_t c = 0; c < 4; ++c) {
    const analysis::CellAnalysis& cell = a.cells[c];
    ASSERT_EQ(blocks[c].size(), cell.bound.budgets.size()) << cell.info.id;
    for (std::size_t j = 0; j < blocks[c].size(); ++j) {
      const std::vector<std::string>& row = blocks[c][j];
      const analysis::BudgetBoundCheck& b = cell.bound.budgets[j];
      ASSERT_EQ(row.size(), 11u);
      const std::string at = cell.info.id + " N=" + std::to_string(b.budget);
      EXPECT_EQ(row[0], std::to_string(b.budget)) << at;
      ExpectSame(Number(row[1]), b.bound, at + " bound");
      const bool has = !b.draws.empty();
      const double nan = std::nan("");
      ExpectSame(Number(row[2]), has ? b.mean.mean : nan, at + " mean");
      ExpectSame(Number(row[3]), has ? b.mean.lower : nan, at + " lower");
      ExpectSame(Number(row[4]), has ? b.mean.upper : nan, at + " upper");
      ExpectSame(Number(row[5]), b.ratio, at + " ratio");
      ExpectSame(Number(row[6]), has ? b.mean.lower / b.bound : nan, at + " ratio lower");
      ExpectSame(Number(row[7]), has ? b.mean.upper / b.bound : nan, at + " ratio upper");
      EXPECT_EQ(row[8], b.testable ? "1" : "0") << at;  // not-testable budgets marked
      EXPECT_EQ(row[9], "40") << at;
      ExpectSame(Number(row[10]), cell.regime.budgets[j].start_grad_norm, at + " start");
    }
  }
  // The shared bound once, over the union of budgets; clip_sgd's on its own.
  ASSERT_EQ(blocks[4].size(), 3u);
  for (std::size_t j = 0; j < 3; ++j) {
    EXPECT_EQ(blocks[4][j][0], std::to_string(a.cells[0].bound.budgets[j].budget));
    ExpectSame(Number(blocks[4][j][1]), a.cells[0].bound.budgets[j].bound, "shared bound");
  }
  ASSERT_EQ(blocks[5].size(), 2u);
  ExpectSame(Number(blocks[5][1][1]), 0.25, "clip_sgd bound");

  const std::string script = ReadText(f->script);
  EXPECT_NE(script.find("ps_clip_sgd bound (THEORY.md)"), std::string::npos);
  EXPECT_NE(script.find("clip_sgd bound (THEORY.md)"), std::string::npos);
  EXPECT_EQ(script.find("adam_norm"), std::string::npos);  // not a theory cell
  EXPECT_NE(script.find("(control at ps_clip_sgd's prescription)"), std::string::npos);
  EXPECT_NE(script.find("step_factor=10 (variant of the prescription): bound violated"),
            std::string::npos);
  EXPECT_NE(script.find("set multiplot"), std::string::npos);
  EXPECT_NE(script.find("pt 7"), std::string::npos);  // filled: testable
  EXPECT_NE(script.find("pt 6"), std::string::npos);  // open: not testable
  EXPECT_NE(script.find("open: not testable"), std::string::npos);
  EXPECT_NE(script.find("||grad f(x0)|| = 0.5"), std::string::npos);
  EXPECT_NE(script.find("measured = bound (ratio 1)"), std::string::npos);
  EXPECT_NE(script.find("set key bmargin"), std::string::npos);
  EXPECT_NE(script.find("noise kind=stable"), std::string::npos);
  EXPECT_NE(script.find("dim 1"), std::string::npos);
  // The caption states the confidence and the testability rules; the interval level is a / m
  // with m = 4 x 7 testable budgets.
  EXPECT_NE(f->caption.find(a.options.regime.Describe()), std::string::npos) << f->caption;
  EXPECT_NE(f->caption.find("m = 28 hypotheses"), std::string::npos) << f->caption;
  EXPECT_NE(f->caption.find("familywise a = 0.05"), std::string::npos) << f->caption;
  EXPECT_NE(ReadText(report.index).find(f->caption), std::string::npos);
}

// A one-factor-at-a-time design around a centre that is not the first value and, for the batch
// factor, not the prescription: batch_factor 2 is the most frequent value (4 of 8 cells).
analysis::SweepAnalysis PlantedSensitivity() {
  analysis::SweepAnalysis a;
  a.dir = "planted";
  a.param_columns = {"schedule.batch_factor", "schedule.clip_factor", "noise.alpha"};
  const std::vector<std::string> batch = {"0.5", "", "2", "4", "8", "2", "2", "2"};  // "" = 1
  const std::vector<std::string> clip = {"1", "1", "1", "1", "1", "0.5", "2", "4"};
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const std::string id = "000000000000000" + std::to_string(i);  // 16 hex digits (i < 10)
    const double r = 0.1 * static_cast<double>(i + 1);
    analysis::CellAnalysis c = TheoryCell(
        id, "ps_clip_sgd", "ps_clip_sgd", "s",
        {{1000, true, 0.3, 0.5 * r, 0.25 * r, r}, {100000, i != 3, 0.1, r, 0.5 * r, 2 * r}});
    c.info.params = {batch[i], clip[i], "1.5"};
    c.info.columns = {{"schedule.batch_factor", batch[i]},
                      {"schedule.clip_factor", clip[i]},
                      {"noise.alpha", "1.5"},
                      {"p", "1.4"}};
    c.regime.twin = batch[i] != "" || clip[i] != "1";
    a.cells.push_back(c);
  }
  // A control and a cell of another noise: neither joins the group (the other noise's cell is a
  // group of its own, where nothing varies).
  analysis::CellAnalysis control = a.cells[0];
  control.info.id = "00000000000000c1";
  control.regime.control = true;
  control.regime.method = "sgd";
  a.cells.push_back(control);
  analysis::CellAnalysis other = a.cells[1];
  other.info.id = "00000000000000c2";
  other.info.params[2] = "1.8";
  a.cells.push_back(other);
  return a;
}

TEST(SensitivityPlot, CentreOfAOneFactorAtATimeDesign) {
  TempDir dir("sensitivity");
  const analysis::SweepAnalysis a = PlantedSensitivity();
  PlotOptions o;
  o.render = false;
  const PlotReport report = WriteSweepPlots(analysis::SweepResults{}, a, dir.str(), o);
  ASSERT_EQ(CountFigures(report, "sensitivity_"), 1);
  const FigureFiles* f = FindFigure(report, "sensitivity_01_ps_clip_sgd");
  ASSERT_NE(f, nullptr);
  const std::string data = ReadText(f->data[0]);
  EXPECT_NE(data.find("# centre: schedule.batch_factor = 2, schedule.clip_factor = 1\n"),
            std::string::npos)
      << data;
  const std::vector<Rows> blocks = DataBlocks(data);
  ASSERT_EQ(blocks.size(), 2u);  // batch and clip; p and the dimension do not vary
  // Batch panel: the cells at clip_factor 1 (cells 0-4), by value; the unset factor reads 1.
  // Clip panel: the cells at batch_factor 2 (cells 2, 5, 6, 7), by value.
  const std::vector<std::pair<double, std::size_t>> want[2] = {
      {{0.5, 0}, {1, 1}, {2, 2}, {4, 3}, {8, 4}}, {{0.5, 5}, {1, 2}, {2, 6}, {4, 7}}};
  for (std::size_t k = 0; k < 2; ++k) {
    ASSERT_EQ(blocks[k].size(), want[k].size()) << "panel " << k;
    for (std::size_t i = 0; i < want[k].size(); ++i) {
      const std::vector<std::string>& row = blocks[k][i];
      ASSERT_EQ(row.size(), 12u);
      const analysis::CellAnalysis& cell = a.cells[want[k][i].second];
      const analysis::BudgetBoundCheck& b = cell.bound.budgets.back();  // the largest budget
      const std::string at = "panel " + std::to_string(k) + " row " + std::to_string(i);
      ExpectSame(Number(row[0]), want[k][i].first, at + " value");
      EXPECT_EQ(row[1], "100000") << at;
      ExpectSame(Number(row[2]), b.ratio, at + " ratio");
      ExpectSame(Number(row[3]), b.mean.lower / b.bound, at + " ratio lower");
      ExpectSame(Number(row[4]), b.mean.upper / b.bound, at + " ratio upper");
      EXPECT_EQ(row[5], b.testable ? "1" : "0") << at;
      ExpectSame(Number(row[6]), b.mean.mean, at + " mean");
      ExpectSame(Number(row[9]), b.bound, at + " bound");
      EXPECT_EQ(row[11], cell.info.id) << at;
    }
  }
  const std::string script = ReadText(f->script);
  // The prescription is marked at factor 1, also where the centre is 2.
  EXPECT_NE(script.find("set arrow from 1, graph 0 to 1, graph 1"), std::string::npos);
  EXPECT_NE(script.find("prescription (factor 1)"), std::string::npos);
  EXPECT_NE(script.find("set logscale x"), std::string::npos);
  EXPECT_NE(script.find("set multiplot layout 1,2"), std::string::npos);
  EXPECT_NE(f->caption.find("most frequent value"), std::string::npos);
  EXPECT_NE(f->caption.find("schedule.batch_factor = 2"), std::string::npos);

  // The same centres straight from the grouping.
  const std::vector<detail::SensitivityGroup> groups = detail::SensitivityGroups(a);
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].cells.size(), 8u);
  ASSERT_EQ(groups[0].axes.size(), 2u);
  EXPECT_EQ(groups[0].axes[0].column, "schedule.batch_factor");
  EXPECT_EQ(groups[0].axes[0].centre, 2.0);
  EXPECT_EQ(groups[0].axes[1].column, "schedule.clip_factor");
  EXPECT_EQ(groups[0].axes[1].centre, 1.0);
}

TEST(SensitivityPlot, PVariesOnALinearAxisMarkedAtItsCentre) {
  analysis::SweepAnalysis a = PlantedSensitivity();
  a.cells.resize(2);  // batch 0.5 and 1: one varied column
  a.cells.push_back(a.cells[1]);
  a.cells.back().info.id = "00000000000000p1";
  a.cells.back().info.p = "1.25";
  a.cells.back().info.columns.back().second = "1.25";
  a.cells.push_back(a.cells[1]);
  a.cells.back().info.id = "00000000000000p2";
  a.cells.back().info.p = "1.45";
  a.cells.back().info.columns.back().second = "1.45";
  a.param_columns.push_back("p");
  for (analysis::CellAnalysis& c : a.cells) c.info.params.push_back(c.info.Get("p"));
  const std::vector<detail::SensitivityGroup> groups = detail::SensitivityGroups(a);
  ASSERT_EQ(groups.size(), 1u);
  ASSERT_EQ(groups[0].axes.size(), 2u);
  EXPECT_EQ(groups[0].axes[1].column, "p");
  EXPECT_EQ(groups[0].axes[1].centre, 1.4);  // 2 of 4 cells; 1.25 and 1.45 once each
  EXPECT_FALSE(groups[0].axes[1].log_x);
  const Figure f = detail::SensitivityPlot("s", groups[0], a);
  EXPECT_NE(f.body.find("unset logscale x"), std::string::npos);
  EXPECT_NE(f.body.find("centre p = 1.4"), std::string::npos);
  const std::vector<Rows> blocks = DataBlocks(f.data[0].second);
  ASSERT_EQ(blocks.size(), 2u);
  ASSERT_EQ(blocks[1].size(), 3u);  // p panel: the cells at batch_factor 1 (its centre: 3 of 4)
  EXPECT_EQ(blocks[1][0][0], "1.25");
  EXPECT_EQ(blocks[1][1][0], "1.4");
  EXPECT_EQ(blocks[1][2][0], "1.45");
}

TEST(SensitivityPlot, AbsentWhenNothingVariesOrNoTheoryCell) {
  TempDir dir("sensitivity-none");
  PlotOptions o;
  o.render = false;
  // Theory cells that differ only in other columns (a control and a step twin): no figure.
  const PlotReport bound =
      WriteSweepPlots(analysis::SweepResults{}, PlantedBoundAnalysis(), dir.str() + "/a", o);
  EXPECT_EQ(CountFigures(bound, "sensitivity_"), 0);
  // The factors vary, but no cell is a theory cell: no figure (and no bound figure).
  analysis::SweepAnalysis a = PlantedSensitivity();
  for (analysis::CellAnalysis& c : a.cells) c.regime.applicable = false;
  const PlotReport none = WriteSweepPlots(analysis::SweepResults{}, a, dir.str() + "/b", o);
  EXPECT_EQ(CountFigures(none, "sensitivity_"), 0);
  EXPECT_EQ(CountFigures(none, "bound_"), 0);
  EXPECT_TRUE(detail::SensitivityGroups(a).empty());
}

TEST(BoundPlot, BoundAndSensitivityRenderWithGnuplot) {
  if (!FindGnuplot().found) GTEST_SKIP() << "gnuplot not on PATH: rendering not checked";
  TempDir dir("bound-render");
  for (const analysis::SweepAnalysis& a : {PlantedBoundAnalysis(), PlantedSensitivity()}) {
    const PlotReport report = WriteSweepPlots(analysis::SweepResults{}, a, dir.str());
    for (const FigureFiles& f : report.figures) {
      if (f.name.rfind("bound_", 0) != 0 && f.name.rfind("sensitivity_", 0) != 0) continue;
      ASSERT_FALSE(f.png.empty()) << f.name << ": " << f.error;
      const std::string png = ReadText(f.png);
      ASSERT_GT(png.size(), 1000u) << f.png;
      EXPECT_EQ(png.substr(1, 3), "PNG") << f.png;
    }
  }
  // A panel without cells at the others' centre still renders (a key line says so).
  const analysis::SweepAnalysis a = PlantedSensitivity();
  detail::SensitivityGroup g;
  g.entry = "ps_clip_sgd";
  g.cells = {&a.cells[0], &a.cells[2]};
  g.axes = {{"schedule.batch_factor", 1.0, true}, {"schedule.clip_factor", 3.0, true}};
  g.values = {{0.5, 1.0}, {2.0, 1.0}};
  const FigureFiles f = WriteFigure(detail::SensitivityPlot("empty_panel", g, a), dir.str(), true);
  EXPECT_FALSE(f.png.empty()) << f.error;
  EXPECT_NE(ReadText(f.script).find("no cell has the other varied columns"), std::string::npos);
}

// A real theory sweep (PS-Clip-SGD, its SGD control, a 10x-step twin), analyzed: the bound
// figure's data file holds the analysis' bound check numbers.
TEST(BoundPlot, RealSweepDataMatchTheAnalysis) {
  TempDir dir("bound-real");
  clipsim::testing::WriteText(
      dir / "sweep.yaml",
      "seeds: 24\nbudgets: [1000, 10000, 100000]\nmaster_seed: 1\n"
      "problem: {kind: nonconvex_sum, dim: 1}\nnoise: {kind: stable, alpha: 1.5, scale: 0.1}\n"
      "p: 1.4\noptimizer: [{method: ps_clip_sgd}, {method: sgd}, {method: ps_clip_sgd}]\n"
      "schedule: [{kind: theory}, {kind: theory, prescription: ps_clip_sgd}, "
      "{kind: theory, step_factor: 10}]\nzip: [[optimizer, schedule]]\n"
      "checkpoints_per_decade: 1\n");
  const std::string out = dir / "out";
  const std::string command = std::string(CLIPSIM_BINARY) + " sweep " + (dir / "sweep.yaml") +
                              " --out " + out + " --quiet --threads 2 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  analysis::ReadOptions read;
  read.theorem_metric = "mean_grad_norm";
  const analysis::SweepResults results = analysis::ReadSweepDir(out, read);
  analysis::AnalysisOptions options;
  options.bootstrap_resamples = 200;
  const analysis::SweepAnalysis a = analysis::AnalyzeSweep(results, options);
  PlotOptions o;
  o.render = false;
  const PlotReport report = WriteSweepPlots(results, a, out + "/plots", o);
  const FigureFiles* f = FindFigure(report, "bound_01_");
  ASSERT_NE(f, nullptr);
  const std::vector<Rows> blocks = DataBlocks(ReadText(f->data[0]));
  ASSERT_EQ(blocks.size(), 4u);  // three theory cells, one shared bound
  for (std::size_t c = 0; c < 3; ++c) {
    const analysis::CellBoundCheck& check = a.cells[c].bound;
    ASSERT_EQ(blocks[c].size(), check.budgets.size());
    for (std::size_t j = 0; j < check.budgets.size(); ++j) {
      const analysis::BudgetBoundCheck& b = check.budgets[j];
      const std::vector<std::string>& row = blocks[c][j];
      ASSERT_FALSE(b.draws.empty());
      ExpectSame(Number(row[1]), b.bound, "bound");
      ExpectSame(Number(row[2]), b.mean.mean, "mean");
      ExpectSame(Number(row[3]), b.mean.lower, "lower");
      ExpectSame(Number(row[4]), b.mean.upper, "upper");
      ExpectSame(Number(row[5]), b.ratio, "ratio");
      EXPECT_EQ(row[8], b.testable ? "1" : "0");
    }
  }
  EXPECT_EQ(CountFigures(report, "sensitivity_"), 0);
}

}  // namespace
}  // namespace clipsim::plots

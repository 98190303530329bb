// End to end on synthetic sweep folders: reading results by column name (plain and gzip), final
// values from the last checkpoint, divergence as +infinity, the report files, determinism across
// runs and thread counts, user errors, and the `clipsim analyze` command (exit codes 0 and 2).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "clipsim/analysis/report.hpp"
#include "clipsim/analysis/sweep_analysis.hpp"
#include "clipsim/analysis/sweep_results.hpp"
#include "clipsim/core/input_error.hpp"
#include "common/run_command.hpp"
#include "common/sweep_manifest.hpp"
#include "common/temp_files.hpp"
#include "synthetic_sweep.hpp"

namespace clipsim::analysis {
namespace {

using clipsim::testing::ReadText;
using clipsim::testing::RunCommand;
using clipsim::testing::TempDir;

namespace fs = std::filesystem;

testing::SyntheticSweep ThreeMethods() {
  testing::SyntheticSweep s;
  s.seeds = 120;
  s.budgets = {1000, 10000, 100000};
  s.cells.resize(3);
  s.cells[0].method = "ps_clip_sgd";
  s.cells[0].slope = -0.25;
  s.cells[1].method = "clip_sgd";
  s.cells[1].slope = -0.2;
  s.cells[1].scale = 1.5;
  s.cells[2].method = "sgd";
  s.cells[2].slope = -0.05;
  s.cells[2].diverge_probability = 0.05;
  s.noise_norms = 3000;
  return s;
}

TEST(ReadSweepDir, FinalValuesByColumnNameAndDivergence) {
  for (bool gzip : {false, true}) {
    TempDir dir(gzip ? "read-gz" : "read");
    testing::SyntheticSweep s = ThreeMethods();
    s.gzip = gzip;
    testing::WriteSyntheticSweep(s, dir.str());
    const SweepResults r = ReadSweepDir(dir.str());
    ASSERT_EQ(r.cells.size(), 3u);
    EXPECT_EQ(r.metrics.front(), "mean_grad_norm");  // the theorem metric first
    for (const std::string& m : r.metrics) {
      EXPECT_NE(m, "samples");
      EXPECT_NE(m, "target");
      EXPECT_NE(m, "diverged");
      EXPECT_NE(m, "clipped_fraction");
    }
    EXPECT_EQ(r.param_columns, (std::vector<std::string>{"optimizer.method", "p"}));
    EXPECT_EQ(r.rows, 3 * 3 * 120 * s.checkpoints);
    EXPECT_EQ(r.noise.size(), 1u);
    EXPECT_EQ(r.noise[0].norms.size(), 3000u);
    const CellResults& ps = r.cells[0];
    EXPECT_EQ(ps.info.method, "ps_clip_sgd");
    EXPECT_EQ(ps.info.problem, "quadratic");
    EXPECT_EQ(ps.info.p, "1.5");
    ASSERT_EQ(ps.budgets.size(), 3u);
    EXPECT_EQ(ps.budgets[2].budget, 100000);
    ASSERT_EQ(ps.budgets[2].seeds.size(), 120u);
    // The final checkpoint is the planted value; earlier rows are larger by construction, so the
    // largest value over seeds can only stay below the planted bound if the right row was taken.
    // Seed 0 of cell 0 at N = 1e5: recompute the planted value as the writer does.
    const double planted = [&] {
      Rng shared = MakeRng({s.seed, 0, 100000, 0});
      const double z_shared = testing::DrawLaw(s.law, s.law_param, s.gaussian_mean, shared);
      Rng own = MakeRng({s.seed, 77, 0, 100000, 0});
      boost::random::normal_distribution<double> normal;
      return std::pow(1e5, -0.25) * z_shared * std::exp(0.1 * normal(own));
    }();
    // The first metric is mean_grad_norm, which the writer plants at 1.5 x the value.
    EXPECT_DOUBLE_EQ(ps.budgets[2].finals[0][0], 1.5 * planted);
    // Divergence: sgd runs flagged diverged are +infinity in every metric.
    const CellResults& sgd = r.cells[2];
    int diverged = 0;
    for (const BudgetRuns& b : sgd.budgets) {
      diverged += b.diverged;
      int inf = 0;
      for (double x : b.finals[0]) inf += std::isinf(x) ? 1 : 0;
      EXPECT_EQ(inf, b.diverged);
    }
    EXPECT_GT(diverged, 0);
  }
}

TEST(ReadSweepDir, UserErrorsNameTheProblem) {
  EXPECT_THROW(ReadSweepDir("/nonexistent/clipsim/folder"), InputError);
  TempDir dir("errors");
  EXPECT_THROW(ReadSweepDir(dir.str()), InputError);  // no results.csv
  clipsim::testing::WriteSweepManifest(dir.str());
  std::ofstream(dir.str() + "/results.csv") << "cell,budget,seed,grad_norm_at_R\n"
                                               "00000000000000aa,1000,0,0.5\n"
                                               "00000000000000aa,1000,1,abc\n";
  try {
    ReadSweepDir(dir.str());
    ADD_FAILURE() << "a malformed number was accepted";
  } catch (const InputError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("grad_norm_at_R"), std::string::npos) << what;
    EXPECT_NE(what.find("abc"), std::string::npos) << what;
    EXPECT_NE(what.find(":3:"), std::string::npos) << what;  // line 3
  }
  ReadOptions wrong;
  wrong.metrics = {"no_such_metric"};
  std::ofstream(dir.str() + "/results.csv") << "cell,budget,seed,grad_norm_at_R\n"
                                               "00000000000000aa,1000,0,0.5\n";
  EXPECT_THROW(ReadSweepDir(dir.str(), wrong), InputError);
  // inf, nan and quoted parameter values are data.
  std::ofstream(dir.str() + "/results.csv")
      << "cell,\"optimizer.method\",budget,seed,grad_norm_at_R\n"
         "00000000000000aa,\"clip, sgd\",1000,0,inf\n"
         "00000000000000aa,\"clip, sgd\",1000,1,nan\n"
         "00000000000000aa,\"clip, sgd\",1000,2,1e-3\n";
  const SweepResults r = ReadSweepDir(dir.str());
  ASSERT_EQ(r.cells.size(), 1u);
  EXPECT_EQ(r.cells[0].info.params[0], "clip, sgd");
  EXPECT_EQ(r.cells[0].budgets[0].diverged, 2);
  EXPECT_EQ(r.cells[0].budgets[0].finals[0][2], 1e-3);
}

TEST(AnalyzeSweep, WritesEveryReportFileAndIsDeterministic) {
  TempDir dir("report");
  testing::WriteSyntheticSweep(ThreeMethods(), dir.str());
  const SweepResults r = ReadSweepDir(dir.str());
  AnalysisOptions options;
  options.bootstrap_resamples = 300;
  options.threads = 1;
  const SweepAnalysis one = AnalyzeSweep(r, options);
  options.threads = 3;
  const SweepAnalysis three = AnalyzeSweep(r, options);
  const std::vector<std::string> files = WriteAnalysisReport(one, dir.str() + "/a1");
  WriteAnalysisReport(three, dir.str() + "/a3");
  // The files report.hpp declares, in its order: readers (clipsim.load) take the names from there.
  ASSERT_EQ(files.size(), kAnalysisTables.size() + 1);
  for (std::size_t i = 0; i < kAnalysisTables.size(); ++i) {
    EXPECT_EQ(fs::path(files[i]).filename().string(), kAnalysisTables[i]);
  }
  EXPECT_EQ(fs::path(files.back()).filename().string(), kSummaryFile);
  for (const std::string name :
       {"summary.md", "budgets.csv", "quantiles.csv", "rates.csv", "verdicts.csv", "delta_fits.csv",
        "paired.csv", "noise_tail.csv"}) {
    const std::string a = ReadText(dir.str() + "/a1/" + name);
    EXPECT_FALSE(a.empty()) << name;
    EXPECT_EQ(a, ReadText(dir.str() + "/a3/" + name)) << name << " differs between 1 and 3 threads";
  }
  const std::string summary = ReadText(dir.str() + "/a1/summary.md");
  EXPECT_NE(summary.find("## Verdicts (in expectation: mean_grad_norm"), std::string::npos);
  EXPECT_NE(summary.find("not enough seeds"), std::string::npos);     // delta 0.001 at 120 seeds
  EXPECT_NE(summary.find("inf (diverged runs)"), std::string::npos);  // sgd's mean
  // Paired comparisons: three cells share one noise group -> 3 pairs x 3 budgets.
  EXPECT_EQ(one.paired.size(), 9u);
  // ps_clip_sgd / clip_sgd at N: median ratio (1 / 1.5) N^(-0.05); the exact interval covers it
  // (95% interval of a median; seed 1 of the synthetic writer).
  for (const PairedComparison& p : one.paired) {
    if (p.label_a != "ps_clip_sgd" || p.label_b != "clip_sgd") continue;
    const double truth = std::pow(static_cast<double>(p.budget), -0.05) / 1.5;
    EXPECT_LE(p.median_ratio.lower, truth) << "N=" << p.budget;
    EXPECT_GE(p.median_ratio.upper, truth) << "N=" << p.budget;
  }
  const std::string table = VerdictTable(one);
  EXPECT_NE(table.find("ps_clip_sgd"), std::string::npos);
  EXPECT_NE(table.find("no theory slope"), std::string::npos);  // sgd at p = 1.5
}

TEST(AnalyzeSweep, InvalidOptionsAreInputErrors) {
  TempDir dir("options");
  testing::WriteSyntheticSweep(ThreeMethods(), dir.str());
  const SweepResults r = ReadSweepDir(dir.str());
  AnalysisOptions bad;
  bad.deltas = {0.1, 1.5};
  EXPECT_THROW(AnalyzeSweep(r, bad), InputError);
  bad = AnalysisOptions{};
  bad.verdict.margin = -0.1;
  EXPECT_THROW(AnalyzeSweep(r, bad), InputError);
  bad = AnalysisOptions{};
  bad.bootstrap_resamples = 5;
  EXPECT_THROW(AnalyzeSweep(r, bad), InputError);
}

TEST(AnalyzeCommand, PrintsVerdictsAndWritesTheFolder) {
  TempDir dir("cli");
  testing::WriteSyntheticSweep(ThreeMethods(), dir.str());
  std::string out;
  ASSERT_EQ(
      RunCommand(std::string(CLIPSIM_BINARY) + " analyze " + dir.str() + " --bootstrap 300", &out),
      0)
      << out;
  EXPECT_NE(out.find("Verdicts: in expectation on mean_grad_norm"), std::string::npos) << out;
  EXPECT_NE(out.find("at least as fast as theory"), std::string::npos) << out;
  EXPECT_TRUE(fs::exists(dir.str() + "/analysis/summary.md"));
  EXPECT_TRUE(fs::exists(dir.str() + "/analysis/rates.csv"));
  // User errors: exit code 2 with a message naming the option.
  out.clear();
  EXPECT_EQ(
      RunCommand(std::string(CLIPSIM_BINARY) + " analyze " + dir.str() + " --deltas 0.1,2", &out),
      2);
  EXPECT_NE(out.find("--deltas"), std::string::npos) << out;
  out.clear();
  EXPECT_EQ(RunCommand(std::string(CLIPSIM_BINARY) + " analyze " + dir.str() + "/missing", &out),
            2);
  EXPECT_NE(out.find("DIR"), std::string::npos) << out;
}

}  // namespace
}  // namespace clipsim::analysis

// Verdicts: Holm adjustment against hand-computed values, the one-sided bootstrap p-values, and
// end to end on synthetic sweeps with planted slopes: theory-rate cells are declared "at least as
// fast as theory", a clearly shallower slope "slower than theory", a slope on the margin
// "inconclusive"; the mean's interval is "unreliable" for infinite-variance data and not for
// Gaussian data.
#include "clipsim/analysis/verdict.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "clipsim/analysis/sweep_analysis.hpp"
#include "clipsim/analysis/sweep_results.hpp"
#include "common/temp_files.hpp"
#include "synthetic_sweep.hpp"

namespace clipsim::analysis {
namespace {

using clipsim::testing::TempDir;

TEST(HolmAdjust, HandComputedExample) {
  // Sorted 0.005, 0.01, 0.03, 0.04 times 4, 3, 2, 1: 0.02, 0.03, 0.06, 0.04 -> running max.
  const std::vector<double> p = {0.01, 0.04, 0.03, 0.005};
  const std::vector<double> adj = HolmAdjust(p);
  ASSERT_EQ(adj.size(), 4u);
  EXPECT_DOUBLE_EQ(adj[0], 0.03);
  EXPECT_DOUBLE_EQ(adj[1], 0.06);
  EXPECT_DOUBLE_EQ(adj[2], 0.06);
  EXPECT_DOUBLE_EQ(adj[3], 0.02);
  EXPECT_DOUBLE_EQ(HolmAdjust(std::vector<double>{0.6, 0.7})[1], 1.0);  // capped at 1
}

TEST(TestSlope, OneSidedBootstrapPValues) {
  std::vector<double> reps;
  for (int i = 0; i < 99; ++i) reps.push_back(-0.35 + 0.1 * i / 98.0);  // all below -0.15
  SlopeTest t = TestSlope(-0.3, reps, -0.2, 0.05);
  EXPECT_DOUBLE_EQ(t.boundary, -0.15);
  EXPECT_DOUBLE_EQ(t.p_fast, 1.0 / 100.0);
  EXPECT_DOUBLE_EQ(t.p_slow, 1.0);
  // Undefined replicates count against both claims.
  reps[0] = reps[1] = std::nan("");
  t = TestSlope(-0.3, reps, -0.2, 0.05);
  EXPECT_DOUBLE_EQ(t.p_fast, 3.0 / 100.0);
  EXPECT_DOUBLE_EQ(t.p_slow, 1.0);
  // Holm over a family of two cells (four one-sided hypotheses) at 95%: 3/100 * 4 > 0.05.
  SlopeTest u = TestSlope(-0.3, std::vector<double>(99, -0.3), -0.2, 0.05);
  std::vector<SlopeTest*> family = {&t, &u};
  ApplyHolm(family, 0.95);
  EXPECT_EQ(u.verdict, Verdict::kAtLeastAsFast);  // 1/100 * 4 = 0.04
  EXPECT_EQ(t.verdict, Verdict::kInconclusive);   // max(0.04, 3/100 * 3) = 0.09
  EXPECT_DOUBLE_EQ(t.p_holm, 0.09);
}

// The planted-slope sweep: cells of PS-Clip-SGD at p = 1.5, where the registry's slope is
// -(p-1)/(3p-2) = -0.2 and the margin 0.05 puts the boundary at -0.15.
SweepAnalysis AnalyzePlanted(const std::vector<testing::SyntheticCell>& cells, int seeds,
                             testing::Law law, double law_param, const std::string& tag) {
  testing::SyntheticSweep s;
  s.cells = cells;
  s.seeds = seeds;
  s.budgets = {1000, 3000, 10000, 30000, 100000};
  s.law = law;
  s.law_param = law_param;
  s.seed = 31;
  TempDir dir(tag);
  testing::WriteSyntheticSweep(s, dir.str());
  const SweepResults results = ReadSweepDir(dir.str());
  AnalysisOptions options;
  options.bootstrap_resamples = 1000;
  // The planted data hold one metric: its quantiles carry the high-probability verdicts too.
  options.hp_metric = "grad_norm_at_R";
  options.theorem_metric = "grad_norm_at_R";
  return AnalyzeSweep(results, options);
}

const RateResult& Rate(const SweepAnalysis& a, std::size_t cell, stats::StatisticKind kind,
                       double delta = 0.0) {
  const MetricAnalysis* m = a.cells[cell].Find("grad_norm_at_R");
  EXPECT_NE(m, nullptr);
  for (const RateResult& r : m->rates) {
    if (r.statistic.kind == kind &&
        (kind != stats::StatisticKind::kQuantile || r.statistic.delta == delta)) {
      return r;
    }
  }
  ADD_FAILURE() << "no such rate";
  return m->rates.front();
}

// Seed 31 (data) and the analysis's fixed bootstrap seed; familywise confidence 95% (Holm over
// the three cells), so a wrong directional verdict in this family has probability <= 5% for a
// valid bootstrap test; the planted slopes sit 0.05 and 0.1 slope units away from the boundary,
// many interval widths (about 0.01 here), so the expected verdicts are not borderline.
TEST(Verdicts, FlipToSlowerWhenThePlantedSlopeIsShallower) {
  std::vector<testing::SyntheticCell> cells(3);
  cells[0].slope = -0.2;   // at the theory rate
  cells[1].slope = -0.3;   // faster than theory
  cells[2].slope = -0.05;  // clearly shallower: slower than theory
  for (std::size_t i = 0; i < cells.size(); ++i) cells[i].noise_group = static_cast<int>(i);
  const SweepAnalysis a = AnalyzePlanted(cells, 400, testing::Law::kLogNormal, 0.5, "flip");
  for (stats::StatisticKind kind :
       {stats::StatisticKind::kMedianOfMeans, stats::StatisticKind::kQuantile}) {
    const double delta = kind == stats::StatisticKind::kQuantile ? 0.1 : 0.0;
    const RateResult& at = Rate(a, 0, kind, delta);
    const RateResult& fast = Rate(a, 1, kind, delta);
    const RateResult& slow = Rate(a, 2, kind, delta);
    ASSERT_TRUE(at.theory_slope.has_value()) << at.theory_note;
    EXPECT_NEAR(*at.theory_slope, -0.2, 1e-15);
    EXPECT_EQ(at.verdict, Verdict::kAtLeastAsFast)
        << at.statistic.Name() << " slope " << at.fit.fit.slope << " p_holm " << at.test.p_holm;
    EXPECT_EQ(fast.verdict, Verdict::kAtLeastAsFast) << fast.statistic.Name();
    EXPECT_EQ(slow.verdict, Verdict::kSlower)
        << slow.statistic.Name() << " slope " << slow.fit.fit.slope << " ["
        << slow.fit.slope_ci.lower << ", " << slow.fit.slope_ci.upper << "] p_holm "
        << slow.test.p_holm;
  }
}

// A slope planted on the boundary (-0.15) supports neither claim: both one-sided p-values are
// near 1/2. The test fails only if some claim is made, which for a valid test has probability
// <= 5% (seed 31).
TEST(Verdicts, InconclusiveOnTheMargin) {
  std::vector<testing::SyntheticCell> cells(1);
  cells[0].slope = -0.15;
  const SweepAnalysis a = AnalyzePlanted(cells, 100, testing::Law::kLogNormal, 0.5, "margin");
  const RateResult& r = Rate(a, 0, stats::StatisticKind::kMedianOfMeans);
  EXPECT_EQ(r.verdict, Verdict::kInconclusive)
      << "slope " << r.fit.fit.slope << " p_fast " << r.test.p_fast << " p_slow " << r.test.p_slow;
}

TEST(Verdicts, NoTheoryForMethodsOutsideTheRegistryDomain) {
  std::vector<testing::SyntheticCell> cells(2);
  cells[0].method = "sgd";  // the registry's SGD entry covers p = 2 only
  cells[1].method = "adam_norm";
  cells[1].noise_group = 1;
  const SweepAnalysis a = AnalyzePlanted(cells, 60, testing::Law::kLogNormal, 0.5, "notheory");
  EXPECT_EQ(Rate(a, 0, stats::StatisticKind::kMedianOfMeans).verdict, Verdict::kNoTheory);
  EXPECT_EQ(Rate(a, 1, stats::StatisticKind::kMedianOfMeans).verdict, Verdict::kNoTheory);
}

// Infinite variance across seeds: Z Pareto with tail index 1.5, so the metric's Hill estimate sits
// near 1.5 < 2 and the mean's interval is unreliable (its verdict is withheld). Gaussian Z
// (|10 + 1.5 G|, light-tailed) leaves it reliable. 1000 seeds, seed 31.
TEST(MeanReliability, UnreliableForInfiniteVarianceNotForGaussian) {
  std::vector<testing::SyntheticCell> cells(1);
  cells[0].cell_jitter = 0.0;
  const SweepAnalysis heavy = AnalyzePlanted(cells, 1000, testing::Law::kPareto, 1.5, "heavy");
  const SweepAnalysis light = AnalyzePlanted(cells, 1000, testing::Law::kGaussian, 1.5, "light");
  const MetricAnalysis* h = heavy.cells[0].Find("grad_norm_at_R");
  const MetricAnalysis* l = light.cells[0].Find("grad_norm_at_R");
  ASSERT_NE(h, nullptr);
  ASSERT_NE(l, nullptr);
  for (std::size_t j = 0; j < h->budgets.size(); ++j) {
    std::printf(
        "N=%lld Hill tail index across seeds: Pareto(1.5) %.3f [%.3f, %.3f], Gaussian %.3g "
        "[%.3g, %.3g]\n",
        static_cast<long long>(h->budgets[j].budget), h->budgets[j].tail.estimate,
        h->budgets[j].tail.lower, h->budgets[j].tail.upper, l->budgets[j].tail.estimate,
        l->budgets[j].tail.lower, l->budgets[j].tail.upper);
    EXPECT_EQ(h->budgets[j].mean_status, MeanStatus::kUnreliable)
        << "N=" << h->budgets[j].budget << " tail index " << h->budgets[j].tail.estimate << " ("
        << h->budgets[j].tail.note << ")";
    EXPECT_EQ(l->budgets[j].mean_status, MeanStatus::kReliable)
        << "N=" << l->budgets[j].budget << " tail index " << l->budgets[j].tail.estimate << " ("
        << l->budgets[j].tail.note << ")";
  }
  EXPECT_EQ(Rate(heavy, 0, stats::StatisticKind::kMean).verdict, Verdict::kWithheld);
  EXPECT_NE(Rate(heavy, 0, stats::StatisticKind::kMean).note.find("unreliable"), std::string::npos);
  EXPECT_EQ(Rate(light, 0, stats::StatisticKind::kMean).verdict, Verdict::kAtLeastAsFast);
}

}  // namespace
}  // namespace clipsim::analysis

// The regime rules (regime.hpp): which (cell, budget) a theorem speaks about, from the
// prescription, the facts of resolved.csv and the clip counts only. Each rule is shown failing
// on a planted folder where it must, with its numbers in the reason, and a cell that meets them
// all is testable; a control reads the clip counts of the clipped cell it controls.
//
// The facts are those of nonconvex_sum in d = 1 (L = 2, Delta = 0.5, G = 3 sqrt(3) / 8,
// ||grad f(x0)|| = 0.5) under symmetric stable noise alpha = 1.5 at scale 0.1 with p = 1.4
// (sigma(p) = 0.3857): there PS-Clip-SGD's prescription leaves T = 41..221 steps for N = 1e3..1e5
// and its bound falls below ||grad f(x0)|| / 2 from N = 3000 on.
#include "clipsim/analysis/regime.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "clipsim/analysis/sweep_analysis.hpp"
#include "clipsim/analysis/sweep_results.hpp"
#include "clipsim/theory/registry.hpp"
#include "common/temp_files.hpp"
#include "synthetic_sweep.hpp"

namespace clipsim::analysis {
namespace {

using clipsim::testing::TempDir;

testing::SyntheticSweep TheorySweep(std::vector<testing::SyntheticCell> cells) {
  testing::SyntheticSweep s;
  s.cells = std::move(cells);
  s.seeds = 20;
  s.budgets = {1000, 3000, 10000, 30000, 100000};
  s.facts.write = true;
  for (testing::SyntheticCell& c : s.cells) {
    c.p = 1.4;
    c.scale = 0.01;
  }
  return s;
}

testing::SyntheticCell Cell(const std::string& method, int group) {
  testing::SyntheticCell c;
  c.method = method;
  c.noise_group = group;
  return c;
}

std::vector<CellRegime> Assess(const testing::SyntheticSweep& s, const std::string& tag,
                               const RegimeRules& rules = {}) {
  TempDir dir(tag);
  testing::WriteSyntheticSweep(s, dir.str());
  return AssessRegimes(ReadSweepDir(dir.str()), rules);
}

bool Mentions(const BudgetRegime& b, const std::string& text) {
  for (const std::string& f : b.failed) {
    if (f.find(text) != std::string::npos) return true;
  }
  return false;
}

TEST(Regime, ThePrescriptionIsTestableWhereEveryRuleHolds) {
  const std::vector<CellRegime> r = Assess(TheorySweep({Cell("ps_clip_sgd", 0)}), "regime-ok");
  ASSERT_EQ(r.size(), 1u);
  const CellRegime& c = r[0];
  ASSERT_TRUE(c.applicable) << c.why_not;
  EXPECT_EQ(c.entry, "ps_clip_sgd");
  EXPECT_FALSE(c.control);
  EXPECT_DOUBLE_EQ(c.theory_slope, theory::OptimalSlope(1.4));
  ASSERT_EQ(c.budgets.size(), 5u);
  // N = 1000: the bound is above half the start's gradient norm; from 3000 on all rules hold.
  EXPECT_FALSE(c.budgets[0].testable);
  EXPECT_TRUE(Mentions(c.budgets[0], "bound/||grad f(x0)||")) << c.FailedSummary();
  for (std::size_t j = 1; j < 5; ++j) {
    EXPECT_TRUE(c.budgets[j].testable) << c.FailedSummary();
    EXPECT_GE(c.budgets[j].iterations, 30);
    EXPECT_LE(c.budgets[j].bound_ratio, 0.5);
    EXPECT_NEAR(c.budgets[j].bound_slope, c.theory_slope, 0.05);
    // The synthetic runs clip a quarter of their samples.
    EXPECT_DOUBLE_EQ(c.budgets[j].clipped_median, 0.25 * static_cast<double>(c.budgets[j].budget));
  }
  EXPECT_TRUE(c.rate_testable) << c.rate_reason;
  // The bound is the registry's, at the prescription.
  theory::BoundInputs in;
  in.theory = {2.0, 0.5, 0.3857, 1.4, 10000};
  in.gradient_bound = 0.6495;
  EXPECT_DOUBLE_EQ(c.budgets[2].bound,
                   theory::FindTheory("ps_clip_sgd")->ExpectationBound(in).value);
}

TEST(Regime, OneStepIsNotTestableAndSaysWhy) {
  testing::SyntheticCell one = Cell("ps_clip_sgd", 0);
  one.iterations = 1;  // the prescription's batch averages the noise away: T = 1
  const std::vector<CellRegime> r = Assess(TheorySweep({one}), "regime-t1");
  const CellRegime& c = r[0];
  ASSERT_TRUE(c.applicable);
  for (const BudgetRegime& b : c.budgets) {
    EXPECT_FALSE(b.testable);
    EXPECT_TRUE(Mentions(b, "T = 1 < 30 steps")) << c.FailedSummary();
  }
  EXPECT_FALSE(c.rate_testable);
  EXPECT_NE(c.rate_reason.find("0 testable budgets"), std::string::npos) << c.rate_reason;
  // The same cell with a rule relaxed to T >= 1 is testable again: the rule, not the data,
  // decided.
  RegimeRules relaxed;
  relaxed.min_steps = 1;
  const std::vector<CellRegime> again = Assess(TheorySweep({one}), "regime-t1b", relaxed);
  EXPECT_TRUE(again[0].budgets[4].testable) << again[0].FailedSummary();
}

TEST(Regime, NothingClippedIsNotTestable) {
  testing::SyntheticCell never = Cell("ps_clip_sgd", 0);
  never.clipped_fraction = 0.0;
  const CellRegime c = Assess(TheorySweep({never}), "regime-noclip")[0];
  for (const BudgetRegime& b : c.budgets) {
    EXPECT_FALSE(b.testable);
    EXPECT_TRUE(Mentions(b, "median clipped samples per run 0 < 1")) << c.FailedSummary();
  }
}

TEST(Regime, AControlReadsTheClipCountsOfTheCellItControls) {
  testing::SyntheticCell ps = Cell("ps_clip_sgd", 0);
  testing::SyntheticCell sgd = Cell("sgd", 0);  // the same noise stream
  sgd.prescription = "ps_clip_sgd";
  sgd.clipped_fraction = 0.0;                     // plain SGD never clips
  testing::SyntheticCell alone = Cell("sgd", 1);  // a control without a clipped cell
  alone.prescription = "ps_clip_sgd";
  alone.clipped_fraction = 0.0;
  const std::vector<CellRegime> r = Assess(TheorySweep({ps, sgd, alone}), "regime-control");
  ASSERT_TRUE(r[1].applicable);
  EXPECT_TRUE(r[1].control);
  EXPECT_EQ(r[1].partner, testing::CellId(0));
  EXPECT_TRUE(r[1].budgets[2].clipped_from_partner);
  EXPECT_TRUE(r[1].budgets[2].testable) << r[1].FailedSummary();
  EXPECT_DOUBLE_EQ(r[1].budgets[2].bound, r[0].budgets[2].bound);  // PS-Clip-SGD's bound
  EXPECT_TRUE(r[2].control);
  EXPECT_FALSE(r[2].budgets[2].testable);
  EXPECT_TRUE(Mentions(r[2].budgets[2], "no clipped cell")) << r[2].FailedSummary();
}

TEST(Regime, ARateNeedsThreeTestableBudgetsOverADecade) {
  testing::SyntheticSweep s = TheorySweep({Cell("ps_clip_sgd", 0)});
  s.budgets = {3000, 10000};  // both testable, but only two
  const CellRegime c = Assess(s, "regime-span")[0];
  EXPECT_TRUE(c.budgets[0].testable && c.budgets[1].testable) << c.FailedSummary();
  EXPECT_FALSE(c.rate_testable);
  EXPECT_NE(c.rate_reason.find("2 testable budgets spanning a factor 3.33"), std::string::npos)
      << c.rate_reason;
}

TEST(Regime, TheBudgetFromWhichThePrescriptionIsTestable) {
  testing::SyntheticSweep s = TheorySweep({Cell("ps_clip_sgd", 0)});
  s.budgets = {100, 300};
  const CellRegime c = Assess(s, "regime-from")[0];
  EXPECT_FALSE(c.rate_testable);
  ASSERT_GT(c.prescription_testable_from, 300);
  EXPECT_NE(c.rate_reason.find("hold from N ="), std::string::npos) << c.rate_reason;
  // At that budget the rules that depend on the prescription alone do hold.
  s.budgets = {c.prescription_testable_from};
  const CellRegime at = Assess(s, "regime-from-at")[0];
  EXPECT_TRUE(at.budgets[0].testable) << at.FailedSummary();
}

TEST(Regime, CellsOutsideTheTheoryAreNotApplicable) {
  testing::SyntheticCell plain = Cell("sgd", 0);
  plain.prescription = "";  // a constant-step cell
  const CellRegime c = Assess(TheorySweep({plain}), "regime-plain")[0];
  EXPECT_FALSE(c.applicable);
  EXPECT_NE(c.why_not.find("not a theory-schedule cell"), std::string::npos) << c.why_not;
  // No resolved.csv at all: the regime is unknown, and said so.
  testing::SyntheticSweep old = TheorySweep({Cell("ps_clip_sgd", 0)});
  old.facts.write = false;
  const CellRegime o = Assess(old, "regime-old")[0];
  EXPECT_FALSE(o.applicable);
  EXPECT_NE(o.why_not.find("resolved.csv"), std::string::npos) << o.why_not;
}

TEST(Regime, RulesAreValidatedInOnePlace) {
  RegimeRules r;
  EXPECT_EQ(r.Validate(), "");
  r.min_steps = 0;
  EXPECT_NE(r.Validate().find("min_steps is 0"), std::string::npos);
  r = {};
  r.max_bound_ratio = -1;
  EXPECT_NE(r.Validate().find("max_bound_ratio"), std::string::npos);
  r = {};
  r.min_rate_budgets = 1;
  EXPECT_NE(r.Validate().find("min_rate_budgets"), std::string::npos);
  r = {};
  r.min_rate_span = 0.5;
  EXPECT_NE(r.Validate().find("min_rate_span"), std::string::npos);
  AnalysisOptions o;
  o.regime.slope_tolerance = -0.1;
  EXPECT_NE(o.Validate().find("--slope-tolerance (regime slope_tolerance) is -0.1"),
            std::string::npos)
      << o.Validate();
}

}  // namespace
}  // namespace clipsim::analysis

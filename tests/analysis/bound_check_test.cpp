// The bound check (bound_check.hpp) on planted data: known draws under a known bound must come
// out "bound holds", the same draws against the bound made ten times too small (a wrong constant)
// must come out "bound violated", draws whose mean exceeds the bound "violated", and a check
// without a testable budget or without a finite G "not testable".
//
// Draws are uniform on [0, 2m] (mean m, inside [0, G]) from the fixed generator MakeRng({7, ...});
// each family is decided at familywise confidence 95%, so a planted verdict that is correct fails
// with probability at most 5% per family for a valid test. The planted means sit far (more than
// ten radii) from the bounds, so the outcomes are not borderline at the 2000 seeds used.
#include "clipsim/analysis/bound_check.hpp"

#include <gtest/gtest.h>

#include <boost/random/uniform_01.hpp>
#include <cmath>
#include <vector>

#include "clipsim/core/rng.hpp"

namespace clipsim::analysis {
namespace {

constexpr double kG = 1.0;

// One cell: per budget, `seeds` draws of mean_grad_norm uniform on [0, 2 mean], and
// mean_sq_grad_norm = its square times 1.2 (the path average of squares exceeds the square of
// the path average).
struct Planted {
  CellResults cell;
  CellRegime regime;
};

Planted Plant(const std::vector<double>& means, const std::vector<double>& bounds,
              const std::vector<bool>& testable, int seeds, std::uint64_t seed) {
  Planted p;
  p.cell.info.id = "00000000000000aa";
  p.regime.applicable = true;
  p.regime.gradient_bound = kG;
  Rng rng = MakeRng({7, seed});
  boost::random::uniform_01<double> u01;
  for (std::size_t j = 0; j < means.size(); ++j) {
    BudgetRuns b;
    b.budget = 1000 * static_cast<std::int64_t>(j + 1);
    b.finals.assign(2, {});
    for (int s = 0; s < seeds; ++s) {
      const double x = 2.0 * means[j] * u01(rng);
      b.seeds.push_back(static_cast<std::uint64_t>(s));
      b.finals[0].push_back(x);
      b.finals[1].push_back(std::min(kG * kG, 1.2 * x * x));
    }
    b.has_resolved = true;
    b.resolved.gradient_bound = kG;
    p.cell.budgets.push_back(std::move(b));
    BudgetRegime g;
    g.budget = p.cell.budgets.back().budget;
    g.bound = bounds[j];
    g.testable = testable[j];
    p.regime.budgets.push_back(g);
  }
  return p;
}

CellBoundCheck Decide(const Planted& p) {
  CellBoundCheck c = CheckCellBound(p.cell, p.regime, 0, 1);
  std::vector<CellBoundCheck*> family = {&c};
  DecideBoundFamily(family, 0.95);
  return c;
}

TEST(BoundCheck, APlantedCaseUnderItsBoundHolds) {
  const Planted p = Plant({0.1, 0.08, 0.06}, {0.3, 0.25, 0.2}, {true, true, true}, 2000, 1);
  const CellBoundCheck c = Decide(p);
  EXPECT_EQ(c.verdict, BoundVerdict::kHolds) << c.note;
  for (const BudgetBoundCheck& b : c.budgets) {
    EXPECT_EQ(b.verdict, BoundVerdict::kHolds);
    EXPECT_LT(b.mean.upper, b.bound);  // the shown interval clears the bound as well
    EXPECT_NEAR(b.ratio, b.mean.mean / b.bound, 1e-15);
  }
  EXPECT_NEAR(c.worst_ratio, 0.3333, 0.02);
}

TEST(BoundCheck, AWrongConstantIsCaught) {
  // The same draws (same generator seed), against bounds ten times too small.
  const Planted p = Plant({0.1, 0.08, 0.06}, {0.03, 0.025, 0.02}, {true, true, true}, 2000, 1);
  const CellBoundCheck c = Decide(p);
  EXPECT_EQ(c.verdict, BoundVerdict::kViolated) << c.note;
  for (const BudgetBoundCheck& b : c.budgets) EXPECT_GT(b.mean.lower, b.bound);
}

TEST(BoundCheck, ABrokenTwinAboveTheBoundIsViolatedAtSomeBudget) {
  // Only the last budget exceeds its bound: one violation decides the cell.
  const Planted p = Plant({0.1, 0.1, 0.4}, {0.3, 0.3, 0.2}, {true, true, true}, 2000, 2);
  const CellBoundCheck c = Decide(p);
  EXPECT_EQ(c.verdict, BoundVerdict::kViolated);
  EXPECT_EQ(c.budgets[0].verdict, BoundVerdict::kHolds);
  EXPECT_EQ(c.budgets[2].verdict, BoundVerdict::kViolated);
  EXPECT_NE(c.note.find("N=3000"), std::string::npos) << c.note;
}

TEST(BoundCheck, OnlyTestableBudgetsDecide) {
  // The violating budget is not testable: it is reported, never decides.
  const Planted p = Plant({0.4, 0.1, 0.1}, {0.2, 0.3, 0.3}, {false, true, true}, 2000, 3);
  const CellBoundCheck c = Decide(p);
  EXPECT_EQ(c.verdict, BoundVerdict::kHolds) << c.note;
  EXPECT_EQ(c.budgets[0].verdict, BoundVerdict::kNotTestable);
  EXPECT_GT(c.budgets[0].ratio, 1.0);  // measured and shown all the same
}

TEST(BoundCheck, TooFewSeedsIsInconclusiveNotHolds) {
  // 20 seeds cannot certify a mean of 0.2 below 0.25 on a range of width 1.
  const Planted p = Plant({0.2}, {0.25}, {true}, 20, 4);
  EXPECT_EQ(Decide(p).verdict, BoundVerdict::kInconclusive);
}

TEST(BoundCheck, NotTestableWithoutATestableBudgetOrAFiniteG) {
  Planted p = Plant({0.1, 0.1}, {0.3, 0.3}, {false, false}, 200, 5);
  EXPECT_EQ(Decide(p).verdict, BoundVerdict::kNotTestable);
  p = Plant({0.1, 0.1}, {0.3, 0.3}, {true, true}, 200, 5);
  p.regime.gradient_bound = std::numeric_limits<double>::infinity();
  for (BudgetRuns& b : p.cell.budgets) b.resolved.gradient_bound = p.regime.gradient_bound;
  const CellBoundCheck c = Decide(p);
  EXPECT_EQ(c.verdict, BoundVerdict::kNotTestable);
  EXPECT_NE(c.note.find("finite gradient bound"), std::string::npos) << c.note;
}

TEST(BoundCheck, HolmOverTheFamilyIsNoMoreLenientThanEachTestAlone) {
  // Two cells decided as one family: the adjusted p-values are at least the raw ones.
  const Planted a = Plant({0.1, 0.1}, {0.3, 0.3}, {true, true}, 500, 6);
  const Planted b = Plant({0.2, 0.2}, {0.25, 0.25}, {true, true}, 500, 7);
  CellBoundCheck ca = CheckCellBound(a.cell, a.regime, 0, 1);
  CellBoundCheck cb = CheckCellBound(b.cell, b.regime, 0, 1);
  std::vector<CellBoundCheck*> family = {&ca, &cb};
  DecideBoundFamily(family, 0.95);
  for (const CellBoundCheck* c : family) {
    for (const BudgetBoundCheck& x : c->budgets) {
      EXPECT_GE(x.holm_below, x.p_below);
      EXPECT_GE(x.holm_above_sq, x.p_above_sq);
      EXPECT_LE(x.holm_below, 1.0);
    }
  }
}

}  // namespace
}  // namespace clipsim::analysis

// The `floor` claim kind (claims.hpp; claims/src/claims_floor.cpp) on real runs of Clip-SGD with
// a fixed threshold: the two-point construction of the lower bound (analysis/clip_floor.hpp), its
// symmetric twin (Gaussian noise of the same sigma) and clipped gradient descent without noise.
// The measured floors must match the derivation; each decision rule must support the claim where
// it holds and fail on a planted case: a bound with a wrong constant (the upper bound / 10, the
// lower bound x 10), a symmetric twin judged as if it stalled, a skewed twin judged as if it
// converged, a wrong exponent. Small budgets (3e3 and 3e4 samples, 24 seeds), so that the test
// stays fast under the sanitizers; the runs are deterministic (fixed seeds), so the verdicts are.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "clipsim/analysis/clip_floor.hpp"
#include "clipsim/analysis/sweep_analysis.hpp"
#include "clipsim/analysis/sweep_results.hpp"
#include "clipsim/claims/claims.hpp"
#include "clipsim/claims/claims_file.hpp"
#include "common/expect_input_error.hpp"
#include "common/temp_files.hpp"
#include "floor_sweeps.hpp"

namespace clipsim::claims {
namespace {

using testing::Deterministic;
using testing::Stochastic;
using testing::Sweep;

ClaimRowSpec Row(const std::string& name, std::vector<std::pair<std::string, std::string>> select,
                 FloorExpect expect = FloorExpect::kFloor) {
  ClaimRowSpec row;
  row.name = name;
  row.select.match = std::move(select);
  row.floor_expect = expect;
  return row;
}

// flat_margin 0.2 instead of the claims file's 0.1: at these small budgets the smallest floor
// (c = 4 sigma) moves by up to 13% between N = 3e3 and 3e4 within its interval.
ClaimSpec Spec(std::vector<ClaimRowSpec> rows) {
  ClaimSpec spec;
  spec.id = "9";
  spec.kind = ClaimKind::kFloor;
  spec.metric = "grad_norm";
  spec.flat_margin = 0.2;
  spec.rows = std::move(rows);
  return spec;
}

ClaimResult Decide(const ClaimSpec& spec, const Sweep& s) {
  return DecideClaim(spec, s.results, s.analysis, {}, 0.95);
}

const std::vector<std::pair<std::string, std::string>> kConstruction = {{"noise.kind", "two_point"},
                                                                        {"p", "2"}};
const std::vector<std::pair<std::string, std::string>> kGaussian = {{"noise.kind", "gaussian"}};

std::string Describe(const ClaimResult& r) {
  std::string s = std::string(ToString(r.verdict)) + ":";
  for (const ClaimRowResult& row : r.rows) {
    s += "\n  " + row.name + " | " + row.cells + " | " + std::string(ToString(row.outcome)) +
         " | " + std::to_string(row.estimate) + " [" + std::to_string(row.lower) + ", " +
         std::to_string(row.upper) + "] vs " + row.target + " | " + row.detail;
  }
  return s;
}

// The derivation, checked on the runs: the mean of ||grad f(x_N)|| over seeds is the two-point
// law's exact floor (sigma h - c) / h^2, within 4% (the statistical error at N = 3e4 is about 1%).
TEST(ClaimFloor, MeasuredFloorsAreTheDerivedOnes) {
  const Sweep& s = Stochastic();
  int checked = 0;
  for (const analysis::CellResults& cell : s.results.cells) {
    const analysis::BudgetRuns& last = cell.budgets.back();
    const double atom = analysis::TwoPointAtomOfNoise(cell.info.noise);
    if (std::isnan(atom)) continue;
    const double c = last.resolved.clip_threshold;
    const double sigma = std::stod(cell.info.Get("noise.scale"));
    double mean = 0.0;
    for (double v : last.finals[0]) mean += v / static_cast<double>(last.finals[0].size());
    const analysis::ClipFloorZeros z = analysis::TwoPointFloor(c, sigma, atom);
    EXPECT_NEAR(mean, z.high, 0.04 * z.high) << cell.info.noise << ", c = " << c;
    ++checked;
  }
  EXPECT_EQ(checked, 6);
}

// Every construction cell supports the claim, except c = 4 sigma: there the two bounds are 1.6%
// apart (both near sigma^2 / (4c)) while F's interval at N = 3e4 and 24 seeds is 9% wide, so the
// row is inconclusive (at the claim's full size, 60 seeds and N = 1e6, the interval is 3.5% wide).
TEST(ClaimFloor, TheConstructionLiesBetweenTheBounds) {
  const ClaimResult r = Decide(Spec({Row("construction", kConstruction)}), Stochastic());
  EXPECT_EQ(r.verdict, ClaimVerdict::kInconclusive) << Describe(r);
  ASSERT_EQ(r.rows.size(), 5u);
  for (const ClaimRowResult& row : r.rows) {
    const bool narrow = row.cells.find("clip_threshold=4") != std::string::npos;
    EXPECT_EQ(row.outcome, narrow ? RowOutcome::kInconclusive : RowOutcome::kSupports)
        << Describe(r);
  }
  // Outside the premise (p = 1.5: sigma(p) is not the standard deviation): not testable.
  const ClaimResult premise = Decide(Spec({Row("p = 1.5", {{"p", "1.5"}})}), Stochastic());
  ASSERT_EQ(premise.rows.size(), 1u);
  EXPECT_EQ(premise.rows[0].outcome, RowOutcome::kNotTestable) << Describe(premise);
  EXPECT_NE(premise.rows[0].detail.find("p = 2"), std::string::npos);
}

// Planted wrong constants: the data must violate them.
TEST(ClaimFloor, WrongConstantsAreViolated) {
  ClaimSpec upper = Spec({Row("construction", kConstruction)});
  upper.upper_factor = 0.1;
  const ClaimResult u = Decide(upper, Stochastic());
  EXPECT_EQ(u.verdict, ClaimVerdict::kNotReproduced) << Describe(u);
  for (const ClaimRowResult& row : u.rows) EXPECT_EQ(row.outcome, RowOutcome::kContradicts);
  ClaimSpec lower = Spec({Row("construction", kConstruction)});
  lower.lower_factor = 10.0;
  const ClaimResult l = Decide(lower, Stochastic());
  EXPECT_EQ(l.verdict, ClaimVerdict::kNotReproduced) << Describe(l);
  for (const ClaimRowResult& row : l.rows) EXPECT_EQ(row.outcome, RowOutcome::kContradicts);
}

// The symmetric twin has no floor: judged as if it stalled at the construction's lower bound it
// contradicts the claim (below the bound and still falling); checked against the upper bound
// only, it is not testable (nothing resolved); `expect: none` supports. The skewed construction
// judged as if it converged contradicts.
TEST(ClaimFloor, SymmetricTwinReportsNoFloor) {
  const ClaimResult as_floor = Decide(Spec({Row("gaussian", kGaussian)}), Stochastic());
  ASSERT_EQ(as_floor.rows.size(), 1u);
  EXPECT_EQ(as_floor.rows[0].outcome, RowOutcome::kContradicts) << Describe(as_floor);
  ClaimRowSpec upper_only = Row("gaussian", kGaussian);
  upper_only.floor_lower = false;
  const ClaimResult up = Decide(Spec({upper_only}), Stochastic());
  EXPECT_EQ(up.rows[0].outcome, RowOutcome::kNotTestable) << Describe(up);
  const ClaimResult none =
      Decide(Spec({Row("gaussian", kGaussian, FloorExpect::kNone)}), Stochastic());
  EXPECT_EQ(none.verdict, ClaimVerdict::kReproduced) << Describe(none);
  const ClaimResult skewed =
      Decide(Spec({Row("construction", kConstruction, FloorExpect::kNone)}), Stochastic());
  EXPECT_EQ(skewed.verdict, ClaimVerdict::kNotReproduced) << Describe(skewed);
  for (const ClaimRowResult& row : skewed.rows) EXPECT_EQ(row.outcome, RowOutcome::kContradicts);
}

// Without noise the runs converge whatever c: no floor.
TEST(ClaimFloor, DeterministicRunsHaveNoFloor) {
  const ClaimResult r = Decide(Spec({Row("clipped GD", {}, FloorExpect::kNone)}), Deterministic());
  EXPECT_EQ(r.verdict, ClaimVerdict::kReproduced) << Describe(r);
  ASSERT_EQ(r.rows.size(), 2u);
  for (const ClaimRowResult& row : r.rows) EXPECT_LT(row.upper, 1e-3);
}

// The exponent in c at sigma = 1 (c = 1, 2, 4): -1; a planted exponent of -1/2 is contradicted.
TEST(ClaimFloor, ExponentInC) {
  ClaimRowSpec slope =
      Row("exponent in c", {{"noise.kind", "two_point"}, {"noise.scale", "1"}, {"p", "2"}});
  slope.along = "optimizer.clip_threshold";
  slope.along_within = {1.0, std::numeric_limits<double>::infinity()};
  slope.region = {-1.1, -0.9};
  const ClaimResult r = Decide(Spec({slope}), Stochastic());
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.rows[0].outcome, RowOutcome::kSupports) << Describe(r);
  EXPECT_NEAR(r.rows[0].estimate, -1.0, 0.05);
  slope.region = {-0.6, -0.4};
  const ClaimResult wrong = Decide(Spec({slope}), Stochastic());
  EXPECT_EQ(wrong.rows[0].outcome, RowOutcome::kContradicts) << Describe(wrong);
  // With the Gaussian twin's cell in the range the slope row leaves it out (no floor).
  slope.select.match = {{"optimizer.clip_threshold", "1"}};
  slope.along = "noise.scale";
  slope.along_within = {0.0, 1.0};
  const ClaimResult few = Decide(Spec({slope}), Stochastic());
  EXPECT_EQ(few.rows[0].outcome, RowOutcome::kNotTestable) << Describe(few);
}

TEST(ClaimFloor, ClaimsFileKeys) {
  const ClaimsFile f = ParseClaimsFile(R"(
claims:
  - {id: a, kind: floor, sweep: s, metric: grad_norm, flat_margin: 0.2, upper_factor: 0.1,
     rows: [{name: x, checks: [upper]}, {name: y, expect: none},
            {name: z, along: optimizer.clip_threshold, within: [1, .inf], region: [-1.1, -0.9]}]}
)",
                                       "claims.yaml");
  const ClaimSpec& c = f.claims[0];
  EXPECT_EQ(c.kind, ClaimKind::kFloor);
  EXPECT_EQ(c.flat_margin, 0.2);
  EXPECT_EQ(c.upper_factor, 0.1);
  EXPECT_EQ(c.lower_factor, 1.0);
  EXPECT_FALSE(c.rows[0].floor_lower);
  EXPECT_TRUE(c.rows[0].floor_upper);
  EXPECT_EQ(c.rows[1].floor_expect, FloorExpect::kNone);
  EXPECT_EQ(c.rows[2].along, "optimizer.clip_threshold");
  EXPECT_EQ(c.rows[2].along_within.lower, 1.0);
  const auto refused = [](const std::string& claim, std::vector<std::string> parts) {
    clipsim::testing::ExpectInputError(
        [&] { ParseClaimsFile("claims: [" + claim + "]", "c.yaml"); }, parts);
  };
  refused("{id: a, kind: floor, sweep: s, rows: [{checks: [bound]}]}", {"checks", "lower, upper"});
  refused("{id: a, kind: floor, sweep: s, rows: [{expect: violated}]}",
          {"expect", "floor or none"});
  refused("{id: a, kind: floor, sweep: s, rows: [{region: [0, 1]}]}", {"region", "slope row"});
  refused("{id: a, kind: floor, sweep: s, rows: [{along: c}]}", {"region", "required with along"});
  refused("{id: a, kind: floor, sweep: s, rows: [{within: [0, 1]}]}",
          {"within", "only with along"});
  refused("{id: a, kind: floor, sweep: s, rows: [{expect: none, along: c, region: [0, 1]}]}",
          {"along", "slope row"});
  refused("{id: a, kind: rate, sweep: s, rows: [{along: c}]}", {"along", "only with kind floor"});
  refused("{id: a, kind: rate, sweep: s, flat_margin: 0.1, rows: [{}]}",
          {"flat_margin", "only with kind floor"});
  refused("{id: a, kind: floor, sweep: s, flat_margin: 1, rows: [{}]}", {"flat_margin", "(0, 1)"});
  refused("{id: a, kind: floor, sweep: s, lower_factor: 0, rows: [{}]}", {"lower_factor", "> 0"});
  refused("{id: a, kind: slope_region, sweep: s, rows: [{expect: none, region: [0, 1]}]}",
          {"expect", "rate, floor, ode or hitting_time"});
}

// The bounds' formulas at points computed by hand (analysis/THEORY.md).
TEST(ClipFloor, BoundsAndConstruction) {
  EXPECT_DOUBLE_EQ(analysis::ClipFloorLowerBound(2.0, 1.0), 0.125);
  EXPECT_DOUBLE_EQ(analysis::ClipFloorLowerBound(0.5, 1.0), 0.25);
  EXPECT_NEAR(analysis::ClipFloorUpperBound(2.0, 1.0), (2.0 - std::sqrt(3.0)) / 2.0, 1e-15);
  EXPECT_DOUBLE_EQ(analysis::ClipFloorUpperBound(1.0, 1.5), 0.75);
  EXPECT_DOUBLE_EQ(analysis::ClipFloorUpperBound(1.0, 3.0), 1.0 + 2.25);
  EXPECT_DOUBLE_EQ(analysis::ClipFloorUpperBound(1.0, 8.0), 9.0);
  EXPECT_DOUBLE_EQ(analysis::ClipFloorConstructionAtom(2.0, 1.0), 4.0);
  EXPECT_DOUBLE_EQ(analysis::ClipFloorConstructionAtom(1.0, 3.0), 2.0);
  // The construction's floor: sigma^2 / (4c) below 2c, sigma/2 - c/4 beyond; always between.
  EXPECT_DOUBLE_EQ(analysis::ConstructionFloor(2.0, 1.0), 0.125);
  EXPECT_DOUBLE_EQ(analysis::ConstructionFloor(1.0, 4.0), 1.75);
  for (double c : {0.1, 0.5, 1.0, 3.0, 10.0}) {
    for (double sigma : {0.05, 0.3, 1.0, 1.9, 2.5, 7.0}) {
      const double k = analysis::ConstructionFloor(c, sigma);
      EXPECT_GE(k, analysis::ClipFloorLowerBound(c, sigma) * (1 - 1e-12)) << c << " " << sigma;
      EXPECT_LE(k, analysis::ClipFloorUpperBound(c, sigma)) << c << " " << sigma;
    }
  }
  // For c >> sigma the bounds meet at sigma^2 / (4c).
  EXPECT_NEAR(analysis::ClipFloorUpperBound(100.0, 1.0) / analysis::ClipFloorLowerBound(100.0, 1.0),
              1.0, 1e-4);
  // Two-point zeros: none clipped (sigma h <= c), and the symmetric dead zone.
  EXPECT_EQ(analysis::TwoPointFloor(4.0, 1.0, 4.0).high, 0.0);
  const analysis::ClipFloorZeros dead = analysis::TwoPointFloor(0.25, 1.0, 1.0);
  EXPECT_DOUBLE_EQ(dead.low, -0.75);
  EXPECT_DOUBLE_EQ(dead.high, 0.75);
  EXPECT_EQ(analysis::TwoPointAtomOfNoise("kind=two_point,atom=8,scale=0.25"), 8.0);
  EXPECT_TRUE(std::isnan(analysis::TwoPointAtomOfNoise("kind=gaussian,scale=1")));
  EXPECT_TRUE(std::isnan(analysis::TwoPointAtomOfNoise("kind=two_points,atom=8")));
}

}  // namespace
}  // namespace clipsim::claims

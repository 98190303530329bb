// Tests of the ode claim kind (claims.hpp, claims_ode.cpp) on a sweep folder written here: the
// runs of streaming_least_squares cells at d = 100, 300, 1000 whose risks are planted from the
// risk ODE itself, value(seed s, checkpoint j) = ODE_j (1 + b(d) + sd(d) G_s), G_s standard
// normal per seed. A setting whose error shrinks with d (b = sd = 0.1 / sqrt(d)) must be
// reproduced; the planted failures must fail their rules: a setting whose bias grows with d
// (b = 0.02 sqrt(d / 100)) contradicts both the agreement at the largest d and the trend; a
// wrong ODE (nu x 1.3) contradicts agreement and supports `expect: disagrees`; the CCC of a
// heavy-tailed cell contradicts the Gaussian region (<= 1); rows of runs that never clip are not
// testable.
#include <gtest/gtest.h>

#include <boost/random/normal_distribution.hpp>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "clipsim/analysis/sweep_analysis.hpp"
#include "clipsim/analysis/sweep_results.hpp"
#include "clipsim/claims/claims.hpp"
#include "clipsim/claims/claims_file.hpp"
#include "clipsim/core/input_error.hpp"
#include "clipsim/core/number_text.hpp"
#include "clipsim/core/resolved_table.hpp"
#include "clipsim/core/rng.hpp"
#include "clipsim/dynamics/run_ode.hpp"
#include "common/sweep_manifest.hpp"
#include "common/temp_files.hpp"

namespace clipsim::claims {
namespace {

using clipsim::testing::TempDir;
using clipsim::testing::WriteText;

constexpr std::int64_t kBudget = 8000;

// The checkpoints a sweep writes with checkpoints_per_decade = 10: 0, round(10^(j/10)) below N
// (distinct), and N (sim::CheckpointTargets). The analysis reads whatever targets a folder holds
// and does not link sim, so the planted folder builds them here.
std::vector<std::int64_t> CheckpointTargets(std::int64_t budget, int per_decade) {
  std::vector<std::int64_t> targets = {0};
  for (int j = 0;; ++j) {
    const double v = std::round(std::pow(10.0, static_cast<double>(j) / per_decade));
    if (!(v < static_cast<double>(budget))) break;
    if (static_cast<std::int64_t>(v) > targets.back())
      targets.push_back(static_cast<std::int64_t>(v));
  }
  targets.push_back(budget);
  return targets;
}

struct PlantedCell {
  int dim;
  std::string dof;
  double bias;
  double sd;
  double clipped_fraction = 0.3;
};

std::string Config(const PlantedCell& c) {
  return "batch_size=1;budget=0;checkpoints_per_decade=10;noise=kind=student_t,dof=" + c.dof +
         ",scale=0.5;optimizer.accumulation=1;optimizer.accumulation_mode=clip_after_accumulation;"
         "optimizer.clip_threshold=0.5;optimizer.method=clip_sgd;optimizer.momentum=0;p=2;"
         "problem=kind=streaming_least_squares,dim=" +
         std::to_string(c.dim) +
         ",instance=0,power=0.5,trace=1,risk0=1;schedule.eta0=0.5;schedule.kind=constant";
}

// Writes results.csv, cells.csv and resolved.csv for the cells; returns the folder.
std::string WriteSweep(const TempDir& dir, const std::vector<PlantedCell>& cells, int seeds = 10) {
  std::string results =
      "cell,problem.dim,noise.dof,budget,seed,target,samples,value_gap,clipped_fraction,"
      "diverged\n";
  std::string cells_csv =
      "cell,problem.dim,noise.dof,noise_stream,config,problem,dim,noise,p,method,schedule\n";
  std::string resolved;
  for (std::string_view c : resolved_table::kColumns) {
    resolved += (resolved.empty() ? "" : ",") + std::string(c);
  }
  resolved += "\n";
  const std::vector<std::int64_t> targets = CheckpointTargets(kBudget, 10);
  std::vector<double> samples(targets.begin(), targets.end());
  Rng rng = MakeRng({5, static_cast<std::uint64_t>(Stream::kTest)});  // seed 5
  boost::random::normal_distribution<double> normal;
  for (std::size_t k = 0; k < cells.size(); ++k) {
    const PlantedCell& c = cells[k];
    const std::string id = Hex16(0xabc000 + k);
    const std::string noise = "kind=student_t,dof=" + c.dof + ",scale=0.5";
    cells_csv += id + "," + std::to_string(c.dim) + "," + c.dof + ",s" + c.dof + ",\"" + Config(c) +
                 "\",streaming_least_squares," + std::to_string(c.dim) + ",\"" + noise +
                 "\",2,clip_sgd,constant\n";
    resolved += id + "," + std::to_string(kBudget) + ",clip_sgd,,1,1," + std::to_string(kBudget) +
                "," + std::to_string(kBudget) + ",0.5,1,1,1,0.5,inf,2,0.5,2,1,1,inf,1\n";
    dynamics::RunDescription d;
    d.problem = "kind=streaming_least_squares,dim=" + std::to_string(c.dim) +
                ",instance=0,power=0.5,trace=1,risk0=1";
    d.noise = noise;
    d.method = "clip_sgd";
    d.eta = 0.5;
    d.clip_threshold = 0.5;
    const dynamics::RiskPrediction p = dynamics::SolveRiskOde(dynamics::RunRiskOde(d), samples);
    for (int s = 0; s < seeds; ++s) {
      const double factor = 1.0 + c.bias + c.sd * normal(rng);
      for (std::size_t j = 0; j < targets.size(); ++j) {
        results += id + "," + std::to_string(c.dim) + "," + c.dof + "," + std::to_string(kBudget) +
                   "," + std::to_string(s) + "," + std::to_string(targets[j]) + "," +
                   std::to_string(targets[j]) + "," + ShortestText(p.risk[j] * factor) + "," +
                   ShortestText(c.clipped_fraction) + ",0\n";
      }
    }
  }
  WriteText(dir / "results.csv", results);
  WriteText(dir / "cells.csv", cells_csv);
  WriteText(dir / "resolved.csv", resolved);
  clipsim::testing::WriteSweepManifest(dir.str());
  return dir.str();
}

ClaimResult Decide(const std::string& dir, const std::string& yaml) {
  const ClaimsFile file = ParseClaimsFile(yaml, "claims.yaml");
  const ClaimSpec& spec = file.claims.front();
  const analysis::SweepResults results = analysis::ReadSweepDir(dir, ClaimReadOptions(spec));
  analysis::AnalysisOptions options = ClaimAnalysisOptions(spec, file);
  options.threads = 1;
  const analysis::SweepAnalysis analysis = analysis::AnalyzeSweep(results, options);
  return DecideClaim(spec, results, analysis, {}, file.confidence);
}

std::string Claim(const std::string& rows) {
  return "bootstrap: 200\nclaims:\n  - id: x\n    kind: ode\n    sweep: s\n    metric: value_gap\n"
         "    tolerance: 0.05\n    horizon: 8\n    rows:\n" +
         rows;
}

class ClaimOde : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir("claims-ode");
    std::vector<PlantedCell> cells;
    for (int d : {100, 300, 1000}) {
      const double shrink = 0.1 / std::sqrt(static_cast<double>(d));
      cells.push_back({d, "2.5", shrink, shrink});
      cells.push_back({d, "1.5", 0.02 * std::sqrt(d / 100.0), 0.001});
      cells.push_back({d, "3.5", shrink, shrink, 0.0});  // never clips
    }
    path_ = new std::string(WriteSweep(*dir_, cells));
  }
  static void TearDownTestSuite() {
    delete path_;
    delete dir_;
  }
  static TempDir* dir_;
  static std::string* path_;
};
TempDir* ClaimOde::dir_ = nullptr;
std::string* ClaimOde::path_ = nullptr;

TEST_F(ClaimOde, ShrinkingErrorIsReproducedAndGrowingErrorContradicts) {
  const ClaimResult good =
      Decide(*path_, Claim("      - {name: t, select: {noise.dof: \"2.5\"}}\n"));
  ASSERT_EQ(good.rows.size(), 2u);
  for (const ClaimRowResult& r : good.rows) {
    EXPECT_EQ(r.outcome, RowOutcome::kSupports) << r.name << ": " << r.detail;
  }
  EXPECT_EQ(good.verdict, ClaimVerdict::kReproduced);
  EXPECT_LT(good.rows[0].estimate, 0.01);  // E at d = 1000
  EXPECT_LT(good.rows[1].upper, 0.0);      // the slope in log d

  // Planted: the bias grows with d (0.063 at d = 1000, above the tolerance 0.05).
  const ClaimResult bad =
      Decide(*path_, Claim("      - {name: t, select: {noise.dof: \"1.5\"}}\n"));
  ASSERT_EQ(bad.rows.size(), 2u);
  EXPECT_EQ(bad.rows[0].outcome, RowOutcome::kContradicts) << bad.rows[0].detail;
  EXPECT_EQ(bad.rows[1].outcome, RowOutcome::kContradicts) << bad.rows[1].detail;
  EXPECT_EQ(bad.verdict, ClaimVerdict::kNotReproduced);
}

TEST_F(ClaimOde, WrongOdeDisagreesAndTheFalsificationRowDetectsIt) {
  const ClaimResult wrong = Decide(
      *path_, Claim("      - {name: t, select: {noise.dof: \"2.5\"}, ode: {nu_factor: 1.3}}\n"));
  EXPECT_EQ(wrong.rows[0].outcome, RowOutcome::kContradicts) << wrong.rows[0].detail;
  EXPECT_EQ(wrong.verdict, ClaimVerdict::kNotReproduced);
  const ClaimResult planted =
      Decide(*path_, Claim("      - {name: t, select: {noise.dof: \"2.5\"}, "
                           "ode: {unclipped: true}, expect: disagrees}\n"));
  ASSERT_EQ(planted.rows.size(), 1u);  // no trend row for a planted model
  EXPECT_EQ(planted.rows[0].outcome, RowOutcome::kSupports) << planted.rows[0].detail;
  // The correct ODE under `expect: disagrees` contradicts: the falsification row can fail.
  const ClaimResult inverted =
      Decide(*path_, Claim("      - {name: t, select: {noise.dof: \"2.5\"}, expect: disagrees}\n"));
  EXPECT_EQ(inverted.rows[0].outcome, RowOutcome::kContradicts);
}

TEST_F(ClaimOde, CccRowsAndTheRegime) {
  const ClaimResult heavy =
      Decide(*path_, Claim("      - {name: t, select: {noise.dof: \"2.5\", problem.dim: \"1000\"}, "
                           "checks: [ccc], region: [1.01, .inf]}\n"));
  ASSERT_EQ(heavy.rows.size(), 1u);
  EXPECT_EQ(heavy.rows[0].outcome, RowOutcome::kSupports) << heavy.rows[0].detail;
  EXPECT_GT(heavy.rows[0].estimate, 1.5);
  // The inverted decision (the Gaussian rule, CCC <= 1) on the heavy-tailed cell contradicts.
  const ClaimResult inverted =
      Decide(*path_, Claim("      - {name: t, select: {noise.dof: \"2.5\", problem.dim: \"1000\"}, "
                           "checks: [ccc], region: [0, 1]}\n"));
  EXPECT_EQ(inverted.rows[0].outcome, RowOutcome::kContradicts);
  EXPECT_EQ(inverted.verdict, ClaimVerdict::kNotReproduced);
  // Runs that never clip: nothing to test.
  const ClaimResult off =
      Decide(*path_, Claim("      - {name: t, select: {noise.dof: \"3.5\"}}\n"));
  for (const ClaimRowResult& r : off.rows) EXPECT_EQ(r.outcome, RowOutcome::kNotTestable);
  EXPECT_EQ(off.verdict, ClaimVerdict::kNotTestable);
}

// Fewer than 8 seeds: a bootstrap over them has too few distinct resamples for an interval.
TEST(ClaimOdeSeeds, TooFewSeedsAreInconclusive) {
  const TempDir dir("claims-ode-few");
  std::vector<PlantedCell> cells;
  for (int d : {100, 1000}) cells.push_back({d, "2.5", 0.0, 0.01});
  const ClaimResult r =
      Decide(WriteSweep(dir, cells, 4), Claim("      - {name: t, select: {noise.dof: \"2.5\"}}\n"));
  ASSERT_EQ(r.rows.size(), 2u);
  for (const ClaimRowResult& row : r.rows) {
    EXPECT_EQ(row.outcome, RowOutcome::kInconclusive);
    EXPECT_NE(row.detail.find("fewer than 8 seeds"), std::string::npos) << row.detail;
  }
}

TEST(ClaimOdeFile, RefusesKeysOutsideTheKind) {
  EXPECT_THROW(ParseClaimsFile(Claim("      - {name: t, checks: [ccc]}\n"), "c.yaml"), InputError);
  EXPECT_THROW(ParseClaimsFile(Claim("      - {name: t, expect: violated}\n"), "c.yaml"),
               InputError);
  EXPECT_THROW(ParseClaimsFile(Claim("      - {name: t, ode: {mu: 2}}\n"), "c.yaml"), InputError);
  EXPECT_THROW(ParseClaimsFile("claims:\n  - {id: x, kind: rate, sweep: s, tolerance: 0.1, "
                               "rows: [{name: r}]}\n",
                               "c.yaml"),
               InputError);
}

}  // namespace
}  // namespace clipsim::claims

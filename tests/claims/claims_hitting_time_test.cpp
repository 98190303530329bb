// The hitting_time claim kind (claims.hpp, claims_hitting_time.cpp) on sweep folders written
// here with planted hitting times: the separation rule supports a ratio growing like M / log M
// and must fail where it cannot grow (the planted failure: a flat ratio, as on a quadratic with
// L1 = 0) or grows too slowly; the bound rule supports counts under Theorem 3's bound and must
// fail with a wrong constant (bound / 20); censored and diverged runs are never hits; the regime
// rules make rows not testable; several seeds give a bootstrap interval; the claims file keys.
#include <gtest/gtest.h>

#include <boost/random/normal_distribution.hpp>
#include <cmath>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include "clipsim/analysis/hitting_time.hpp"
#include "clipsim/analysis/sweep_analysis.hpp"
#include "clipsim/analysis/sweep_results.hpp"
#include "clipsim/claims/claims.hpp"
#include "clipsim/claims/claims_file.hpp"
#include "clipsim/core/csv_field.hpp"
#include "clipsim/core/hitting_table.hpp"
#include "clipsim/core/input_error.hpp"
#include "clipsim/core/number_text.hpp"
#include "clipsim/core/resolved_table.hpp"
#include "clipsim/core/rng.hpp"
#include "common/sweep_manifest.hpp"
#include "common/temp_files.hpp"

namespace clipsim::claims {
namespace {

using clipsim::testing::TempDir;
using clipsim::testing::WriteText;

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// One cell of a planted folder: its method, instance and hitting times per seed (+inf: not
// reached within T; `diverged` marks those runs diverged instead of censored).
struct Planted {
  std::string method = "clip_sgd";
  std::string problem = "wall_plateau";
  std::string stream = "s0";  // the instance
  double eta = 0.1;
  double threshold = 1.0;  // clip_sgd
  std::string momentum = "0";
  std::string noise = "none";
  double M = 100.0;
  double L0 = 1.0, L1 = 1.0, eps = 0.01;
  double delta = 0.1;
  double start_grad = 50.0;
  std::int64_t T = 100000;
  std::vector<double> times = {5000.0};
  bool diverged = false;
};

std::string Id(std::size_t i) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016zx", i + 1);
  return buf;
}

std::string WriteFolder(const std::vector<Planted>& cells, const TempDir& dir,
                        const std::string& name) {
  const std::string out = dir / name;
  std::filesystem::create_directories(out);
  std::string results =
      "cell,optimizer.method,problem.kind,budget,seed,target,samples,iterations,grad_norm,"
      "diverged\n";
  std::string table =
      "cell,optimizer.method,problem.kind,problem,dim,noise,p,method,schedule,noise_stream,"
      "config\n";
  std::string resolved, hitting;
  for (std::string_view c : resolved_table::kColumns)
    resolved += std::string(resolved.empty() ? "" : ",") + std::string(c);
  for (std::string_view c : hitting_table::kColumns)
    hitting += std::string(hitting.empty() ? "" : ",") + std::string(c);
  resolved += "\n";
  hitting += "\n";
  for (std::size_t i = 0; i < cells.size(); ++i) {
    const Planted& c = cells[i];
    const std::string id = Id(i);
    const std::string budget = std::to_string(c.T);
    for (std::size_t s = 0; s < c.times.size(); ++s) {
      const bool hit = std::isfinite(c.times[s]);
      const std::string iterations = hit ? ShortestText(c.times[s]) : budget;
      const std::string grad = hit ? ShortestText(c.eps / 2) : (c.diverged ? "inf" : "1");
      results += id + "," + c.method + "," + c.problem + "," + budget + "," + std::to_string(s) +
                 "," + budget + "," + iterations + "," + iterations + "," + grad + "," +
                 (c.diverged && !hit ? "1" : "0") + "\n";
    }
    table += id + "," + c.method + "," + c.problem + "," + c.problem + ",2," + CsvField(c.noise) +
             ",2," + c.method + ",constant," + c.stream + ",\"optimizer.method=" + c.method +
             ";optimizer.momentum=" + c.momentum + ";schedule.eta0=" + ShortestText(c.eta) + "\"\n";
    const double thr = c.method == "clip_sgd" ? c.threshold : kInf;
    resolved += id + "," + budget + "," + c.method + ",,1,1," + budget + "," + budget + "," +
                ShortestText(c.eta) + ",1,1,1," + ShortestText(thr) + ",inf,2,nan,2,nan," +
                ShortestText(c.delta) + ",inf," + ShortestText(c.start_grad) + "\n";
    hitting += id + "," + budget + "," + ShortestText(c.eps) + "," + ShortestText(c.L0) + "," +
               ShortestText(c.L1) + "," + ShortestText(c.M) + "\n";
  }
  WriteText(out + "/results.csv", results);
  WriteText(out + "/cells.csv", table);
  WriteText(out + "/resolved.csv", resolved);
  WriteText(out + "/hitting.csv", hitting);
  clipsim::testing::WriteSweepManifest(out);
  return out;
}

ClaimResult Decide(const std::vector<Planted>& cells, const ClaimSpec& spec,
                   const std::string& tag) {
  TempDir dir(tag);
  const std::string folder = WriteFolder(cells, dir, "sweep");
  const analysis::SweepResults results = analysis::ReadSweepDir(folder, ClaimReadOptions(spec));
  ClaimsFile file;
  file.bootstrap = 400;
  const analysis::SweepAnalysis a =
      analysis::AnalyzeSweep(results, ClaimAnalysisOptions(spec, file));
  return DecideClaim(spec, results, a, {}, file.confidence);
}

// Clipped GD at 5000 iterations at every M, and GD over the step grid 0.1 * 2^(-k/4): a step above
// the instance's limit c log(M) / M diverges, a step h below it needs K (c log M / M) / h * M /
// log M... i.e. the best count is proportional to growth(M) up to the grid's resolution.
std::vector<Planted> Sweep(const std::vector<double>& ms, double (*growth)(double),
                           const std::string& problem = "wall_plateau", int grid_step = 1) {
  std::vector<Planted> cells;
  for (std::size_t i = 0; i < ms.size(); ++i) {
    Planted clip;
    clip.problem = problem;
    clip.stream = problem + std::to_string(i);
    clip.M = ms[i];
    clip.T = 10000000;
    cells.push_back(clip);
    const double limit = 2.0 * std::log(ms[i]) / ms[i];
    for (int k = 0; k <= 60; k += grid_step) {
      Planted gd = clip;
      gd.method = "sgd";
      gd.eta = 2.0 * std::pow(2.0, -k / 4.0);
      const double count = 5000.0 * growth(ms[i]) * limit / gd.eta;
      gd.diverged = gd.eta >= limit;
      gd.times = {gd.diverged || count > gd.T ? kInf : std::round(count)};
      cells.push_back(gd);
    }
  }
  return cells;
}

double MOverLogM(double m) {
  return m / std::log(m) / (100.0 / std::log(100.0));
}
double Flat(double) {
  return 1.0;
}
double Slow(double m) {
  return std::pow(m / 100.0, 0.6);
}

ClaimSpec Separation(const std::string& problem = "wall_plateau") {
  ClaimSpec spec;
  spec.id = "7b";
  spec.kind = ClaimKind::kHittingTime;
  spec.metric = "iterations";
  spec.margin = 0.1;
  ClaimRowSpec row;
  row.name = problem;
  row.select.match = {{"problem.kind", problem}, {"optimizer.method", "clip_sgd"}};
  row.against.match = {{"problem.kind", problem}, {"optimizer.method", "sgd"}};
  row.check_bound = false;
  spec.rows = {row};
  return spec;
}

const std::vector<double> kMs = {100, 300, 1000, 3000, 10000, 30000};

TEST(HittingSeparation, MOverLogMGrowthIsReproducedAndAFlatRatioIsNot) {
  const ClaimResult good = Decide(Sweep(kMs, MOverLogM), Separation(), "sep-good");
  ASSERT_EQ(good.rows.size(), 1u);
  const ClaimRowResult& r = good.rows[0];
  EXPECT_EQ(r.outcome, RowOutcome::kSupports) << r.detail << " | " << r.regime;
  EXPECT_NEAR(r.estimate, 1.0, 0.06);
  // The interval is the grid's resolution: +- C log(2^(1/4)), C the positive weights' sum.
  EXPECT_LT(r.lower, r.estimate);
  EXPECT_GT(r.upper, r.estimate);
  EXPECT_NEAR(r.upper - r.estimate, r.estimate - r.lower, 1e-12);
  EXPECT_EQ(good.verdict, ClaimVerdict::kReproduced);
  // The planted failure: where the ratio cannot grow (L1 = 0: fixed-step GD is as good as
  // clipping at every M), the same rule contradicts and the claim is not reproduced.
  const ClaimResult flat =
      Decide(Sweep(kMs, Flat, "quadratic"), Separation("quadratic"), "sep-flat");
  EXPECT_EQ(flat.rows[0].outcome, RowOutcome::kContradicts) << flat.rows[0].detail;
  EXPECT_NEAR(flat.rows[0].estimate, 0.0, 0.06);
  EXPECT_EQ(flat.verdict, ClaimVerdict::kNotReproduced);
  // Growth like M^0.6: below the margin, contradicted.
  const ClaimResult slow = Decide(Sweep(kMs, Slow), Separation(), "sep-slow");
  EXPECT_EQ(slow.rows[0].outcome, RowOutcome::kContradicts) << slow.rows[0].detail;
  EXPECT_EQ(slow.verdict, ClaimVerdict::kNotReproduced);
  // As a control, the failing row is reported but does not count.
  ClaimSpec controlled = Separation("quadratic");
  controlled.rows[0].control = true;
  EXPECT_EQ(Decide(Sweep(kMs, Flat, "quadratic"), controlled, "sep-control").verdict,
            ClaimVerdict::kInconclusive);
}

TEST(HittingSeparation, RegimeRulesAndCensoring) {
  // Less than a decade of M: not testable.
  const ClaimResult narrow = Decide(Sweep({100, 300, 900}, MOverLogM), Separation(), "sep-narrow");
  EXPECT_EQ(narrow.rows[0].outcome, RowOutcome::kNotTestable);
  EXPECT_EQ(narrow.verdict, ClaimVerdict::kNotTestable);
  // eps not small against ||grad f(x0)||: every point is excluded.
  std::vector<Planted> big_eps = Sweep(kMs, MOverLogM);
  for (Planted& c : big_eps) c.start_grad = 0.05;
  const ClaimResult eps = Decide(big_eps, Separation(), "sep-eps");
  EXPECT_EQ(eps.rows[0].outcome, RowOutcome::kNotTestable);
  EXPECT_NE(eps.rows[0].regime.find("eps"), std::string::npos) << eps.rows[0].regime;
  // GD censored at every step at one M (its budget too small): that point drops out, never
  // counted as a hit; the others still decide.
  std::vector<Planted> censored = Sweep(kMs, MOverLogM);
  for (Planted& c : censored) {
    if (c.method == "sgd" && c.M == 30000) c.times = {kInf};
  }
  const ClaimResult cut = Decide(censored, Separation(), "sep-censored");
  EXPECT_EQ(cut.rows[0].outcome, RowOutcome::kSupports);
  EXPECT_NE(cut.rows[0].regime.find("5 points"), std::string::npos) << cut.rows[0].regime;
  EXPECT_NE(cut.rows[0].regime.find("did not reach eps"), std::string::npos);
}

ClaimSpec Bound(double factor, bool expect_violation) {
  ClaimSpec spec;
  spec.id = "7";
  spec.kind = ClaimKind::kHittingTime;
  spec.metric = "iterations";
  ClaimRowSpec row;
  row.name = "bound";
  row.select.match = {{"optimizer.method", "clip_sgd"}};
  row.check_slope = false;
  row.bound_factor = factor;
  row.expect_violation = expect_violation;
  spec.rows = {row};
  return spec;
}

// Theorem 3's bound with L0 = L1 = 1, Delta = 0.1, eps = 0.01: 20 * 0.1 / 1e-4 + 20 * 0.1 = 20002.
TEST(HittingBound, TheoremThreeBoundAndTheWrongConstant) {
  EXPECT_DOUBLE_EQ(analysis::Theorem3Bound(1, 1, 0.1, 0.01), 20002.0);
  EXPECT_DOUBLE_EQ(analysis::Theorem3Step(1, 1).eta, 0.1);
  EXPECT_DOUBLE_EQ(analysis::Theorem3Step(1, 1).threshold, 1.0);
  EXPECT_DOUBLE_EQ(analysis::Theorem3Step(16, 1).threshold, 16.0);  // quartic at scale 1
  EXPECT_DOUBLE_EQ(analysis::Theorem3Step(2, 0).threshold, 20.0);   // L1 = 0: 1 / eta
  std::vector<Planted> cells(3);
  for (std::size_t i = 0; i < cells.size(); ++i) {
    cells[i].stream = "s" + std::to_string(i);
    cells[i].M = 100.0 * std::pow(10.0, static_cast<double>(i));
  }
  const ClaimResult holds = Decide(cells, Bound(1.0, false), "bound-holds");
  EXPECT_EQ(holds.rows[0].outcome, RowOutcome::kSupports) << holds.rows[0].detail;
  EXPECT_NEAR(holds.rows[0].estimate, 5000.0 / 20002.0, 1e-12);
  EXPECT_EQ(holds.verdict, ClaimVerdict::kReproduced);
  // The planted wrong constant (bound / 20 = 1000.1 < 5000): violated, as the twin must be.
  EXPECT_EQ(Decide(cells, Bound(0.05, true), "bound-twin").rows[0].outcome, RowOutcome::kSupports);
  const ClaimResult wrong = Decide(cells, Bound(0.05, false), "bound-wrong");
  EXPECT_EQ(wrong.rows[0].outcome, RowOutcome::kContradicts);
  EXPECT_EQ(wrong.verdict, ClaimVerdict::kNotReproduced);
  // A twin whose bound is not exceeded contradicts.
  EXPECT_EQ(Decide(cells, Bound(1.0, true), "bound-twin-holds").rows[0].outcome,
            RowOutcome::kContradicts);
  // Censored (or diverged) at T >= bound: above the bound; censored below it: undecided.
  std::vector<Planted> never = cells;
  never[1].times = {kInf};
  EXPECT_EQ(Decide(never, Bound(1.0, false), "bound-censored").rows[0].outcome,
            RowOutcome::kContradicts);
  never[1].diverged = true;
  EXPECT_EQ(Decide(never, Bound(1.0, false), "bound-diverged").rows[0].outcome,
            RowOutcome::kContradicts);
  never[1].diverged = false;
  never[1].T = 10000;
  EXPECT_EQ(Decide(never, Bound(1.0, false), "bound-short").rows[0].outcome,
            RowOutcome::kInconclusive);
}

TEST(HittingBound, OnlyTheoremThreesOwnSettingIsTestable) {
  const auto outcome_with = [](const std::string& tag, void (*change)(Planted&)) {
    std::vector<Planted> cells(1);
    change(cells[0]);
    cells[0].times = {1e9};  // far above the bound: it would contradict if tested
    cells[0].T = 2000000000;
    const ClaimResult r = Decide(cells, Bound(1.0, false), tag);
    return std::make_pair(r.rows[0].outcome, r.rows[0].regime);
  };
  for (auto [tag, change] : std::vector<std::pair<std::string, void (*)(Planted&)>>{
           {"step", [](Planted& c) { c.eta = 0.2; }},
           {"threshold", [](Planted& c) { c.threshold = 10.0; }},
           {"momentum", [](Planted& c) { c.momentum = "0.9"; }},
           {"noise", [](Planted& c) { c.noise = "kind=uniform,scale=0.1"; }},
           {"premise", [](Planted& c) { c.L1 = kNaN; }},
           {"eps", [](Planted& c) { c.start_grad = 0.05; }}}) {
    const auto [outcome, regime] = outcome_with("bound-" + tag, change);
    EXPECT_EQ(outcome, RowOutcome::kNotTestable) << tag << ": " << regime;
  }
}

// Several seeds (noisy runs): a percentile bootstrap over seeds of the medians, reproducible.
// Noisy copies (20 seeds, log-normal spread 0.2) of a planted sweep.
std::vector<Planted> WithSeeds(std::vector<Planted> cells) {
  Rng rng = MakeRng({20261207, 9});
  boost::random::normal_distribution<double> g;
  for (Planted& c : cells) {
    c.noise = "kind=uniform,scale=0.001";
    if (!std::isfinite(c.times[0])) {
      c.times.assign(20, kInf);
      continue;
    }
    const double base = c.times[0];
    c.times.clear();
    for (int s = 0; s < 20; ++s) c.times.push_back(std::round(base * std::exp(0.2 * g(rng))));
  }
  return cells;
}

TEST(HittingSeparation, SeveralSeedsBootstrapTheSlope) {
  const std::vector<Planted> cells = WithSeeds(Sweep(kMs, MOverLogM, "wall_plateau", 2));
  const ClaimResult a = Decide(cells, Separation(), "sep-seeds-a");
  const ClaimResult b = Decide(cells, Separation(), "sep-seeds-b");
  const ClaimRowResult& r = a.rows[0];
  EXPECT_EQ(r.outcome, RowOutcome::kSupports) << r.detail;
  EXPECT_NE(r.detail.find("bootstrap over 20 seeds"), std::string::npos) << r.detail;
  EXPECT_LE(r.lower, r.estimate);
  EXPECT_GE(r.upper, r.estimate);
  EXPECT_EQ(r.lower, b.rows[0].lower);
  EXPECT_EQ(r.upper, b.rows[0].upper);
  // Wider than the grid's resolution alone.
  const ClaimResult one =
      Decide(Sweep(kMs, MOverLogM, "wall_plateau", 2), Separation(), "sep-seeds-one");
  EXPECT_GT(r.upper - r.lower, one.rows[0].upper - one.rows[0].lower);
  // The planted failure with seeds: a flat ratio is still contradicted.
  const ClaimResult flat = Decide(WithSeeds(Sweep(kMs, Flat, "quadratic", 2)),
                                  Separation("quadratic"), "sep-seeds-flat");
  EXPECT_EQ(flat.rows[0].outcome, RowOutcome::kContradicts) << flat.rows[0].detail;
  EXPECT_EQ(flat.verdict, ClaimVerdict::kNotReproduced);
}

TEST(HittingClaimsFile, KeysAndRefusals) {
  const ClaimsFile f = ParseClaimsFile(R"(claims:
  - id: "7"
    kind: hitting_time
    sweep: s
    margin: 0.1
    hitting: {max_eps_ratio: 0.05, min_points: 4, min_span: 30}
    rows:
      - {name: a, select: {optimizer.method: clip_sgd}, checks: [bound], bound_factor: 0.05,
         expect: violated}
      - {name: b, select: {optimizer.method: clip_sgd}, against: {optimizer.method: sgd},
         checks: [separation], control: true}
)",
                                       "claims.yaml");
  const ClaimSpec& c = f.claims[0];
  EXPECT_EQ(c.kind, ClaimKind::kHittingTime);
  EXPECT_EQ(c.metric, "iterations");
  EXPECT_DOUBLE_EQ(c.hitting.max_eps_ratio, 0.05);
  EXPECT_EQ(c.hitting.min_points, 4);
  EXPECT_DOUBLE_EQ(c.hitting.min_span, 30);
  EXPECT_TRUE(c.rows[0].check_bound);
  EXPECT_FALSE(c.rows[0].check_slope);
  EXPECT_DOUBLE_EQ(c.rows[0].bound_factor, 0.05);
  EXPECT_TRUE(c.rows[0].expect_violation);
  EXPECT_TRUE(c.rows[1].check_slope);
  EXPECT_FALSE(c.rows[1].check_bound);
  const auto refused = [](const std::string& text, const std::string& key) {
    try {
      ParseClaimsFile(text, "claims.yaml");
      ADD_FAILURE() << "accepted: " << text;
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(key), std::string::npos) << e.what();
    }
  };
  refused("claims: [{id: a, kind: hitting_time, sweep: s, rows: [{checks: [separation]}]}]",
          "against");
  refused("claims: [{id: a, kind: hitting_time, sweep: s, rows: [{checks: [slope]}]}]", "checks");
  refused("claims: [{id: a, kind: rate, sweep: s, rows: [{bound_factor: 2}]}]", "bound_factor");
  refused(
      "claims: [{id: a, kind: hitting_time, sweep: s, rows: [{checks: [bound], "
      "bound_factor: 0}]}]",
      "bound_factor");
  refused("claims: [{id: a, kind: rate, sweep: s, hitting: {min_points: 3}, rows: [{}]}]",
          "hitting");
  refused(
      "claims: [{id: a, kind: hitting_time, sweep: s, hitting: {min_points: 1}, rows: "
      "[{checks: [bound]}]}]",
      "min_points");
  refused(
      "claims: [{id: a, kind: hitting_time, sweep: s, hitting: {points: 3}, rows: "
      "[{checks: [bound]}]}]",
      "points");
}

// A folder without hitting.csv: no rows, said so, inconclusive (never a crash).
TEST(HittingClaim, AFolderWithoutHittingTimesSaysSo) {
  TempDir dir("no-hitting");
  const std::string folder = WriteFolder({Planted{}}, dir, "sweep");
  std::filesystem::remove(folder + "/hitting.csv");
  const ClaimSpec spec = Bound(1.0, false);
  const analysis::SweepResults results = analysis::ReadSweepDir(folder, ClaimReadOptions(spec));
  ClaimsFile file;
  const analysis::SweepAnalysis a =
      analysis::AnalyzeSweep(results, ClaimAnalysisOptions(spec, file));
  const ClaimResult r = DecideClaim(spec, results, a, {}, 0.95);
  EXPECT_TRUE(r.rows.empty());
  EXPECT_EQ(r.verdict, ClaimVerdict::kInconclusive);
  ASSERT_FALSE(r.notes.empty());
  EXPECT_NE(r.notes.front().find("hitting.csv"), std::string::npos);
}

}  // namespace
}  // namespace clipsim::claims

// The run keys of iterations-to-eps experiments: start_scale (x_0 = c * the default start) and
// stop_at_grad_norm (the run ends at the first t with ||grad f(x_t)|| <= eps). Absent, they leave
// the canonical text, the noise streams and every output as before; set, the stop is exact
// (gradient descent on a quadratic in closed form), the final checkpoint carries the hitting time,
// a run that never gets there is censored at its budget (a sweep's hitting.csv with the level-set
// facts: tests/sweep/hitting_table_test.cpp). Also the level-set gradient bounds M(x0) of
// exp_type, quartic and quadratic.
#include <gtest/gtest.h>

#include <boost/random/uniform_01.hpp>
#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "clipsim/core/input_error.hpp"
#include "clipsim/core/rng.hpp"
#include "clipsim/sim/run.hpp"
#include "clipsim/sim/run_config.hpp"
#include "common/expect_input_error.hpp"
#include "common/temp_files.hpp"

namespace clipsim::sim {
namespace {

using clipsim::testing::ReadText;
using clipsim::testing::TempDir;
using clipsim::testing::WriteText;

RunConfig Gd(double eta, double stop, std::int64_t budget) {
  RunConfig c;
  c.problem.kind = "quadratic";
  c.problem.dim = 1;
  c.noise_enabled = false;
  c.optimizer.method = Method::kSgd;
  c.schedule.eta0 = eta;
  c.budget = budget;
  c.stop_at_grad_norm = stop;
  return c;
}

TEST(RunKeys, AbsentOrAtTheirDefaultsTheTextAndStreamsAreUnchanged) {
  RunConfig c = Gd(0.1, 0.0, 100);
  const std::string text = CanonicalText(c);
  const std::string stream = NoiseStreamIdentity(c);
  EXPECT_EQ(text.find("start_scale"), std::string::npos);
  EXPECT_EQ(text.find("stop_at_grad_norm"), std::string::npos);
  c.start_scale = 2.0;
  EXPECT_NE(CanonicalText(c), text);
  EXPECT_NE(NoiseStreamIdentity(c), stream);  // another start: its own streams
  EXPECT_NE(CanonicalText(c).find("start_scale=2"), std::string::npos);
  c.start_scale = 1.0;
  c.stop_at_grad_norm = 0.01;
  EXPECT_NE(CanonicalText(c).find("stop_at_grad_norm=0.01"), std::string::npos);
  EXPECT_EQ(NoiseStreamIdentity(c), stream);  // the stopping rule never keys the streams
}

TEST(RunKeys, ParsedAndValidated) {
  const YAML::Node node = YAML::Load(
      "{problem: {kind: quartic, dim: 1}, optimizer: {method: sgd}, budget: 10, start_scale: 3, "
      "stop_at_grad_norm: 0.5}");
  const RunConfig c = ParseRunConfig(node, "run.yaml");
  EXPECT_EQ(c.start_scale, 3.0);
  EXPECT_EQ(c.stop_at_grad_norm, 0.5);
  testing::ExpectInputError(
      [] {
        ParseRunConfig(YAML::Load("{problem: {kind: quartic}, optimizer: {method: sgd}, "
                                  "budget: 10, stop_at_grad_norm: -1}"),
                       "run.yaml");
      },
      {"run.yaml:1", "stop_at_grad_norm", ">= 0"});
  testing::ExpectInputError(
      [] {
        ParseRunConfig(YAML::Load("{problem: {kind: quartic}, optimizer: {method: sgd}, "
                                  "budget: 10, start_scale: 0}"),
                       "run.yaml");
      },
      {"start_scale", "[1e-6, 1e6]"});
  testing::ExpectInputError(
      [] {
        ParseRunConfig(YAML::Load("{problem: {kind: quartic}, optimizer: {method: sgd}, "
                                  "budget: 10, stop_at: 1}"),
                       "run.yaml");
      },
      {"stop_at", "start_scale", "stop_at_grad_norm"});
}

// Gradient descent on f = x^2 / 2 from x0 = c: x_t = (1 - eta)^t c, ||grad f(x_t)|| = |x_t|. The
// run stops at the first t with (1 - eta)^t c <= eps, computed here by the same recursion.
TEST(RunKeys, StopsAtTheFirstIterateBelowEpsAndCarriesItToTheEnd) {
  const double eta = 0.1, eps = 1e-3, scale = 3.0;
  RunConfig c = Gd(eta, eps, 10000);
  c.start_scale = scale;
  double x = scale;
  std::int64_t expected = 0;
  while (std::abs(x) > eps) {
    x -= eta * x;
    ++expected;
  }
  const RunSummary s = PreparedRun(c).Run(0, 0);
  EXPECT_EQ(s.termination, Termination::kReached);
  EXPECT_EQ(s.iterations, expected);
  ASSERT_FALSE(s.checkpoints.empty());
  EXPECT_EQ(s.checkpoints.front().grad_norm, scale);  // the moved start
  const Checkpoint& last = s.checkpoints.back();
  EXPECT_EQ(last.target, 10000);
  EXPECT_EQ(last.iterations, expected);
  EXPECT_EQ(last.grad_norm, std::abs(x));
  EXPECT_LE(last.grad_norm, eps);
  EXPECT_FALSE(last.diverged);
  // Every run of the budget has the same rows; before the stop they equal the unstopped run's.
  RunConfig free = c;
  free.stop_at_grad_norm = 0.0;
  const RunSummary f = PreparedRun(free).Run(0, 0);
  ASSERT_EQ(f.checkpoints.size(), s.checkpoints.size());
  for (std::size_t k = 0; k < s.checkpoints.size(); ++k) {
    if (f.checkpoints[k].iterations < expected) {
      EXPECT_EQ(f.checkpoints[k].grad_norm, s.checkpoints[k].grad_norm) << k;
      EXPECT_EQ(f.checkpoints[k].mean_grad_norm, s.checkpoints[k].mean_grad_norm) << k;
    } else {
      EXPECT_EQ(s.checkpoints[k].iterations, expected) << k;
    }
  }
  EXPECT_EQ(f.termination, Termination::kFinished);
  // Censored: a budget below the hitting time runs to its end above eps.
  c.budget = expected - 1;
  const RunSummary short_run = PreparedRun(c).Run(0, 0);
  EXPECT_EQ(short_run.termination, Termination::kFinished);
  EXPECT_EQ(short_run.iterations, expected - 1);
  EXPECT_GT(short_run.checkpoints.back().grad_norm, eps);
  // A start already below eps stops at t = 0.
  c.budget = 100;
  c.start_scale = 1e-4;
  EXPECT_EQ(PreparedRun(c).Run(0, 0).iterations, 0);
  // Divergence is still divergence: eta = 3 doubles |x| each step.
  RunConfig wild = Gd(3.0, eps, 100000);
  const RunSummary d = PreparedRun(wild).Run(0, 0);
  EXPECT_EQ(d.termination, Termination::kDiverged);
  EXPECT_TRUE(d.checkpoints.back().diverged);
}

// M(x0) = sup{||grad f|| : f <= f(x0)}: attained on the level set's boundary, never exceeded at
// random points of it.
TEST(LevelSetGradientBound, ExactForExpTypeQuarticAndQuadratic) {
  struct Case {
    std::string kind;
    int dim;
    std::map<std::string, double> params;
  };
  Rng rng = MakeRng({20261207, 5});
  boost::random::uniform_01<double> u;
  for (const Case& c : {Case{"exp_type", 1, {}}, Case{"exp_type", 3, {{"rate", 0.5}}},
                        Case{"quartic", 1, {}}, Case{"quartic", 4, {{"scale", 2}}},
                        Case{"quadratic", 3, {{"spectrum", 1}, {"condition", 10}}}}) {
    ProblemSpec spec;
    spec.kind = c.kind;
    spec.dim = c.dim;
    spec.params = c.params;
    const auto p = MakeProblem(spec);
    const Vector x0 = p->DefaultStart();
    const double delta = p->Value(x0);
    const double m = p->LevelSetGradientBound(x0);
    ASSERT_TRUE(std::isfinite(m)) << c.kind;
    Vector g(c.dim);
    p->Gradient(x0, g);
    EXPECT_LE(g.norm(), m * (1 + 1e-12)) << c.kind;
    if (c.dim == 1) {
      EXPECT_NEAR(g.norm(), m, 1e-12 * m) << c.kind;
    }
    // Random directions scaled onto the level set f = Delta (bisection on the ray).
    double worst = 0.0;
    for (int k = 0; k < 2000; ++k) {
      Vector dir(c.dim);
      for (int i = 0; i < c.dim; ++i) dir(i) = u(rng) - 0.5;
      if (k % 7 == 0) dir = Vector::Unit(c.dim, k % c.dim);  // the axes attain M
      double lo = 0.0, hi = 1.0;
      while (p->Value(hi * dir) < delta) hi *= 2.0;
      for (int it = 0; it < 200; ++it) {
        const double mid = 0.5 * (lo + hi);
        (p->Value(mid * dir) < delta ? lo : hi) = mid;
      }
      p->Gradient(lo * dir, g);
      worst = std::max(worst, g.norm());
    }
    EXPECT_LE(worst, m * (1 + 1e-9)) << c.kind;
    EXPECT_GE(worst, m * (1 - 1e-6)) << c.kind << " (an axis attains M)";
  }
}

}  // namespace
}  // namespace clipsim::sim

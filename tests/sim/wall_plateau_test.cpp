// wall_plateau, the separation instance of clipped versus fixed-step gradient descent
// (sim/src/problems/wall_plateau.hpp): its start realizes the level-set gradient bound M exactly,
// M is the sup of ||grad f|| on the level set, the refusals, and the two run-level facts the claim
// rests on: every fixed step of gradient descent needs at least the derived lower bound LB ~
// L1 M / log M iterations to reach ||grad f|| <= eps (and the best step on a fine grid is within a
// small factor of it), while clipped GD at Theorem 3's step and threshold stays below Theorem 3's
// bound and does not grow with M.
#include "problems/wall_plateau.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <string>

#include "clipsim/sim/problem_registry.hpp"
#include "clipsim/sim/run.hpp"
#include "clipsim/sim/run_config.hpp"
#include "common/expect_input_error.hpp"

namespace clipsim::sim {
namespace {

ProblemSpec Spec(double m, std::map<std::string, double> more = {}) {
  ProblemSpec spec;
  spec.kind = "wall_plateau";
  spec.dim = 2;
  spec.params = std::move(more);
  spec.params["level_set_gradient"] = m;
  return spec;
}

problems::WallPlateauInstance Instance(const ProblemSpec& spec) {
  problems::ResolvedSpec r;
  r.dim = spec.dim;
  for (const ParamInfo& p : ProblemParams(spec.kind)) {
    const auto it = spec.params.find(p.key);
    r.values[p.key] = it == spec.params.end() ? p.default_value : it->second;
  }
  return problems::WallPlateauInstance::From(r);
}

TEST(WallPlateau, StartRealizesTheLevelSetBound) {
  for (double m : {12.0, 1e2, 1e3, 1e5, 1e8}) {
    const auto p = MakeProblem(Spec(m));
    const Vector x0 = p->DefaultStart();
    const ProblemFacts facts = p->Facts();
    EXPECT_EQ(facts.L0, 1.0);
    EXPECT_EQ(facts.L1, 1.0);
    EXPECT_FALSE(facts.globally_smooth);
    EXPECT_EQ(x0(1), 10.0);
    EXPECT_NEAR(p->LevelSetGradientBound(x0), m, 1e-12 * m) << m;
    Vector g(2);
    p->Gradient(x0, g);
    EXPECT_LT(g.norm(), m);
    EXPECT_GT(g.norm(), 0.9 * m) << m;  // the wall dominates
    // The level set f = Delta: W + P = Delta with W = w(x), P = p(y); sup ||grad f|| at P = 0.
    const double delta = p->Value(x0);
    const problems::WallPlateauInstance in = Instance(Spec(m));
    EXPECT_NEAR(delta, in.delta, 1e-12 * delta);
    double worst = 0.0;
    for (int k = 0; k <= 400; ++k) {
      const double P = std::min(delta, in.plateau0 * 2.0) * k / 400.0;
      // p(y) = P: y = width sqrt((1 + P / (s w))^2 - 1); w(x) = Delta - P.
      const double y = std::sqrt(std::pow(1.0 + P / 0.02, 2) - 1.0);
      const double x = std::acosh(1.0 + delta - P);
      Vector z(2);
      z << x, y;
      p->Gradient(z, g);
      worst = std::max(worst, g.norm());
    }
    EXPECT_LE(worst, m * (1 + 1e-9)) << m;
    EXPECT_GE(worst, m * (1 - 1e-9)) << m;
  }
}

TEST(WallPlateau, RefusesSpecsWhoseFactsWouldNotHold) {
  testing::ExpectInputError(
      [] {
        MakeProblem(Spec(1e3, {{"width", 0.01}}));
      },
      {"width", "slope / rate^2"});
  testing::ExpectInputError([] { MakeProblem(Spec(0.1)); }, {"level_set_gradient", "exceed"});
  testing::ExpectInputError(
      [] {
        ProblemSpec s = Spec(1e3);
        s.dim = 3;
        MakeProblem(s);
      },
      {"dim", "dimension 2"});
}

// Iterations of gradient descent (sgd without noise) or clipped GD to ||grad f|| <= eps; -1 when
// it diverges or runs out of its budget.
std::int64_t Hit(const ProblemSpec& spec, Method method, double eta, double clip, double eps,
                 std::int64_t budget) {
  RunConfig c;
  c.problem = spec;
  c.noise_enabled = false;
  c.optimizer.method = method;
  if (method == Method::kClipSgd) c.optimizer.clip_threshold = clip;
  c.schedule.eta0 = eta;
  c.budget = budget;
  c.stop_at_grad_norm = eps;
  const RunSummary s = PreparedRun(c).Run(0, 0);
  return s.termination == Termination::kReached ? s.iterations : -1;
}

TEST(WallPlateau, EveryFixedStepNeedsTheLowerBoundAndClippingDoesNot) {
  const double eps = 0.01;  // half the default slope
  for (double m : {1e2, 1e3}) {
    const ProblemSpec spec = Spec(m);
    const problems::WallPlateauInstance in = Instance(spec);
    const double lb = in.GdLowerBound(eps);
    ASSERT_GT(lb, 0.0);
    // Steps on a grid of ratio 2^(1/8) around the wall's limit 2 x0 / g0: from 2x above it
    // (divergent) to 4x below it; budget 2 LB (a count above that is never the best).
    const double limit = 2.0 * in.x0 / (in.rate * std::sinh(in.rate * in.x0));
    std::int64_t best = -1;
    for (int j = -16; j <= 8; ++j) {
      const double h = limit * std::pow(2.0, j / 8.0);
      const std::int64_t n =
          Hit(spec, Method::kSgd, h, 0.0, eps, static_cast<std::int64_t>(2.0 * lb));
      if (j >= 0) {
        EXPECT_LT(n, 0) << "M " << m << ": a step at or above the limit converged";
      }
      if (n < 0) continue;
      EXPECT_GE(static_cast<double>(n), lb) << "M " << m << " step " << h;
      if (best < 0 || n < best) best = n;
    }
    ASSERT_GT(best, 0) << m;
    // Tightness: the best step of the grid (ratio 2^(1/8)) is within 1.5 x the bound.
    EXPECT_LE(static_cast<double>(best), 1.5 * lb) << m;
    // Clipped GD at Theorem 3's step 1/(10 L0) and threshold min(1/eta, 1/(10 L1 eta)).
    const double eta = 0.1, gamma = std::min(1.0 / eta, 1.0 / (10.0 * eta));
    const std::int64_t clipped = Hit(spec, Method::kClipSgd, eta, gamma, eps, 1000000);
    ASSERT_GT(clipped, 0);
    const double bound = 20.0 * in.delta / (eps * eps) + 20.0 * in.delta;  // L0 = L1 = 1
    EXPECT_LE(static_cast<double>(clipped), bound);
    // The plateau dominates clipped GD: about 10 L0 y0 / s iterations whatever M.
    EXPECT_NEAR(static_cast<double>(clipped), 10.0 * 10.0 / 0.02, 0.1 * 5000.0) << m;
    std::printf("M %g: LB %.0f, best GD %lld (%.3f LB), clipped %lld, Theorem 3 bound %.3g\n", m,
                lb, static_cast<long long>(best), best / lb, static_cast<long long>(clipped),
                bound);
  }
}

}  // namespace
}  // namespace clipsim::sim

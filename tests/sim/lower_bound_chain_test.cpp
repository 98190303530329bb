// lower_bound_chain (sim/src/problems/lower_bound_chain.hpp): its stochastic oracle and its
// hardness.
//   - q: m_p(q) = (sigma / a)^p is solved, q rounded up to the 2^-53 grid, sigma(p) reported;
//   - the oracle: rows equal grad f(x) except coordinate j = prog_{1/4}(x / lambda) + 1, which is
//     0 or d_j f / q; one draw per row; the mean of many draws is grad f(x) and the p-th moment of
//     the noise is m_p(q) |d_j f|^p <= sigma^p (exact binomial confidence bounds on the count of
//     z = 1, with broken twins that must be detected);
//   - zero-respecting hardness on runs: from x = 0 the support of x_t grows by at most one per
//     step with a hit (z = 1), and with far fewer than T / q samples ||grad f|| > eps all along;
//     with far more, plain SGD gets below eps (the twin that shows the check can fail);
//   - the budget-coupled form: T(N) is the smallest T with T / q(T) >= hardness N, close to its
//     closed form, with eps(N) ~ N^(-(p-1)/(3p-2)).
// Every random draw comes from a fixed seed stated at its use; each statistical check states its
// false-alarm rate.
#include "problems/lower_bound_chain.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/math/distributions/binomial.hpp>
#include <boost/random/normal_distribution.hpp>
#include <cmath>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "clipsim/core/input_error.hpp"
#include "clipsim/core/rng.hpp"
#include "clipsim/sim/optimizer.hpp"
#include "clipsim/sim/oracle.hpp"
#include "clipsim/sim/problem_registry.hpp"
#include "clipsim/sim/run.hpp"
#include "clipsim/sim/run_config.hpp"
#include "clipsim/sim/schedule.hpp"
#include "clipsim/stats/rate_fit.hpp"
#include "common/expect_input_error.hpp"

namespace clipsim::sim {
namespace {

using clipsim::testing::ExpectInputError;

using problems::LowerBoundChainConstants;
using problems::LowerBoundChainConstantsOf;

constexpr double kTwo53 = 9007199254740992.0;

Rng TestRng(std::uint64_t seed) {
  return MakeRng({seed, static_cast<std::uint64_t>(Stream::kTest)});
}

std::unique_ptr<Problem> Chain(int dim, double sigma, double moment_p, double L = 1.0,
                               double delta = 1.0) {
  ProblemSpec spec;
  spec.kind = "lower_bound_chain";
  spec.dim = dim;
  spec.params = {{"sigma", sigma}, {"moment_p", moment_p}, {"L", L}, {"delta", delta}};
  return MakeProblem(spec);
}

Vector Grad(const Problem& p, const Vector& x) {
  Vector g(p.dim());
  p.Gradient(x, g);
  return g;
}

// prog_a(x / lambda) = max{i : |x_i| > a lambda} (1-based; 0 when none), over the first T.
int Prog(const Vector& x, double a_lambda, int links) {
  for (int i = links - 1; i >= 0; --i) {
    if (std::abs(x(i)) > a_lambda) return i + 1;
  }
  return 0;
}

// prog_0: the largest i with x_i != 0 (the support).
int Support(const Vector& x) {
  for (Eigen::Index i = x.size() - 1; i >= 0; --i) {
    if (x(i) != 0.0) return static_cast<int>(i) + 1;
  }
  return 0;
}

// Two-sided exact binomial acceptance region for a count K ~ Bin(m, q) at false-alarm rate alpha:
// [lo, hi] with P(K < lo) <= alpha / 2 and P(K > hi) <= alpha / 2.
std::pair<double, double> BinomialRegion(double m, double q, double alpha) {
  const boost::math::binomial_distribution<double> bin(m, q);
  double lo = std::floor(boost::math::quantile(bin, alpha / 2));
  while (lo > 0 && boost::math::cdf(bin, lo - 1) > alpha / 2) lo -= 1;
  double hi = std::ceil(boost::math::quantile(boost::math::complement(bin, alpha / 2)));
  while (boost::math::cdf(boost::math::complement(bin, hi)) > alpha / 2) hi += 1;
  return {lo, hi};
}

// ------------------------------------------------------------------------------------------------
// q, sigma(p)

TEST(LowerBoundChainOracle, SolvedQMatchesTheMomentEquation) {
  // m_2(q) = (1 - q) / q (Arjevani et al.'s variance of z/q - 1), m_p(1) = 0, m_p decreasing.
  for (double q : {1e-9, 1e-4, 0.3, 0.9}) {
    EXPECT_NEAR(problems::BernoulliMoment(2.0, q), (1.0 - q) / q, 1e-12 * (1.0 - q) / q);
  }
  EXPECT_EQ(problems::BernoulliMoment(1.5, 1.0), 0.0);
  for (double p : {1.1, 1.5, 2.0}) {
    double prev = kInf;
    for (double q = 1e-12; q < 1.0; q *= 3.0) {
      const double m = problems::BernoulliMoment(p, q);
      EXPECT_LT(m, prev) << p << " " << q;
      prev = m;
    }
  }
  double worst = 0.0;
  // p = 1.1 needs a small sigma: q ~ (a / sigma)^(p/(p-1)) = (a / sigma)^11 (a = 0.056 at T = 100).
  for (double p : {1.1, 1.25, 1.5, 2.0}) {
    for (double sigma : p < 1.2 ? std::vector<double>{0.05, 0.2} : std::vector<double>{0.3, 1, 5}) {
      for (int links : {1, 10, 100}) {
        const auto problem = Chain(links, sigma, p);
        const LowerBoundChainConstants& c = LowerBoundChainConstantsOf(*problem);
        const std::string label = "p = " + std::to_string(p) +
                                  ", sigma = " + std::to_string(sigma) +
                                  ", T = " + std::to_string(links);
        const double target = std::pow(sigma / c.coordinate_bound, p);
        const double solved = problems::BernoulliMoment(p, c.q_solved);
        worst = std::max(worst, std::abs(solved / target - 1.0));
        EXPECT_LE(std::abs(solved / target - 1.0), 1e-12) << label;
        // The drawn q: the solved one rounded up to the grid k / 2^53.
        EXPECT_GE(c.q, c.q_solved) << label;
        EXPECT_LE(c.q - c.q_solved, 1.0 / kTwo53) << label;
        EXPECT_EQ(c.q, static_cast<double>(c.q_grid) / kTwo53) << label;
        // sigma(p0) is the user's sigma (slightly below: q rounded up), and below for p < p0.
        const double s0 = problem->OracleSigma(p);
        EXPECT_LE(s0, sigma * (1.0 + 1e-13)) << label;
        EXPECT_GE(s0, sigma * (1.0 - 1e-13 - 1.0 / (kTwo53 * c.q_solved))) << label;
        const double lower = 0.5 * (1.0 + p);
        EXPECT_NEAR(problem->OracleSigma(lower),
                    c.coordinate_bound * std::pow(problems::BernoulliMoment(lower, c.q), 1 / lower),
                    1e-14 * sigma)
            << label;
        EXPECT_LE(problem->OracleSigma(lower), s0 * (1.0 + 1e-13)) << label;  // Lyapunov
        EXPECT_TRUE(std::isnan(problem->OracleSigma(p + 0.01))) << label;
        EXPECT_EQ(problem->OracleMomentOrder(), p) << label;
      }
    }
  }
  std::printf("max |m_p(q_solved) / (sigma / a)^p - 1| = %.3g\n", worst);
  // A sigma whose q is not representable is refused, naming sigma, its value and the limit.
  ExpectInputError([] { Chain(100, 1e6, 1.1); }, {"sigma", "1e+06", "2^-40"});
}

// ------------------------------------------------------------------------------------------------
// The oracle's rows

// Points with every kind of progress: supported on the first k coordinates, with the last one
// above lambda/2, in (lambda/4, lambda/2], or in (0, lambda/4]; and dense Gaussian points.
std::vector<Vector> ProbePoints(int d, double lambda, Rng& rng) {
  boost::random::normal_distribution<double> normal(0.0, 1.0);
  std::vector<Vector> points = {Vector::Zero(d)};
  for (int k = 1; k <= d; ++k) {
    for (double last : {0.8, 0.3, 0.1, -0.7}) {
      Vector x = Vector::Zero(d);
      for (int i = 0; i + 1 < k; ++i) x(i) = lambda * (1.0 + std::abs(normal(rng)));
      x(k - 1) = last * lambda;
      points.push_back(x);
    }
  }
  for (int k = 0; k < 10; ++k) {
    Vector x(d);
    for (int i = 0; i < d; ++i) x(i) = lambda * 2.0 * normal(rng);
    points.push_back(x);
  }
  return points;
}

TEST(LowerBoundChainOracle, RowsAreExactExceptTheFrontierCoordinate) {
  const int d = 12;
  const auto problem = Chain(d, 1.0, 1.5);
  const LowerBoundChainConstants& c = LowerBoundChainConstantsOf(*problem);
  Rng rng = TestRng(800);  // seed 800
  Batch rows(400, d);
  int noisy_points = 0;
  for (const Vector& x : ProbePoints(d, c.lambda, rng)) {
    const Vector g = Grad(*problem, x);
    const int j = Prog(x, 0.25 * c.lambda, d);  // 0-based index of coordinate prog_{1/4} + 1
    // The zero-chain property behind "only coordinate j is noisy": grad f vanishes beyond j.
    for (int i = j + 1; i < d; ++i) EXPECT_EQ(g(i), 0.0) << "i = " << i << ", j = " << j;
    Rng draws = TestRng(801);  // seed 801
    Rng replay = draws;
    problem->SampleOracle(x, g, draws, rows);
    for (Eigen::Index k = 0; k < rows.rows(); ++k) {
      const bool z = (replay() >> 11) < c.q_grid;  // the documented rule, one draw per row
      for (int i = 0; i < d; ++i) {
        if (i == j) {
          EXPECT_EQ(rows(k, i), z ? g(i) / c.q : 0.0) << "row " << k;
        } else {
          EXPECT_EQ(rows(k, i), g(i)) << "row " << k << ", coordinate " << i;
        }
      }
    }
    EXPECT_TRUE(draws == replay) << "exactly one draw per row";
    if (j < d && g(j) != 0.0) ++noisy_points;
  }
  EXPECT_GT(noisy_points, 5);
  // The Oracle routes a problem with its own oracle to it, from the noise stream only.
  RunStreams streams = MakeRunStreams(1, 2, 3);
  const RunStreams before = streams;
  Oracle oracle(*problem, nullptr);
  EXPECT_FALSE(oracle.needs_scratch());
  const Vector x = Vector::Constant(d, 0.7 * c.lambda);
  Batch scratch(0, d);
  oracle.Sample(x, Grad(*problem, x), streams, rows, scratch);
  Rng direct = before.noise;
  Batch expect(rows.rows(), d);
  problem->SampleOracle(x, Grad(*problem, x), direct, expect);
  EXPECT_TRUE(rows == expect);
  EXPECT_TRUE(streams.noise == direct);
  EXPECT_TRUE(streams.data == before.data) << "the data stream is untouched";
  EXPECT_TRUE(streams.iterate == before.iterate);
}

// Unbiasedness and the p-th moment. At x the rows differ from grad f(x) only in coordinate j,
// where row_j = (z/q) g_j; so, with K = the number of z = 1 among m rows,
//   mean of rows = grad f(x) + (K/(m q) - 1) g_j e_j   and
//   mean of |xi|^p = |g_j|^p (K/m (1/q - 1)^p + (1 - K/m)).
// K ~ Bin(m, q) exactly; the check asserts K in the exact two-sided binomial region at
// false-alarm rate 1e-6, which is the statement "mean = grad f(x)" (and "the empirical moment
// matches |g_j|^p m_p(q) <= sigma^p") at that rate. Broken twins: an oracle drawing z with
// probability 1.1 q, or 0.9 q, must fall outside the region.
TEST(LowerBoundChainOracle, MeanIsTheGradientAndTheMomentIsBelowSigma) {
  const double alpha = 1e-6;
  for (double p : {1.25, 1.5, 2.0}) {
    const int d = 8;
    const double sigma = 0.5;
    const auto problem = Chain(d, sigma, p);
    const LowerBoundChainConstants& c = LowerBoundChainConstantsOf(*problem);
    Vector x = Vector::Zero(d);
    x.head(3) << 1.3 * c.lambda, 0.9 * c.lambda, 1.4 * c.lambda;  // j = 3 (coordinate 4)
    const Vector g = Grad(*problem, x);
    const int j = 3;
    ASSERT_NE(g(j), 0.0);
    ASSERT_LE(std::abs(g(j)), c.coordinate_bound);
    const std::int64_t m = std::max<std::int64_t>(400000, static_cast<std::int64_t>(400.0 / c.q));
    Rng draws = TestRng(810 + static_cast<std::uint64_t>(4 * p));  // seeds 815, 816, 818
    Batch rows(4096, d);
    Vector sum = Vector::Zero(d);
    double moment_sum = 0.0;
    std::int64_t count = 0;
    for (std::int64_t done = 0; done < m; done += rows.rows()) {
      auto block = rows.topRows(std::min<std::int64_t>(rows.rows(), m - done));
      problem->SampleOracle(x, g, draws, block);
      for (Eigen::Index k = 0; k < block.rows(); ++k) {
        sum += block.row(k).transpose();
        const double xi = block(k, j) - g(j);
        moment_sum += std::pow(std::abs(xi), p);
        count += block(k, j) != 0.0;
      }
    }
    const double md = static_cast<double>(m);
    const auto [lo, hi] = BinomialRegion(md, c.q, alpha);
    const double k_hits = static_cast<double>(count);
    EXPECT_GE(k_hits, lo) << "p = " << p << ": mean of the noisy coordinate below grad f";
    EXPECT_LE(k_hits, hi) << "p = " << p << ": mean of the noisy coordinate above grad f";
    // The mean in every coordinate, from the same count (exact elsewhere).
    const Vector mean = sum / md;
    for (int i = 0; i < d; ++i) {
      if (i == j) {
        EXPECT_NEAR(mean(i), g(i) * k_hits / (md * c.q), 1e-9 * std::abs(g(i)) / c.q);
      } else {
        EXPECT_NEAR(mean(i), g(i), 1e-9 * (std::abs(g(i)) + c.eps));  // rounding of the sum
      }
    }
    // The p-th moment: the empirical value and its exact confidence region from [lo, hi].
    const auto moment_at = [&](double kk) {
      return std::pow(std::abs(g(j)), p) *
             (kk / md * std::pow(1.0 / c.q - 1.0, p) + (1.0 - kk / md));
    };
    const double empirical = moment_sum / md;
    EXPECT_NEAR(empirical, moment_at(k_hits), 1e-9 * empirical);
    const double expected = std::pow(std::abs(g(j)), p) * problems::BernoulliMoment(p, c.q);
    EXPECT_LE(moment_at(lo), expected);
    EXPECT_GE(moment_at(hi), expected);
    // The moment is below sigma^p: E|xi|^p = |g_j|^p m_p(q) and |g_j| <= a, m_p(q) <= (sigma/a)^p;
    // the lower confidence limit of the empirical moment must not exceed sigma^p.
    EXPECT_LE(moment_at(lo), std::pow(sigma, p));
    // Broken twins: probability 1.1 q and 0.9 q give counts outside the region (their
    // expected counts are outside by far more than the region's half-width).
    EXPECT_GT(1.1 * md * c.q, hi) << "the 1.1 q twin would not be detected";
    EXPECT_LT(0.9 * md * c.q, lo) << "the 0.9 q twin would not be detected";
    std::printf(
        "p = %.2f: q = %.4g, m = %lld draws, hits %.0f in [%.0f, %.0f] (alpha 1e-6); mean_j / "
        "g_j = %.4f; E|xi|^p: empirical %.4g, exact %.4g, sigma^p %.4g (|g_j| / a = %.3f)\n",
        p, c.q, static_cast<long long>(m), k_hits, lo, hi, mean(j) / g(j), empirical, expected,
        std::pow(sigma, p), std::abs(g(j)) / c.coordinate_bound);
  }
}

// ------------------------------------------------------------------------------------------------
// Zero-respecting hardness on runs

RunConfig ChainRun(const std::string& problem, Method method, std::int64_t budget, double p) {
  RunConfig config;
  config.problem = ParseProblemSpec(problem);
  config.noise_enabled = false;
  config.p = p;
  config.optimizer.method = method;
  config.schedule.kind = ScheduleKind::kTheory;
  if (method != Method::kPsClipSgd) config.schedule.prescription = "ps_clip_sgd";
  config.budget = budget;
  return config;
}

// A run replayed step by step with the run's own oracle, optimizer and streams (the same calls
// in the same chunks as PreparedRun::Run), recording the support of every iterate and the number
// of z = 1 draws of every step. Checks on the way, for every step t:
//   every row is supported on {1..prog_{1/4}(x_t / lambda) + z} (z of that row);
//   support(x_{t+1}) <= support(x_t) + 1{a z = 1 among step t's rows};
// and at the end that the replay's iterate equals PreparedRun::Run's bit for bit.
struct Replay {
  int final_support = 0;
  std::int64_t hits = 0;       // z = 1 draws over the whole run
  std::int64_t hit_steps = 0;  // steps with at least one
};

Replay ReplayRun(const PreparedRun& run, std::uint64_t master_seed, std::uint64_t seed) {
  const Problem& problem = run.problem();
  const LowerBoundChainConstants& c = LowerBoundChainConstantsOf(problem);
  const int d = problem.dim();
  const OptimizerSettings& settings = run.resolved().optimizer;
  const std::int64_t n = settings.batch_size;
  RunStreams streams =
      MakeRunStreams(master_seed, StableHash(NoiseStreamIdentity(run.config())), seed);
  Oracle oracle(problem, nullptr);
  Optimizer optimizer(settings, d);
  const std::int64_t chunk = ChunkRows(n, d);
  Batch rows(chunk, d);
  Batch scratch(0, d);
  Vector x = problem.DefaultStart();
  Vector grad(d);
  Replay out;
  for (std::int64_t t = 0; t < run.resolved().iterations; ++t) {
    problem.Gradient(x, grad);
    const int support = Support(x);
    const int prog = Prog(x, 0.25 * c.lambda, c.links);
    std::int64_t step_hits = 0;
    for (std::int64_t offset = 0; offset < n; offset += chunk) {
      auto block = rows.topRows(std::min(chunk, n - offset));
      Rng replay = streams.noise;
      oracle.Sample(x, grad, streams, block, scratch);
      for (Eigen::Index k = 0; k < block.rows(); ++k) {
        const bool z = (replay() >> 11) < c.q_grid;
        step_hits += z;
        const int row_support = Support(block.row(k).transpose());
        EXPECT_LE(row_support, prog + (z ? 1 : 0)) << "step " << t << ", row " << k;
      }
      optimizer.AddRows(block);
    }
    optimizer.FinishStep(StepSize(run.config().schedule, run.resolved().eta0, t), x);
    EXPECT_LE(Support(x), support + (step_hits > 0 ? 1 : 0)) << "step " << t;
    out.hits += step_hits;
    out.hit_steps += step_hits > 0;
  }
  out.final_support = Support(x);
  const RunSummary summary = run.Run(master_seed, seed);
  EXPECT_TRUE(summary.final_iterate == x) << "the replay is not the run";
  return out;
}

TEST(LowerBoundChainHardness, ProgressNeverExceedsTheHitsSoFar) {
  // The budget-coupled instance at p = 1.5 (T(N) = 72 links at N = 3e4, hardness 8), PS-Clip-SGD
  // at the theory prescription and its plain-SGD control; and batch-1 SGD with a constant step on
  // a fixed 10-link chain with q = 0.007 and N = 3000 (about 21 hits), where the hits, not the
  // step length, bound the progress.
  const std::string coupled = "kind=lower_bound_chain,dim=200,sigma=1,moment_p=1.5,hardness=8";
  for (Method method : {Method::kPsClipSgd, Method::kSgd}) {
    const PreparedRun run(ChainRun(coupled, method, 30000, 1.5));
    for (std::uint64_t seed = 0; seed < 3; ++seed) {  // master seed 11, seeds 0..2
      const Replay r = ReplayRun(run, 11, seed);
      EXPECT_LE(r.final_support, r.hit_steps);
      EXPECT_LE(r.hit_steps, r.hits);
      std::printf("%s, N = 3e4, T = %d: final support %d, steps with a hit %lld, hits %lld\n",
                  std::string(ToString(method)).c_str(),
                  LowerBoundChainConstantsOf(run.problem()).links, r.final_support,
                  static_cast<long long>(r.hit_steps), static_cast<long long>(r.hits));
    }
  }
  RunConfig sgd =
      ChainRun("kind=lower_bound_chain,dim=10,sigma=1,moment_p=1.5", Method::kSgd, 3000, 1.5);
  sgd.schedule = ScheduleOptions{};
  sgd.schedule.kind = ScheduleKind::kConstant;
  sgd.schedule.eta0 = 3.0;
  const PreparedRun run(sgd);
  int largest = 0;
  for (std::uint64_t seed = 0; seed < 5; ++seed) {  // master seed 12, seeds 0..4
    const Replay r = ReplayRun(run, 12, seed);
    EXPECT_LE(r.final_support, r.hit_steps);
    largest = std::max(largest, r.final_support);
    std::printf("sgd batch 1, eta 3, T = 10, N = 3000: final support %d, hits %lld\n",
                r.final_support, static_cast<long long>(r.hits));
  }
  EXPECT_GT(largest, 2) << "the constant-step control should make real progress";
}

// With hardness h = T / (q N) the chance that some iterate reaches the last link within N
// samples is at most P(Bin(N, q) >= T) <= exp(-T (log h - 1 + 1/h)) (Chernoff; the header), and
// otherwise ||grad f(x_t)|| > eps at every iterate, so min_grad_norm > eps at every checkpoint.
// False-alarm rate: at most (runs) * exp(-T (log h - 1 + 1/h)), printed. Broken twin: batch-1
// SGD with a constant step and N = 20 T / q samples on a 10-link chain gets below eps in every
// run.
TEST(LowerBoundChainHardness, GradientStaysAboveEpsWithFarFewerThanTOverQSamples) {
  struct Case {
    std::string problem;
    Method method;
    bool theory;
    std::int64_t budget;
  };
  const std::vector<Case> cases = {
      {"kind=lower_bound_chain,dim=200,sigma=1,moment_p=1.5,hardness=8", Method::kPsClipSgd, true,
       30000},
      {"kind=lower_bound_chain,dim=200,sigma=1,moment_p=1.5,hardness=8", Method::kSgd, true, 30000},
      {"kind=lower_bound_chain,dim=60,sigma=1,moment_p=1.25,hardness=8", Method::kPsClipSgd, true,
       100000},
      // batch 1, eta = 3/L, T = 10 fixed, N = T / (8 q) = 175
      {"kind=lower_bound_chain,dim=10,sigma=1,moment_p=1.5", Method::kSgd, false, 175},
  };
  const int seeds = 10;
  double false_alarm = 0.0;
  for (const Case& k : cases) {
    const double p = k.problem.find("moment_p=1.25") != std::string::npos ? 1.25 : 1.5;
    RunConfig config = ChainRun(k.problem, k.method, k.budget, p);
    if (!k.theory) {
      config.schedule = ScheduleOptions{};
      config.schedule.kind = ScheduleKind::kConstant;
      config.schedule.eta0 = 3.0;
    }
    const PreparedRun run(config);
    const LowerBoundChainConstants& c = LowerBoundChainConstantsOf(run.problem());
    const double h = c.links / (c.q * static_cast<double>(run.resolved().samples));
    ASSERT_GE(h, 7.9) << k.problem;
    false_alarm += seeds * std::exp(-c.links * (std::log(h) - 1.0 + 1.0 / h));
    double smallest = kInf;
    for (std::uint64_t seed = 0; seed < seeds; ++seed) {  // master seed 13
      const RunSummary s = run.Run(13, seed);
      for (const Checkpoint& cp : s.checkpoints) {
        EXPECT_GT(cp.min_grad_norm, c.eps) << k.problem << " seed " << seed;
        smallest = std::min(smallest, cp.min_grad_norm);
      }
    }
    std::printf("%s %s N = %lld: T = %d, h = %.2f, min ||grad f|| / eps = %.3f\n",
                k.problem.c_str(), std::string(ToString(k.method)).c_str(),
                static_cast<long long>(k.budget), c.links, h, smallest / c.eps);
  }
  std::printf("false-alarm rate of these checks <= %.3g\n", false_alarm);
  EXPECT_LT(false_alarm, 1e-3);

  // Broken twin: N = 20 T / q.
  RunConfig twin =
      ChainRun("kind=lower_bound_chain,dim=10,sigma=1,moment_p=1.5", Method::kSgd, 28000, 1.5);
  twin.schedule = ScheduleOptions{};
  twin.schedule.kind = ScheduleKind::kConstant;
  twin.schedule.eta0 = 3.0;
  const PreparedRun run(twin);
  const LowerBoundChainConstants& c = LowerBoundChainConstantsOf(run.problem());
  EXPECT_GT(static_cast<double>(twin.budget), 15.0 * c.links / c.q);
  int below = 0;
  for (std::uint64_t seed = 0; seed < seeds; ++seed) {
    below += run.Run(13, seed).checkpoints.back().min_grad_norm < c.eps;
  }
  EXPECT_EQ(below, seeds) << "with N >> T / q the twin should get below eps";
}

// ------------------------------------------------------------------------------------------------
// The budget-coupled form

TEST(LowerBoundChainBudget, LinksGrowWithTheBudgetAsTheClosedFormSays) {
  for (double p : {1.25, 1.5, 2.0}) {
    for (double h : {1.0, 4.0}) {
      std::vector<double> log_n;
      std::vector<double> log_eps;
      for (double n = 1e3; n <= 1e13; n *= 10) {
        const auto budget = static_cast<std::int64_t>(n);
        const std::int64_t links =
            problems::ChainLinksForBudget(h, budget, 100'000'000, 1.0, 1.0, 1.0, p);
        ASSERT_LE(links, 100'000'000);
        // Minimal: T / q(T) >= h N > (T - 1) / q(T - 1).
        EXPECT_GE(problems::ChainHardness(static_cast<int>(links), 1, 1, 1, p), h * n);
        if (links > 1) {
          EXPECT_LT(problems::ChainHardness(static_cast<int>(links) - 1, 1, 1, 1, p), h * n);
        }
        const double closed = problems::ChainLinksClosedForm(h, n, 1, 1, 1, p);
        const double ratio = static_cast<double>(links) / closed;
        if (n >= 1e6) {
          EXPECT_NEAR(ratio, 1.0, 0.15) << "p = " << p << ", N = " << n;
        }
        if (h == 4.0) {
          std::printf("p = %.2f, N = %.0e: T(N) = %lld, closed form %.1f (ratio %.3f)\n", p, n,
                      static_cast<long long>(links), closed, ratio);
        }
        const LowerBoundChainConstants c =
            problems::SolveLowerBoundChain(static_cast<int>(links), 1, 1, 1, p);
        log_n.push_back(std::log(n));
        log_eps.push_back(std::log(c.eps));
      }
      // Least-squares slope of log eps(N) against log N over N = 1e3..1e13.
      const double slope = stats::FitLine(log_n, log_eps).slope;
      const double theory = -(p - 1.0) / (3.0 * p - 2.0);
      EXPECT_NEAR(slope, theory, 0.02) << "p = " << p << ", hardness " << h;
      std::printf("p = %.2f, hardness %g: slope of log eps(N) = %.4f (theory %.4f)\n", p, h, slope,
                  theory);
    }
  }
}

TEST(LowerBoundChainBudget, RunProblemHasTLinksAndInertCoordinates) {
  RunConfig config = ChainRun("kind=lower_bound_chain,dim=300,sigma=1,moment_p=1.5,hardness=4",
                              Method::kPsClipSgd, 100000, 1.5);
  const auto problem = MakeRunProblem(config);
  const LowerBoundChainConstants& c = LowerBoundChainConstantsOf(*problem);
  EXPECT_EQ(problem->dim(), 300);
  EXPECT_EQ(c.links, problems::ChainLinksForBudget(4, 100000, 300, 1, 1, 1, 1.5));
  EXPECT_LT(c.links, 300);
  // f depends on the first T coordinates only; Delta is exact at every T.
  Rng rng = TestRng(820);  // seed 820
  boost::random::normal_distribution<double> normal(0.0, 1.0);
  Vector x(300);
  for (int i = 0; i < 300; ++i) x(i) = normal(rng);
  Vector y = x;
  y.tail(300 - c.links).setZero();
  EXPECT_EQ(problem->Value(x), problem->Value(y));
  const Vector g = Grad(*problem, x);
  EXPECT_EQ(g.tail(300 - c.links).cwiseAbs().maxCoeff(), 0.0);
  EXPECT_NEAR(problem->Value(Vector::Zero(300)) - problem->LowerBound(), 1.0, 1e-13);
  // More budget, more links; the same spec at another budget is another instance.
  config.budget = 1000000;
  EXPECT_GT(LowerBoundChainConstantsOf(*MakeRunProblem(config)).links, c.links);
  // A dim below T(N) is refused, naming dim, its value, the needed T and the budget.
  config.problem.dim = 50;
  ExpectInputError(
      [&] { MakeRunProblem(config); },
      {"dim", "50",
       "T(N) = " + std::to_string(problems::ChainLinksForBudget(4, 1000000, 1000, 1, 1, 1, 1.5)),
       "1000000"});
}

}  // namespace
}  // namespace clipsim::sim

// lower_bound_chain: the worst-case instance behind the lower bound N^(-(p-1)/(3p-2)) for smooth
// non-convex stochastic optimization with E|xi|^p <= sigma^p: a scaled zero chain with a
// probabilistic zero-respecting stochastic oracle of its own, whose number of links T can grow
// with the run's budget N. It is the instance on which "optimal" (not only "at least as fast")
// can be checked: additive i.i.d. noise on a fixed problem can only show an upper bound.
//
// The function, with y = x / lambda on the first T coordinates (coordinates T+1..dim are inert:
// f does not depend on them, their gradient and noise are 0):
//   f(x) = (L lambda^2 / l1) F_T(y),   grad f(x) = (L lambda / l1) grad F_T(y),
// F_T the zero chain of zero_chain.hpp (T links). Constants of F_T: (l1, gamma) = (152, 23) for
// T >= 2 (l1 the Lipschitz constant of grad F_T, gamma a bound on ||grad F_T||_inf); for T = 1,
// F_1 = -Phi, the exact (1, sqrt(e)) as in zero_chain.hpp.
//
// TAKEN FROM THE LITERATURE (not re-proven here; the tests check each numerically):
//  (a) F_T and its facts: Carmon, Duchi, Hinder & Sidford (2019/2020), "Lower bounds for finding
//      stationary points I", and Arjevani, Carmon, Duchi, Foster, Srebro & Woodworth (2019/2023),
//      "Lower bounds for non-convex stochastic optimization", Lemma 2: grad F_T is 152-Lipschitz;
//      ||grad F_T||_inf <= 23; the zero-chain property prog_0(grad F_T(y)) <= prog_{1/2}(y) + 1;
//      and the large-gradient property ||grad F_T(y)|| > 1 whenever prog_1(y) < T. Which
//      progress notion: the large-gradient property is about the LAST coordinate against the
//      threshold 1 (prog_1(y) < T, i.e. |y_T| <= 1 in Arjevani et al.; Carmon et al. state it
//      for |y_T| < 1), not prog_{1/2} (the zero-chain property) and not prog_{1/4} (the
//      oracle's). Here prog_a(y) = max{i : |y_i| > a}, 0 when there is none.
//  (b) The oracle: Arjevani et al.'s probability-q zero chain (their Section 3, bounded-variance
//      case): [g(y; z)]_i = grad_i F_T(y) (1 + 1{i > prog_{1/4}(y)} (z/q - 1)), z ~ Bernoulli(q).
//      By the zero-chain property grad_i F_T(y) = 0 for every i > prog_{1/4}(y) + 1 (the two
//      Psi factors of link i vanish when |y_{i-1}|, |y_i| <= 1/4), so only coordinate
//      j = prog_{1/4}(y) + 1 is multiplied by z/q, which is what SampleOracle does.
//  (c) The heavy-tailed calibration, and the rate it gives: Zhang, Karimireddy, Veit, Kim, Reddi,
//      Kumar & Sra (2020), "Why are adaptive methods good for attention models?" (their lower
//      bound): the same construction with q set by the p-th moment instead of the variance, so
//      that eps-stationarity needs on the order of eps^(-(3p-2)/(p-1)) samples. We could not
//      re-check their theorem's number or constants against the paper; the constants below are
//      ours.
//
// DERIVED HERE (each checked by tests/sim/lower_bound_chain_test.cpp):
//  - Delta exactly: F_T(0) - inf F_T = D_T := sqrt(2 pi e) (1/2 + e (T - 1)) (the exact f_low of
//    zero_chain.hpp), so lambda = sqrt(l1 Delta / (L D_T)) gives f(0) - f_low = Delta, and f is
//    L-smooth (the Hessian scales by (L lambda^2 / l1) / lambda^2 = L / l1).
//  - eps = L lambda / l1: by (a), ||grad f(x)|| > eps whenever |x_T| < lambda.
//  - a = gamma eps = sup_x |d_j f| (a bound), G = a sqrt(T) >= ||grad f|| everywhere.
//  - The noise xi = (z/q - 1) d_j f(x) e_j has mean 0, depends on x, and
//      E|xi|^r = |d_j f(x)|^r m_r(q) <= a^r m_r(q),   m_r(q) = q (1/q - 1)^r + (1 - q),
//    for every order r > 0. m_p decreases strictly from +inf (q -> 0) to 0 (q = 1), so for every
//    sigma > 0 one q in (0, 1) solves m_p(q) = (sigma / a)^p: the oracle's sigma(p) is then
//    exactly the user's sigma (SolveBernoulliQ; refused only where q is not representable).
//  - Which run orders p are allowed: the instance is calibrated at p0 = `moment_p`. For r <= p0,
//    sigma(r) = a m_r(q)^(1/r) <= sigma (Lyapunov) is reported exactly; r > p0 is refused: its
//    sigma(r) = a m_r(q)^(1/r) ~ sigma q^(1/r - 1/p0) grows without bound as q -> 0, i.e. with N
//    in the budget-coupled form, so such a run is not an instance of one class (r, sigma).
//  - Zero-respecting hardness: rows at x with z = 0 are supported on {1..prog_{1/4}(y)}, with
//    z = 1 on {1..prog_{1/4}(y) + 1}. Any method whose step lies in the span of the rows it saw
//    (every optimizer of clipsim: per-sample and batch clipping, momentum, normalization and
//    Ada-norm scalings only rescale rows and combine them linearly) keeps
//    prog_0(x_{t+1}) <= prog_0(x_t) + 1{a z = 1 in step t's rows}, so from x = 0 the progress
//    after N samples is at most K ~ Binomial(N, q). With h = T / (q N) > 1 (Chernoff):
//      P(prog_0 reaches T within N samples) <= P(K >= T) <= exp(-T (log h - 1 + 1/h)),
//    and on the complement ||grad f(x_t)|| > eps at every iterate: E||grad f(x_R)|| >= eps (1 -
//    that probability). This is the lower bound for zero-respecting methods only; the random
//    rotation and dimension increase that Arjevani et al. use for arbitrary randomized
//    algorithms are not implemented.
//  - The budget-coupled form (`hardness` h > 0): T(N) = the smallest T >= 1 with
//    T / q(T) >= h N (T / q(T) increases with T). With D_T ~ c_D T, c_D = e sqrt(2 pi e), and
//    m_p(q) ~ q^(1-p) for small q:
//      T(N) ~ (h N)^(2(p-1)/(3p-2)) kappa^(-p/(3p-2)),   kappa = l1 c_D sigma^2 / (gamma^2 L
//      Delta), eps(N) ~ (sigma / gamma) (kappa h N)^(-(p-1)/(3p-2)),   p = moment_p,
//    i.e. eps(N) = (sigma / gamma) ((l1 c_D / gamma^2) h s)^(-(p-1)/(3p-2)) with
//    s = sigma^2 N / (L Delta): the same dependence on sigma, L, Delta and N as PS-Clip-SGD's
//    upper bound (2 + C_p) sigma s^(-(p-1)/(3p-2)) (analysis/THEORY.md), so the two match up to a
//    constant. h = 4 makes the failure probability above exp(-0.64 T).
//
// Oracle draws: one uniform bits = noise_rng() per row, always (also when every coordinate is
// found), z = (bits >> 11) < k with q = k / 2^53 (q is rounded up to that grid, so P(z = 1) = q
// exactly and the sample is unbiased; rounding up keeps the moment bound). Default start x = 0.
#pragma once

#include <cstdint>
#include <memory>

#include "clipsim/sim/problem.hpp"
#include "problems/resolved_spec.hpp"

namespace clipsim::sim::problems {

// m_r(q) = q (1/q - 1)^r + (1 - q) = E|z/q - 1|^r for z ~ Bernoulli(q), q in (0, 1], r > 0.
double BernoulliMoment(double r, double q);

// The q in (0, 1] with m_p(q) = target (> 0), before rounding to the 2^-53 grid, by bisection on
// log q to relative 1e-15; 0 when the root lies below 1e-300.
double SolveBernoulliQ(double p, double target);

// The constants of one instance.
struct LowerBoundChainConstants {
  int links = 1;                // T
  double lambda = 0.0;          // x = lambda y
  double l1 = 152.0;            // Lipschitz constant of grad F_T (1 for T = 1)
  double gamma = 23.0;          // bound on ||grad F_T||_inf (sqrt(e) for T = 1)
  double value_scale = 0.0;     // L lambda^2 / l1
  double eps = 0.0;             // L lambda / l1: ||grad f(x)|| > eps whenever |x_T| < lambda
  double coordinate_bound = 0;  // a = gamma eps >= |d_j f(x)|
  double gradient_bound = 0.0;  // G = a sqrt(T)
  double f_low = 0.0;           // inf f = value_scale * (-sqrt(2 pi e) (1 + e (T - 1)))
  double q_solved = 0.0;        // the root of m_p(q) = (sigma / a)^p
  double q = 1.0;               // q_solved rounded up to the grid k / 2^53 (the q drawn)
  std::uint64_t q_grid = 0;     // k
};

// The constants for T links (1 <= T). Throws InputError (key "sigma") where q_solved is below
// kMinBernoulliQ.
LowerBoundChainConstants SolveLowerBoundChain(int links, double L, double delta, double sigma,
                                              double moment_p);
inline constexpr double kMinBernoulliQ = 0x1.0p-40;  // about 9.1e-13

// T / q_solved(T) for T links: the expected number of samples before T hits.
double ChainHardness(int links, double L, double delta, double sigma, double moment_p);

// T(N) of the budget-coupled form: the smallest T >= 1 with ChainHardness(T) >= hardness *
// budget; hardness > 0, budget >= 1. Returns max_links + 1 when even max_links is not enough.
std::int64_t ChainLinksForBudget(double hardness, std::int64_t budget, std::int64_t max_links,
                                 double L, double delta, double sigma, double moment_p);

// The closed-form approximation of T(N) above (for documentation and the tests).
double ChainLinksClosedForm(double hardness, double budget, double L, double delta, double sigma,
                            double moment_p);

// Built from a spec with `hardness` = 0 (T = dim): MakeLowerBoundChain. With hardness > 0 the
// number of links depends on the run's budget: MakeLowerBoundChainForBudget (MakeLowerBoundChain
// refuses it, naming the key).
std::unique_ptr<Problem> MakeLowerBoundChain(const ResolvedSpec& spec);
std::unique_ptr<Problem> MakeLowerBoundChainForBudget(const ResolvedSpec& spec,
                                                      std::int64_t budget);
// The registry's check of the spec's values (moment_p in (1, 2], hardness 0 or >= 1).
void CheckLowerBoundChainSpec(const ResolvedSpec& spec);

// The built problem's constants (for tests and reports); aborts on another kind.
const LowerBoundChainConstants& LowerBoundChainConstantsOf(const Problem& problem);

}  // namespace clipsim::sim::problems

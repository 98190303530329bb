// Tail-index estimation from the upper order statistics of a sample (for example the noise norms
// ||xi|| a sweep saved, or a metric across seeds): alpha in P(X > x) ~ C x^(-alpha), reported
// with a confidence interval. gamma = 1/alpha is the extreme-value index.
//
// Estimators (X_(1) >= X_(2) >= ... the order statistics, k the number of upper ones used):
//   Hill (1975):  1/alpha_hat = (1/k) sum_{i<=k} log(X_(i) / X_(k+1)).
//     Interval kGamma (default): exact when the tail above X_(k+1) is exactly Pareto, since then
//     k alpha / alpha_hat ~ Gamma(k, 1) (Renyi representation): alpha in alpha_hat [g_lo, g_hi] / k
//     with g the Gamma(k, 1) quantiles (Boost.Math). Interval kNormal: the asymptotic
//     alpha_hat (1 +- z / sqrt(k)) (sqrt(k)(alpha_hat - alpha) -> N(0, alpha^2)); both agree as
//     k grows, kNormal under-covers slightly for small k (its exact Pareto coverage is computed
//     in tests/stats/tail_index_test.cpp).
//   Moment (Dekkers, Einmahl & de Haan 1989): with M_j = (1/k) sum log(X_(i)/X_(k+1))^j,
//     gamma_hat = M_1 + 1 - 1/(2 (1 - M_1^2 / M_2)); asymptotically normal with variance
//     (1 + gamma^2)/k for gamma >= 0 (and the DEdH formula for gamma < 0). Valid for any real
//     gamma, so it can say "light tail" (gamma <= 0: alpha = +infinity).
//   Pickands (1975): gamma_hat = log((X_(k) - X_(2k)) / (X_(2k) - X_(4k))) / log 2, asymptotic
//     variance gamma^2 (2^(2 gamma + 1) + 1) / (2 (2^gamma - 1) log 2)^2 / k. Location- and
//     scale-free but with a much larger variance; needs 4k <= n.
// The moment and Pickands intervals are normal intervals for gamma, mapped to alpha = 1/gamma
// (so they are not symmetric around alpha_hat; an upper end at gamma <= 0 means alpha unbounded).
//
// Default k: floor(sqrt(n)) (at most n - 1, and n/4 for Pickands). This is a conservative
// choice for laws whose tail is Pareto only asymptotically: the bias grows with k/n, the
// standard deviation shrinks like alpha/sqrt(k).
//
// Bias for stable laws (say so wherever Hill is applied to stable noise): the symmetric stable
// tail is P(|X| > x) = 2 c1 x^(-alpha) (1 + D x^(-alpha) + ...), with c1 = Gamma(alpha)
// sin(pi alpha/2)/pi and D = c2/c1, c2 = -Gamma(2 alpha) sin(pi alpha)/(2 pi) (the series of the
// stable tail). The second-order term decays only like x^(-alpha) and D grows fast as alpha -> 2,
// so Hill (and the moment estimator) converge slowly: to first order
//   E[alpha_hat] / alpha - 1 ~= B(alpha) k / n,  B(alpha) = c2 / (4 c1^2)   (HillStableBias)
// with B = -0.25 at alpha = 0.5, -0.17 at 0.8, 0 at 1 (Cauchy: next order), +0.38 at 1.2,
// +2.0 at 1.5, +10 at 1.8, +25 at 1.9 (first order only: the real bias is larger once B k/n is
// not small). Practical consequence: for stable noise with alpha >= 1.5 Hill overestimates alpha
// unless k/n is small (k/n = 1% gives +2% at alpha = 1.5 but about +25% or more at 1.9, i.e.
// estimates above 2 for a law with infinite variance, as McCulloch 1997 observed); keep k/n small
// (the default sqrt(n) rule gives k/n = 1/sqrt(n)), use large samples, and read an estimate near
// or above 2 for noise that is supposed to be stable as bias, not as evidence of finite variance.
//
// References: B. M. Hill, "A simple general approach to inference about the tail of a
// distribution", Ann. Statist. 3 (1975); A. L. M. Dekkers, J. H. J. Einmahl, L. de Haan, "A moment
// estimator for the index of an extreme-value distribution", Ann. Statist. 17 (1989);
// J. Pickands, "Statistical inference using extreme order statistics", Ann. Statist. 3 (1975);
// J. H. McCulloch, "Measuring tail thickness to estimate the stable index alpha: a critique",
// J. Bus. Econ. Stat. 15 (1997); L. de Haan, A. Ferreira, "Extreme Value Theory" (2006), ch. 3.
//
// Shared by analysis/ (the noise check of a sweep) and replay/ (the tail of per-sample gradient
// noise), so that both report the same estimate and interval for the same sample. C++17, the
// standard library and Boost.Math headers only: replay/'s stand-alone build compiles it.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

namespace clipsim::stats {

enum class TailIndexMethod { kHill, kMoment, kPickands };
std::string_view ToString(TailIndexMethod method);  // "hill", "moment", "pickands"
std::optional<TailIndexMethod> TailIndexMethodFromString(std::string_view text);

enum class HillInterval {
  kGamma,   // exact under a Pareto tail above X_(k+1)
  kNormal,  // alpha_hat (1 +- z / sqrt(k))
};

struct TailIndexOptions {
  TailIndexMethod method = TailIndexMethod::kHill;
  // Number of upper order statistics; 0 selects DefaultTailCount(n, method).
  std::size_t k = 0;
  // Two-sided confidence level of the interval, in (0, 1).
  double confidence = 0.95;
  // Hill only.
  HillInterval hill_interval = HillInterval::kGamma;
};

struct TailIndexEstimate {
  double estimate = 0.0;  // alpha_hat; +infinity when the estimator finds a light tail
  double lower = 0.0;     // interval for alpha at options.confidence
  double upper = 0.0;     // may be +infinity
  std::size_t k = 0;      // upper order statistics used
  TailIndexMethod method = TailIndexMethod::kHill;
  double confidence = 0.0;
};

// floor(sqrt(n)), clamped to [2, n - 1] (Hill, moment) or [1, n / 4] (Pickands); 0 when
// n < MinimumSampleSize(method).
std::size_t DefaultTailCount(std::size_t n, TailIndexMethod method);
// Smallest sample each method accepts (Hill 3, moment 3, Pickands 4).
std::size_t MinimumSampleSize(TailIndexMethod method);

// Throws clipsim::InputError naming "k", "confidence" or "sample size" with the allowed range,
// for a sample of size n (k = 0 means the default, valid once n >= MinimumSampleSize).
void Validate(const TailIndexOptions& options, std::size_t n);

// The estimate from a sample of finite values (order irrelevant; only the largest k + 1, or 4k for
// Pickands, are used, and for Hill and moment they must be > 0). Validates the options and the
// sample size, and a sample that holds NaN or infinity, whose used order statistics are not
// positive, or whose top values are all tied: InputError for each (the sample is data).
TailIndexEstimate EstimateTailIndex(std::vector<double> sample,
                                    const TailIndexOptions& options = {});

// First-order relative bias coefficient B(alpha) of Hill on |X| for a symmetric alpha-stable X
// (see the header comment): E[alpha_hat] / alpha - 1 ~= B(alpha) k / n for small k / n.
// alpha in (0, 2); B(1) = 0.
double HillStableBias(double alpha);

}  // namespace clipsim::stats

// One-sample Kolmogorov-Smirnov test of a sample against a continuous CDF, with p-values from
// the Kolmogorov distribution, and the Dvoretzky-Kiefer-Wolfowitz band.
//
// Boost 1.74 has no Kolmogorov distribution, so the p-value is computed here:
//   n <= kKsExactMaxN: exact, by the matrix method of Marsaglia, Tsang & Wang (2003), as
//     1 - P(D_n < d) (so relative accuracy is lost below p ~ 1e-12); where n d >= 100 (p < 1e-8)
//     their right-tail formula p = 2 exp(-(2.000071 + 0.331/sqrt(n) + 1.409/n) n d^2) is used
//     instead (absolute error < 1e-8, relative error up to ~20%);
//   n > kKsExactMaxN: Kolmogorov's limiting law with Stephens' (1970) small-sample correction,
//     p = Q(d (sqrt(n) + 0.12 + 0.11 / sqrt(n))), Q(t) = 2 sum_{k>=1} (-1)^(k-1) exp(-2 k^2 t^2)
//     (for t < 1 the equivalent Jacobi form (sqrt(2 pi)/t) sum exp(-(2k-1)^2 pi^2 / (8 t^2)) is
//     summed instead, which converges fast there).
// Accuracy (tests/stats/ks_test_test.cpp): the exact method matches the closed forms
// P(D_n < d) = n! (2d - 1/n)^n on [1/(2n), 1/n] and 1 - 2 (1 - d)^n on [1 - 1/n, 1] to 2e-15.
// The Stephens-corrected asymptotic formula differs from the exact law by at most 4.1e-3 at
// n = 1000 (3.0e-3 at n = 2000, 2.5e-3 at n = 3000; largest near p = 0.7) and by less than 5e-5
// where p < 0.01, so p-values above kKsExactMaxN are good to ~4e-3 absolute, much better in the
// tail where decisions are made. Under the null the p-value is uniform for a continuous F
// (exactly so up to kKsExactMaxN; checked by simulation at n = 20, 400 and 3000); for a CDF with
// atoms the test is conservative.
//
// References: G. Marsaglia, W. W. Tsang, J. Wang, "Evaluating Kolmogorov's distribution", J. Stat.
// Software 8(18) (2003); M. A. Stephens, "Use of the Kolmogorov-Smirnov, Cramer-von Mises and
// related statistics without extensive tables", JRSS B 32 (1970) 115-122; P. Massart, "The tight
// constant in the Dvoretzky-Kiefer-Wolfowitz inequality", Ann. Probab. 18 (1990) 1269-1283.
#pragma once

#include <cstddef>
#include <functional>
#include <span>

namespace clipsim::stats {

// Largest n for which the p-value is exact (Marsaglia-Tsang-Wang). The matrix has side about
// 2 sqrt(7.24 n): at n = 1000 one p-value costs about 1 ms.
inline constexpr std::size_t kKsExactMaxN = 1000;
// Largest k = floor(n d) + 1 (matrix side 2k - 1) computed exactly (at most ~40 ms); beyond it
// (n d >= 100, so p < 1e-8 when n <= 1000) the right-tail formula is used.
inline constexpr std::size_t kKsExactMaxOrder = 100;

struct KsResult {
  double statistic = 0.0;  // D_n = sup_x |F_n(x) - F(x)| = max(d_plus, d_minus)
  double d_plus = 0.0;     // sup_x (F_n(x) - F(x))
  double d_minus = 0.0;    // sup_x (F(x) - F_n(x))
  std::size_t n = 0;
  double p_value = 1.0;  // P(D_n >= statistic) under H0, two-sided
};

// The test from the CDF values u_i = F(x_(i)) at the sorted sample (nondecreasing, in [0, 1]).
// Decreases up to 1e-9 (the rounding of a numerical CDF such as StableLaw::Cdf) are absorbed by a
// running maximum. Throws InputError for an empty span, values outside [0, 1] or NaN,
// or larger decreases (an unsorted sample).
KsResult KsTestFromSortedCdfValues(std::span<const double> cdf_values);

// Sorts a copy of the sample and evaluates cdf at each point. The sample must be free of NaN.
KsResult KsTest(std::span<const double> sample, const std::function<double(double)>& cdf);

// Bounds on D_n when the CDF is too expensive to evaluate at every point: cdf is evaluated only at
// every stride-th order statistic (and the largest); by monotonicity of F each skipped F(x_(i))
// lies between its evaluated neighbours. lower <= D_n <= upper, and upper - lower is at most the
// largest F increment between evaluated neighbours plus stride/n. A test that rejects when
// KolmogorovSmirnovPValue(lower, n) <= level keeps its false-alarm rate <= level.
struct KsBounds {
  double lower = 0.0;
  double upper = 0.0;
  std::size_t n = 0;
  std::size_t evaluations = 0;
};
KsBounds KsStatisticBounds(std::span<const double> sample, const std::function<double(double)>& cdf,
                           std::size_t stride);

// P(D_n >= d) for a continuous F (see the header comment for the method). d <= 1/(2n) gives 1,
// d >= 1 gives 0. n >= 1.
double KolmogorovSmirnovPValue(double d, std::size_t n);

// The exact P(D_n < d) by Marsaglia-Tsang-Wang (no right-tail shortcut); cost grows like
// (n d)^3 log n, so keep n d below a few hundred.
double KolmogorovSmirnovCdfExact(double d, std::size_t n);

// Kolmogorov's limiting survival function Q(t) = P(sup |Brownian bridge| >= t).
double KolmogorovSf(double t);

// Half-width eps of the DKW band: P(sup_x |F_n(x) - F(x)| > eps) <= false_alarm for every n and
// every F, with eps = sqrt(log(2 / false_alarm) / (2 n)) (Massart's constant).
double DkwHalfWidth(std::size_t n, double false_alarm);

}  // namespace clipsim::stats

#include "clipsim/sim/reduction.hpp"

#include <algorithm>
#include <cmath>

#if defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>
#endif

namespace clipsim::sim {
namespace {

// Sum of squares in a fixed order that does not depend on the address of v (unaligned loads, no
// peeling): with AVX2, element i goes to lane i mod 16 of four 4-lane accumulators, which are
// combined in a fixed tree, then the scalar tail; without AVX2, four interleaved partial sums.
// The order differs between instruction sets, so bits agree within one build (as promised), not
// across builds.
double SumOfSquares(const double* v, std::int64_t d) {
  std::int64_t i = 0;
#if defined(__AVX2__) && defined(__FMA__)
  __m256d a0 = _mm256_setzero_pd();
  __m256d a1 = _mm256_setzero_pd();
  __m256d a2 = _mm256_setzero_pd();
  __m256d a3 = _mm256_setzero_pd();
  for (; i + 16 <= d; i += 16) {
    const __m256d x0 = _mm256_loadu_pd(v + i);
    const __m256d x1 = _mm256_loadu_pd(v + i + 4);
    const __m256d x2 = _mm256_loadu_pd(v + i + 8);
    const __m256d x3 = _mm256_loadu_pd(v + i + 12);
    a0 = _mm256_fmadd_pd(x0, x0, a0);
    a1 = _mm256_fmadd_pd(x1, x1, a1);
    a2 = _mm256_fmadd_pd(x2, x2, a2);
    a3 = _mm256_fmadd_pd(x3, x3, a3);
  }
  for (; i + 4 <= d; i += 4) {
    const __m256d x = _mm256_loadu_pd(v + i);
    a0 = _mm256_fmadd_pd(x, x, a0);
  }
  const __m256d a = _mm256_add_pd(_mm256_add_pd(a0, a1), _mm256_add_pd(a2, a3));
  alignas(32) double lanes[4];
  _mm256_store_pd(lanes, a);
  double s = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
#else
  double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
  for (; i + 4 <= d; i += 4) {
    s0 += v[i] * v[i];
    s1 += v[i + 1] * v[i + 1];
    s2 += v[i + 2] * v[i + 2];
    s3 += v[i + 3] * v[i + 3];
  }
  double s = (s0 + s1) + (s2 + s3);
#endif
  for (; i < d; ++i) s += v[i] * v[i];
  return s;
}

// The overflow path: scale by the largest magnitude first (rare: entries beyond ~1e154).
double ScaledNorm(const double* v, std::int64_t d) {
  double m = 0.0;
  for (std::int64_t i = 0; i < d; ++i) m = std::max(m, std::abs(v[i]));
  if (!(m > 0.0) || std::isinf(m)) return m;
  double s = 0.0;
  for (std::int64_t i = 0; i < d; ++i) {
    const double r = v[i] / m;
    s += r * r;
  }
  return m * std::sqrt(s);
}

}  // namespace

double Norm(const double* v, std::int64_t d) {
  const double s = SumOfSquares(v, d);
  if (std::isinf(s)) return ScaledNorm(v, d);
  return std::sqrt(s);
}

void RowNorms(const Eigen::Ref<const Batch>& rows, double* norms) {
  const std::int64_t d = rows.cols();
  const Eigen::Index m = rows.rows();
  if (d == 1 && rows.outerStride() == 1) {
    // Norm of one value: SumOfSquares is 0 + v * v = v * v, so sqrt(v * v) bit for bit, in a
    // loop the compiler vectorizes (a call per scalar row cost more than the norm); the rare
    // overflow (|v| beyond ~1e154) takes Norm's rescaled path afterwards.
    // (This file is compiled with -fno-math-errno, sim/CMakeLists.txt, so that the loop becomes
    // the correctly rounded vector square root. Not Eigen's array sqrt: on AVX-512 it is a
    // reciprocal-square-root estimate refined by Newton steps, other bits.)
    const double* v = rows.data();
    for (Eigen::Index k = 0; k < m; ++k) norms[k] = std::sqrt(v[k] * v[k]);
    for (Eigen::Index k = 0; k < m; ++k) {
      if (std::isinf(norms[k])) norms[k] = Norm(v + k, 1);
    }
    return;
  }
  for (Eigen::Index k = 0; k < m; ++k) norms[k] = Norm(rows.row(k).data(), d);
}

void AccumulateWeighted(const Eigen::Ref<const Batch>& rows, const double* weights,
                        Eigen::Ref<Vector> acc) {
  const std::int64_t d = rows.cols();
  double* a = acc.data();
  if (d == 1 && rows.outerStride() == 1) {
    // The same sum in the same order, without the per-row indexing of the general loop. The
    // general loop's a[j] += w * g[j] is contracted to one fused multiply-add where the build has
    // FMA; here the compiler would vectorize the products and add them separately (other bits),
    // so the fused form is written out.
    const double* g = rows.data();
    double sum = a[0];
    for (Eigen::Index k = 0; k < rows.rows(); ++k) {
#if defined(__FMA__)
      sum = std::fma(weights[k], g[k], sum);
#else
      sum += weights[k] * g[k];
#endif
    }
    a[0] = sum;
    return;
  }
  for (Eigen::Index k = 0; k < rows.rows(); ++k) {
    const double* g = rows.row(k).data();
    const double w = weights[k];
    for (std::int64_t j = 0; j < d; ++j) a[j] += w * g[j];
  }
}

}  // namespace clipsim::sim

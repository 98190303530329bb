#include "clipsim/sim/reduction.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <limits>
#include <utility>

#if defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>
#endif

#include "clipsim/core/check.hpp"

namespace clipsim::sim {
namespace {

// Sum of squares in a fixed order that does not depend on the address of v (unaligned loads, no
// peeling): with AVX2, element i goes to lane i mod 16 of four 4-lane accumulators, which are
// combined in a fixed tree, then the scalar tail; without AVX2, four interleaved partial sums.
// The order differs between instruction sets, so bits agree within one build (as promised), not
// across builds. RowNorms repeats this order four rows at a time (SumsOfSquares4 below), so the
// vector part is one function both use.
#if defined(__AVX2__) && defined(__FMA__)
// The accumulators of elements [0, d - d % 4), combined as (a0 + a1) + (a2 + a3); i is set to the
// first element of the scalar tail.
[[gnu::always_inline]] inline __m256d LaneSums(const double* v, std::int64_t d, std::int64_t& i) {
  i = 0;
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
  // Below 16 elements a1..a3 are +0, and adding +0 leaves every lane of a0 as it is (the lanes
  // are sums of squares from +0: +0 or more, or NaN), so the additions are skipped.
  if (d < 16) return a0;
  return _mm256_add_pd(_mm256_add_pd(a0, a1), _mm256_add_pd(a2, a3));
}
#endif

[[gnu::always_inline]] inline double SumOfSquares(const double* v, std::int64_t d) {
  std::int64_t i = 0;
#if defined(__AVX2__) && defined(__FMA__)
  const __m256d a = LaneSums(v, d, i);
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
  // The tail (at most three elements) as the scalar loop `s += v[i] * v[i]` always ran: a fused
  // multiply-add per element with FMA. Written out because inlined into RowNorms the compiler may
  // vectorize it with unfused products.
  for (; i < d; ++i) s = MulAdd(v[i], v[i], s);
  return s;
}

#if defined(__AVX2__) && defined(__FMA__)
// Lane r: (l0 + l1) + (l2 + l3) of a_r, SumOfSquares' combination of one row's accumulator lanes,
// for four rows at once by transposing.
[[gnu::always_inline]] inline __m256d CombineLanes4(__m256d a0, __m256d a1, __m256d a2,
                                                    __m256d a3) {
  // (row0: l0 + l1, row1: l0 + l1, row0: l2 + l3, row1: l2 + l3), the same for rows 2 and 3.
  const __m256d p01 = _mm256_add_pd(_mm256_unpacklo_pd(a0, a1), _mm256_unpackhi_pd(a0, a1));
  const __m256d p23 = _mm256_add_pd(_mm256_unpacklo_pd(a2, a3), _mm256_unpackhi_pd(a2, a3));
  return _mm256_add_pd(_mm256_permute2f128_pd(p01, p23, 0x20),
                       _mm256_permute2f128_pd(p01, p23, 0x31));
}

// SumOfSquares of four rows at once, lane r for row r, each in SumOfSquares' exact order: the
// per-row accumulators as there, their lanes combined for the four rows together by transposing
// (lane 0 + lane 1 and lane 2 + lane 3 as the first operands, as in SumOfSquares), then the tail
// elements of the four rows as one vector fused multiply-add (SumOfSquares' fused tail). Saves
// the store and reload of the lanes and the scalar tail per row, which dominate at small d: 16 rows
// of d = 10 take about 45 ns, against 60 ns for SumOfSquares inlined per row and 75 ns for a call
// of Norm per row (bench_optimizers BM_RowNorms, AVX-512 build).
[[gnu::always_inline]] inline __m256d SumsOfSquares4(const double* r0, const double* r1,
                                                     const double* r2, const double* r3,
                                                     std::int64_t d) {
  std::int64_t i = 0;
  const __m256d a0 = LaneSums(r0, d, i);
  const __m256d a1 = LaneSums(r1, d, i);
  const __m256d a2 = LaneSums(r2, d, i);
  const __m256d a3 = LaneSums(r3, d, i);
  __m256d s = CombineLanes4(a0, a1, a2, a3);
  for (; i < d; ++i) {
    const __m256d x = _mm256_set_pd(r3[i], r2[i], r1[i], r0[i]);
    s = _mm256_fmadd_pd(x, x, s);
  }
  return s;
}
#endif

// AccumulateWeighted's blocked path up to this many columns. Beyond, the general loop, which runs
// a whole row in the widest vectors, is faster: the store and reload of the sums per row no
// longer dominate. 16 rows, BM_AccumulateWeighted: d = 32, 46 ns blocked against 69 ns general;
// d = 64, 120 ns blocked against 85 ns general (level near d = 40 in a stand-alone timing).
constexpr std::int64_t kSmallDim = 32;

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
  // The sums of squares (inlined, no call per row) and their square roots, four rows at a time
  // where the build has AVX2; then Norm's rescaled path for the rare rows whose sum overflowed.
  // The square root is correctly rounded in either form, so each norm is Norm(row) bit for bit,
  // NaN included. (Square roots within the loop and the overflow check on the sums as they come,
  // rather than two passes over the norms afterwards, keep the loop from waiting on the square
  // roots: 16 rows of d = 10 in about 33 ns instead of 45 ns, BM_RowNorms.)
  Eigen::Index k = 0;
  bool overflow = false;
#if defined(__AVX2__) && defined(__FMA__)
  const __m256d inf = _mm256_set1_pd(std::numeric_limits<double>::infinity());
  for (; k + 4 <= m; k += 4) {
    const __m256d s = SumsOfSquares4(rows.row(k).data(), rows.row(k + 1).data(),
                                     rows.row(k + 2).data(), rows.row(k + 3).data(), d);
    overflow = overflow || _mm256_movemask_pd(_mm256_cmp_pd(s, inf, _CMP_EQ_OQ)) != 0;
    _mm256_storeu_pd(norms + k, _mm256_sqrt_pd(s));
  }
#endif
  for (; k < m; ++k) {
    const double s = SumOfSquares(rows.row(k).data(), d);
    overflow = overflow || std::isinf(s);
    norms[k] = std::sqrt(s);
  }
  if (!overflow) return;
  for (k = 0; k < m; ++k) {
    if (std::isinf(norms[k])) norms[k] = Norm(rows.row(k).data(), d);
  }
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
    for (Eigen::Index k = 0; k < rows.rows(); ++k) sum = MulAdd(weights[k], g[k], sum);
    a[0] = sum;
    return;
  }
  if (d <= kSmallDim) {
    // The same sums in the same order (each a[j] over rows k = 0, 1, ... with the fused form
    // written out, as above), a block of four columns at a time: the block's sums stay in
    // registers over all rows, where the general loop stores and reloads a[j] for every row.
    const Eigen::Index m = rows.rows();
    std::int64_t j0 = 0;
    for (; j0 + 4 <= d; j0 += 4) {
      double t[4] = {a[j0], a[j0 + 1], a[j0 + 2], a[j0 + 3]};
      for (Eigen::Index k = 0; k < m; ++k) {
        const double* g = rows.row(k).data() + j0;
        const double w = weights[k];
        for (int c = 0; c < 4; ++c) t[c] = MulAdd(w, g[c], t[c]);
      }
      for (int c = 0; c < 4; ++c) a[j0 + c] = t[c];
    }
    for (std::int64_t j = j0; j < d; ++j) {
      double sum = a[j];
      for (Eigen::Index k = 0; k < m; ++k) sum = MulAdd(weights[k], rows(k, j), sum);
      a[j] = sum;
    }
    return;
  }
  for (Eigen::Index k = 0; k < rows.rows(); ++k) {
    const double* g = rows.row(k).data();
    const double w = weights[k];
    for (std::int64_t j = 0; j < d; ++j) a[j] += w * g[j];
  }
}

namespace {

#if defined(__AVX2__) && defined(__FMA__)
// AccumulateNoisyRows for rows of D columns. Rows are formed four at a time in registers (the last
// group of a batch padded with copies of its last row, whose lanes are never used), and a group's
// norms, factors and products are done before the next group is read. The orders are those of
// the functions it stands for: a row's sum of squares as LaneSums (the 4-column blocks fused into
// one accumulator in order; at D = 16 into four, then (a0 + a1) + (a2 + a3)), CombineLanes4 and
// the tail columns fused in order, as SumsOfSquares4 (which is SumOfSquares per row, so also the
// rows RowNorms leaves over); the factor as AddRows computes it; each column's sum over the rows
// in order, fused, as AccumulateWeighted. Sums and products by lanes are the scalar operations
// lane by lane, so the bits are those functions'.
template <int D, bool kClip>
std::int64_t NoisyRowsKernel(const NoisyRows& in, const RowClipping& clip, double* acc) {
  constexpr int kBlocks = D / 4;  // whole 4-column blocks
  constexpr int kTail = D % 4;    // columns after them
  // Arrays of at least one element (zero-length arrays are not C++).
  constexpr int kB = kBlocks > 0 ? kBlocks : 1;
  constexpr int kT = kTail > 0 ? kTail : 1;
  const double* plus = in.plus;
  __m256d pv[kB], tv[kB];
  double pt[kT], tt[kT];
  for (int b = 0; b < kBlocks; ++b) {
    pv[b] = _mm256_loadu_pd(plus + 4 * b);
    tv[b] = _mm256_loadu_pd(acc + 4 * b);
  }
  for (int r = 0; r < kTail; ++r) {
    pt[r] = plus[4 * kBlocks + r];
    tt[r] = acc[4 * kBlocks + r];
  }
  const std::int64_t m = in.rows;
  std::int64_t clipped = 0;
  const auto group = [&](std::int64_t k, int live) __attribute__((always_inline)) {
    __m256d gv[4][kB];
    double gt[4][kT];
    for (int q = 0; q < 4; ++q) {
      const double* e = in.noise + (k + std::min(q, live - 1)) * D;
      for (int b = 0; b < kBlocks; ++b) gv[q][b] = _mm256_add_pd(_mm256_loadu_pd(e + 4 * b), pv[b]);
      for (int r = 0; r < kTail; ++r) gt[q][r] = e[4 * kBlocks + r] + pt[r];
    }
    alignas(32) double w[4] = {1.0, 1.0, 1.0, 1.0};
    if constexpr (kClip) {
      const __m256d zero = _mm256_setzero_pd();
      __m256d a[4];
      for (int q = 0; q < 4; ++q) {
        if constexpr (D == 16) {
          a[q] = _mm256_add_pd(_mm256_add_pd(_mm256_fmadd_pd(gv[q][0], gv[q][0], zero),
                                             _mm256_fmadd_pd(gv[q][1], gv[q][1], zero)),
                               _mm256_add_pd(_mm256_fmadd_pd(gv[q][2], gv[q][2], zero),
                                             _mm256_fmadd_pd(gv[q][3], gv[q][3], zero)));
        } else {
          a[q] = zero;
          for (int b = 0; b < kBlocks; ++b) a[q] = _mm256_fmadd_pd(gv[q][b], gv[q][b], a[q]);
        }
      }
      __m256d s = CombineLanes4(a[0], a[1], a[2], a[3]);
      for (int r = 0; r < kTail; ++r) {
        const __m256d x = _mm256_set_pd(gt[3][r], gt[2][r], gt[1][r], gt[0][r]);
        s = _mm256_fmadd_pd(x, x, s);
      }
      __m256d norms = _mm256_sqrt_pd(s);
      const __m256d inf = _mm256_set1_pd(std::numeric_limits<double>::infinity());
      if (_mm256_movemask_pd(_mm256_cmp_pd(s, inf, _CMP_EQ_OQ)) != 0) {
        // A sum overflowed (entries beyond ~1e154, rare): Norm's rescaled path for that row, as
        // RowNorms takes it, on the row written out.
        alignas(32) double n[4];
        _mm256_store_pd(n, norms);
        for (int q = 0; q < live; ++q) {
          if (!std::isinf(n[q])) continue;
          double row[D];
          for (int b = 0; b < kBlocks; ++b) _mm256_storeu_pd(row + 4 * b, gv[q][b]);
          for (int r = 0; r < kTail; ++r) row[4 * kBlocks + r] = gt[q][r];
          n[q] = Norm(row, D);
        }
        norms = _mm256_load_pd(n);
      }
      __m256d lambda = _mm256_set1_pd(clip.threshold);
      if (clip.thresholds != nullptr) {
        const double* l = clip.thresholds + k;
        lambda = live == 4 ? _mm256_loadu_pd(l)
                           : _mm256_set_pd(l[std::min(3, live - 1)], l[std::min(2, live - 1)],
                                           l[std::min(1, live - 1)], l[0]);
      }
      const __m256d cut = _mm256_cmp_pd(norms, lambda, _CMP_GT_OQ);
      _mm256_store_pd(w, _mm256_blendv_pd(_mm256_set1_pd(1.0), _mm256_div_pd(lambda, norms), cut));
      clipped += std::popcount(static_cast<unsigned>(_mm256_movemask_pd(cut)) & ((1u << live) - 1));
    }
    for (int q = 0; q < live; ++q) {
      const __m256d wq = _mm256_set1_pd(w[q]);
      for (int b = 0; b < kBlocks; ++b) tv[b] = _mm256_fmadd_pd(wq, gv[q][b], tv[b]);
      for (int r = 0; r < kTail; ++r) tt[r] = MulAdd(w[q], gt[q][r], tt[r]);
    }
  };
  std::int64_t k = 0;
  for (; k + 4 <= m; k += 4) group(k, 4);
  if (k < m) group(k, static_cast<int>(m - k));
  for (int b = 0; b < kBlocks; ++b) _mm256_storeu_pd(acc + 4 * b, tv[b]);
  for (int r = 0; r < kTail; ++r) acc[4 * kBlocks + r] = tt[r];
  return clipped;
}

using NoisyKernel = std::int64_t (*)(const NoisyRows&, const RowClipping&, double*);

// kNoisyKernels[kClip][D]: the kernel for rows of D columns; null below 2.
template <int D, bool kClip>
constexpr NoisyKernel NoisyKernelFor() {
  if constexpr (D < 2) {
    return nullptr;
  } else {
    return &NoisyRowsKernel<D, kClip>;
  }
}
template <bool kClip, std::size_t... D>
constexpr std::array<NoisyKernel, sizeof...(D)> NoisyKernels(std::index_sequence<D...>) {
  return {NoisyKernelFor<static_cast<int>(D), kClip>()...};
}
constexpr auto kIndices = std::make_index_sequence<kNoisyRowsMaxDim + 1>();
constexpr std::array<std::array<NoisyKernel, kNoisyRowsMaxDim + 1>, 2> kNoisyKernels = {
    NoisyKernels<false>(kIndices), NoisyKernels<true>(kIndices)};
#endif

}  // namespace

bool FusesNoisyRows(std::int64_t dim) {
#if defined(__AVX2__) && defined(__FMA__)
  return dim >= 2 && dim <= kNoisyRowsMaxDim;
#else
  (void)dim;
  return false;
#endif
}

std::int64_t AccumulateNoisyRows(const NoisyRows& rows, const RowClipping& clip, double* acc) {
  Require(FusesNoisyRows(rows.dim), "AccumulateNoisyRows: rows of a dimension it does not take");
#if defined(__AVX2__) && defined(__FMA__)
  if (rows.rows <= 0) return 0;
  return kNoisyKernels[clip.per_sample ? 1 : 0][static_cast<std::size_t>(rows.dim)](rows, clip,
                                                                                    acc);
#else
  (void)clip;
  (void)acc;
  return 0;
#endif
}

}  // namespace clipsim::sim

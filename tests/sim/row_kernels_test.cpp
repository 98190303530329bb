// The batch kernels of reduction.hpp and the oracle's noise-plus-gradient rows, bit for bit against
// their one-row definitions: RowNorms against Norm of each row, AccumulateWeighted against the
// loop `a[j] += w * g[j]` over rows in order, draws ahead against draws per call. Their fast paths
// for small d reorder nothing, so every bit must agree, for every d and row count, for strided
// rows, and for rows that overflow or hold zeros, NaN or inf. Controls show that a sum in another
// order gives other bits on these inputs, so the comparisons would catch a reordering.
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "clipsim/core/types.hpp"
#include "clipsim/noise/noise_model.hpp"
#include "clipsim/noise/noise_spec.hpp"
#include "clipsim/sim/oracle.hpp"
#include "clipsim/sim/problem_registry.hpp"
#include "clipsim/sim/reduction.hpp"

namespace clipsim::sim {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool SameBits(double a, double b) {
  return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

// m rows of d columns inside a wider matrix when pad > 0 (outer stride d + pad). Most rows have
// entries of magnitudes 1e-3..1e3, so that their sums round differently in other orders; one in
// eight is special: overflowing (sum of squares inf, norm finite), zero, NaN, +-inf, subnormal.
Batch RandomRows(std::mt19937_64& gen, Eigen::Index m, Eigen::Index d, Eigen::Index pad) {
  std::uniform_real_distribution<double> unit(-1.0, 1.0);
  std::uniform_int_distribution<int> exponent(-3, 3);
  std::uniform_int_distribution<int> kind(0, 55);
  std::uniform_int_distribution<Eigen::Index> column(0, d - 1);
  Batch b(m, d + pad);
  for (Eigen::Index k = 0; k < m; ++k) {
    for (Eigen::Index j = 0; j < d + pad; ++j) b(k, j) = unit(gen) * std::pow(10.0, exponent(gen));
    switch (kind(gen)) {
      case 0:
        b(k, column(gen)) = 3e200;
        break;
      case 1:
        b.row(k).setConstant(1e300);
        break;
      case 2:
        b.row(k).setZero();
        break;
      case 3:
        b(k, column(gen)) = kNaN;
        break;
      case 4:
        b(k, column(gen)) = kInf;
        break;
      case 5:
        b(k, column(gen)) = -kInf;
        b(k, column(gen)) = 1e300;
        break;
      case 6:
        b.row(k) *= 1e-310;
        break;
      default:
        break;
    }
  }
  return b;
}

// The dims checked: every d the small-d paths take, and a few beyond.
std::vector<Eigen::Index> Dims() {
  std::vector<Eigen::Index> dims;
  for (Eigen::Index d = 1; d <= 40; ++d) dims.push_back(d);
  for (Eigen::Index d : {63, 64, 65, 100}) dims.push_back(d);
  return dims;
}

TEST(RowNorms, EqualNormOfEachRowBitForBit) {
  std::mt19937_64 gen(11);
  std::int64_t compared = 0, overflowed = 0;
  for (Eigen::Index d : Dims()) {
    for (Eigen::Index m = 1; m <= 70; ++m) {
      for (Eigen::Index pad : {0, 3}) {
        const Batch wide = RandomRows(gen, m, d, pad);
        const Eigen::Ref<const Batch> rows = wide.leftCols(d);
        std::vector<double> norms(static_cast<std::size_t>(m), -1.0);
        RowNorms(rows, norms.data());
        for (Eigen::Index k = 0; k < m; ++k) {
          const double want = Norm(rows.row(k).data(), d);
          const double got = norms[static_cast<std::size_t>(k)];
          ASSERT_TRUE(SameBits(got, want)) << "d " << d << " rows " << m << " pad " << pad
                                           << " row " << k << ": " << got << " vs " << want;
          ++compared;
          const double sq = rows.row(k).squaredNorm();
          if (std::isinf(sq) && std::isfinite(want)) ++overflowed;
        }
      }
    }
  }
  // The special rows occurred: the rescaled path ran in the batch kernel's fix-up.
  EXPECT_GT(overflowed, 1000) << "of " << compared;
}

// Norm's summation order, not just its value, is what RowNorms must repeat: on these rows a sum of
// the same squares in plain order i = 0, 1, ... (a deliberate reordering) differs in the last bit
// from Norm for a good share of rows at every d >= 5, so a batch kernel that reordered the sum
// would fail EqualNormOfEachRowBitForBit.
TEST(RowNorms, AnotherSummationOrderGivesOtherBits) {
  std::mt19937_64 gen(12);
  for (Eigen::Index d = 5; d <= 40; ++d) {
    const Eigen::Index m = 200;
    Batch rows(m, d);
    std::uniform_real_distribution<double> unit(-1.0, 1.0);
    for (Eigen::Index k = 0; k < m; ++k) {
      for (Eigen::Index j = 0; j < d; ++j) rows(k, j) = unit(gen);
    }
    std::vector<double> norms(static_cast<std::size_t>(m));
    RowNorms(rows, norms.data());
    int differ = 0;
    for (Eigen::Index k = 0; k < m; ++k) {
      double s = 0.0;
      for (Eigen::Index j = 0; j < d; ++j) s += rows(k, j) * rows(k, j);
      const double plain = std::sqrt(s);
      if (!SameBits(plain, Norm(rows.row(k).data(), d))) ++differ;
      EXPECT_TRUE(SameBits(norms[static_cast<std::size_t>(k)], Norm(rows.row(k).data(), d)));
    }
    EXPECT_GT(differ, m / 20) << "d " << d;
  }
}

// The definition: acc += w_k * row k for k = 0, 1, ..., one row at a time (as the general loop of
// AccumulateWeighted; compiled with the same flags, so contracted to a fused multiply-add exactly
// where the library's loop is). `reverse` is the control: rows in the opposite order.
void AccumulateByDefinition(const Eigen::Ref<const Batch>& rows, const double* w, double* a,
                            bool reverse) {
  for (Eigen::Index i = 0; i < rows.rows(); ++i) {
    const Eigen::Index k = reverse ? rows.rows() - 1 - i : i;
    const double* g = rows.row(k).data();
    for (Eigen::Index j = 0; j < rows.cols(); ++j) a[j] += w[k] * g[j];
  }
}

TEST(AccumulateWeighted, EqualsTheRowByRowSumBitForBit) {
  std::mt19937_64 gen(13);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::int64_t reordered_differs = 0, cases = 0;
  for (Eigen::Index d : Dims()) {
    for (Eigen::Index m = 1; m <= 70; ++m) {
      for (Eigen::Index pad : {0, 3}) {
        const Batch wide = RandomRows(gen, m, d, pad);
        const Eigen::Ref<const Batch> rows = wide.leftCols(d);
        std::vector<double> w(static_cast<std::size_t>(m));
        for (double& x : w) x = unit(gen) < 0.3 ? 1.0 : unit(gen);  // unclipped and clipped rows
        Vector start(d);
        for (Eigen::Index j = 0; j < d; ++j) start[j] = unit(gen) - 0.5;
        Vector got = start;
        AccumulateWeighted(rows, w.data(), got);
        Vector want = start;
        AccumulateByDefinition(rows, w.data(), want.data(), false);
        Vector reversed = start;
        AccumulateByDefinition(rows, w.data(), reversed.data(), true);
        bool reversed_same = true;
        for (Eigen::Index j = 0; j < d; ++j) {
          ASSERT_TRUE(SameBits(got[j], want[j]) || (std::isnan(got[j]) && std::isnan(want[j])))
              << "d " << d << " rows " << m << " pad " << pad << " column " << j << ": " << got[j]
              << " vs " << want[j];
          reversed_same = reversed_same && SameBits(reversed[j], want[j]);
        }
        ++cases;
        if (!reversed_same) ++reordered_differs;
      }
    }
  }
  // Control: summing the rows in the opposite order changes some bits in most cases.
  EXPECT_GT(reordered_differs, cases / 2);
}

// Rows of noise drawn ahead plus the exact gradient (one pass) are the rows drawn per call with the
// gradient added afterwards, bit for bit, at every small d; and no more noise is drawn.
TEST(Oracle, DrawsAheadPlusTheGradientEqualDrawsPerCall) {
  const auto noise = noise::MakeNoise(noise::ParseNoiseSpec("kind=stable,alpha=1.5"));
  std::mt19937_64 gen(14);
  std::uniform_real_distribution<double> unit(-5.0, 5.0);
  for (int d : {2, 3, 5, 10, 17, 40}) {
    const auto problem = MakeProblem(ProblemSpec{"quadratic", d, {}, 0});
    const std::int64_t batch = 16;
    Oracle ahead(*problem, noise.get(), OracleRequests{batch, batch, 100 * batch});
    ASSERT_GT(ahead.ahead_rows(), 0) << "d " << d;
    Oracle per_call(*problem, noise.get());
    RunStreams sa = MakeRunStreams(1, 2, 3, false);
    RunStreams sp = sa;
    const Vector x = Vector::Zero(d);
    Batch scratch(0, d);
    Batch ra(batch, d), rp(batch, d);
    for (int step = 0; step < 100; ++step) {
      Vector grad(d);
      for (int j = 0; j < d; ++j) grad[j] = unit(gen);
      ahead.Sample(x, grad, sa, ra, scratch);
      per_call.Sample(x, grad, sp, rp, scratch);
      for (Eigen::Index k = 0; k < batch; ++k) {
        for (int j = 0; j < d; ++j) {
          ASSERT_TRUE(SameBits(ra(k, j), rp(k, j))) << "d " << d << " step " << step;
        }
      }
    }
    // The last draw ahead takes only the rows the run still asks for: the noise stream ends where
    // drawing per call leaves it (full draws of 1365 rows at d = 3 drew 2730 of the 1600).
    EXPECT_EQ(sa.noise(), sp.noise()) << "d " << d;
  }
}

}  // namespace
}  // namespace clipsim::sim

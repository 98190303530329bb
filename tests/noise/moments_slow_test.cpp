// Monte Carlo E||X||^p against NoiseModel::Moment(p, dim), for every kind and shape, closed forms
// and numerical integrals alike.
//
// The error bar is valid for heavy tails without a normal approximation: each case uses p with
// 2p below the tail index, so Var ||X||^p <= E||X||^(2p) = Moment(2p) < inf, and the estimate is
// the median of k = 56 block means. By Chebyshev each block mean misses the true moment by more
// than t = 2 sigma / sqrt(block size) with probability at most 1/4, and by Hoeffding more than half
// of the blocks do so with probability at most exp(-k/8) = exp(-7) < 1e-3. So each case has a
// false-alarm rate below 1e-3 (seed: MakeRng({Stream::kTest, 2026, case index})). Moment's own
// stated error bound is added to the tolerance.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "clipsim/core/rng.hpp"
#include "clipsim/core/types.hpp"
#include "clipsim/noise/noise_model.hpp"
#include "clipsim/noise/noise_spec.hpp"

namespace clipsim::noise {
namespace {

constexpr int kBlocks = 56;
constexpr Eigen::Index kBlockRows = 1 << 15;  // 1.8 million vectors per case

struct Case {
  std::string spec;
  double p;
  int dim;
};

class MomentsMonteCarlo : public ::testing::TestWithParam<int> {};

const std::vector<Case>& Cases() {
  static const std::vector<Case> cases = {
      {"kind=gaussian,scale=2", 1.5, 10},
      {"kind=gaussian,loc=1", 1.5, 3},            // numerical (loc)
      {"kind=stable,alpha=2,scale=1.5", 2.0, 1},  // Gaussian control: E X^2 = 2 scale^2
      {"kind=stable,alpha=1.5", 0.7, 1},
      {"kind=stable,alpha=1.5,skew=0.5", 0.7, 1},
      {"kind=stable,alpha=1.2,skew=-1,scale=0.5", 0.55, 1},
      {"kind=stable,alpha=0.7,skew=1,scale=3", 0.3, 1},
      {"kind=stable,alpha=1,skew=0.5,scale=2", 0.45, 1},  // numerical (alpha = 1, skewed)
      {"kind=stable,alpha=1.7", 0.8, 10},                 // numerical (iid vector)
      {"kind=stable,alpha=1.5,shape=isotropic", 0.7, 10},
      {"kind=stable,alpha=1.5,skew=0.3,loc=1", 0.7, 2},  // numerical (loc)
      {"kind=pareto,tail=3", 1.2, 5},                    // numerical (iid vector)
      {"kind=pareto,tail=3,scale=2,shape=radial", 1.4, 10},
      {"kind=student_t,dof=5", 2.4, 4},  // numerical, p > 2
      {"kind=student_t,dof=3,scale=0.5", 1.4, 1},
      {"kind=contaminated,eps=0.1,scale=1,other=[kind=pareto,tail=3,scale=5,shape=radial]", 1.2, 3},
      {"kind=contaminated,eps=0.3,scale=1,other=[kind=student_t,dof=6,loc=1]", 2.5, 2},
  };
  return cases;
}

TEST_P(MomentsMonteCarlo, AgreesWithMoment) {
  const int index = GetParam();
  const Case& c = Cases()[static_cast<std::size_t>(index)];
  const auto model = MakeNoise(ParseNoiseSpec(c.spec));
  ASSERT_LT(2 * c.p, model->TailIndex()) << "the error bar needs a finite variance";
  const MomentValue m = model->Moment(c.p, c.dim);
  const MomentValue m2 = model->Moment(2 * c.p, c.dim);
  ASSERT_TRUE(std::isfinite(m.value) && std::isfinite(m2.value));

  Rng rng =
      MakeRng({static_cast<std::uint64_t>(Stream::kTest), 2026, static_cast<std::uint64_t>(index)});
  Batch x(kBlockRows, c.dim);
  std::vector<double> block_means;
  for (int b = 0; b < kBlocks; ++b) {
    model->SampleBatch(rng, x);
    double sum = 0.0;
    for (Eigen::Index i = 0; i < x.rows(); ++i) sum += std::pow(x.row(i).norm(), c.p);
    block_means.push_back(sum / static_cast<double>(x.rows()));
  }
  std::nth_element(block_means.begin(), block_means.begin() + kBlocks / 2, block_means.end());
  const double median = block_means[kBlocks / 2];
  const double sigma = std::sqrt(std::max(m2.value - m.value * m.value, 0.0));
  const double t = 2.0 * sigma / std::sqrt(static_cast<double>(kBlockRows));
  const double tolerance = t + m.error_bound;
  std::printf("%-80s p=%.2f d=%2d  Moment %.6g (%s)  MC %.6g  |diff|/tol %.2f  tol/Moment %.2g\n",
              c.spec.c_str(), c.p, c.dim, m.value, m.exact ? "exact" : "numerical", median,
              std::abs(median - m.value) / tolerance, tolerance / m.value);
  EXPECT_NEAR(median, m.value, tolerance)
      << c.spec << " p " << c.p << " dim " << c.dim
      << ": median of 56 block means outside the bound (seed {kTest, 2026, " << index
      << "}, false-alarm rate < 1e-3)";
}

INSTANTIATE_TEST_SUITE_P(AllLaws, MomentsMonteCarlo,
                         ::testing::Range(0, static_cast<int>(Cases().size())));

}  // namespace
}  // namespace clipsim::noise

// Kolmogorov-Smirnov tests of the noise SAMPLERS against independent references:
//   - closed forms from Boost.Math (normal, Cauchy, Student-t, Pareto) and the Levy law;
//   - the stable CDF by Nolan's integral (stable_distribution.hpp) on a grid of (alpha, skew)
//     that includes alpha near 1, alpha = 2, skew = +-1, alpha < 1, alpha = 1 with skew != 0 and
//     scale/loc != default, through both the vectorized Fill path and the scalar Sample path;
//   - the scipy 1.10 table tests/data/stable_cdf_s1.csv directly (empirical CDF at its x points
//     inside a DKW band), so that a parameterization mistake shared by the integral and the
//     sampler cannot pass;
//   - the coordinates of the isotropic shape (each must be S1(alpha, 0, scale, 0)) and the
//     SampleVector / SampleBatch paths of the iid shape.
// Seeds: every check draws from MakeRng({Stream::kTest, 31, check index}), fixed. Each check has
// false-alarm rate 1e-5 (a KS check rejects when the p-value at the LOWER bound of the statistic
// is below 1e-5; a DKW check uses the band at 1e-5); over the 106 checks (65 KS, 41 DKW) the
// family-wise false-alarm rate is at most 1.06e-3 (Bonferroni). Named *_slow_test: about 10 s in
// Release, skipped under the sanitizers.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/math/distributions/cauchy.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/pareto.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "clipsim/core/rng.hpp"
#include "clipsim/noise/noise_model.hpp"
#include "clipsim/noise/noise_spec.hpp"
#include "clipsim/noise/stable_distribution.hpp"
#include "clipsim/stats/ks_test.hpp"

namespace clipsim::noise {
namespace {

using stats::KolmogorovSmirnovPValue;
using stats::KsStatisticBounds;

constexpr double kFalseAlarm = 1e-5;  // per check
constexpr std::size_t kDraws = 20000;
// The Nolan CDF costs ~50 us: evaluate it at every 8th order statistic and bracket the rest.
constexpr std::size_t kNolanStride = 8;

Rng CheckRng(std::uint64_t check) {
  return MakeRng({static_cast<std::uint64_t>(Stream::kTest), 31, check});
}

NoiseSpec Stable(double alpha, double skew, double scale = 1.0, double loc = 0.0) {
  NoiseSpec spec;
  spec.kind = NoiseKind::kStable;
  spec.alpha = alpha;
  spec.skew = skew;
  spec.scale = scale;
  spec.loc = loc;
  return spec;
}

std::vector<double> FillDraws(const NoiseSpec& spec, std::size_t n, std::uint64_t check) {
  const auto model = MakeNoise(spec);
  Rng rng = CheckRng(check);
  std::vector<double> draws(n);
  model->Fill(rng, draws);
  return draws;
}

std::vector<double> SampleDraws(const NoiseSpec& spec, std::size_t n, std::uint64_t check) {
  const auto model = MakeNoise(spec);
  Rng rng = CheckRng(check);
  std::vector<double> draws(n);
  for (double& x : draws) x = model->Sample(rng);
  return draws;
}

// KS check at kFalseAlarm; stride > 1 uses the bracketing bounds (the decision uses the lower
// bound, so its false-alarm rate stays <= kFalseAlarm).
void ExpectKs(const std::vector<double>& draws, const std::function<double(double)>& cdf,
              const std::string& label, std::size_t stride = 1) {
  const stats::KsBounds bounds = stats::KsStatisticBounds(draws, cdf, stride);
  const double p_high = stats::KolmogorovSmirnovPValue(bounds.lower, bounds.n);
  const double p_low = stats::KolmogorovSmirnovPValue(bounds.upper, bounds.n);
  std::printf("[sampler-ks] %-58s n=%zu D in [%.4f, %.4f] p in [%.3g, %.3g]\n", label.c_str(),
              bounds.n, bounds.lower, bounds.upper, p_low, p_high);
  EXPECT_GE(p_high, kFalseAlarm) << label << ": KS rejects at false-alarm rate " << kFalseAlarm
                                 << " (D >= " << bounds.lower << ", n = " << bounds.n << ")";
}

std::string Label(const NoiseSpec& spec, const char* path) {
  return FormatNoiseSpec(spec) + " [" + path + "]";
}

// ---- Closed-form references ---------------------------------------------------------------

TEST(SamplerKs, GaussianAndAlphaTwoAgainstBoostNormal) {
  NoiseSpec gaussian;
  gaussian.kind = NoiseKind::kGaussian;
  gaussian.scale = 1.5;
  gaussian.loc = 0.3;
  const boost::math::normal_distribution<double> normal(0.3, 1.5);
  ExpectKs(
      FillDraws(gaussian, kDraws, 1), [&](double x) { return cdf(normal, x); },
      Label(gaussian, "Fill"));
  // alpha = 2: Gaussian with variance 2 scale^2.
  const NoiseSpec stable2 = Stable(2.0, 0.0, 1.3, 0.5);
  const boost::math::normal_distribution<double> normal2(0.5, 1.3 * std::sqrt(2.0));
  ExpectKs(
      FillDraws(stable2, kDraws, 2), [&](double x) { return cdf(normal2, x); },
      Label(stable2, "Fill"));
}

TEST(SamplerKs, AlphaOneSymmetricAgainstBoostCauchy) {
  const NoiseSpec spec = Stable(1.0, 0.0, 2.0, -1.0);
  const boost::math::cauchy_distribution<double> cauchy(-1.0, 2.0);
  ExpectKs(
      FillDraws(spec, kDraws, 3), [&](double x) { return cdf(cauchy, x); }, Label(spec, "Fill"));
}

TEST(SamplerKs, StudentTAgainstBoost) {
  std::uint64_t check = 4;
  for (double dof : {3.0, 1.5}) {
    NoiseSpec spec;
    spec.kind = NoiseKind::kStudentT;
    spec.dof = dof;
    spec.scale = 2.0;
    spec.loc = 0.5;
    const boost::math::students_t_distribution<double> t(dof);
    ExpectKs(
        FillDraws(spec, kDraws, check++), [&](double x) { return cdf(t, (x - 0.5) / 2.0); },
        Label(spec, "Fill"));
  }
}

// Symmetric Pareto: |X - loc| against Boost's Pareto, and X against the symmetric CDF
// F(x) = (1/2)(scale/|x|)^tail for x <= -scale, 1/2 between, 1 - (1/2)(scale/x)^tail above.
TEST(SamplerKs, ParetoAgainstBoostPareto) {
  std::uint64_t check = 6;
  for (double tail : {1.5, 0.7}) {
    NoiseSpec spec;
    spec.kind = NoiseKind::kPareto;
    spec.tail = tail;
    spec.scale = 2.0;
    const std::vector<double> draws = FillDraws(spec, kDraws, check++);
    std::vector<double> magnitudes(draws.size());
    std::transform(draws.begin(), draws.end(), magnitudes.begin(),
                   [](double x) { return std::fabs(x); });
    const boost::math::pareto_distribution<double> pareto(2.0, tail);
    ExpectKs(
        magnitudes, [&](double x) { return cdf(pareto, x); }, Label(spec, "Fill, |X|"));
    ExpectKs(
        draws,
        [&](double x) {
          if (x <= -2.0) return 0.5 * std::pow(2.0 / -x, tail);
          if (x < 2.0) return 0.5;
          return 1.0 - 0.5 * std::pow(2.0 / x, tail);
        },
        Label(spec, "Fill, signed"));
  }
}

// Symmetric Lomax: |X| + scale against Boost's Pareto(scale, tail), i.e. P(|X| <= x) =
// 1 - (1 + x / scale)^(-tail), and the sign symmetric.
TEST(SamplerKs, LomaxAgainstBoostPareto) {
  std::uint64_t check = 200;
  for (double tail : {1.5, 3.0}) {
    NoiseSpec spec;
    spec.kind = NoiseKind::kLomax;
    spec.tail = tail;
    spec.scale = 2.0;
    const std::vector<double> draws = FillDraws(spec, kDraws, check++);
    std::vector<double> shifted(draws.size());
    std::transform(draws.begin(), draws.end(), shifted.begin(),
                   [](double x) { return std::fabs(x) + 2.0; });
    const boost::math::pareto_distribution<double> pareto(2.0, tail);
    ExpectKs(
        shifted, [&](double x) { return cdf(pareto, x); }, Label(spec, "Fill, |X| + scale"));
    ExpectKs(
        draws,
        [&](double x) {
          const double half = 0.5 * std::pow(1.0 + std::fabs(x) / 2.0, -tail);
          return x < 0.0 ? half : 1.0 - half;
        },
        Label(spec, "Fill, signed"));
  }
}

// alpha = 1/2, skew = 1 is the Levy law: F(x) = erfc(sqrt(scale / (2 (x - loc)))) for x > loc;
// skew = -1 is its mirror image.
TEST(SamplerKs, LevyAgainstClosedForm) {
  auto levy = [](double scale, double loc) {
    return
        [=](double x) { return x <= loc ? 0.0 : std::erfc(std::sqrt(scale / (2.0 * (x - loc)))); };
  };
  const NoiseSpec standard = Stable(0.5, 1.0);
  ExpectKs(FillDraws(standard, kDraws, 10), levy(1.0, 0.0), Label(standard, "Fill"));
  const NoiseSpec shifted = Stable(0.5, 1.0, 2.0, 1.0);
  ExpectKs(FillDraws(shifted, kDraws, 11), levy(2.0, 1.0), Label(shifted, "Fill"));
  ExpectKs(SampleDraws(shifted, kDraws, 12), levy(2.0, 1.0), Label(shifted, "Sample"));
  const NoiseSpec mirror = Stable(0.5, -1.0);
  const auto standard_levy = levy(1.0, 0.0);
  ExpectKs(
      FillDraws(mirror, kDraws, 13), [&](double x) { return 1.0 - standard_levy(-x); },
      Label(mirror, "Fill"));
}

// ---- The Nolan integral on a grid ----------------------------------------------------------

TEST(SamplerKs, StableGridAgainstNolanIntegral) {
  std::vector<NoiseSpec> cells;
  for (double alpha : {0.5, 0.8, 0.95, 1.0, 1.05, 1.5, 1.8, 2.0}) {
    for (double skew : {-1.0, 0.3, 1.0}) cells.push_back(Stable(alpha, skew));
  }
  // Scale and location, including the alpha = 1, skew != 0 log(scale) shift of S1.
  cells.push_back(Stable(1.0, 0.5, 2.5, -1.0));
  cells.push_back(Stable(1.0, -1.0, 0.4, 0.0));
  cells.push_back(Stable(1.3, -0.5, 0.7, 3.0));
  cells.push_back(Stable(0.8, 1.0, 3.0, 0.0));
  cells.push_back(Stable(1.5, 0.0, 2.0, 1.0));
  std::uint64_t check = 100;
  for (const NoiseSpec& spec : cells) {
    const StableLaw law{spec.alpha, spec.skew, spec.scale, spec.loc};
    ExpectKs(
        FillDraws(spec, kDraws, check++), [&](double x) { return law.Cdf(x); }, Label(spec, "Fill"),
        kNolanStride);
  }
  // The scalar path on a subset.
  for (const NoiseSpec& spec : {Stable(0.8, -1.0), Stable(1.0, 1.0), Stable(1.05, 1.0),
                                Stable(1.5, 0.3), Stable(1.0, 0.5, 2.5, -1.0)}) {
    const StableLaw law{spec.alpha, spec.skew, spec.scale, spec.loc};
    ExpectKs(
        SampleDraws(spec, kDraws, check++), [&](double x) { return law.Cdf(x); },
        Label(spec, "Sample"), kNolanStride);
  }
}

// The checks can fail: the same draws against the two classic parameterization mistakes are
// rejected. (Not counted in the family-wise rate: these must reject.)
TEST(SamplerKs, DetectsParameterizationMistakes) {
  // S0 location instead of S1: shift by skew scale tan(pi alpha / 2) = -0.5 at alpha = 1.5.
  const NoiseSpec skewed = Stable(1.5, 0.5);
  const StableLaw s0_mistake{1.5, 0.5, 1.0, -0.5 * std::tan(3.141592653589793 * 0.75)};
  const stats::KsBounds s0 = stats::KsStatisticBounds(
      FillDraws(skewed, kDraws, 500), [&](double x) { return s0_mistake.Cdf(x); }, kNolanStride);
  EXPECT_LT(stats::KolmogorovSmirnovPValue(s0.lower, s0.n), kFalseAlarm) << "D >= " << s0.lower;
  // alpha = 1 without the (2/pi) skew scale log(scale) shift of S1.
  const NoiseSpec unit = Stable(1.0, 0.5, 2.5, 0.0);
  const double shift = (2.0 / 3.141592653589793) * 0.5 * 2.5 * std::log(2.5);
  // loc = -shift cancels the S1 shift: this law's Cdf is F_standard(x / 2.5).
  const StableLaw standardized{1.0, 0.5, 2.5, -shift};
  const stats::KsBounds log_scale = stats::KsStatisticBounds(
      FillDraws(unit, kDraws, 501), [&](double x) { return standardized.Cdf(x); }, kNolanStride);
  std::printf("[sampler-ks] mistakes: S0 location D >= %.3f, missing log(scale) shift D >= %.3f\n",
              s0.lower, log_scale.lower);
  EXPECT_LT(stats::KolmogorovSmirnovPValue(log_scale.lower, log_scale.n), kFalseAlarm)
      << "D >= " << log_scale.lower;
}

// ---- Vector shapes --------------------------------------------------------------------------

// Each coordinate of the isotropic (sub-Gaussian) stable vector is S1(alpha, 0, scale, 0);
// checked column by column on a SampleBatch and on SampleVector draws.
TEST(SamplerKs, IsotropicCoordinatesAreSymmetricStable) {
  constexpr int kDim = 3;
  std::uint64_t check = 200;
  for (double alpha : {0.8, 1.5, 2.0}) {
    NoiseSpec spec = Stable(alpha, 0.0, 1.7);
    spec.shape = Shape::kIsotropic;
    const auto model = MakeNoise(spec);
    const StableLaw law{alpha, 0.0, 1.7, 0.0};
    Rng rng = CheckRng(check++);
    Batch batch(kDraws, kDim);
    model->SampleBatch(rng, batch);
    for (int column = 0; column < kDim; ++column) {
      std::vector<double> coordinate(batch.rows());
      for (Eigen::Index row = 0; row < batch.rows(); ++row) coordinate[row] = batch(row, column);
      ExpectKs(
          coordinate, [&](double x) { return law.Cdf(x); },
          Label(spec, "SampleBatch") + " coordinate " + std::to_string(column), kNolanStride);
    }
    Rng vector_rng = CheckRng(check++);
    std::vector<double> last(kDraws);
    Vector v(kDim);
    for (double& x : last) {
      model->SampleVector(vector_rng, v);
      x = v[kDim - 1];
    }
    ExpectKs(
        last, [&](double x) { return law.Cdf(x); },
        Label(spec, "SampleVector") + " last coordinate", kNolanStride);
  }
}

// The iid shape's SampleBatch and SampleVector give coordinates with the scalar law.
TEST(SamplerKs, IidVectorPathsHaveTheScalarLaw) {
  constexpr int kDim = 4;
  const NoiseSpec spec = Stable(1.3, 0.5, 1.2, -0.4);
  const StableLaw law{1.3, 0.5, 1.2, -0.4};
  const auto model = MakeNoise(spec);
  Rng rng = CheckRng(300);
  Batch batch(kDraws / kDim, kDim);
  model->SampleBatch(rng, batch);
  std::vector<double> flat(batch.data(), batch.data() + batch.size());
  ExpectKs(
      flat, [&](double x) { return law.Cdf(x); }, Label(spec, "SampleBatch, all"), kNolanStride);
  Rng vector_rng = CheckRng(301);
  std::vector<double> from_vectors;
  Vector v(kDim);
  for (std::size_t i = 0; i < kDraws / kDim; ++i) {
    model->SampleVector(vector_rng, v);
    from_vectors.insert(from_vectors.end(), v.data(), v.data() + kDim);
  }
  ExpectKs(
      from_vectors, [&](double x) { return law.Cdf(x); }, Label(spec, "SampleVector, all"),
      kNolanStride);
}

// ---- The scipy table, directly ---------------------------------------------------------------

// For every (alpha, skew) of tests/data/stable_cdf_s1.csv: 500000 Fill draws, and at each x of
// the table |F_n(x) - F_scipy(x)| must stay inside the DKW band at false-alarm rate 1e-5
// (eps = 0.0035): this ties the sampler to the independent scipy values, not to our integral.
TEST(SamplerKs, EmpiricalCdfMatchesScipyTable) {
  std::ifstream in(std::string(CLIPSIM_TEST_DATA_DIR) + "/stable_cdf_s1.csv");
  ASSERT_TRUE(in.good());
  std::map<std::pair<double, double>, std::vector<std::pair<double, double>>> table;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#' || line.rfind("alpha", 0) == 0) continue;
    std::replace(line.begin(), line.end(), ',', ' ');
    std::istringstream fields(line);
    double alpha = 0, skew = 0, x = 0, cdf = 0;
    fields >> alpha >> skew >> x >> cdf;
    ASSERT_FALSE(fields.fail()) << line;
    table[{alpha, skew}].emplace_back(x, cdf);
  }
  ASSERT_EQ(table.size(), 41u);
  constexpr std::size_t kTableDraws = 500000;
  const double eps = stats::DkwHalfWidth(kTableDraws, kFalseAlarm);
  std::uint64_t check = 400;
  double worst_ratio = 0.0;
  for (const auto& [parameters, points] : table) {
    const NoiseSpec spec = Stable(parameters.first, parameters.second);
    const std::vector<double> draws = FillDraws(spec, kTableDraws, check++);
    double worst = 0.0;
    for (const auto& [x, cdf] : points) {
      const double empirical =
          static_cast<double>(std::count_if(draws.begin(), draws.end(),
                                            [x = x](double draw) { return draw <= x; })) /
          static_cast<double>(kTableDraws);
      worst = std::max(worst, std::fabs(empirical - cdf));
      EXPECT_LE(std::fabs(empirical - cdf), eps)
          << FormatNoiseSpec(spec) << " x=" << x << ": F_n=" << empirical << " scipy=" << cdf
          << " (DKW band " << eps << " at false-alarm rate " << kFalseAlarm << ")";
    }
    worst_ratio = std::max(worst_ratio, worst / eps);
  }
  std::printf(
      "[sampler-ks] scipy table: 41 laws x 500000 draws, worst |F_n - F| = %.2f of the "
      "DKW half-width %.4f\n",
      worst_ratio, eps);
}

}  // namespace
}  // namespace clipsim::noise

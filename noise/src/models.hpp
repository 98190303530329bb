// The noise models behind MakeNoise, one class per kind, and the helpers they share.
#pragma once

#include <memory>
#include <optional>
#include <span>

#include "clipsim/noise/noise_model.hpp"
#include "iid_moment.hpp"

namespace clipsim::noise::detail {

struct PrimitiveCounts;  // vec_primitives.hpp

// --- Shared helpers -----------------------------------------------------------------------------

// Standard normal draws by the Box-Muller transform, in pairs: pair k takes generator draws 2k
// (radius) and 2k + 1 (angle) and gives values 2k (cosine) and 2k + 1 (sine). An odd count drops
// the last sine, so a call for n values consumes 2 * ceil(n / 2) draws.
void FillStandardNormal(Rng& rng, std::span<double> out);
// FillStandardNormal through the counting primitives (see StableSampler::CountPrimitives).
PrimitiveCounts CountStandardNormalPrimitives(Rng& rng, std::span<double> out);

// E||G||^p for G ~ N(0, sd^2 I_dim): sd^p 2^(p/2) Gamma((dim + p) / 2) / Gamma(dim / 2).
double GaussianNormMoment(double sd, double p, int dim);

// Fills a batch whose rows are vectors of iid coordinates: one Fill over the rows in row-major
// order (through a contiguous copy when the rows are not adjacent in memory).
void FillIidBatch(const NoiseModel& model, Rng& rng, Eigen::Ref<Batch> out);

// Scales row i of out by factors[i].
void ScaleRows(std::span<const double> factors, Eigen::Ref<Batch> out);

// The one-coordinate law of a non-contaminated spec in standard units (X / scale = T + c), for
// the numerical moments.
std::unique_ptr<CoordinateLaw> CoordinateOf(const NoiseSpec& spec);

// --- Stable
// ---------------------------------------------------------------------------------------

// The Chambers-Mallows-Stuck sampler with Weron's (1996) correction for one S1 law, with its
// constants precomputed. See stable_noise.cpp for the formulas.
class StableSampler {
 public:
  StableSampler(double alpha, double skew, double scale, double loc);
  double Sample(Rng& rng) const;
  // Value i uses generator draws 2i (angle) and 2i + 1 (exponential): prefix-consistent, so
  // Fill(n) then Fill(m) gives the same values as Fill(n + m), and Sample() is Fill of one value.
  void Fill(Rng& rng, std::span<double> out) const;
  // Fill, through the counting primitives: the calls per value of each primitive on this law's
  // path (for bench_noise's roofline and the tests of the documented costs). Same values as Fill;
  // out.size() a multiple of kLanes, so that no padding lane is counted.
  PrimitiveCounts CountPrimitives(Rng& rng, std::span<double> out) const;

  enum class Path { kGaussian, kCauchy, kSymmetric, kSkewed, kAlphaOne };
  Path path() const { return path_; }

 private:
  template <class Math>
  void FillWith(Rng& rng, std::span<double> out, const Math& m) const;
  template <Path kPath, class Math>
  void FillPath(Rng& rng, std::span<double> out, const Math& m) const;

  Path path_ = Path::kSymmetric;
  double alpha_ = 2.0;
  double mult_ = 1.0;   // scale times the skewed law's S, sign and branch sign
  double shift_ = 0.0;  // loc, plus (2/pi) skew scale log(scale) at alpha = 1
  double expo_ = 0.0;   // (1 - alpha) / alpha
  double a1_ = 0.0;     // |1 - alpha|
  double b_ = 0.0;      // skewed: offset of the angles (see stable_noise.cpp)
  double nb_ = 0.0;     // skewed: -b (alpha < 1) or +b (alpha > 1)
  double beta_ = 0.0;   // alpha = 1: |skew|
  double half_one_minus_beta_ = 0.5;
};

class StableNoise final : public NoiseModel {
 public:
  explicit StableNoise(const NoiseSpec& spec);
  double Sample(Rng& rng) const override;
  void Fill(Rng& rng, std::span<double> out) const override;
  void SampleVector(Rng& rng, Eigen::Ref<Vector> out) const override;
  void SampleBatch(Rng& rng, Eigen::Ref<Batch> out) const override;
  std::int64_t SplitRows(int dim) const override;
  double TailIndex() const override;
  MomentValue Moment(double p, int dim) const override;
  std::optional<double> Mean() const override;
  // The sampler of the isotropic shape's mixing variable A (for bench_noise's roofline).
  const StableSampler& mixing() const { return mixing_; }

 private:
  StableSampler scalar_;
  // Isotropic: A, totally skewed (alpha/2)-stable with E e^{-s A} = e^{-s^(alpha/2)}.
  StableSampler mixing_;
};

// --- Pareto, Student-t, Gaussian, uniform, contaminated
// --------------------------------------------------

class ParetoNoise final : public NoiseModel {
 public:
  explicit ParetoNoise(const NoiseSpec& spec) : NoiseModel(spec) {}
  double Sample(Rng& rng) const override;
  void Fill(Rng& rng, std::span<double> out) const override;
  void SampleVector(Rng& rng, Eigen::Ref<Vector> out) const override;
  void SampleBatch(Rng& rng, Eigen::Ref<Batch> out) const override;
  std::int64_t SplitRows(int dim) const override;
  double TailIndex() const override { return spec().tail; }
  MomentValue Moment(double p, int dim) const override;
  std::optional<double> Mean() const override;

 private:
  // Norms scale * U^(-1/tail): one generator draw each.
  void FillNorms(Rng& rng, std::span<double> out) const;
};

// Symmetric Lomax (noise/src/lomax_noise.cpp): iid coordinates only.
class LomaxNoise final : public NoiseModel {
 public:
  explicit LomaxNoise(const NoiseSpec& spec) : NoiseModel(spec) {}
  double Sample(Rng& rng) const override;
  void Fill(Rng& rng, std::span<double> out) const override;
  void SampleVector(Rng& rng, Eigen::Ref<Vector> out) const override;
  void SampleBatch(Rng& rng, Eigen::Ref<Batch> out) const override;
  std::int64_t SplitRows(int dim) const override;
  double TailIndex() const override { return spec().tail; }
  MomentValue Moment(double p, int dim) const override;
  std::optional<double> Mean() const override;
};

class StudentTNoise final : public NoiseModel {
 public:
  explicit StudentTNoise(const NoiseSpec& spec) : NoiseModel(spec) {}
  double Sample(Rng& rng) const override;
  void Fill(Rng& rng, std::span<double> out) const override;
  void SampleVector(Rng& rng, Eigen::Ref<Vector> out) const override;
  void SampleBatch(Rng& rng, Eigen::Ref<Batch> out) const override;
  std::int64_t SplitRows(int dim) const override;
  double TailIndex() const override { return spec().dof; }
  MomentValue Moment(double p, int dim) const override;
  std::optional<double> Mean() const override;
};

class GaussianNoise final : public NoiseModel {
 public:
  explicit GaussianNoise(const NoiseSpec& spec) : NoiseModel(spec) {}
  double Sample(Rng& rng) const override;
  void Fill(Rng& rng, std::span<double> out) const override;
  void SampleVector(Rng& rng, Eigen::Ref<Vector> out) const override;
  void SampleBatch(Rng& rng, Eigen::Ref<Batch> out) const override;
  std::int64_t SplitRows(int dim) const override;
  double TailIndex() const override;
  MomentValue Moment(double p, int dim) const override;
  std::optional<double> Mean() const override { return spec().loc; }
};

class UniformNoise final : public NoiseModel {
 public:
  explicit UniformNoise(const NoiseSpec& spec) : NoiseModel(spec) {}
  double Sample(Rng& rng) const override;
  void Fill(Rng& rng, std::span<double> out) const override;
  void SampleVector(Rng& rng, Eigen::Ref<Vector> out) const override;
  void SampleBatch(Rng& rng, Eigen::Ref<Batch> out) const override;
  std::int64_t SplitRows(int dim) const override;
  double TailIndex() const override;
  MomentValue Moment(double p, int dim) const override;
  std::optional<double> Mean() const override { return spec().loc; }
};

class ContaminatedNoise final : public NoiseModel {
 public:
  explicit ContaminatedNoise(const NoiseSpec& spec);
  double Sample(Rng& rng) const override;
  void Fill(Rng& rng, std::span<double> out) const override;
  void SampleVector(Rng& rng, Eigen::Ref<Vector> out) const override;
  void SampleBatch(Rng& rng, Eigen::Ref<Batch> out) const override;
  double TailIndex() const override;
  MomentValue Moment(double p, int dim) const override;
  std::optional<double> Mean() const override;

 private:
  bool PickOther(Rng& rng) const;
  std::unique_ptr<NoiseModel> gaussian_;
  std::unique_ptr<NoiseModel> other_;
};

}  // namespace clipsim::noise::detail

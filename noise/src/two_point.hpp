// The two-point law (kind two_point): the mean-zero, skewed, finite-variance law of the lower
// bound's construction for clipped SGD with a fixed threshold (analysis/clip_floor.hpp,
// analysis/THEORY.md, section "Koloskova, Hendrikx & Stich (2023)"). See two_point_noise.cpp for
// the facts.
#pragma once

#include <optional>
#include <span>

#include "clipsim/noise/noise_model.hpp"
#include "iid_moment.hpp"

namespace clipsim::noise::detail {

// The standard two-point law T: T = h with probability q = 1 / (1 + h^2), T = -1 / h with
// probability 1 - q (h = the spec's atom >= 1): E T = 0, E T^2 = 1.
struct TwoPointAtoms {
  double high = 1.0;  // h
  double low = 1.0;   // 1 / h (T = -low)
  double q = 0.5;     // P(T = h)
};
TwoPointAtoms TwoPointOf(double atom);

class TwoPointNoise final : public NoiseModel {
 public:
  explicit TwoPointNoise(const NoiseSpec& spec);
  double Sample(Rng& rng) const override;
  void Fill(Rng& rng, std::span<double> out) const override;
  void SampleVector(Rng& rng, Eigen::Ref<Vector> out) const override;
  void SampleBatch(Rng& rng, Eigen::Ref<Batch> out) const override;
  std::int64_t SplitRows(int) const override { return 1; }  // one Fill, value by value
  double TailIndex() const override;
  MomentValue Moment(double p, int dim) const override;
  std::optional<double> Mean() const override { return spec().loc; }

 private:
  TwoPointAtoms atoms_;
};

// T + c for the numerical moments (iid_moment.hpp): every one-coordinate integral is a sum
// over the two atoms, so only the s-integral is numerical.
class TwoPointCoordinate final : public CoordinateLaw {
 public:
  TwoPointCoordinate(double atom, double c) : atoms_(TwoPointOf(atom)), c_(c) {}
  double Tail() const override;
  double Center() const override { return c_; }
  double EvenMoment(int k) const override;
  Estimate Laplace(int k, double s, bool complement) const override;

 private:
  TwoPointAtoms atoms_;
  double c_;
};

}  // namespace clipsim::noise::detail

// A noise model: draws scalars, vectors or batches from a generator the caller owns, and states
// its exact facts (tail index, moments). One instance is immutable and safe to share across
// threads (every method is const and keeps no state; the generator is the caller's).
//
// Laws and their parameterizations (the per-law sources document formulas and references):
//   stable        S1 (Samorodnitsky & Taqqu; scipy levy_stable default), Chambers-Mallows-Stuck
//                 with Weron's correction (noise/src/stable_noise.cpp); isotropic shape:
//                 sub-Gaussian sqrt(A) G.
//   pareto        sign * scale * U^(-1/tail) (+ loc); radial shape: Pareto norm, uniform direction.
//   student_t     scale * T_dof (+ loc), Bailey's polar method.
//   gaussian      N(loc, scale^2), Box-Muller.
//   contaminated  a whole vector is N(0, scale^2 I) with probability 1 - eps, else a draw of other.
//   two_point     scale * atom with probability 1 / (1 + atom^2), else -scale / atom (+ loc):
//                 mean zero, variance scale^2, skewed (noise/src/two_point_noise.cpp).
//   lomax         sign * scale * (U^(-1/tail) - 1) (+ loc): symmetric Lomax (Pareto type II).
//   uniform       loc + scale (2 U - 1), iid coordinates: bounded almost surely.
// Laws without a mean: stable alpha <= 1, Pareto and Lomax tail <= 1, Student-t dof <= 1 (Mean()
// nullopt).
//
// Reproducibility and draw order. Randomness comes only from the caller's generator; the same
// generator state, the same calls and the same build give bit-identical draws (vectorized math
// may differ in the last bit between builds for different instruction sets, see
// build_info::kSimd). Generator draws per value:
//   stable:     2 per value (the angle, then the exponential); Fill(n) then Fill(m) equals
//               Fill(n + m), and Sample() equals Fill of one value.
//   pareto:     1 per value (uniform from the top 52 bits, sign from the lowest bit); same
//               prefix property.
//   student_t:  2 per attempt of Bailey's polar method (accepted with probability pi/4); same
//               prefix property.
//   gaussian:   pairs (Box-Muller): Fill(n) consumes 2 ceil(n/2) draws.
//   uniform:    1 per value; same prefix property.
//   contaminated: see noise/src/contaminated_noise.cpp (choices drawn block by block).
//   two_point:  1 per value (inverse CDF of one uniform); same prefix property.
//   lomax:      1 per value, as pareto (the same uniform and sign); same prefix property.
// Shapes: SampleVector(iid) is Fill of the vector; isotropic draws A (2 draws) and then the
// Gaussian vector; radial draws the norm (1 draw) and then the Gaussian direction. SampleBatch
// with iid rows is one Fill of all n * d values in row-major order; isotropic and radial batches
// draw the n mixing values (A or norms) first and then the rows' Gaussian vectors row by row.
#pragma once

#include <memory>
#include <optional>
#include <span>

#include "clipsim/core/rng.hpp"
#include "clipsim/core/types.hpp"
#include "clipsim/noise/noise_spec.hpp"

namespace clipsim::noise {

// E||X||^p with how it was obtained.
struct MomentValue {
  double value = 0.0;        // +infinity where the moment is infinite
  double error_bound = 0.0;  // absolute; 0 for closed forms
  bool exact = true;         // false where computed by numerical integration
};

class NoiseModel {
 public:
  virtual ~NoiseModel() = default;

  const NoiseSpec& spec() const { return spec_; }

  // One draw of the scalar law: for kIid the law of one coordinate; for the isotropic and radial
  // shapes the law of their dimension-1 case (symmetric stable, symmetric Pareto).
  virtual double Sample(Rng& rng) const = 0;
  // out.size() independent draws of the scalar law; the vectorized (SLEEF) batch path.
  virtual void Fill(Rng& rng, std::span<double> out) const = 0;
  // One random vector of dimension out.size(), according to the shape.
  virtual void SampleVector(Rng& rng, Eigen::Ref<Vector> out) const = 0;
  // Each row of out an independent random vector of dimension out.cols().
  virtual void SampleBatch(Rng& rng, Eigen::Ref<Batch> out) const = 0;
  // Batches that split: SampleBatch of r rows and then of s rows (dim columns, one generator)
  // gives the same r + s rows as one SampleBatch of r + s rows whenever r is a multiple of the
  // returned count; 0 where no split is promised (the isotropic and radial shapes draw every
  // row's mixing value first; contaminated draws its choices block by block). A caller may then
  // draw rows ahead in larger batches without changing a bit (sim::Oracle does, at small dim).
  // tests/noise/batch_split_test.cpp checks every promise.
  virtual std::int64_t SplitRows(int dim) const;

  // sup{p : E|X|^p < inf}; +infinity for light tails.
  virtual double TailIndex() const = 0;
  // E||X||^p for a vector of dimension dim with this shape (dim = 1: the scalar law), p > 0.
  // +infinity when p >= TailIndex(). The raw moment: loc is included. Closed forms (exact) for
  // the scalar laws with loc = 0, the isotropic and radial shapes, Gaussian vectors and every
  // even integer p; otherwise numerical integration (about 10 to 50 ms on one core; cache the
  // result where it is needed often) with error_bound the quadrature's error estimate
  // (typically 1e-6 relative; against closed forms the true error is about 1e-11 relative).
  // Throws InputError for p <= 0 or dim < 1.
  virtual MomentValue Moment(double p, int dim) const = 0;
  // sigma(p) = Moment(p, dim)^(1/p): the sigma of the theory's assumption E||xi||^p <= sigma^p.
  double Sigma(double p, int dim) const;
  // The mean of each coordinate, or nullopt where the law has no mean (stable alpha <= 1, Pareto
  // tail <= 1, Student-t dof <= 1).
  virtual std::optional<double> Mean() const = 0;

 protected:
  explicit NoiseModel(NoiseSpec spec) : spec_(std::move(spec)) {}

 private:
  NoiseSpec spec_;
};

// Validates the spec (throws InputError) and builds the model.
std::unique_ptr<NoiseModel> MakeNoise(const NoiseSpec& spec);

// E||X||^p for X with dim iid coordinates of the spec's scalar law (its shape is ignored), always
// by numerical integration, even where Moment has a closed form: the independent check of the
// closed forms (tests/noise/moments_test.cpp). Contaminated specs mix their parts' integrals.
// +infinity for p >= the tail index. See noise/src/iid_moment.hpp for the method.
MomentValue IntegratedIidMoment(const NoiseSpec& spec, double p, int dim);

}  // namespace clipsim::noise

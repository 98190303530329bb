// A test problem: f on R^d with its gradient, a known lower bound, a default start and its
// smoothness facts. Data problems (finite sums f = (1/m) sum_j f_j over a synthetic data set) also
// draw per-sample gradients at random data points.
//
// A problem is (kind, dim, parameters, instance), as in COCO: every random choice of an instance
// (planted data, rotations, teacher networks, random starts) comes from the one generator
// MakeRng({spec.instance, Stream::kProblem}), so the same spec gives the same problem bit for bit.
// A built problem is immutable and safe to share between threads.
//
// Kinds (config names; formulas, constants and sources are in sim/src/problems/<kind>.hpp; specs,
// parameters and the factory are in problem_registry.hpp):
//   globally smooth, non-convex: nonconvex_sum, smooth_rastrigin, robust_regression (data),
//                                logistic_nonconvex (data), huber_ripple (gradient bounded but
//                                not vanishing far away)
//   not globally smooth:         rosenbrock, styblinski_tang, two_layer_tanh (data), quartic,
//                                exp_type, wall_plateau (the separation instance of clipped
//                                versus fixed-step gradient descent)
//   references:                  quadratic (convex), zero_chain (hard instance)
//   with its own stochastic oracle: lower_bound_chain (the worst-case instance of the lower bound
//                                N^(-(p-1)/(3p-2)): a scaled zero chain whose noise depends on x
//                                and whose number of links can grow with the run's budget)
//   streaming, label noise:      streaming_least_squares (Marshall et al. 2024: fresh Gaussian
//                                data per sample, the run's noise in the labels)
//
// Where a problem's sampled gradients come from (sim::Oracle, oracle.hpp):
//   - data problems (has_data): SampleGradients, one data point per row from the data stream,
//     plus the run's additive noise if any;
//   - problems with their own stochastic oracle (has_stochastic_oracle): SampleOracle, from the
//     noise stream; such runs take no additive noise (refused by ValidateRunConfig), and the
//     oracle states its own sigma(p) (OracleSigma), which the theory schedule and the
//     sigma-based defaults use in place of the noise model's;
//   - streaming problems with label noise (has_label_noise): SampleLabelled, a fresh data point
//     per row from the data stream whose label carries one scalar draw of the run's noise law
//     from the noise stream: the noise enters the labels, never the gradient additively;
//   - every other problem: grad f(x) plus the run's additive noise (or exactly grad f(x)).
// A problem is at most one of the first three.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "clipsim/core/rng.hpp"
#include "clipsim/core/types.hpp"

namespace clipsim::noise {
class NoiseModel;
}  // namespace clipsim::noise

namespace clipsim::sim {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
inline constexpr double kInf = std::numeric_limits<double>::infinity();

struct ProblemFacts {
  // True when grad f is L-Lipschitz on all of R^d. Theory checks and theory-driven schedules
  // accept only such problems.
  bool globally_smooth = false;
  double L = kNaN;  // global Lipschitz constant of grad f (globally smooth problems), proven
  // (L0, L1)-smoothness ||Hess f(x)|| <= L0 + L1 ||grad f(x)|| (Zhang et al.), where known.
  // Globally smooth problems state the trivial pair (L, 0).
  double L0 = kNaN;
  double L1 = kNaN;
  // sup_x ||grad f(x)|| (Euclidean), +infinity when unbounded. A bounded gradient makes the theorem
  // quantity bounded, so that Hoeffding-type confidence bounds are valid in the theory checks.
  double gradient_bound = kInf;
  bool convex = false;
  std::string note;  // local bounds, why no global constant exists, hard-instance caveats
};

class Problem {
 public:
  virtual ~Problem() = default;

  virtual std::string_view kind() const = 0;  // the config name, e.g. "nonconvex_sum"
  int dim() const { return dim_; }

  // f(x). +infinity where it overflows far out (exp_type, quartic, rosenbrock): divergence is data,
  // not an error. Not NaN at finite x short of overflow inside one term (|x| near 1e300); tested
  // up to |x_i| = 1e300.
  virtual double Value(const Vector& x) const = 0;
  // The exact (population / full-data) gradient; g.size() == dim(). Value, Gradient and
  // SampleGradients make no heap allocation at the sizes sweeps use (checked with Eigen's
  // EIGEN_RUNTIME_NO_MALLOC at dim 100; Eigen's product kernels may take work space for large data
  // sets).
  virtual void Gradient(const Vector& x, Eigen::Ref<Vector> g) const = 0;
  virtual double LowerBound() const = 0;  // f_low <= inf f (the "known lower bound")
  virtual Vector DefaultStart() const = 0;
  virtual ProblemFacts Facts() const = 0;
  // A global minimizer where one is known in closed form (f(x*) = inf f up to rounding), else
  // nullopt (data problems with noisy labels, zero_chain whose infimum is not attained).
  virtual std::optional<Vector> Minimizer() const { return std::nullopt; }
  // M(x0) = sup{||grad f(x)|| : f(x) <= f(x0)}: the largest gradient norm on the level set of the
  // start x0, the quantity a fixed step of gradient descent must respect (Zhang, He, Sra &
  // Jadbabaie 2020). Exact where a kind gives it (derived in its header: exp_type, quartic,
  // quadratic, wall_plateau); NaN where not known, +infinity where unbounded.
  virtual double LevelSetGradientBound(const Vector& /*x0*/) const { return kNaN; }

  // --- Data problems: f(x) = (1/m) sum_{j<m} f_j(x) with f_j the loss at data point j. ---
  virtual bool has_data() const { return false; }
  // m, the number of data points (0 for problems without data).
  virtual int data_size() const { return 0; }
  // f_j(x) and grad f_j(x) for 0 <= j < data_size(). Problems without data abort (a bug).
  virtual double PointValue(int j, const Vector& x) const;
  virtual void PointGradient(int j, const Vector& x, Eigen::Ref<Vector> g) const;

  // Row k of out (n x dim) is the gradient of the loss at one data point drawn with
  // DrawDataIndex(data_rng, data_size()), independently for each row in order k = 0, 1, ..., so
  // E row = Gradient(x) and the rows come in random order. Problems without data write
  // Gradient(x) into every row and draw nothing (a one-point data set), so the caller may call this
  // on any problem.
  virtual void SampleGradients(const Vector& x, Rng& data_rng, Eigen::Ref<Batch> out) const;

  // --- Problems with a stochastic oracle of their own (lower_bound_chain). ---
  // The oracle answers a query at x with an unbiased sample whose noise xi depends on x:
  // E row = grad f(x) and E||row - grad f(x)||^p <= OracleSigma(p)^p for every x.
  virtual bool has_stochastic_oracle() const { return false; }
  // p0, the largest moment order the oracle's bound is stated for; NaN without an oracle. A run's
  // p must not exceed it (ValidateRunConfig).
  virtual double OracleMomentOrder() const { return kNaN; }
  // sigma(p) = a bound on sup_x (E||row - grad f(x)||^p)^(1/p) for 0 < p <= OracleMomentOrder();
  // NaN otherwise (no oracle, or p above p0).
  virtual double OracleSigma(double /*p*/) const { return kNaN; }
  // Row k of out (n x dim): one oracle sample at x, independently for each row in order
  // k = 0, 1, ..., drawn from noise_rng (the run's noise stream: methods run on one seed see the
  // same draws as long as they draw the same numbers of rows). exact_gradient must be
  // Gradient(x). The number of draws per row is fixed by the problem (documented in its header),
  // never by x. Problems without an oracle abort (a caller bug).
  virtual void SampleOracle(const Vector& x, const Vector& exact_gradient, Rng& noise_rng,
                            Eigen::Ref<Batch> out) const;

  // --- Streaming problems whose labels carry the run's noise (streaming_least_squares). ---
  virtual bool has_label_noise() const { return false; }
  // Row k of out (n x dim): the loss gradient at a fresh data point drawn from data_rng, whose
  // label carries one draw of noise's scalar law (NoiseModel::Sample) from noise_rng; noise may
  // be null (noise-free labels). Rows are drawn in order k = 0, 1, ..., each with a fixed number
  // of draws from each stream (documented by the problem), so methods with the same batch size
  // see the same data and labels. E row = Gradient(x). Problems without label noise abort.
  virtual void SampleLabelled(const Vector& x, const noise::NoiseModel* noise, Rng& data_rng,
                              Rng& noise_rng, Eigen::Ref<Batch> out) const;

 protected:
  explicit Problem(int dim) : dim_(dim) {}

 private:
  int dim_;
};

// The one rule by which data problems draw a data point: uniform on {0, ..., m - 1}, with
// replacement (boost::random::uniform_int_distribution<int>, one call per point).
int DrawDataIndex(Rng& data_rng, int m);

}  // namespace clipsim::sim

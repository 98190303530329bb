// The deterministic equivalent of the risk of (clipped) SGD on streaming least squares (Marshall,
// Xiao, Agarwala & Paquette 2024, clipped homogenized SGD): for batch size 1, step eta and the
// reduction factors mu(R), nu(R) of reduction_factors.hpp, the expected change of
// v_i = (x - x*)_i^2 / 2 (K diagonal) in one sample is
//   E dv_i = -2 eta mu lambda_i v_i + (eta^2 / 2) lambda_i nu   (+ O(eta^2 lambda_i^2 v_i)),
// and in the limit of large intrinsic dimension (Tr K and eta fixed, lambda_i ~ 1/d, horizons of
// k ~ d samples: the paper's step gamma / Tr K and time t = k / d) the risk R(k) = sum_i
// lambda_i v_i(k) concentrates on the solution of the ODE system
//   dv_i/dk = -2 eta mu(R) lambda_i v_i + (eta^2 / 2) lambda_i nu(R),  R = sum_i lambda_i v_i,
// one equation per eigenvalue: the paper's per-eigen-direction ODE in sample time (the authors'
// public code integrates the same equations with the normalizer Tr K). Unclipped (mu = 1,
// nu = 2R + E eps^2) it is homogenized SGD's ODE (Paquette et al.). The per-sample expectation
// is derived in reduction_factors.hpp; what it neglects (the O(lambda_i^2 v_i) term, the spread
// of ||a||^2 around Tr K, and the fluctuation of R around its mean) is of relative size
// lambda_max / Tr K or 1 / sqrt(intrinsic dimension), so it vanishes as d grows: that is what
// the ODE claim checks across d.
//
// Closed form (the test of the solver): K = lambda I_d, no clipping, E eps^2 = sigma^2:
//   dR/dk = -a R + b,  a = 2 eta lambda - eta^2 lambda^2 d,  b = eta^2 lambda^2 d sigma^2 / 2,
//   R(k) = R_inf + (R0 - R_inf) e^(-a k),  R_inf = b / a = eta T sigma^2 / (2 (2 - eta T)),
// T = lambda d = Tr K; the ODE is stable iff eta T < 2 (UnclippedIsotropicRisk).
//
// Solver: Boost.Odeint's Dormand-Prince 5(4) with dense output (runge_kutta_dopri5, relative
// tolerance rel_tol, absolute 1e-4 rel_tol times the largest v_i(0) plus the noise scale), read
// at the requested sample counts. The factors come from a ReductionTable (interpolated, see
// reduction_factors.hpp).
#pragma once

#include <span>
#include <string>
#include <vector>

#include "clipsim/dynamics/reduction_factors.hpp"
#include "clipsim/dynamics/streaming_lsq.hpp"

namespace clipsim::dynamics {

struct RiskOde {
  std::vector<double> spectrum;  // lambda_i > 0
  std::vector<double> start;     // v_i(0) >= 0, one per eigenvalue
  ClipSetting clip;              // label noise and threshold; clip.trace = sum_i lambda_i
  double eta = 0.0;              // step per sample (batch size 1), > 0
  // Planted variants for the falsification checks: mu and nu are multiplied by these (1: the
  // equation above). A wrong factor must make the prediction disagree with the simulation.
  double mu_factor = 1.0;
  double nu_factor = 1.0;
  double rel_tol = 1e-8;

  // Throws InputError naming the field and the rule it breaks.
  void Validate() const;
};

struct RiskPrediction {
  std::vector<double> samples;  // the requested sample counts, as given
  std::vector<double> risk;     // R there; +infinity from where the ODE diverges
  std::vector<double> mu;       // the factors used there (mu_factor and nu_factor included)
  std::vector<double> nu;
  std::vector<double> ccc;  // the clipping comparison criterion there
  bool diverged = false;
  std::string message;  // why it diverged
};

// Solves the ODE from sample 0 and reads R at `samples` (any order, >= 0).
RiskPrediction SolveRiskOde(const RiskOde& ode, std::span<const double> samples);

// The ODE of a streaming_least_squares run (streaming_lsq.hpp): its spectrum, v_i(0) =
// risk0 / trace, clip.trace = spec.trace.
RiskOde StreamingLsqOde(const StreamingLsqSpec& spec, ClipSetting clip, double eta);

// The closed form above at sample k (+infinity where unstable and growing).
double UnclippedIsotropicRisk(double lambda, int dim, double eta, double noise_second_moment,
                              double risk0, double k);

}  // namespace clipsim::dynamics

// Streaming least squares, the model of Marshall, Xiao, Agarwala & Paquette (2024, "To clip or not
// to clip: the dynamics of SGD with gradient clipping in high dimensions", arXiv 2406.11733):
// every sample is a fresh data point a ~ N(0, K) with label b = <a, x*> + eps, eps a draw of the
// label-noise law, and the loss of a sample is (<a, x> - b)^2 / 2. Its risk (the value of the
// problem) is the excess risk R(x) = (1/2) (x - x*)^T K (x - x*), which is finite even when the
// label noise has no variance.
//
// The instance used here (the sim problem `streaming_least_squares` and the ODE share these
// definitions, so that they can never describe two different problems):
//   K = diag(lambda_1 >= ... >= lambda_d), lambda_i = trace * i^(-power) / sum_j j^(-power), so
//   that Tr K = trace exactly (up to rounding) for every d. Gaussian data are rotation invariant,
//   so a diagonal K loses no generality: the law of the risk trajectory is the same in any basis.
//   x0 = 0 and x*_i = s_i m with m = sqrt(2 risk0 / trace) and signs s_i = +-1 from the instance:
//   R(x0) = risk0 exactly, and every eigen-direction starts with the same (x0 - x*)_i^2 / 2 =
//   risk0 / trace. The signs do not change the law of the run (the data's law is invariant under
//   coordinate sign flips), so the ODE's start v_i(0) = risk0 / trace is exact for every instance.
//
// Why Tr K fixed: the intrinsic dimension Tr K / ||K|| = sum_j j^(-power) / 1 grows with d for
// power < 1 (d^(1 - power) / (1 - power)), and with Tr K fixed the paper's scalings hold with
// d-independent constants: the step eta (the paper's gamma / Tr K with Tr K = 1), the threshold c
// on ||g|| (||a||^2 concentrates at Tr K, so ||g|| = |<a, x> - b| ||a|| ~ |z| sqrt(Tr K)) and the
// label noise; time runs in samples per unit of d (t = k / d in the paper's ODE time).
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace clipsim::dynamics {

// The kind name of the problem in configs and in cells.csv's problem text.
inline constexpr std::string_view kStreamingLsqKind = "streaming_least_squares";

struct StreamingLsqSpec {
  int dim = 1;
  double power = 0.5;  // lambda_i proportional to i^(-power), in [0, 10]
  double trace = 1.0;  // Tr K, > 0
  double risk0 = 1.0;  // R(x0), > 0
};

// lambda_1, ..., lambda_d (descending; all equal for power = 0).
std::vector<double> PowerLawSpectrum(const StreamingLsqSpec& spec);

// m = |x*_i| = sqrt(2 risk0 / trace).
double TargetMagnitude(const StreamingLsqSpec& spec);

// The intrinsic dimension Tr K / lambda_1 = sum_j j^(-power).
double IntrinsicDimension(const StreamingLsqSpec& spec);

// The spec in a canonical problem text, as `clipsim sweep` writes it into cells.csv's `problem`
// column and sim::FormatProblemSpec writes it ("kind=streaming_least_squares,dim=1000,
// instance=0,power=0.5,trace=1,risk0=1": every parameter present). nullopt when the kind is
// another; InputError (key, value) when a key is missing or not a number.
std::optional<StreamingLsqSpec> StreamingLsqFromText(std::string_view problem_text);

}  // namespace clipsim::dynamics

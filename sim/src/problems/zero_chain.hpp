// zero_chain: the deterministic zero-chain function of the lower-bound constructions of Carmon,
// Duchi, Hinder & Sidford ("Lower bounds for finding stationary points I", 2019/2020) and
// Arjevani, Carmon, Duchi, Foster, Srebro & Woodworth ("Lower bounds for non-convex stochastic
// optimization", 2019/2023), with T = d links:
//   f(x) = -Psi(1) Phi(x_1) + sum_{i=2}^{d} [ Psi(-x_{i-1}) Phi(-x_i) - Psi(x_{i-1}) Phi(x_i) ],
//   Psi(t) = 0 for t <= 1/2, exp(1 - 1/(2t - 1)^2) for t > 1/2;
//   Phi(t) = sqrt(e) int_{-inf}^t exp(-s^2/2) ds = sqrt(2 pi e) NormalCdf(t) (via erfc).
// Psi(1) = 1. From x = 0 a method whose iterates stay in the span of the gradients seen so far
// uncovers at most one coordinate per gradient query, and ||grad f(x)|| > 1 whenever |x_d| < 1
// (the cited lemma): a HARD INSTANCE for finding stationary points. In clipsim it is used at a
// fixed dimension with additive noise, where it is NOT a proof of any lower bound (noise and
// clipping break the zero-respecting structure that the lower-bound argument needs); treat it as a
// hard test case. Facts, from Arjevani et al. (2023), Lemma 2 (the same function as Carmon et al.,
// Lemma 3):
//   grad f is 152-Lipschitz: L = 152 (a proven upper bound, not tight; measured in the tests);
//   ||grad f||_inf <= 23, so ||grad f|| <= 23 sqrt(d).
// For d = 1, f = -Phi(x) and the exact constants are used instead: |f''| = sqrt(e) |x| e^{-x^2/2}
// <= 1 (equality at |x| = 1), so L = 1, and |f'| <= sqrt(e).
// f_low, derived here (tighter than the cited f(0) - inf f <= 12 d): 0 <= Psi < e and
// 0 < Phi < sqrt(2 pi e), so the first term exceeds -sqrt(2 pi e) and each link exceeds
// -e sqrt(2 pi e): f_low = -sqrt(2 pi e) (1 + e (d - 1)) = inf f, approached (not attained) as
// every x_i -> +inf. Hence no Minimizer(). Default start: x = 0 (the hard start; f(0) =
// -sqrt(2 pi e)/2).
#pragma once

#include <memory>

#include "clipsim/sim/problem.hpp"
#include "problems/resolved_spec.hpp"

namespace clipsim::sim::problems {

std::unique_ptr<Problem> MakeZeroChain(const ResolvedSpec& spec);

}  // namespace clipsim::sim::problems

// phi(t) = t^2 / (1 + t^2), the bounded non-convex "square" shared by nonconvex_sum,
// smooth_rastrigin, the Geman-McClure loss (rho(r) = phi(r / c)) and the logistic regularizer.
//
// Facts used for the smoothness constants (elementary calculus, checked numerically in
// tests/sim/problems_test.cpp):
//   phi'(t)  = 2 t / (1 + t^2)^2,       sup |phi'|  = 3 sqrt(3) / 8 at t = +-1/sqrt(3);
//   phi''(t) = (2 - 6 t^2) / (1 + t^2)^3, sup |phi''| = 2 at t = 0 (phi'' has its minimum -1/2 at
//   t^2 = 1: with s = t^2, d/ds (2 - 6 s)/(1 + s)^3 = 12 (s - 1)/(1 + s)^4).
// The forms below stay finite for every finite t: phi -> 1 and phi' -> 0 where t^2 overflows.
#pragma once

#include <Eigen/Core>
#include <cmath>

namespace clipsim::sim::problems {

inline constexpr double kPhiSlopeMax = 0.649519052838329;  // 3 sqrt(3) / 8
inline constexpr double kPhiCurvatureMax = 2.0;            // sup |phi''|

inline double Phi(double t) {
  const double t2 = t * t;
  return std::isinf(t2) ? 1.0 : t2 / (1.0 + t2);
}

inline double PhiPrime(double t) {
  const double s = 1.0 + t * t;
  return 2.0 * t / (s * s);  // s * s = inf gives 0: the true value underflows there anyway
}

// Array forms for Eigen expressions (no temporaries are materialized).
template <typename Derived>
auto PhiArray(const Eigen::ArrayBase<Derived>& t) {
  const auto t2 = t.square();
  return (t2 < HUGE_VAL).select(t2 / (1.0 + t2), 1.0);
}

template <typename Derived>
auto PhiPrimeArray(const Eigen::ArrayBase<Derived>& t) {
  return 2.0 * t / (1.0 + t.square()).square();
}

}  // namespace clipsim::sim::problems

// The zero-chain function F_T of Carmon, Duchi, Hinder & Sidford and Arjevani et al. (formulas and
// facts in zero_chain.hpp), evaluated at y = x / lambda: shared by zero_chain (lambda = 1, T = d)
// and lower_bound_chain (its scaled instance). Dividing by lambda = 1 is exact, so zero_chain's
// values are those it always had.
#pragma once

#include <cmath>

#include "clipsim/core/types.hpp"

namespace clipsim::sim::problems {

inline constexpr double kSqrtE = 1.6487212707001282;      // sqrt(e)
inline constexpr double kSqrt2PiE = 4.1327313541224930;   // sqrt(2 pi e)
inline constexpr double kInvSqrt2 = 0.70710678118654752;  // 1/sqrt(2)

// Psi, Phi and their derivatives at +t and -t (each link uses both signs).
struct ChainLink {
  double psi_pos, psi_neg;    // Psi(t), Psi(-t)
  double dpsi_pos, dpsi_neg;  // Psi'(t), Psi'(-t)
  double phi_pos, phi_neg;    // Phi(t), Phi(-t)
  double dphi;                // Phi'(t) = Phi'(-t)
};

// Psi(t) and Psi'(t) = Psi(t) 4 / (2t - 1)^3. Where Psi underflows to 0 the derivative is 0 too
// (the formula would give 0 * inf).
inline void ChainPsiAndSlope(double t, double& psi, double& dpsi) {
  psi = 0.0;
  dpsi = 0.0;
  if (t <= 0.5) return;
  const double u = 2.0 * t - 1.0;
  psi = std::exp(1.0 - 1.0 / (u * u));
  if (psi > 0.0) dpsi = psi * 4.0 / (u * u * u);
}

inline ChainLink EvaluateChainLink(double t) {
  ChainLink l;
  ChainPsiAndSlope(t, l.psi_pos, l.dpsi_pos);
  ChainPsiAndSlope(-t, l.psi_neg, l.dpsi_neg);
  l.phi_pos = 0.5 * kSqrt2PiE * std::erfc(-t * kInvSqrt2);
  l.phi_neg = 0.5 * kSqrt2PiE * std::erfc(t * kInvSqrt2);
  l.dphi = kSqrtE * std::exp(-0.5 * t * t);
  return l;
}

// F_T(x / lambda) over the first `links` coordinates of x.
inline double ZeroChainValue(const Vector& x, int links, double lambda) {
  ChainLink prev = EvaluateChainLink(x(0) / lambda);
  double f = -prev.phi_pos;  // -Psi(1) Phi(y_1) with Psi(1) = 1
  for (int i = 1; i < links; ++i) {
    const ChainLink cur = EvaluateChainLink(x(i) / lambda);
    f += prev.psi_neg * cur.phi_neg - prev.psi_pos * cur.phi_pos;
    prev = cur;
  }
  return f;
}

// dF_T / dy at y = x / lambda into g(0 .. links - 1); the other entries of g are left alone.
inline void ZeroChainGradient(const Vector& x, int links, double lambda, Eigen::Ref<Vector> g) {
  ChainLink prev{};
  ChainLink cur = EvaluateChainLink(x(0) / lambda);
  for (int j = 0; j < links; ++j) {
    // y_j as the second argument of link j (or of the first term).
    double gj = j == 0 ? -cur.dphi : -(prev.psi_neg + prev.psi_pos) * cur.dphi;
    ChainLink next{};
    if (j + 1 < links) {
      // y_j as the first argument of link j + 1.
      next = EvaluateChainLink(x(j + 1) / lambda);
      gj -= cur.dpsi_neg * next.phi_neg + cur.dpsi_pos * next.phi_pos;
    }
    g(j) = gj;
    prev = cur;
    cur = next;
  }
}

}  // namespace clipsim::sim::problems

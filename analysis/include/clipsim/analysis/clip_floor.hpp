// The floor of clipped SGD with a fixed threshold (Koloskova, Hendrikx & Stich 2023, "Revisiting
// gradient clipping: stochastic bias and tight convergence guarantees", ICML 2023): with
// stochastic gradients of bounded variance sigma^2 and a fixed threshold c, clipped SGD need not
// converge however small the step, and the size of what is left is of order min(sigma,
// sigma^2 / c) from above and from below. The constants below are derived here, for the setting
// the simulations run (analysis/THEORY.md, section "Koloskova, Hendrikx & Stich (2023)", has the
// proofs and says what is the paper's):
//
//   f(x) = (L/2) x^2 in dimension 1, g = f'(x) + xi with xi i.i.d., E xi = 0, E xi^2 = sigma^2,
//   x_{t+1} = x_t - eta_t clip_c(g_t), clip_c(y) = max(-c, min(c, y)), eta_t -> 0, sum eta_t = inf,
//   sum eta_t^2 < inf (the polynomial schedule with decay in (1/2, 1]).
//
// In gradient units z = L x the iteration is a Robbins-Monro scheme for the zeros of the mean
// field m(z) = E clip_c(z + xi), which is nondecreasing and continuous; |f'(x_t)| converges to |z|
// for a zero z of m. The *floor* is that limit: the theorem quantity as the step goes to 0 and N
// grows.
//   Upper bound (any such law):  |z| <= ClipFloorUpperBound(c, sigma)
//     = (c - sqrt(c^2 - sigma^2)) / 2   (<= sigma^2 / (2c))   for sigma < c,
//     = sigma / 2                                             for c <= sigma < 2c,
//     = c + min(sigma, sigma^2 / (4c))                        for sigma >= 2c.
//   Lower bound (the worst case over laws is at least this): the two-point law of scale sigma
//   and atom ClipFloorConstructionAtom(c, sigma) has the floor ConstructionFloor(c, sigma) >=
//   ClipFloorLowerBound(c, sigma) = min(sigma, sigma^2 / c) / 4, with equality for sigma <= c.
// For c >> sigma both are sigma^2 / (4c) (1 + O(sigma^2 / c^2)): the worst-case floor is known
// exactly there, and it decays like 1/c.
#pragma once

#include <string>

namespace clipsim::analysis {

// min(sigma, sigma^2 / c) / 4. Requires c > 0 and sigma >= 0.
double ClipFloorLowerBound(double c, double sigma);
// The upper bound above. Requires c > 0 and sigma >= 0.
double ClipFloorUpperBound(double c, double sigma);
// The construction's atom h (in units of sigma): 2c / sigma for 0 < sigma < 2c (its positive atom
// sits at 2c), else 2.
double ClipFloorConstructionAtom(double c, double sigma);

// The zeros of the mean field in gradient units, z in [low, high] (low == high: one zero, the
// floor |z|), for the two-point law of noise/src/two_point_noise.cpp (scale sigma, atom h >= 1,
// loc 0) and threshold c:
//   h > 1 and sigma h > c:  z = (sigma h - c) / h^2 (the positive atom is clipped, the negative
//                           one not: E clip_c(z + xi) = q c + (1 - q)(z - sigma / h) = 0);
//   sigma h <= c:           z = 0 (near 0 nothing is clipped);
//   h = 1 and sigma > c:    every z in [-(sigma - c), sigma - c] (both atoms are clipped there:
//                           a symmetric law with a dead zone, whose floor depends on the path).
struct ClipFloorZeros {
  double low = 0.0;
  double high = 0.0;
};
ClipFloorZeros TwoPointFloor(double c, double sigma, double atom);

// The atom of a canonical two-point noise text ("kind=two_point,atom=4,scale=1", cells.csv's
// noise column); NaN for any other law.
double TwoPointAtomOfNoise(const std::string& noise);

// The construction's floor: TwoPointFloor at ClipFloorConstructionAtom, sigma^2 / (4c) for
// sigma < 2c and sigma / 2 - c / 4 beyond.
double ConstructionFloor(double c, double sigma);

}  // namespace clipsim::analysis

// The scalar law of a noise spec (the law of NoiseModel::Sample: one coordinate for the iid shape,
// the dimension-1 case for the isotropic and radial shapes, the mixture for a contaminated spec):
// its density, and expectations E h(X) of bounded functions of one draw by quadrature. Used where a
// theory needs an expectation over the noise law that has no closed form (the reduction factors
// of clipped SGD on streaming least squares, dynamics/).
//
// Densities (x real):
//   gaussian      N(loc, scale^2)
//   student_t     f_T((x - loc) / scale) / scale, f_T the Student-t density with dof degrees
//   pareto        (tail / 2) scale^tail |x - loc|^(-tail - 1) on |x - loc| >= scale, else 0
//   stable        StableLaw{alpha, skew, scale, loc}.Pdf(x) (Nolan's integral; skew 0 for the
//                 isotropic shape, whose dimension-1 case is symmetric); about 30-60 us a value
//   contaminated  (1 - eps) N(0, scale^2) + eps (other's scalar law)
//   lomax         (tail / 2) (1 + |x - loc| / scale)^(-tail - 1) / scale
//   uniform       1 / (2 scale) on |x - loc| <= scale, else 0
//   two_point     none (two atoms): ScalarPdf refuses it, ScalarExpectation is the exact sum
//                 q h(loc + scale atom) + (1 - q) h(loc - scale / atom)
// The Student-t, normal and Pareto densities are the ones the numerical moments integrate
// (noise/src/iid_moment.hpp), so that one formula serves both.
//
// Quadrature (ScalarExpectation): the real line is cut at the caller's breakpoints and the law's
// own (loc, and loc +- scale for Pareto and uniform, where the density jumps); every finite piece
// is integrated with adaptive Gauss-Kronrod (31 points, relative tolerance 1e-11 of the piece,
// depth 15), the two tails with exp-sinh (relative tolerance 1e-11). error is the sum of Boost's
// error estimates, an estimate and not a proven bound; tests/noise/scalar_law_test.cpp checks the
// density's integral (1 to 1e-9), its first moments against closed forms and expectations
// against the empirical mean of the sampler's draws.
#pragma once

#include <functional>
#include <span>

#include "clipsim/noise/noise_spec.hpp"

namespace clipsim::noise {

// The density of the scalar law at x. Throws InputError for an invalid spec (Validate).
double ScalarPdf(const NoiseSpec& spec, double x);

struct ScalarEstimate {
  double value = 0.0;
  double error = 0.0;  // the quadrature's error estimate (absolute)
};

// E h(X) for X with the scalar law of spec. h must be bounded and measurable, smooth between
// the breakpoints (places where h changes quickly: pass them, in any order; duplicates and
// non-finite values are ignored). Throws InputError for an invalid spec.
ScalarEstimate ScalarExpectation(const NoiseSpec& spec, const std::function<double(double)>& h,
                                 std::span<const double> breakpoints = {});

}  // namespace clipsim::noise

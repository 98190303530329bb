// huber_ripple: f(x) = sum_i phi(x_i),
//   phi(t) = c ( sqrt(1 + t^2) - 1 + b (1 - cos(w t)) ),
// c = `scale`, b = `amplitude`, w = `wavenumber` (angular: radians per unit length, period
// 2 pi / w; smooth_rastrigin's `wavenumber` k is ripples per unit length, w = 2 pi k there).
//
// A pseudo-Huber bowl (Charbonnier et al. 1994; quadratic near 0, |t| far away) with a cosine
// ripple: globally smooth, non-convex, with a bounded gradient that does NOT vanish far from the
// origin (unlike nonconvex_sum and smooth_rastrigin, where ||grad f|| -> 0 or oscillates through 0
// far out). An iterate thrown far away by a heavy-tailed kick sees ||grad f|| ~ c sqrt(d) there
// and walks back at speed ~ eta c, so the kick shows in the theorem quantities.
//
// Facts (elementary calculus; checked numerically in tests/sim/problems_test.cpp). The Hessian is
// diag(phi''(x_i)), so L = sup|phi''| and ||grad f||^2 = sum_i phi'(x_i)^2.
//   phi'(t)  = c ( t / sqrt(1 + t^2) + b w sin(w t) ).
//     G: |t| / sqrt(1 + t^2) < 1 and |sin| <= 1 give |phi'(t)| < c (1 + b w) for every t, so
//     ||grad f|| < G = c (1 + b w) sqrt(d). G is the supremum but it is NOT attained: at
//     t_k = (pi/2 + 2 pi k) / w, k -> inf, sin(w t_k) = 1 and t_k / sqrt(1 + t_k^2) -> 1, so
//     phi'(t_k) -> c (1 + b w) (every x_i = t_k gives ||grad f|| -> G from below). Facts() states
//     this G, a proven upper bound that no finite x reaches in exact arithmetic (in doubles
//     t / hypot(1, t) rounds to 1 beyond |t| ~ 1e8, so a computed slope may equal it, never exceed
//     it).
//   phi''(t) = c ( (1 + t^2)^(-3/2) + b w^2 cos(w t) ).
//     L: both terms are at most 1 and b w^2 in absolute value, so |phi''| <= c (1 + b w^2), with
//     equality at t = 0 (both maximal there): L = c (1 + b w^2) exactly, attained at x = 0.
//     (L0, L1) = (L, 0).
//   f >= 0 = f(0): sqrt(1 + t^2) - 1 >= 0 with equality only at t = 0, and 1 - cos >= 0. So
//     f_low = 0, and x = 0 is the unique global minimizer.
//   Non-convex iff b > 0 (exact): at t_k = (2k + 1) pi / w, cos(w t_k) = -1 and
//     phi''(t_k) = c ((1 + t_k^2)^(-3/2) - b w^2) -> -c b w^2 < 0 as k -> inf, so phi'' < 0 for
//     large k whenever b > 0 (the bowl's curvature decays, the ripple's does not). With b = 0,
//     phi'' = c (1 + t^2)^(-3/2) > 0: strictly convex (pure pseudo-Huber).
//   No stationary points far away when b w < 1: |phi'(t)| >= c (|t| / sqrt(1 + t^2) - b w), which
//     is > 0 for |t| > t* = b w / sqrt(1 - (b w)^2). Every stationary point of phi lies in
//     |t| <= t*, and far out |phi'(t)| -> at least c (1 - b w) > 0. With b w >= 1 the ripple
//     creates stationary points in every period, arbitrarily far out.
//   At the defaults (c, b, w) = (1, 0.1, 2 pi): b w = 0.628, t* = 0.808, L = 1 + 0.4 pi^2 = 4.948,
//     G = (1 + 0.2 pi) sqrt(d) = 1.628 sqrt(d); phi has local minima at t = +-0.7817 (phi = 0.3495)
//     behind local maxima at +-0.6747 (phi = 0.3519), and min phi'' = -3.90 c.
// Default start: x_i = 2. It lies beyond t* (so outside every stationary point at b w < 1, and
// where phi'(2) = c 2/sqrt(5) = 0.894 c is close to the far-away slope c), and the walk back to 0
// passes the ripple's outermost local minimum (+-0.78 at the defaults), which is in the way of
// small steps. Delta = f(x_0) - f_low = c (sqrt(5) - 1 + b (1 - cos(2 w))) d (1.236 d at the
// defaults, where cos(4 pi) = 1).
//
// Implementation (finite for every finite t, tested up to |t| = 1e300): h = hypot(1, t) is
// computed as m sqrt(1 + (r/m)^2), m = max(1, |t|), r = min(1, |t|) (no overflow, vectorizes);
// sqrt(1 + t^2) - 1 = |t| (|t| / (h + 1)) (no cancellation near 0, no overflow far out); t / h
// is in (-1, 1); 1 - cos(u) = 2 sin^2(u/2) (accurate near the minimizer). w t is finite for
// |t| <= 1e300 since w <= 1e3.
#pragma once

#include <memory>

#include "clipsim/sim/problem.hpp"
#include "problems/resolved_spec.hpp"

namespace clipsim::sim::problems {

std::unique_ptr<Problem> MakeHuberRipple(const ResolvedSpec& spec);

}  // namespace clipsim::sim::problems

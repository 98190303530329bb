// The bounds the theory checks rely on, with explicit constants (issue 6). Each function states
// its premise (which moment, central or raw) and its source; the derivations of the ones that are
// ours are in analysis/THEORY.md (Part II), and tests/theory/*_test.cpp and
// tests/sim/theory_*_slow_test.cpp check each against exact expectations or simulation. The
// registry (registry.hpp) evaluates sections 4-6 at each entry's prescription.
//
// Notation. X = mu + xi is one noisy vector in R^d with E xi = 0; clip(x, lambda) =
// x min(1, lambda / ||x||) is the Euclidean projection onto the ball of radius lambda; p in (1, 2];
// sigma^p bounds the CENTRAL moment E||xi||^p unless stated otherwise. PS-Clip's k-th sample
// (k = 1..n) is clipped at lambda_k = clip_scale * k^(1 / clip_power).
//
// Requirements on the arguments (p in (1, 2], sigma >= 0, lambda > 0, n >= 1, delta in (0, 1),
// ...) are checked and a violation aborts: callers validate user input first.
#pragma once

#include <cstdint>
#include <limits>
#include <string_view>

namespace clipsim::theory {

// ---------------------------------------------------------------------------------------------
// 1. The clipped estimator of one noisy vector.

// Sadiev, Danilova, Gorbunov, Horvath, Gidel, Dvurechensky, Gasnikov, Richtarik (2023), "High-
// probability bounds for stochastic optimization and variational inequalities: the case of
// unbounded variance", ICML, Lemma 5.1. Premise: E||xi||^p <= sigma^p (central) and
// ||mu|| <= lambda / 2. Then ||E clip(X) - mu|| <= 2^p sigma^p / lambda^(p-1) ...
double SadievClipBiasBound(double sigma, double p, double lambda);
// ... and E||clip(X) - E clip(X)||^2 <= 18 lambda^(2-p) sigma^p.
double SadievClipVarianceBound(double sigma, double p, double lambda);

// C_p = (p-1)^(p-1) / p^p = sup_{z > a} (z - a) a^(p-1) / z^p (C_2 = 1/4; C_p -> 1 as p -> 1).
// (THEORY.md Part II's C_p; Part I's PS-Clip constant, 10 at p = 2, is called K_p there.)
double ClipBiasConstant(double p);

// Ours (THEORY.md Part II, section 1): the same premise on xi, any ||mu|| = mu_norm (no
// ||mu|| <= lambda/2 needed). Since ||E clip(X) - mu|| <= E(||X|| - lambda)_+ and
// ||X|| <= ||mu|| + ||xi||:
//   bias <= (mu_norm - lambda)_+ + min(sigma, C_p sigma^p (lambda - mu_norm)_+^(1-p)).
// At mu_norm = lambda/2 this is 2^(p-1) C_p sigma^p / lambda^(p-1), which is Sadiev's bound times
// C_p / 2 (1/8 at p = 2), and it is attained in the limit by two-point laws: sharp.
double ClipBiasBound(double sigma, double p, double lambda, double mu_norm);
// Ours: clip is 1-Lipschitz and fixes clip(mu), so ||clip(X) - clip(mu)|| <= min(||xi||,
// lambda + min(mu_norm, lambda)), and E min(Z, a)^2 <= a^(2-p) E Z^p:
//   variance <= min(lambda^2, sigma^p (lambda + min(mu_norm, lambda))^(2-p)).
// At mu_norm = lambda/2 this is 1.5^(2-p) lambda^(2-p) sigma^p, i.e. Sadiev's constant 18
// replaced by 1.5^(2-p) <= 1.5; attained in the limit by two-point laws: sharp.
double ClipVarianceBound(double sigma, double p, double lambda, double mu_norm);

// Which per-sample lemma the estimator and SGD bounds below are built from.
enum class ClipLemma {
  kSharp,   // ClipBiasBound / ClipVarianceBound (default: valid for any ||mu||, sharper)
  kSadiev,  // Sadiev et al. Lemma 5.1 where lambda_k >= 2 ||mu||; the generic bounds
            // bias <= (||mu|| - lambda_k)_+ + sigma, variance <= lambda_k^2 elsewhere
};
std::string_view ToString(ClipLemma lemma);

// ---------------------------------------------------------------------------------------------
// 2a. The truncated empirical mean of Bubeck, Cesa-Bianchi & Lugosi (2013), "Bandits with heavy
// tail", IEEE Trans. Inf. Theory 59(11), Lemma 1. Premise: iid real X with RAW moment
// E|X|^p <= u. The k-th sample (k = 1..n) is zeroed when |X_k| > (u k / log(1/delta))^(1/p).
// With probability >= 1 - delta the estimate exceeds E X by at most
//   4 u^(1/p) (log(1/delta) / n)^((p-1)/p)
// (the same for the lower tail, applying the lemma to -X).
double TruncatedMeanThreshold(double u, double p, std::int64_t k, double delta);
double TruncatedMeanBound(double u, double p, std::int64_t n, double delta);

// ---------------------------------------------------------------------------------------------
// 2b. PS-Clip's estimator g_hat = (1/n) sum_k clip(mu + xi_k, lambda_k), xi_k iid with
// E xi = 0 and E||xi||^p <= sigma^p (central), ||mu|| <= mean_norm_bound (ours,
// THEORY.md Part II section 2b).
struct PsClipEstimatorSetting {
  double sigma = 1.0;
  double p = 2.0;
  double clip_scale = 1.0;  // lambda_k = clip_scale * k^(1/clip_power); PS-Clip's default sigma
  double clip_power = 2.0;  // its default p
  std::int64_t n = 1;
  double mean_norm_bound = 0.0;  // an upper bound on ||mu|| (>= 0)
  ClipLemma lemma = ClipLemma::kSharp;
};

struct PsClipEstimatorMoments {
  // B = (1/n) sum_k b_k with b_k the per-sample bias bound: ||E g_hat - mu|| <= B.
  double bias = 0.0;
  // V = (1/n^2) sum_k v_k with v_k the per-sample variance bound: E||g_hat - E g_hat||^2 <= V.
  double variance = 0.0;
  // sqrt(B^2 + V) >= sqrt(E||g_hat - mu||^2) >= E||g_hat - mu||: the in-expectation bound.
  double rms_error = 0.0;
  // 2 lambda_n: a bound on ||clip(X_k) - E clip(X_k)|| for every k (for the Bernstein step).
  double max_centered_norm = 0.0;
};
PsClipEstimatorMoments PsClipEstimatorBounds(const PsClipEstimatorSetting& setting);

// With probability >= 1 - delta, ||g_hat - mu|| <= B + r / n with r the vector Bennett radius
// of the centered sum (VectorBennettRadius(n^2 V, 2 lambda_n, delta)).
double PsClipEstimatorHighProbabilityBound(const PsClipEstimatorSetting& setting, double delta);

// Closed form at the recommended setting clip_scale = sigma, clip_power = p with
// ||mu|| <= sigma / 2 (so that lambda_k >= 2 ||mu|| for every k), from the sharp lemma and
// sum_{k<=n} k^(-(p-1)/p) <= p n^(1/p), sum_{k<=n} k^((2-p)/p) <= n^(2/p):
//   sqrt(E||g_hat - mu||^2) <= sigma n^(-(p-1)/p) sqrt((p 2^(p-1) C_p)^2 + 1.5^(2-p)).
// An upper bound on PsClipEstimatorBounds(...).rms_error in that setting; it shows the slope.
double PsClipEstimatorClosedForm(double sigma, double p, std::int64_t n);

// The radius s solving (w / a^2) h(a s / w) = log_term, h(u) = (1 + u) log(1 + u) - u: the
// level at which Bennett's bound exp(-(w / a^2) h(a s / w)) equals exp(-log_term) (a = 0: the
// Gaussian limit sqrt(2 w log_term); w = 0: 0). Solved by bisection to relative 1e-12; never
// above the Bernstein form a L / 3 + sqrt((a L / 3)^2 + 2 w L), L = log_term, since
// h(u) >= u^2 / (2 (1 + u / 3)).
double BennettRadius(double w, double a, double log_term);

// Pinelis (1994), "Optimum bounds for the distributions of martingales in Banach spaces",
// Ann. Probab. 22(4), Theorem 3.4 with D = 1 (Hilbert space): for independent mean-zero random
// vectors Y_k with ||Y_k|| <= a and sum_k E||Y_k||^2 <= w,
//   P(||sum_k Y_k|| >= s) <= 2 exp(-(w / a^2) h(a s / w))     (Bennett form)
//                         <= 2 exp(-s^2 / (2 (w + a s / 3)))  (Bernstein form).
// VectorBennettRadius returns the s at which the Bennett form equals delta
// (BennettRadius(w, a, log(2 / delta))); VectorBernsteinRadius the larger s of the Bernstein form,
//   s = a L / 3 + sqrt((a L / 3)^2 + 2 w L),  L = log(2 / delta).
double VectorBennettRadius(double w, double a, double delta);
double VectorBernsteinRadius(double w, double a, double delta);

// Freedman (1975), "On tail probabilities for martingales", Ann. Probab. 3(1), Theorem 1.6: for
// martingale differences X_t <= a with sum_t E_{t-1} X_t^2 <= w (deterministic bound),
//   P(sum_t X_t >= s) <= exp(-(w / a^2) h(a s / w)).
// Returns BennettRadius(w, a, log(1 / delta)).
double FreedmanRadius(double w, double a, double delta);

// ---------------------------------------------------------------------------------------------
// 3. The generic descent argument (ours, THEORY.md Part II, section 3). Any method
// x_{t+1} = x_t - eta ghat_t on an L-smooth f with f(x_0) - inf f <= Delta and step eta <= 1/L,
// whose direction satisfies, given x_t, at every step t < T:
//   ||E_t ghat_t - grad f(x_t)|| <= B  and  E_t||ghat_t - E_t ghat_t||^2 <= V.
// In expectation (R uniform on {0, ..., T-1}):
//   E||grad f(x_R)|| <= sqrt((1/T) sum_{t<T} E||grad f(x_t)||^2) <= sqrt(2 Delta / (eta T) + B^2 +
//   L eta V).
// With high probability >= 1 - delta, if moreover ghat_t - E_t ghat_t = (1/n) sum_{k<=n} Y_k with
// Y_k independent given x_t, mean zero and ||Y_k|| <= a almost surely (n = summands, a =
// summand_bound):
//   sqrt((1/T) sum_{t<T} ||grad f(x_t)||^2) <= sqrt(2 Delta / (eta T) + (B + sqrt(Q))^2),
// where Q bounds the path average (1/T) sum_t ||zeta_t||^2 of zeta_t = ghat_t - E_t ghat_t:
//   r = VectorBennettRadius(n^2 V, a, delta / (2T)) / n  (every ||zeta_t|| <= r, by a union bound
//       over the T steps, with probability >= 1 - delta/2),
//   Q = min(r^2, V + FreedmanRadius(T r^2 V, r^2, delta / 2) / T)  (Freedman on the martingale
//       min(||zeta_t||^2, r^2) - E_t min(||zeta_t||^2, r^2), probability >= 1 - delta/2).
struct EstimatorMoments {
  double bias = 0.0;      // B >= ||E_t ghat_t - grad f(x_t)|| at every step (>= 0, finite)
  double variance = 0.0;  // V >= E_t||ghat_t - E_t ghat_t||^2 at every step (>= 0, finite)
  // High probability only: ghat_t - E_t ghat_t is the mean of `summands` independent mean-zero
  // vectors, each of norm <= summand_bound almost surely. +infinity: no such bound (then there is
  // no high-probability bound, and BiasedSgdHighProbabilityBound must not be called).
  std::int64_t summands = 1;
  double summand_bound = std::numeric_limits<double>::infinity();
};

struct SgdBound {
  double value = 0.0;         // the bound
  double optimization = 0.0;  // 2 Delta / (eta T)
  double noise = 0.0;         // B^2 + L eta V, or (B + sqrt(Q))^2
};

// Requires L > 0, Delta >= 0, step in (0, 1/L] (a relative slack of 1e-12 for the rounding of
// 1/L), iterations >= 1, finite bias and variance >= 0; the high-probability bound also a finite
// summand_bound >= 0, summands >= 1 and delta in (0, 1).
SgdBound BiasedSgdExpectationBound(double L, double Delta, double step, std::int64_t iterations,
                                   const EstimatorMoments& moments);
SgdBound BiasedSgdHighProbabilityBound(double L, double Delta, double step, std::int64_t iterations,
                                       const EstimatorMoments& moments, double delta);

// ---------------------------------------------------------------------------------------------
// 3-4. PS-Clip-SGD x_{t+1} = x_t - eta g_hat_t (g_hat_t the estimator above at mu = grad f(x_t))
// on an L-smooth f with f(x_0) - inf f <= Delta and ||grad f|| <= G everywhere, noise as in 2b,
// T = iterations steps of batch n, step eta <= 1/L (ours, THEORY.md Part II, sections 3-4): the
// generic bounds of section 3 with B, V the estimator bounds at mean_norm_bound = G, n = batch
// summands and summand_bound = 2 lambda_n (PsClipEstimatorMoments::max_centered_norm).
struct PsClipSgdSetting {
  double L = 1.0;
  double Delta = 1.0;
  double sigma = 1.0;
  double p = 2.0;
  double gradient_bound = 1.0;  // G = sup ||grad f||
  double step = 1.0;            // eta; the bound needs eta <= 1/L (checked)
  std::int64_t batch = 1;       // n
  std::int64_t iterations = 1;  // T
  double clip_scale = 1.0;
  double clip_power = 2.0;
  ClipLemma lemma = ClipLemma::kSharp;
};

// The estimator moments of one PS-Clip-SGD step, in the form the generic bounds take.
EstimatorMoments PsClipSgdEstimatorMoments(const PsClipSgdSetting& setting);
SgdBound PsClipSgdExpectationBound(const PsClipSgdSetting& setting);
SgdBound PsClipSgdHighProbabilityBound(const PsClipSgdSetting& setting, double delta);

// ---------------------------------------------------------------------------------------------
// 5. Clip-SGD x_{t+1} = x_t - eta clip(gbar_t, lambda), gbar_t the mean of a batch of n sampled
// gradients at x_t (ours, THEORY.md Part II, section 5). Same premises as PS-Clip-SGD
// (||grad f|| <= G everywhere, eta <= 1/L, noise mean zero with E||xi||^p <= sigma^p).

// Moment inequality for sums of independent mean-zero vectors in a Hilbert space (R^d), p in
// (1, 2] (THEORY.md Part II, section 5, with its proof): from the pointwise inequality
//   ||x + y||^p <= ||x||^p + p ||x||^(p-2) <x, y> + 2^(2-p) ||y||^p,
// E||xi_1 + ... + xi_n||^p <= E||xi_1||^p + 2^(2-p) sum_{k>=2} E||xi_k||^p. So the batch mean's
// noise has E||(1/n) sum_k xi_k||^p <= sigma_n^p with
//   sigma_n = sigma (1 + 2^(2-p) (n - 1))^(1/p) / n   (= sigma / sqrt(n) at p = 2, = sigma at n =
//   1).
double BatchMeanSigma(double sigma, double p, std::int64_t n);

struct ClipSgdSetting {
  double L = 1.0;
  double Delta = 1.0;
  double sigma = 1.0;  // of one sample's noise; the batch mean's is BatchMeanSigma(sigma, p, n)
  double p = 2.0;
  double gradient_bound = 1.0;  // G = sup ||grad f||
  double step = 1.0;            // eta; the bound needs eta <= 1/L (checked)
  std::int64_t batch = 1;       // n
  std::int64_t iterations = 1;  // T
  double clip_threshold = 1.0;  // lambda
};

// B = ClipBiasBound(sigma_n, p, lambda, G), V = ClipVarianceBound(sigma_n, p, lambda, G) (the
// sharp per-vector bounds of section 1, non-decreasing in ||mu||, so valid at every step with
// ||grad f(x_t)|| <= G); one summand, of norm ||clip - E clip|| <= 2 lambda.
EstimatorMoments ClipSgdEstimatorMoments(const ClipSgdSetting& setting);
SgdBound ClipSgdExpectationBound(const ClipSgdSetting& setting);
SgdBound ClipSgdHighProbabilityBound(const ClipSgdSetting& setting, double delta);

// ---------------------------------------------------------------------------------------------
// 6. SGD x_{t+1} = x_t - eta gbar_t, gbar_t the mean of n sampled gradients at x_t, under a finite
// variance E||xi||^2 <= sigma^2 (p = 2; Ghadimi & Lan 2013, constants in THEORY.md Part II,
// section 6): B = 0 and V = sigma^2 / n. No G is needed. There is no high-probability bound: the
// noise has no almost-sure bound, so the Bennett and Freedman steps do not apply.
struct SgdSetting {
  double L = 1.0;
  double Delta = 1.0;
  double sigma = 1.0;  // (E||xi||^2)^(1/2) of one sample's noise
  double step = 1.0;   // eta; the bound needs eta <= 1/L (checked)
  std::int64_t batch = 1;
  std::int64_t iterations = 1;
};
EstimatorMoments SgdEstimatorMoments(const SgdSetting& setting);
SgdBound SgdExpectationBound(const SgdSetting& setting);

}  // namespace clipsim::theory

#include "clipsim/theory/bounds.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "clipsim/core/check.hpp"

namespace clipsim::theory {
namespace {

bool ValidP(double p) {
  return p > 1.0 && p <= 2.0;
}
bool ValidDelta(double delta) {
  return delta > 0.0 && delta < 1.0;
}

void RequireClipArgs(double sigma, double p, double lambda) {
  Require(sigma >= 0.0 && std::isfinite(sigma), "clip bound needs a finite sigma >= 0");
  Require(ValidP(p), "clip bound needs p in (1, 2]");
  Require(lambda > 0.0 && std::isfinite(lambda), "clip bound needs a finite lambda > 0");
}

// The premises of the generic descent bounds (THEORY.md Part II, section 3).
void RequireDescent(double L, double Delta, double step, std::int64_t iterations,
                    const EstimatorMoments& m) {
  Require(L > 0.0 && std::isfinite(L) && Delta >= 0.0 && std::isfinite(Delta) && step > 0.0 &&
              iterations >= 1,
          "SGD bound: L > 0, Delta >= 0, step > 0 and iterations >= 1 are required");
  // The descent step of the derivation uses L eta <= 1 (a relative slack for rounding of 1/L).
  Require(L * step <= 1.0 + 1e-12, "the SGD bound needs step <= 1/L");
  Require(m.bias >= 0.0 && std::isfinite(m.bias) && m.variance >= 0.0 && std::isfinite(m.variance),
          "the SGD bound needs a finite bias bound >= 0 and a finite variance bound >= 0");
}

// Per-sample bias and variance bounds of clip(X, lambda) under the chosen lemma.
struct PerSample {
  double bias;
  double variance;
};

PerSample PerSampleBounds(ClipLemma lemma, double sigma, double p, double lambda, double mu) {
  if (lemma == ClipLemma::kSharp) {
    return {ClipBiasBound(sigma, p, lambda, mu), ClipVarianceBound(sigma, p, lambda, mu)};
  }
  // Sadiev et al. where its premise ||mu|| <= lambda/2 holds; elsewhere the generic bounds
  // ||E clip X - mu|| <= E(||X|| - lambda)_+ <= (||mu|| - lambda)_+ + E||xi|| and
  // Var clip X <= E||clip X||^2 <= lambda^2. Both branches are also capped by the generic ones.
  const double generic_bias = std::max(0.0, mu - lambda) + sigma;
  const double generic_variance = lambda * lambda;
  if (mu <= 0.5 * lambda) {
    return {std::min(generic_bias, SadievClipBiasBound(sigma, p, lambda)),
            std::min(generic_variance, SadievClipVarianceBound(sigma, p, lambda))};
  }
  return {generic_bias, generic_variance};
}

}  // namespace

std::string_view ToString(ClipLemma lemma) {
  switch (lemma) {
    case ClipLemma::kSharp:
      return "sharp";
    case ClipLemma::kSadiev:
      return "sadiev";
  }
  return "?";
}

double SadievClipBiasBound(double sigma, double p, double lambda) {
  RequireClipArgs(sigma, p, lambda);
  return std::pow(2.0, p) * std::pow(sigma, p) / std::pow(lambda, p - 1.0);
}

double SadievClipVarianceBound(double sigma, double p, double lambda) {
  RequireClipArgs(sigma, p, lambda);
  return 18.0 * std::pow(lambda, 2.0 - p) * std::pow(sigma, p);
}

double ClipBiasConstant(double p) {
  Require(ValidP(p), "ClipBiasConstant needs p in (1, 2]");
  return std::pow(p - 1.0, p - 1.0) / std::pow(p, p);
}

double ClipBiasBound(double sigma, double p, double lambda, double mu_norm) {
  RequireClipArgs(sigma, p, lambda);
  Require(mu_norm >= 0.0 && std::isfinite(mu_norm), "clip bound needs a finite ||mu|| >= 0");
  // E(||X|| - lambda)_+ <= (mu - lambda)_+ + E(||xi|| - a)_+ with a = (lambda - mu)_+, and
  // E(Z - a)_+ <= min(E Z, C_p a^(1-p) E Z^p) <= min(sigma, C_p sigma^p a^(1-p)).
  const double a = std::max(0.0, lambda - mu_norm);
  double tail = sigma;
  if (a > 0.0)
    tail = std::min(sigma, ClipBiasConstant(p) * std::pow(sigma, p) * std::pow(a, 1.0 - p));
  return std::max(0.0, mu_norm - lambda) + tail;
}

double ClipVarianceBound(double sigma, double p, double lambda, double mu_norm) {
  RequireClipArgs(sigma, p, lambda);
  Require(mu_norm >= 0.0 && std::isfinite(mu_norm), "clip bound needs a finite ||mu|| >= 0");
  const double reach = lambda + std::min(mu_norm, lambda);
  return std::min(lambda * lambda, std::pow(sigma, p) * std::pow(reach, 2.0 - p));
}

double TruncatedMeanThreshold(double u, double p, std::int64_t k, double delta) {
  Require(u > 0.0 && std::isfinite(u) && ValidP(p) && k >= 1 && ValidDelta(delta),
          "TruncatedMeanThreshold needs u > 0, p in (1, 2], k >= 1, delta in (0, 1)");
  return std::pow(u * static_cast<double>(k) / std::log(1.0 / delta), 1.0 / p);
}

double TruncatedMeanBound(double u, double p, std::int64_t n, double delta) {
  Require(u > 0.0 && std::isfinite(u) && ValidP(p) && n >= 1 && ValidDelta(delta),
          "TruncatedMeanBound needs u > 0, p in (1, 2], n >= 1, delta in (0, 1)");
  return 4.0 * std::pow(u, 1.0 / p) *
         std::pow(std::log(1.0 / delta) / static_cast<double>(n), (p - 1.0) / p);
}

PsClipEstimatorMoments PsClipEstimatorBounds(const PsClipEstimatorSetting& s) {
  Require(s.sigma >= 0.0 && std::isfinite(s.sigma) && ValidP(s.p) && s.clip_scale > 0.0 &&
              std::isfinite(s.clip_scale) && s.clip_power > 0.0 && s.n >= 1 &&
              s.mean_norm_bound >= 0.0 && std::isfinite(s.mean_norm_bound),
          "PsClipEstimatorBounds: sigma >= 0, p in (1, 2], clip_scale > 0, clip_power > 0, "
          "n >= 1 and a finite mean_norm_bound >= 0 are required");
  // The sums over k are evaluated term by term (exact up to rounding; n is a batch size).
  double bias_sum = 0.0, variance_sum = 0.0, lambda_max = 0.0;
  for (std::int64_t k = 1; k <= s.n; ++k) {
    const double lambda = s.clip_scale * std::pow(static_cast<double>(k), 1.0 / s.clip_power);
    const PerSample b = PerSampleBounds(s.lemma, s.sigma, s.p, lambda, s.mean_norm_bound);
    bias_sum += b.bias;
    variance_sum += b.variance;
    lambda_max = std::max(lambda_max, lambda);
  }
  const double n = static_cast<double>(s.n);
  PsClipEstimatorMoments out;
  out.bias = bias_sum / n;
  out.variance = variance_sum / (n * n);
  out.rms_error = std::sqrt(out.bias * out.bias + out.variance);
  out.max_centered_norm = 2.0 * lambda_max;
  return out;
}

namespace {

// h(u) = (1 + u) log(1 + u) - u, with its series where the difference would cancel.
double BennettH(double u) {
  if (u < 1e-4) return u * u * (0.5 - u * (1.0 / 6.0 - u / 12.0));
  return (1.0 + u) * std::log1p(u) - u;
}

double BernsteinForm(double w, double a, double log_term) {
  const double linear = a * log_term / 3.0;
  return linear + std::sqrt(linear * linear + 2.0 * w * log_term);
}

}  // namespace

double BennettRadius(double w, double a, double log_term) {
  Require(w >= 0.0 && std::isfinite(w) && a >= 0.0 && std::isfinite(a) && log_term > 0.0,
          "BennettRadius needs finite w >= 0, a >= 0 and log_term > 0");
  if (w == 0.0) return 0.0;
  if (a == 0.0) return std::sqrt(2.0 * w * log_term);
  // (w / a^2) h(a s / w) grows with s; the Bernstein form is an upper end of the bracket.
  const auto excess = [&](double s) { return w / (a * a) * BennettH(a * s / w) - log_term; };
  double lo = 0.0, hi = BernsteinForm(w, a, log_term);
  for (int i = 0; i < 200 && hi - lo > 1e-12 * hi; ++i) {
    const double mid = 0.5 * (lo + hi);
    if (excess(mid) >= 0.0) {
      hi = mid;
    } else {
      lo = mid;
    }
  }
  return hi;  // the upper end: excess(hi) >= 0, so the tail at hi is <= exp(-log_term)
}

double VectorBennettRadius(double w, double a, double delta) {
  Require(ValidDelta(delta), "VectorBennettRadius needs delta in (0, 1)");
  return BennettRadius(w, a, std::log(2.0 / delta));
}

double VectorBernsteinRadius(double w, double a, double delta) {
  Require(w >= 0.0 && a >= 0.0 && ValidDelta(delta),
          "VectorBernsteinRadius needs w >= 0, a >= 0, delta in (0, 1)");
  return BernsteinForm(w, a, std::log(2.0 / delta));
}

double FreedmanRadius(double w, double a, double delta) {
  Require(ValidDelta(delta), "FreedmanRadius needs delta in (0, 1)");
  return BennettRadius(w, a, std::log(1.0 / delta));
}

double PsClipEstimatorHighProbabilityBound(const PsClipEstimatorSetting& setting, double delta) {
  Require(ValidDelta(delta), "PsClipEstimatorHighProbabilityBound needs delta in (0, 1)");
  const PsClipEstimatorMoments m = PsClipEstimatorBounds(setting);
  const double n = static_cast<double>(setting.n);
  return m.bias + VectorBennettRadius(n * n * m.variance, m.max_centered_norm, delta) / n;
}

double PsClipEstimatorClosedForm(double sigma, double p, std::int64_t n) {
  Require(sigma >= 0.0 && ValidP(p) && n >= 1, "PsClipEstimatorClosedForm: bad arguments");
  const double bias_constant = p * std::pow(2.0, p - 1.0) * ClipBiasConstant(p);
  const double variance_constant = std::pow(1.5, 2.0 - p);
  return sigma * std::pow(static_cast<double>(n), -(p - 1.0) / p) *
         std::sqrt(bias_constant * bias_constant + variance_constant);
}

SgdBound BiasedSgdExpectationBound(double L, double Delta, double step, std::int64_t iterations,
                                   const EstimatorMoments& m) {
  RequireDescent(L, Delta, step, iterations, m);
  SgdBound out;
  out.optimization = 2.0 * Delta / (step * static_cast<double>(iterations));
  out.noise = m.bias * m.bias + L * step * m.variance;
  out.value = std::sqrt(out.optimization + out.noise);
  return out;
}

SgdBound BiasedSgdHighProbabilityBound(double L, double Delta, double step, std::int64_t iterations,
                                       const EstimatorMoments& m, double delta) {
  RequireDescent(L, Delta, step, iterations, m);
  Require(ValidDelta(delta), "the high-probability SGD bound needs delta in (0, 1)");
  Require(m.summands >= 1 && m.summand_bound >= 0.0 && std::isfinite(m.summand_bound),
          "the high-probability SGD bound needs an almost-sure bound on the centered summands");
  const double n = static_cast<double>(m.summands);
  const double t = static_cast<double>(iterations);
  // Event 1 (probability >= 1 - delta/2): ||zeta_t|| <= r for every t (union over T steps).
  const double r = VectorBennettRadius(n * n * m.variance, m.summand_bound, 0.5 * delta / t) / n;
  // Event 2 (probability >= 1 - delta/2): Freedman on min(||zeta_t||^2, r^2), increments <= r^2,
  // conditional variances <= r^2 V; on event 1 the minimum is ||zeta_t||^2.
  const double q =
      std::min(r * r, m.variance + FreedmanRadius(t * r * r * m.variance, r * r, 0.5 * delta) / t);
  SgdBound out;
  out.optimization = 2.0 * Delta / (step * t);
  out.noise = (m.bias + std::sqrt(q)) * (m.bias + std::sqrt(q));
  out.value = std::sqrt(out.optimization + out.noise);
  return out;
}

namespace {

PsClipEstimatorSetting EstimatorOf(const PsClipSgdSetting& s) {
  Require(s.L > 0.0 && std::isfinite(s.L) && s.Delta >= 0.0 && std::isfinite(s.Delta) &&
              s.gradient_bound >= 0.0 && std::isfinite(s.gradient_bound) && s.step > 0.0 &&
              s.batch >= 1 && s.iterations >= 1,
          "PS-Clip-SGD bound: L > 0, Delta >= 0, a finite gradient bound, step > 0, batch >= 1 "
          "and iterations >= 1 are required");
  // The descent step of the derivation uses L eta <= 1 (a relative slack for rounding of 1/L).
  Require(s.L * s.step <= 1.0 + 1e-12, "PS-Clip-SGD bound needs step <= 1/L");
  PsClipEstimatorSetting e;
  e.sigma = s.sigma;
  e.p = s.p;
  e.clip_scale = s.clip_scale;
  e.clip_power = s.clip_power;
  e.n = s.batch;
  e.mean_norm_bound = s.gradient_bound;
  e.lemma = s.lemma;
  return e;
}

}  // namespace

EstimatorMoments PsClipSgdEstimatorMoments(const PsClipSgdSetting& s) {
  const PsClipEstimatorMoments m = PsClipEstimatorBounds(EstimatorOf(s));
  EstimatorMoments out;
  out.bias = m.bias;
  out.variance = m.variance;
  out.summands = s.batch;
  out.summand_bound = m.max_centered_norm;
  return out;
}

SgdBound PsClipSgdExpectationBound(const PsClipSgdSetting& s) {
  return BiasedSgdExpectationBound(s.L, s.Delta, s.step, s.iterations,
                                   PsClipSgdEstimatorMoments(s));
}

SgdBound PsClipSgdHighProbabilityBound(const PsClipSgdSetting& s, double delta) {
  Require(ValidDelta(delta), "PsClipSgdHighProbabilityBound needs delta in (0, 1)");
  return BiasedSgdHighProbabilityBound(s.L, s.Delta, s.step, s.iterations,
                                       PsClipSgdEstimatorMoments(s), delta);
}

double BatchMeanSigma(double sigma, double p, std::int64_t n) {
  Require(sigma >= 0.0 && std::isfinite(sigma) && ValidP(p) && n >= 1,
          "BatchMeanSigma needs a finite sigma >= 0, p in (1, 2] and n >= 1");
  if (n == 1) return sigma;
  const double k = static_cast<double>(n);
  // E||sum_k xi_k||^p <= sigma^p (1 + 2^(2-p) (n - 1)); the mean divides the sum by n.
  return sigma * std::pow(1.0 + std::pow(2.0, 2.0 - p) * (k - 1.0), 1.0 / p) / k;
}

namespace {

void RequireMethodSetting(double L, double Delta, double sigma, double step, std::int64_t batch,
                          std::int64_t iterations, const char* what) {
  Require(L > 0.0 && std::isfinite(L) && Delta >= 0.0 && std::isfinite(Delta) && sigma >= 0.0 &&
              std::isfinite(sigma) && step > 0.0 && batch >= 1 && iterations >= 1,
          what);
}

}  // namespace

EstimatorMoments ClipSgdEstimatorMoments(const ClipSgdSetting& s) {
  RequireMethodSetting(s.L, s.Delta, s.sigma, s.step, s.batch, s.iterations,
                       "Clip-SGD bound: L > 0, Delta >= 0, sigma >= 0, step > 0, batch >= 1 and "
                       "iterations >= 1 are required");
  Require(s.gradient_bound >= 0.0 && std::isfinite(s.gradient_bound),
          "Clip-SGD bound needs a finite gradient bound G >= 0");
  const double sigma_n = BatchMeanSigma(s.sigma, s.p, s.batch);
  EstimatorMoments out;
  out.bias = ClipBiasBound(sigma_n, s.p, s.clip_threshold, s.gradient_bound);
  out.variance = ClipVarianceBound(sigma_n, s.p, s.clip_threshold, s.gradient_bound);
  out.summands = 1;  // the clipped batch mean is one vector
  out.summand_bound = 2.0 * s.clip_threshold;
  return out;
}

SgdBound ClipSgdExpectationBound(const ClipSgdSetting& s) {
  return BiasedSgdExpectationBound(s.L, s.Delta, s.step, s.iterations, ClipSgdEstimatorMoments(s));
}

SgdBound ClipSgdHighProbabilityBound(const ClipSgdSetting& s, double delta) {
  return BiasedSgdHighProbabilityBound(s.L, s.Delta, s.step, s.iterations,
                                       ClipSgdEstimatorMoments(s), delta);
}

EstimatorMoments SgdEstimatorMoments(const SgdSetting& s) {
  RequireMethodSetting(s.L, s.Delta, s.sigma, s.step, s.batch, s.iterations,
                       "SGD bound: L > 0, Delta >= 0, sigma >= 0, step > 0, batch >= 1 and "
                       "iterations >= 1 are required");
  EstimatorMoments out;
  out.bias = 0.0;
  out.variance = s.sigma * s.sigma / static_cast<double>(s.batch);
  out.summands = s.batch;  // no almost-sure bound: summand_bound stays +infinity
  return out;
}

SgdBound SgdExpectationBound(const SgdSetting& s) {
  return BiasedSgdExpectationBound(s.L, s.Delta, s.step, s.iterations, SgdEstimatorMoments(s));
}

}  // namespace clipsim::theory

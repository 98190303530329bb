// The theory registry's prescriptions. Every formula here is derived in analysis/THEORY.md
// (sections named in each entry's `source`); change both together.
#include "clipsim/theory/registry.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <string_view>
#include <utility>

#include "clipsim/core/input_error.hpp"
#include "clipsim/core/number_text.hpp"
#include "clipsim/theory/bounds.hpp"

namespace clipsim::theory {
namespace {

// s = sigma^2 N / (L Delta): the dimensionless budget every prescription depends on.
double ScaledBudget(const TheoryInputs& in) {
  return in.sigma * in.sigma * static_cast<double>(in.budget) / (in.L * in.delta);
}

// n rounded to the nearest integer and kept in [1, N] (the prescription needs at least one
// sample per step and at least one step).
std::int64_t ClampBatch(double n, std::int64_t budget) {
  if (!(n >= 1.0)) return 1;
  if (n >= static_cast<double>(budget)) return budget;
  return std::max<std::int64_t>(1, std::llround(n));
}

// PS-Clip-SGD (THEORY.md, "PS-Clip-SGD"): eta = 1/L, n = s^(p/(3p-2)), clip_scale = sigma,
// clip_power = p, T = floor(N/n).
Prescription PrescribePsClip(const TheoryInputs& in) {
  const double s = ScaledBudget(in);
  Prescription r;
  r.batch_size = ClampBatch(std::pow(s, in.p / (3.0 * in.p - 2.0)), in.budget);
  r.iterations = in.budget / r.batch_size;
  r.eta = 1.0 / in.L;
  r.clip_scale = in.sigma;
  r.clip_power = in.p;
  r.formula = "eta = 1/L = " + ShortestText(r.eta) +
              ", n = (sigma^2 N / (L Delta))^(p/(3p-2)) = " + std::to_string(r.batch_size) +
              ", T = floor(N/n) = " + std::to_string(r.iterations) +
              ", clip_scale = sigma = " + ShortestText(in.sigma) +
              ", clip_power = p = " + ShortestText(in.p);
  return r;
}

// Clip-SGD with batch 1 (THEORY.md, "Clip-SGD"): lambda = sigma s^(1/(3p-2)),
// eta = min(1/(4L), s^(-p/(3p-2)) / (3L)), T = N.
Prescription PrescribeClip(const TheoryInputs& in) {
  const double s = ScaledBudget(in);
  const double q = 3.0 * in.p - 2.0;
  Prescription r;
  r.batch_size = 1;
  r.iterations = in.budget;
  r.clip_threshold = in.sigma * std::pow(s, 1.0 / q);
  r.eta = std::min(1.0 / (4.0 * in.L), std::pow(s, -in.p / q) / (3.0 * in.L));
  r.formula =
      "n = 1, T = N = " + std::to_string(r.iterations) +
      ", clip_threshold = sigma (sigma^2 N / (L Delta))^(1/(3p-2)) = " +
      ShortestText(r.clip_threshold) +
      ", eta = min(1/(4L), (sigma^2 N / (L Delta))^(-p/(3p-2)) / (3L)) = " + ShortestText(r.eta);
  return r;
}

// SGD under a finite variance (THEORY.md, "SGD"): n = 1, eta = min(1/L, sqrt(2 Delta/(L sigma^2
// N))), T = N.
Prescription PrescribeSgd(const TheoryInputs& in) {
  const double s = ScaledBudget(in);
  Prescription r;
  r.batch_size = 1;
  r.iterations = in.budget;
  r.eta = std::min(1.0, std::sqrt(2.0 / s)) / in.L;
  r.formula = "n = 1, T = N = " + std::to_string(r.iterations) +
              ", eta = min(1/L, sqrt(2 Delta / (L sigma^2 N))) = " + ShortestText(r.eta);
  return r;
}

double SlopeOptimal(double p) {
  return OptimalSlope(p);
}

// The bounds at the prescription (THEORY.md Part II, "Which bound each entry is checked
// against"). The hooks get validated inputs (TheoryEntry checks them) and the prescription.

TheoryBound FromSgdBound(const SgdBound& b) {
  TheoryBound out;
  out.available = true;
  out.value = b.value;
  out.optimization = b.optimization;
  out.noise = b.noise;
  return out;
}

TheoryBound Unavailable(std::string why) {
  TheoryBound out;
  out.why_not = std::move(why);
  return out;
}

// The clipped methods' estimator bounds are taken at ||grad f(x_t)|| <= G at every step.
std::string NoGradientBound(std::string_view method) {
  return "the " + std::string(method) +
         " bound needs a finite gradient bound G = sup ||grad f|| (its clipping bias and "
         "variance bounds are taken at ||grad f(x_t)|| <= G); this problem states none";
}

// The fields every method's bound setting (bounds.hpp) shares: the problem and noise
// constants of the inputs, and the step, batch and steps of the prescription.
template <class Setting>
Setting CommonSettingOf(const BoundInputs& in, const Prescription& pr) {
  Setting s;
  s.L = in.theory.L;
  s.Delta = in.theory.delta;
  s.sigma = in.theory.sigma;
  s.step = pr.eta;
  s.batch = pr.batch_size;
  s.iterations = pr.iterations;
  return s;
}

// The clipped methods' settings add p, G and their thresholds.
PsClipSgdSetting PsClipSettingOf(const BoundInputs& in, const Prescription& pr) {
  PsClipSgdSetting s = CommonSettingOf<PsClipSgdSetting>(in, pr);
  s.p = in.theory.p;
  s.gradient_bound = in.gradient_bound;
  s.clip_scale = pr.clip_scale;
  s.clip_power = pr.clip_power;
  return s;
}

ClipSgdSetting ClipSettingOf(const BoundInputs& in, const Prescription& pr) {
  ClipSgdSetting s = CommonSettingOf<ClipSgdSetting>(in, pr);
  s.p = in.theory.p;
  s.gradient_bound = in.gradient_bound;
  s.clip_threshold = pr.clip_threshold;
  return s;
}

TheoryBound PsClipExpectation(const BoundInputs& in, const Prescription& pr) {
  if (!std::isfinite(in.gradient_bound)) return Unavailable(NoGradientBound("ps_clip_sgd"));
  return FromSgdBound(PsClipSgdExpectationBound(PsClipSettingOf(in, pr)));
}

TheoryBound PsClipHighProbability(const BoundInputs& in, const Prescription& pr, double delta) {
  if (!std::isfinite(in.gradient_bound)) return Unavailable(NoGradientBound("ps_clip_sgd"));
  return FromSgdBound(PsClipSgdHighProbabilityBound(PsClipSettingOf(in, pr), delta));
}

TheoryBound ClipExpectation(const BoundInputs& in, const Prescription& pr) {
  if (!std::isfinite(in.gradient_bound)) return Unavailable(NoGradientBound("clip_sgd"));
  return FromSgdBound(ClipSgdExpectationBound(ClipSettingOf(in, pr)));
}

TheoryBound ClipHighProbability(const BoundInputs& in, const Prescription& pr, double delta) {
  if (!std::isfinite(in.gradient_bound)) return Unavailable(NoGradientBound("clip_sgd"));
  return FromSgdBound(ClipSgdHighProbabilityBound(ClipSettingOf(in, pr), delta));
}

TheoryBound SgdExpectation(const BoundInputs& in, const Prescription& pr) {
  return FromSgdBound(SgdExpectationBound(CommonSettingOf<SgdSetting>(in, pr)));
}

TheoryBound SgdHighProbability(const BoundInputs&, const Prescription&, double) {
  return Unavailable(
      "sgd has no high-probability bound in the registry: its noise has no almost-sure bound, "
      "so the Bennett and Freedman steps of the high-probability argument do not apply (a "
      "finite variance alone gives only Chebyshev-type 1/delta tails)");
}

std::vector<TheoryEntry> BuildEntries() {
  std::vector<TheoryEntry> e;
  {
    TheoryEntry t;
    t.method = "ps_clip_sgd";
    t.assumptions =
        "f is L-smooth on R^d (grad f L-Lipschitz), f(x0) - inf f <= Delta; g_k = grad f(x) + "
        "xi_k with xi_k i.i.d., mean zero, E||xi||^p <= sigma^p (central = raw moment, as the "
        "mean is zero) for p in (1, 2]; the bounds also use ||grad f(x)|| <= G for every x (G = "
        "sup ||grad f||, finite) and the prescribed step eta = 1/L";
    t.source =
        "Nobile & Grohs 2026 (method and clip_scale = sigma, clip_power = p); constants derived "
        "in analysis/THEORY.md (Part I, section PS-Clip-SGD: prescription; Part II, sections 2b-4: "
        "the bounds, from the sharp clipping lemma of section 1 and the descent lemma)";
    t.prescribe = &PrescribePsClip;
    t.slope = &SlopeOptimal;
    t.expectation_bound = &PsClipExpectation;
    t.high_probability_bound = &PsClipHighProbability;
    e.push_back(t);
  }
  {
    TheoryEntry t;
    t.method = "clip_sgd";
    t.assumptions =
        "f is L-smooth on R^d, f(x0) - inf f <= Delta; g = grad f(x) + xi, xi i.i.d., mean "
        "zero, E||xi||^p <= sigma^p for p in (1, 2]; the bounds also use ||grad f(x)|| <= G "
        "for every x (G = sup ||grad f||, finite) and eta <= 1/L (the prescription has "
        "eta <= 1/(4L))";
    t.source =
        "Zhang, Karimireddy, Veit, Kim, Reddi, Kumar, Sra 2020 (rate and growing threshold); "
        "prescription in analysis/THEORY.md Part I, section Clip-SGD; the bounds in Part II, "
        "section 5";
    t.prescribe = &PrescribeClip;
    t.slope = &SlopeOptimal;
    t.expectation_bound = &ClipExpectation;
    t.high_probability_bound = &ClipHighProbability;
    e.push_back(t);
  }
  {
    TheoryEntry t;
    t.method = "sgd";
    t.assumptions =
        "f is L-smooth on R^d, f(x0) - inf f <= Delta; g = grad f(x) + xi, xi i.i.d., mean "
        "zero, E||xi||^2 <= sigma^2 (p = 2 only: a finite variance)";
    t.source =
        "Ghadimi & Lan 2013 (randomly stopped SGD); prescription in analysis/THEORY.md Part I, "
        "section SGD; the bound in Part II, section 6";
    t.min_p = 2.0;
    t.max_p = 2.0;
    t.min_p_inclusive = true;
    t.prescribe = &PrescribeSgd;
    t.slope = &SlopeOptimal;
    t.expectation_bound = &SgdExpectation;
    t.high_probability_bound = &SgdHighProbability;
    e.push_back(t);
  }
  return e;
}

void RequirePositiveFinite(double v, const char* key, const TheoryEntry& entry) {
  if (!(v > 0.0) || !std::isfinite(v)) {
    throw InputError(key, ShortestText(v),
                     "must be positive and finite for the theory of " + std::string(entry.method));
  }
}

}  // namespace

double OptimalSlope(double p) {
  return -(p - 1.0) / (3.0 * p - 2.0);
}

bool TheoryEntry::Covers(double p) const {
  const bool above = min_p_inclusive ? p >= min_p : p > min_p;
  return above && p <= max_p;
}

Prescription TheoryEntry::Prescribe(const TheoryInputs& in) const {
  if (!Covers(in.p)) {
    std::string range = min_p == max_p ? "p = " + ShortestText(max_p)
                                       : std::string(min_p_inclusive ? "[" : "(") +
                                             ShortestText(min_p) + ", " + ShortestText(max_p) + "]";
    throw InputError("p", ShortestText(in.p),
                     "the theory of " + std::string(method) + " covers only " + range);
  }
  RequirePositiveFinite(in.L, "L", *this);
  RequirePositiveFinite(in.delta, "Delta = f(x0) - f_low", *this);
  RequirePositiveFinite(in.sigma, "sigma", *this);
  if (in.budget < 1) {
    throw InputError("budget", std::to_string(in.budget), "must be >= 1");
  }
  return prescribe(in);
}

double TheoryEntry::Slope(double p) const {
  return slope(p);
}

namespace {

void RequireGradientBound(double g, const TheoryEntry& entry) {
  if (std::isnan(g) || g < 0.0) {
    throw InputError("gradient_bound", ShortestText(g),
                     "must be >= 0 (+infinity when the problem has none) for the bounds of " +
                         std::string(entry.method));
  }
}

}  // namespace

TheoryBound TheoryEntry::ExpectationBound(const BoundInputs& in) const {
  const Prescription pr = Prescribe(in.theory);
  RequireGradientBound(in.gradient_bound, *this);
  TheoryBound out = expectation_bound(in, pr);
  out.prescription = pr;
  return out;
}

TheoryBound TheoryEntry::HighProbabilityBound(const BoundInputs& in, double delta) const {
  const Prescription pr = Prescribe(in.theory);
  RequireGradientBound(in.gradient_bound, *this);
  if (!(delta > 0.0 && delta < 1.0)) {
    throw InputError("delta", ShortestText(delta), "must be in (0, 1)");
  }
  TheoryBound out = high_probability_bound(in, pr, delta);
  out.prescription = pr;
  return out;
}

const std::vector<TheoryEntry>& TheoryEntries() {
  static const std::vector<TheoryEntry> entries = BuildEntries();
  return entries;
}

const TheoryEntry* FindTheory(std::string_view method) {
  for (const TheoryEntry& e : TheoryEntries()) {
    if (e.method == method) return &e;
  }
  return nullptr;
}

std::string TheoryMethodList() {
  std::string s;
  for (const TheoryEntry& e : TheoryEntries()) s += (s.empty() ? "" : ", ") + std::string(e.method);
  return s;
}

}  // namespace clipsim::theory

// The theory registry's prescriptions. Every formula here is derived in analysis/THEORY.md
// (sections named in each entry's `source`); change both together.
#include "clipsim/analysis/theory.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "clipsim/core/input_error.hpp"
#include "detail/format.hpp"

namespace clipsim::analysis {
namespace {

using detail::Shortest;

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
  r.formula = "eta = 1/L = " + Shortest(r.eta) +
              ", n = (sigma^2 N / (L Delta))^(p/(3p-2)) = " + std::to_string(r.batch_size) +
              ", T = floor(N/n) = " + std::to_string(r.iterations) +
              ", clip_scale = sigma = " + Shortest(in.sigma) +
              ", clip_power = p = " + Shortest(in.p);
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
      Shortest(r.clip_threshold) +
      ", eta = min(1/(4L), (sigma^2 N / (L Delta))^(-p/(3p-2)) / (3L)) = " + Shortest(r.eta);
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
              ", eta = min(1/L, sqrt(2 Delta / (L sigma^2 N))) = " + Shortest(r.eta);
  return r;
}

double SlopeOptimal(double p) {
  return OptimalSlope(p);
}

std::vector<TheoryEntry> BuildEntries() {
  std::vector<TheoryEntry> e;
  {
    TheoryEntry t;
    t.method = "ps_clip_sgd";
    t.assumptions =
        "f is L-smooth on R^d (grad f L-Lipschitz), f(x0) - inf f <= Delta; g_k = grad f(x) + "
        "xi_k with xi_k i.i.d., mean zero, E||xi||^p <= sigma^p (central = raw moment, as the "
        "mean is zero) for p in (1, 2]; the estimator bound also uses ||grad f(x_t)|| <= "
        "clip_scale / 2 along the path (the premise of Sadiev et al. 2023, Lemma 5.1)";
    t.source =
        "Nobile & Grohs 2026 (method and clip_scale = sigma, clip_power = p); constants derived "
        "in analysis/THEORY.md, section PS-Clip-SGD, from Sadiev et al. 2023 Lemma 5.1 and the "
        "smooth non-convex descent lemma";
    t.prescribe = &PrescribePsClip;
    t.slope = &SlopeOptimal;
    e.push_back(t);
  }
  {
    TheoryEntry t;
    t.method = "clip_sgd";
    t.assumptions =
        "f is L-smooth on R^d, f(x0) - inf f <= Delta; g = grad f(x) + xi, xi i.i.d., mean "
        "zero, E||xi||^p <= sigma^p for p in (1, 2]; ||grad f(x_t)|| <= clip_threshold / 2 "
        "along the path (premise of Sadiev et al. 2023, Lemma 5.1)";
    t.source =
        "Zhang, Karimireddy, Veit, Kim, Reddi, Kumar, Sra 2020 (rate and growing threshold); "
        "constants derived in analysis/THEORY.md, section Clip-SGD";
    t.prescribe = &PrescribeClip;
    t.slope = &SlopeOptimal;
    e.push_back(t);
  }
  {
    TheoryEntry t;
    t.method = "sgd";
    t.assumptions =
        "f is L-smooth on R^d, f(x0) - inf f <= Delta; g = grad f(x) + xi, xi i.i.d., mean "
        "zero, E||xi||^2 <= sigma^2 (p = 2 only: a finite variance)";
    t.source =
        "Ghadimi & Lan 2013 (randomly stopped SGD); constants in analysis/THEORY.md, section SGD";
    t.min_p = 2.0;
    t.max_p = 2.0;
    t.min_p_inclusive = true;
    t.prescribe = &PrescribeSgd;
    t.slope = &SlopeOptimal;
    e.push_back(t);
  }
  return e;
}

void RequirePositiveFinite(double v, const char* key, const TheoryEntry& entry) {
  if (!(v > 0.0) || !std::isfinite(v)) {
    throw InputError(key, Shortest(v),
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
    std::string range = min_p == max_p ? "p = " + Shortest(max_p)
                                       : std::string(min_p_inclusive ? "[" : "(") +
                                             Shortest(min_p) + ", " + Shortest(max_p) + "]";
    throw InputError("p", Shortest(in.p),
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

}  // namespace clipsim::analysis

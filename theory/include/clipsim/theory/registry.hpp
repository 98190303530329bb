// The theory registry: for each method the theory covers, its assumptions, the parameters it
// prescribes for a budget of N sampled gradients, and its rate exponent in N. This is the one
// place that both sim's `theory` schedule and the analysis's theoretical slopes read: a library
// of its own (theory/, on core only) that both link, so that sim does not depend on analysis.
// Derivations of every prescription and constant: analysis/THEORY.md.
//
// Entries are keyed by the optimizer's config name ("ps_clip_sgd", "clip_sgd", "sgd") so that
// analysis, which never depends on sim, can look them up from result columns.
//
// Each entry also gives its bounds with explicit constants at its own prescription
// (ExpectationBound, HighProbabilityBound; THEORY.md Part II, "Which bound each entry is checked
// against"), built from theory/bounds.hpp.
//
// Extending: add fields or member functions to TheoryEntry (the registry is a fixed table built in
// theory/src/registry.cpp), never a second table.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace clipsim::theory {

// What the theory is told about one run. Units: L in 1/length^2-ish (Lipschitz constant of grad
// f), delta in units of f, sigma in units of a gradient.
struct TheoryInputs {
  double L = 0.0;           // global Lipschitz constant of grad f, > 0 and finite
  double delta = 0.0;       // f(x0) - f_low, > 0 and finite
  double sigma = 0.0;       // (E||xi||^p)^(1/p) of one sample's noise (raw moment), > 0, finite
  double p = 2.0;           // moment order, in (1, 2]
  std::int64_t budget = 0;  // N, sampled gradients, >= 1
};

// The parameters a method's theorem prescribes for one budget. Fields a method does not use are
// NaN (thresholds) so that a reader cannot mistake them for a setting.
struct Prescription {
  double eta = 0.0;             // constant step size
  std::int64_t batch_size = 1;  // samples per iteration n, 1 <= n <= N
  std::int64_t iterations = 0;  // T = floor(N / n)
  // clip_sgd: threshold of the batch mean; NaN otherwise.
  double clip_threshold = std::numeric_limits<double>::quiet_NaN();
  // ps_clip_sgd: lambda_k = clip_scale * k^(1 / clip_power); NaN otherwise.
  double clip_scale = std::numeric_limits<double>::quiet_NaN();
  double clip_power = std::numeric_limits<double>::quiet_NaN();
  std::string formula;  // the prescription in words, for reports
};

// What a bound needs beyond the prescription's inputs.
struct BoundInputs {
  TheoryInputs theory;  // L, Delta, sigma(p), p, N
  // G = sup_x ||grad f(x)|| (ProblemFacts::gradient_bound), >= 0; +infinity when the problem has
  // no finite bound (then the clipped methods have no bound: see TheoryBound::why_not).
  double gradient_bound = std::numeric_limits<double>::infinity();
};

// A bound of an entry at its own prescription for the inputs.
struct TheoryBound {
  // false: a premise fails; why_not says which, in words a report can print.
  bool available = false;
  std::string why_not;
  // In expectation: an upper bound on sqrt((1/T) sum_{t<T} E||grad f(x_t)||^2), which is
  // >= E||grad f(x_R)|| for R uniform on {0..T-1} (and = sqrt(E mean_sq_grad_norm), >=
  // E mean_grad_norm of the run's last checkpoint).
  // High probability: an upper bound, holding with probability >= 1 - delta, on
  // sqrt((1/T) sum_{t<T} ||grad f(x_t)||^2) (the run's sqrt(mean_sq_grad_norm)).
  double value = std::numeric_limits<double>::quiet_NaN();
  // The two terms inside the square root: value = sqrt(optimization + noise).
  double optimization = std::numeric_limits<double>::quiet_NaN();  // 2 Delta / (eta T)
  double noise = std::numeric_limits<double>::quiet_NaN();         // the estimator term
  Prescription prescription;  // the parameters the bound was evaluated at
};

struct TheoryEntry {
  std::string_view method;       // config name of the optimizer
  std::string_view assumptions;  // exact statement (smoothness, Delta, moment: central or raw)
  std::string_view source;       // paper and result, or "derived in THEORY.md, section ..."
  double min_p = 1.0;            // the entry covers p in (min_p, max_p] (sgd: p = 2 only)
  double max_p = 2.0;
  bool min_p_inclusive = false;

  // Throws InputError naming the input and its allowed range when the inputs are out of the
  // entry's domain (p outside it, L, delta or sigma not positive and finite, budget < 1).
  Prescription Prescribe(const TheoryInputs& in) const;
  // Exponent s of the predicted rate E||grad f(x_R)|| ~ N^s: -(p-1)/(3p-2) for every entry here.
  double Slope(double p) const;
  // Whether p lies in the entry's domain.
  bool Covers(double p) const;

  // The entry's in-expectation bound at Prescribe(in.theory) (THEORY.md Part II, "Which bound each
  // entry is checked against"). Throws InputError where Prescribe does, and for a gradient bound
  // that is NaN or negative; a failed premise (no finite G for a clipped method) is no error but
  // available = false with why_not.
  TheoryBound ExpectationBound(const BoundInputs& in) const;
  // The same with probability >= 1 - delta, delta in (0, 1) (InputError otherwise). sgd has none
  // (its noise is unbounded): available = false with why_not.
  TheoryBound HighProbabilityBound(const BoundInputs& in, double delta) const;

  // Implementation hooks (set in theory.cpp). The bound hooks get validated inputs and the
  // prescription for them, and fill every field but `prescription`.
  Prescription (*prescribe)(const TheoryInputs&) = nullptr;
  double (*slope)(double p) = nullptr;
  TheoryBound (*expectation_bound)(const BoundInputs&, const Prescription&) = nullptr;
  TheoryBound (*high_probability_bound)(const BoundInputs&, const Prescription&,
                                        double delta) = nullptr;
};

// -(p-1)/(3p-2): the optimal exponent of N for E||grad f|| on smooth non-convex problems with a
// bounded p-th noise moment (the lower bound of Zhang et al. 2020, matched by clipped methods).
double OptimalSlope(double p);

// Every entry, in a fixed order (ps_clip_sgd, clip_sgd, sgd).
const std::vector<TheoryEntry>& TheoryEntries();
// The entry of a method, or nullptr when the registry has none.
const TheoryEntry* FindTheory(std::string_view method);
// "ps_clip_sgd, clip_sgd, sgd": for messages that list what exists.
std::string TheoryMethodList();

}  // namespace clipsim::theory

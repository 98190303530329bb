// The theory registry: for each method the theory covers, its assumptions, the parameters it
// prescribes for a budget of N sampled gradients, and its rate exponent in N. This is the one
// place that both sim's `theory` schedule and the analysis's theoretical slopes read.
// Derivations of every prescription and constant: analysis/THEORY.md.
//
// Entries are keyed by the optimizer's config name ("ps_clip_sgd", "clip_sgd", "sgd") so that
// analysis, which never depends on sim, can look them up from result columns.
//
// Extending: a later part adds the bounds with explicit constants; add fields or member functions
// to TheoryEntry (the registry is a fixed table built in theory.cpp), never a second table.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace clipsim::analysis {

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

  // Implementation hooks (set in theory.cpp).
  Prescription (*prescribe)(const TheoryInputs&) = nullptr;
  double (*slope)(double p) = nullptr;
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

}  // namespace clipsim::analysis

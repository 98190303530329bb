#include "clipsim/analysis/verdict.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "clipsim/analysis/format.hpp"

namespace clipsim::analysis {

std::string_view ToString(Verdict verdict) {
  switch (verdict) {
    case Verdict::kAtLeastAsFast:
      return "at least as fast as theory";
    case Verdict::kSlower:
      return "slower than theory";
    case Verdict::kInconclusive:
      return "inconclusive";
    case Verdict::kNoTheory:
      return "no theory slope";
    case Verdict::kNoFit:
      return "no fit";
    case Verdict::kWithheld:
      return "withheld";
    case Verdict::kNotTestable:
      return "not testable at these budgets";
  }
  return "?";
}

std::string VerdictOptions::Validate() const {
  if (!(confidence > 0.5 && confidence < 1.0)) {
    return "confidence is " + Shortest(confidence) + ", but must be in (0.5, 1)";
  }
  if (!(margin >= 0.0 && margin < 1.0)) {
    return "margin is " + Shortest(margin) +
           ", but must be in [0, 1) (slope units: log statistic per log N)";
  }
  return "";
}

SlopeTest TestSlope(double measured, std::span<const double> slope_replicates, double theory,
                    double margin) {
  SlopeTest out;
  out.measured = measured;
  out.theory = theory;
  out.boundary = theory + margin;
  int at_or_above = 0;
  int at_or_below = 0;
  for (double b : slope_replicates) {
    // An undefined replicate supports neither claim.
    if (std::isnan(b) || b >= out.boundary) ++at_or_above;
    if (std::isnan(b) || b <= out.boundary) ++at_or_below;
  }
  const double denominator = static_cast<double>(slope_replicates.size()) + 1.0;
  out.p_fast = (1.0 + at_or_above) / denominator;
  out.p_slow = (1.0 + at_or_below) / denominator;
  out.p_holm = 1.0;
  out.verdict = Verdict::kInconclusive;
  return out;
}

std::vector<double> HolmAdjust(std::span<const double> p_values) {
  const std::size_t m = p_values.size();
  std::vector<std::size_t> order(m);
  std::iota(order.begin(), order.end(), 0);
  // Stable, so ties keep their input order and the output is deterministic.
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return p_values[a] < p_values[b]; });
  std::vector<double> adjusted(m);
  double running = 0.0;
  for (std::size_t j = 0; j < m; ++j) {
    const double scaled = std::min(1.0, static_cast<double>(m - j) * p_values[order[j]]);
    running = std::max(running, scaled);
    adjusted[order[j]] = running;
  }
  return adjusted;
}

void ApplyHolm(std::span<SlopeTest*> family, double confidence) {
  std::vector<double> p;
  p.reserve(2 * family.size());
  for (const SlopeTest* t : family) {
    p.push_back(t->p_fast);
    p.push_back(t->p_slow);
  }
  const std::vector<double> adjusted = HolmAdjust(p);
  for (std::size_t i = 0; i < family.size(); ++i) {
    DecideSlopeTest(*family[i], adjusted[2 * i], adjusted[2 * i + 1], confidence);
  }
}

void DecideSlopeTest(SlopeTest& t, double adjusted_fast, double adjusted_slow, double confidence) {
  const double a = 1.0 - confidence;
  const bool fast_is_smaller = t.p_fast <= t.p_slow;
  t.p_holm = fast_is_smaller ? adjusted_fast : adjusted_slow;
  if (t.p_holm <= a) {
    t.verdict = fast_is_smaller ? Verdict::kAtLeastAsFast : Verdict::kSlower;
  } else {
    t.verdict = Verdict::kInconclusive;
  }
}

}  // namespace clipsim::analysis

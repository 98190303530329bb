// Verdicts on measured rates against the theory's slope, with a stated confidence, an explicit
// equivalence margin and a Holm correction across the cells of a sweep.
//
// What is tested. Theorem slopes are worst-case upper bounds: E||grad f(x_R)|| <= C N^s_th, with
// s_th < 0 (e.g. -(p-1)/(3p-2)). A measured slope b steeper than s_th agrees with the theorem; a
// shallower one contradicts it (at the budgets tried). Over a finite range of N a correct rate
// can still bend (constants, transients), so the claims are made against the boundary
//   c = s_th + margin,   margin >= 0 (slope units: log stat per log N),
// and for each cell two one-sided hypotheses are tested on the bootstrap distribution of b:
//   H_fast:  b >= c  (slower than theory by at least the margin). Rejecting it gives the verdict
//            "at least as fast as theory": b < s_th + margin with the stated confidence.
//            p_fast = (1 + #{b* >= c or b* undefined}) / (B + 1).
//   H_slow:  b <= c  (within the margin of theory, or faster). Rejecting it gives the verdict
//            "slower than theory": b > s_th + margin with the stated confidence.
//            p_slow = (1 + #{b* <= c or b* undefined}) / (B + 1).
// These are percentile-bootstrap tests (reject H_fast at level a exactly when the upper
// (1 - a) percentile of b* is below c), with the +1 that keeps a Monte-Carlo p-value valid
// (Davison & Hinkley 1997, section 4.2); undefined replicates (a diverged run in the resample at
// the wrong budget) count against both claims. At most one of the two can be rejected at a < 1/2,
// so a cell gets one verdict: "at least as fast as theory", "slower than theory" or
// "inconclusive" (neither rejected), never both.
//
// Multiplicity. A sweep makes one claim per cell and statistic; the family is every cell of the
// sweep for one (metric, statistic). Holm's step-down procedure (Holm 1979) runs over the 2K
// one-sided p-values of the K cells of a family: sorted ascending p_(1) <= ... <= p_(2K), the
// hypothesis of rank i is rejected while p_(j) <= a / (2K - j + 1) for all j <= i, a =
// 1 - confidence. This bounds the probability of ANY false claim in the family by a under any
// dependence between cells (cells share noise seeds), given valid per-test p-values. The adjusted
// p-value of the claim made is reported with it.
//
// Resolution: the smallest p-value is 1/(B + 1); with B = 2000 replicates and a = 0.05, at most
// about 100 one-sided hypotheses (50 cells) can be rejected at the first Holm step. The summary
// states B, the confidence and the margin next to every verdict table.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace clipsim::analysis {

enum class Verdict {
  kAtLeastAsFast,  // b < s_th + margin, with confidence (Holm-adjusted)
  kSlower,         // b > s_th + margin, with confidence (Holm-adjusted)
  kInconclusive,   // neither claim holds at the stated confidence
  kNoTheory,       // the registry has no slope for this method and setting
  kNoFit,          // the rate fit is undefined (see its reason)
  kWithheld,       // the statistic cannot carry a verdict here (the mean where its bootstrap
                   // interval is unreliable: infinite variance across seeds or divergence)
  kNotTestable,    // the theorem says nothing at these budgets (regime.hpp: too few steps, a
                   // bound above ||grad f(x_0)|| or not yet at its slope, nothing clipped, or
                   // too few such budgets for a rate); the reason says which
};
std::string_view ToString(Verdict verdict);

struct VerdictOptions {
  // Familywise confidence of the claims of one family (Holm): 1 - a.
  double confidence = 0.95;
  // Equivalence margin in slope units: a slope up to this much shallower than the theory's still
  // counts as "at least as fast". It absorbs the bending of a correct rate over a finite range of
  // budgets; 0 tests the bare theorem slope.
  double margin = 0.05;

  // Empty when valid; otherwise names the field, its value and the rule.
  std::string Validate() const;
};

struct SlopeTest {
  double measured = 0.0;  // b, the point estimate
  double theory = 0.0;    // s_th
  double boundary = 0.0;  // c = s_th + margin
  double p_fast = 1.0;    // one-sided p-value against H_fast
  double p_slow = 1.0;    // one-sided p-value against H_slow
  double p_holm = 1.0;    // Holm-adjusted p-value of the direction with the smaller p-value
  Verdict verdict = Verdict::kInconclusive;
};

// The two one-sided p-values from the slope's bootstrap replicates (NaN = undefined replicate).
// verdict and p_holm are set by ApplyHolm.
SlopeTest TestSlope(double measured, std::span<const double> slope_replicates, double theory,
                    double margin);

// Holm-adjusted p-values for any list: adj_(i) = max_{j <= i} min(1, (M - j + 1) p_(j)).
std::vector<double> HolmAdjust(std::span<const double> p_values);

// Decides a family of tests (one per cell): sets p_holm and verdict of each, as described above.
void ApplyHolm(std::span<SlopeTest*> family, double confidence);

// Sets p_holm and verdict of one test from its two Holm-adjusted p-values, by ApplyHolm's rule,
// for a caller that runs Holm over a larger family (a claim's slope and bound hypotheses).
void DecideSlopeTest(SlopeTest& test, double adjusted_fast, double adjusted_slow,
                     double confidence);

}  // namespace clipsim::analysis

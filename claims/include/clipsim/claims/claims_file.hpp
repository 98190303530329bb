// Reading a claims file (YAML): the claims a report decides, each with its sweep folder, decision
// kind, selectors and regions (claims.hpp). Schema, every key checked (unknown keys refused):
//
//   title: text                      report title
//   confidence: 0.95                 familywise confidence per claim, in (0.5, 1)
//   bootstrap: 2000                  bootstrap replicates of the slope fits, in [100, 1000000]
//   bootstrap_seed: 20260501         integer >= 0
//   claims:                          non-empty list of
//     - id: "1"                      unique text
//       title: text
//       statement: text              what is claimed and how it is tested
//       kind: rate | delta_exponent | paired_ratio | slope_region | hp_bound | floor | ode |
//             hitting_time
//       sweep: folder                under the results root
//       metric: mean_grad_norm       a checkpoint column
//       statistics: [mean, mom]      rate: preference order; slope_region: the first
//       margin: 0.05                 rate, floor (relative tolerance on the bounds): in [0, 1)
//       delta_high: 0.01             delta_exponent: d1 in (0, 1)
//       delta_low: 0.001             delta_exponent: d2 in (0, d1)
//       budget: 0                    paired_ratio, delta_exponent, hp_bound: 0 = the largest
//       deltas: [0.1, 0.01, 0.001]   hp_bound: the deltas, each in (0, 1)
//       equal_time: false            paired_ratio
//       time_drift: 0.2              equal_time: the speed drift between the cells' timings
//                                    that an equal-time row must survive, in [0, 1]
//       tuned: tuned.csv             paired_ratio: decide at every budget between the settings
//                                    tuned for it (clipsim tune --tuned), under the results root
//       tolerance: 0.05              ode: relative error allowed at the largest d, in (0, 10]
//       horizon: 0                   ode: compare checkpoints with samples <= horizon x d (0: all)
//       figures: [rate_*_d10_]       plot file names matching any of these ('*': anything)
//       max_figures: 4               in [0, 100]
//       include: [tuning.md]         markdown files under the results root shown in the claim
//       regime:                      the testability rules (analysis/regime.hpp), each optional:
//         min_steps: 30              integer >= 1
//         max_bound_ratio: 0.5       > 0
//         slope_tolerance: 0.05      >= 0
//         min_clipped_per_run: 1     >= 0
//         min_rate_budgets: 3        integer >= 2
//         min_rate_span: 10          >= 1
//       flat_margin: 0.1             floor: resolved where F(N2)/F(N1) is within 1 +- this, (0, 1)
//       lower_factor: 1              floor: factor on the lower bound, > 0 (a planted constant)
//       upper_factor: 1              floor: factor on the upper bound, > 0
//       hitting:                     hitting_time: where its points are testable (HittingRules)
//         max_eps_ratio: 0.1         in (0, 1]: eps <= this x ||grad f(x0)||
//         min_points: 3              integer >= 2: separation points
//         min_span: 10               >= 1: separation's largest M / smallest M
//       rows:                        non-empty list of
//         - name: text
//           select: {column: value, ...}
//           against: {column: value, ...}       paired_ratio (required), delta_exponent,
//                                               hitting_time (required for separation)
//           region: [lower, upper]              numbers, .inf / -.inf allowed, lower <= upper
//                                               (floor: only on slope rows, where required;
//                                               delta_exponent with against: optional, on the
//                                               difference of the two exponents)
//           control: false                      reported, never counted
//           checks: [bound, slope]              rate: the rows made per cell; floor: [lower,
//           upper];
//                                               ode: agreement, trend (default both) or ccc
//                                               (region required); hitting_time: [bound,
//                                               separation]
//           expect: holds                       rate, hitting_time: holds, or violated (a twin);
//                                               floor: floor (default) or none; ode: agrees, or
//                                               disagrees (a planted wrong ODE)
//           along: optimizer.clip_threshold     floor: a slope row along this grid column
//           within: [1, .inf]                   floor, with along: the cells' range of values
//           ode: {mu_factor: 1, nu_factor: 1, unclipped: false}   ode: the ODE predicted with
//           bound_factor: 1                     hitting_time: > 0, multiplies Theorem 3's bound
//           slope: at_least_as_fast             rate: or equal (within the margin: optimality)
//           require_clipping: false             paired_ratio, delta_exponent: not testable
//                                               unless a clips (delta_exponent: and T >=
//                                               min_steps, and the seeds resolve the deltas)
//
// Throws InputError (file, line, column, key, allowed range) for anything else.
#pragma once

#include <string>

#include "clipsim/claims/claims.hpp"

namespace clipsim::claims {

ClaimsFile ReadClaimsFile(const std::string& path);
// The same from YAML text; `path` only names the file in errors.
ClaimsFile ParseClaimsFile(const std::string& text, const std::string& path);

}  // namespace clipsim::claims

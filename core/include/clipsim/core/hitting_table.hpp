// The hitting-time facts of a sweep folder, `hitting.csv`: for sweeps whose runs stop at
// ||grad f(x_t)|| <= eps (the run key stop_at_grad_norm), what an analysis of iterations-to-eps
// needs beyond resolved.csv (core/resolved_table.hpp): the stopping level and the problem's
// (L0, L1)-smoothness and level-set facts at the run's start. `sim` writes it when a sweep
// completes, only when some cell sets stop_at_grad_norm (every other folder is as before);
// `analysis` reads it (hitting_time.hpp).
//
// One row per (cell, budget), cells in grid order, budgets in file order. Columns, in order:
//   cell                  the cell id (16 hex digits), as in results.csv
//   budget                N, sampled gradients
//   stop_grad_norm        eps, the run's stop_at_grad_norm (0: the cell never stops early)
//   L0, L1                the problem's (L0, L1)-smoothness ||Hess f(x)|| <= L0 + L1 ||grad f(x)||
//                         on all of R^d (ProblemFacts; nan where not known; L1 = 0 for a globally
//                         L-smooth problem that states (L, 0))
//   level_set_grad_bound  M = sup{||grad f(x)|| : f(x) <= f(x_0)} at the run's start x_0
//                         (Problem::LevelSetGradientBound; nan where not known, inf if unbounded)
// Numbers are in shortest round-trip form, with `inf` and `nan` spelled out.
#pragma once

#include <array>
#include <string_view>

namespace clipsim::hitting_table {

inline constexpr std::string_view kFileName = "hitting.csv";

inline constexpr std::array<std::string_view, 6> kColumns = {
    "cell", "budget", "stop_grad_norm", "L0", "L1", "level_set_grad_bound"};

}  // namespace clipsim::hitting_table

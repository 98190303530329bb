// The resolved-parameters table of a sweep folder, `resolved.csv`: what every (cell, budget) of a
// sweep actually ran with, and the problem and noise facts the theory needs. `sim` writes it when
// a sweep completes; `analysis` reads it to decide whether a cell is in the regime a theorem
// speaks about (the prescribed batch n and steps T, the bound with its constants) without
// rebuilding problems or noise models, which it cannot: it does not link `sim` or `noise`.
//
// One row per (cell, budget), cells in grid order, budgets in file order. Columns, in order:
//   cell             the cell id (16 hex digits), as in results.csv
//   budget           N, sampled gradients
//   method           the optimizer's config name
//   prescription     the theory-registry entry whose prescription the run took (theory
//                    schedule), "" otherwise; differs from `method` for a control
//   batch_size       n, rows per micro-batch, as run
//   accumulation     K, micro-batches per step
//   iterations       T = floor(N / (n K))
//   samples          T n K <= N
//   eta              the base step as run (theory: the prescribed step times step_factor)
//   step_factor      the theory schedule's step_factor (1 otherwise)
//   batch_factor     the theory schedule's batch_factor (1 otherwise)
//   clip_factor      the theory schedule's clip_factor (1 otherwise)
//   clip_threshold   as run; inf for methods without one
//   clip_scale       PS-Clip-SGD's lambda_1 as run; inf for other methods
//   clip_power       PS-Clip-SGD's exponent as run
//   sigma            sigma(p) = (E||xi||^p)^(1/p) of the noise in the problem's dimension (of
//                    the scalar label law for a problem with label noise); nan without noise
//   p                the run's moment order
//   L                the problem's global Lipschitz constant of grad f; nan if it has none
//   delta            f(x_0) - f_low at the default start
//   gradient_bound   G = sup ||grad f||; inf when unbounded
//   start_grad_norm  ||grad f(x_0)||
// Numbers are in shortest round-trip form, with `inf` and `nan` spelled out.
#pragma once

#include <array>
#include <string_view>

namespace clipsim::resolved_table {

inline constexpr std::string_view kFileName = "resolved.csv";

inline constexpr std::array<std::string_view, 21> kColumns = {"cell",
                                                              "budget",
                                                              "method",
                                                              "prescription",
                                                              "batch_size",
                                                              "accumulation",
                                                              "iterations",
                                                              "samples",
                                                              "eta",
                                                              "step_factor",
                                                              "batch_factor",
                                                              "clip_factor",
                                                              "clip_threshold",
                                                              "clip_scale",
                                                              "clip_power",
                                                              "sigma",
                                                              "p",
                                                              "L",
                                                              "delta",
                                                              "gradient_bound",
                                                              "start_grad_norm"};

}  // namespace clipsim::resolved_table

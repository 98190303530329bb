// Iterations to eps (hitting times) from a sweep whose runs stop at the first t with
// ||grad f(x_t)|| <= eps (the run key stop_at_grad_norm), and the bound of Zhang, He, Sra &
// Jadbabaie (2020, "Why gradient clipping accelerates training: a theoretical justification for
// adaptivity", ICLR 2020) on clipped gradient descent that such counts are checked against.
//
// A run's hitting time is the `iterations` of its final checkpoint when that checkpoint's
// ||grad f|| is <= eps (the run stopped there, or reached eps exactly at its last iterate). A run
// that diverged, or ran its whole budget above eps, has NOT reached eps: its time is +infinity
// (censored at its T iterations), never a hit; statistics treat it as larger than every hit.
//
// Theorem 3 (Zhang et al. 2020), as used here. Assumptions on the set S around the level set of
// x0 (the paper's S; every problem of clipsim states its (L0, L1) on all of R^d, which contains
// any such S): f bounded below by f*, twice differentiable, ||Hess f(x)|| <= L0 + L1 ||grad f(x)||.
// Clipped GD x_{k+1} = x_k - h_k grad f(x_k), h_k = min(eta_c, gamma eta_c / ||grad f(x_k)||), with
// eta_c = 1 / (10 L0) and gamma = min(1 / eta_c, 1 / (10 L1 eta_c)), reaches ||grad f|| <= eps
// within
//   20 L0 (f(x0) - f*) / eps^2 + 20 max(1, L1^2) (f(x0) - f*) / L0
// iterations. clip_sgd with batch 1, momentum 0 and exact gradients is exactly this update with
// eta = eta_c and clip_threshold = gamma. Sources: the step, threshold and bound as stated in the
// issue and the project's REFERENCES.md, cross-checked against a secondary summary of the paper;
// the paper's text itself was not available here (analysis/THEORY.md, Part IV).
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "clipsim/analysis/sweep_results.hpp"

namespace clipsim::analysis {

// One (cell, budget) row of hitting.csv (core/hitting_table.hpp).
struct HittingFacts {
  double eps = 0.0;  // stop_at_grad_norm; 0: the cell never stops early
  double L0 = std::numeric_limits<double>::quiet_NaN();
  double L1 = std::numeric_limits<double>::quiet_NaN();
  double M = std::numeric_limits<double>::quiet_NaN();  // sup ||grad f|| on {f <= f(x0)}
};
using HittingTable = std::map<std::pair<std::string, std::int64_t>, HittingFacts>;

// DIR/hitting.csv by (cell, budget); empty when the file is missing. Throws InputError (file,
// line, column) when malformed.
HittingTable ReadHittingTable(const std::string& dir);

// What ReadSweepDir must read for hitting times: the final iterations and ||grad f||.
ReadOptions HittingReadOptions();

struct CellHitting {
  const CellResults* cell = nullptr;
  const BudgetRuns* runs = nullptr;  // the cell's largest budget
  HittingFacts facts;
  std::int64_t limit = 0;     // T, the iterations the budget allows (the censoring level)
  std::vector<double> times;  // per seed, in seed order; +infinity when eps was not reached
  int reached = 0;
  // The median over seeds (the larger middle value for an even count, so it is +infinity as soon
  // as half the runs or more are censored).
  double Median() const;
};

// Every cell with hitting facts and eps > 0, at its largest budget. `results` must have been read
// with HittingReadOptions' metrics (iterations, grad_norm); InputError otherwise.
std::vector<CellHitting> HittingTimes(const SweepResults& results, const HittingTable& table);

// Theorem 3's step eta_c = 1/(10 L0) and threshold gamma = min(1/eta_c, 1/(10 L1 eta_c)) (gamma =
// 1/eta_c for L1 = 0), and its bound on the iterations to eps with Delta = f(x0) - f*.
struct ClippedGdStep {
  double eta = 0.0;
  double threshold = 0.0;
};
ClippedGdStep Theorem3Step(double L0, double L1);
double Theorem3Bound(double L0, double L1, double delta, double eps);

}  // namespace clipsim::analysis

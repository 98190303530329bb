// The real runs of the floor claim's tests (claims/claims_floor_test.cpp) and of the floor
// figure's (plots/floor_plot_test.cpp): Clip-SGD with a fixed threshold on the two-point
// construction of the lower bound (analysis/clip_floor.hpp), its Gaussian twin, and clipped
// gradient descent without noise. Running them needs sim: a test that includes this links
// clipsim_sim (tests/CMakeLists.txt).
#pragma once

#include <string>

#include "clipsim/analysis/sweep_analysis.hpp"
#include "clipsim/analysis/sweep_results.hpp"
#include "clipsim/claims/claims.hpp"
#include "clipsim/claims/claims_file.hpp"
#include "clipsim/sweep/config.hpp"
#include "clipsim/sweep/engine.hpp"
#include "common/temp_files.hpp"

namespace clipsim::claims::testing {

// Construction cells (sigma, atom, c) with their exact floors, a Gaussian twin at sigma = c = 1,
// and the construction at p = 1.5 (outside the bounds' premise).
inline constexpr const char* kStochastic = R"(
seeds: 24
budgets: [3000, 30000]
master_seed: 11
problem: {kind: quadratic, dim: 1}
noise:
  - {kind: two_point, scale: 1, atom: 2}
  - {kind: two_point, scale: 1, atom: 4}
  - {kind: two_point, scale: 1, atom: 8}
  - {kind: two_point, scale: 0.5, atom: 4}
  - {kind: two_point, scale: 1, atom: 2}
  - {kind: gaussian, scale: 1}
  - {kind: two_point, scale: 1, atom: 2}
p: [2, 2, 2, 2, 2, 2, 1.5]
optimizer: {method: clip_sgd, clip_threshold: [1, 2, 4, 1, 0.5, 1, 1]}
schedule: {kind: polynomial, eta0: 0.5, decay: 0.75}
zip: [[noise, p, optimizer.clip_threshold]]
checkpoints_per_decade: 1
)";

inline constexpr const char* kDeterministic = R"(
seeds: 2
budgets: [3000, 30000]
problem: {kind: quadratic, dim: 1, scale: 10}
optimizer: {method: clip_sgd, clip_threshold: [1, 2]}
schedule: {kind: polynomial, eta0: 0.05, decay: 0.75}
checkpoints_per_decade: 1
)";

// The runs and their analysis, read as `clipsim report` reads a folder for a floor claim.
struct Sweep {
  analysis::SweepResults results;
  analysis::SweepAnalysis analysis;
};

// Runs the config into a temporary folder and reads it as `clipsim report` does.
inline Sweep RunAndRead(const std::string& config, const std::string& tag) {
  clipsim::testing::TempDir dir(tag);
  sweep::SweepOptions options;
  options.out_dir = dir / "sweep";
  options.threads = 2;
  options.progress = false;
  const std::string path = clipsim::testing::WriteText(dir / (tag + ".yaml"), config);
  EXPECT_TRUE(sweep::RunSweep(sweep::LoadSweepConfig(path), options).complete);
  ClaimSpec spec;
  spec.kind = ClaimKind::kFloor;
  spec.metric = "grad_norm";
  ClaimsFile file;
  file.bootstrap = 1000;
  Sweep s;
  s.results = analysis::ReadSweepDir(options.out_dir, ClaimReadOptions(spec));
  s.analysis = analysis::AnalyzeSweep(s.results, ClaimAnalysisOptions(spec, file));
  return s;
}

inline const Sweep& Stochastic() {
  static const Sweep s = RunAndRead(kStochastic, "floor-stochastic");
  return s;
}

inline const Sweep& Deterministic() {
  static const Sweep s = RunAndRead(kDeterministic, "floor-deterministic");
  return s;
}

}  // namespace clipsim::claims::testing

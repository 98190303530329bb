// A sweep folder as `clipsim analyze`, `report` and `merge` read it: the input is a bundle (see
// fuzz_files.hpp) of results.csv, cells.csv, resolved.csv, timings.csv, noise_norms.csv,
// manifest.json, state.json, sweep.yaml, tuned.csv and chunks/<log>. Each reader either works
// or raises an InputError; the analysis of whatever was read must not crash either.
#include <array>
#include <cstdint>
#include <string>

#include "clipsim/analysis/sweep_analysis.hpp"
#include "clipsim/analysis/sweep_results.hpp"
#include "clipsim/claims/claims.hpp"
#include "clipsim/claims/claims_tuning.hpp"
#include "clipsim/core/input_error.hpp"
#include "clipsim/sweep/engine.hpp"
#include "clipsim/sweep/merge.hpp"
#include "fuzz_files.hpp"

namespace {

const std::array<std::string, 10> kFiles = {"results.csv",     "cells.csv",
                                            "resolved.csv",    "timings.csv",
                                            "noise_norms.csv", "manifest.json",
                                            "state.json",      "sweep.yaml",
                                            "tuned.csv",       "chunks/00000000000000000001-1.log"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace analysis = clipsim::analysis;
  namespace claims = clipsim::claims;
  const auto dir = clipsim::fuzz::FreshScratch();
  const auto folder = dir / "sweep";
  clipsim::fuzz::WriteBundle(clipsim::fuzz::AsText(data, size), folder, kFiles);
  try {
    const analysis::SweepResults results = analysis::ReadSweepDir(folder.string());
    analysis::AnalysisOptions options;
    options.bootstrap_resamples = 100;
    options.threads = 1;
    (void)analysis::AnalyzeSweep(results, options);
  } catch (const clipsim::InputError&) {
  }
  try {
    (void)analysis::ReadTimings(folder.string());
  } catch (const clipsim::InputError&) {
  }
  try {
    (void)claims::ReadTunedTable((folder / "tuned.csv").string());
  } catch (const clipsim::InputError&) {
  }
  try {
    clipsim::sweep::MergeOptions merge;
    merge.dry_run = true;
    merge.shard_count = 2;
    (void)clipsim::sweep::MergeSweeps({folder.string()}, (dir / "merged").string(), merge);
  } catch (const clipsim::InputError&) {
  }
  return 0;
}

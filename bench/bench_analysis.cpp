// The analysis's cost on a sweep of the quick-start's size: 3 methods x 6 budgets x 1000 seeds,
// 20 checkpoint rows per run (360,000 rows, as `clipsim sweep` writes them with 4 checkpoints per
// decade), synthesized once in a temporary folder. Target (issue 5): `clipsim analyze` on such a
// folder in under 10 s on this machine; BM_AnalyzeFolder measures exactly that work (read
// results.csv, every statistic, bootstrap (B = 2000) and fit, write DIR/analysis/), the others
// split it into its parts. Items are result rows.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "../tests/analysis/synthetic_sweep.hpp"
#include "clipsim/analysis/report.hpp"
#include "clipsim/analysis/sweep_analysis.hpp"
#include "clipsim/analysis/sweep_results.hpp"

namespace {

namespace analysis = clipsim::analysis;

const std::string& Folder() {
  static const std::string dir = [] {
    const std::string d = (std::filesystem::temp_directory_path() /
                           ("clipsim-bench-analysis-" + std::to_string(::getpid())))
                              .string();
    analysis::testing::SyntheticSweep s;
    s.seeds = 1000;
    s.budgets = {1000, 3000, 10000, 30000, 100000, 300000};
    s.checkpoints = 20;
    s.noise_norms = 100000;
    s.cells.resize(3);
    s.cells[0].method = "ps_clip_sgd";
    s.cells[0].slope = -0.25;
    s.cells[1].method = "clip_sgd";
    s.cells[1].slope = -0.2;
    s.cells[2].method = "sgd";
    s.cells[2].slope = -0.05;
    s.cells[2].diverge_probability = 0.01;
    analysis::testing::WriteSyntheticSweep(s, d);
    return d;
  }();
  return dir;
}

void BM_ReadFolder(benchmark::State& state) {
  std::int64_t rows = 0;
  for (auto _ : state) {
    const analysis::SweepResults r = analysis::ReadSweepDir(Folder());
    rows += r.rows;
    benchmark::DoNotOptimize(r.cells.data());
  }
  state.SetItemsProcessed(rows);
}

void BM_AnalyzeOnly(benchmark::State& state) {
  const analysis::SweepResults r = analysis::ReadSweepDir(Folder());
  analysis::AnalysisOptions options;
  options.threads = static_cast<int>(state.range(0));
  for (auto _ : state) {
    const analysis::SweepAnalysis a = analysis::AnalyzeSweep(r, options);
    benchmark::DoNotOptimize(a.cells.data());
  }
  state.SetItemsProcessed(state.iterations() * r.rows);
  state.counters["threads"] = static_cast<double>(state.range(0));
}

// What `clipsim analyze DIR` does, end to end.
void BM_AnalyzeFolder(benchmark::State& state) {
  std::int64_t rows = 0;
  for (auto _ : state) {
    const analysis::SweepResults r = analysis::ReadSweepDir(Folder());
    const analysis::SweepAnalysis a = analysis::AnalyzeSweep(r, {});
    analysis::WriteAnalysisReport(a, Folder() + "/analysis");
    rows += r.rows;
  }
  state.SetItemsProcessed(rows);
}

}  // namespace

BENCHMARK(BM_ReadFolder)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);
BENCHMARK(BM_AnalyzeOnly)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(3);
BENCHMARK(BM_AnalyzeFolder)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  Folder();  // synthesize before timing
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  std::filesystem::remove_all(Folder());
  return 0;
}

// The sweep engine's cost: runs per second through the engine (chunking, row formatting, atomic
// commits, final assembly) against the same runs called directly, and the speed-up of 2 threads
// over 1. Targets (issue 4): engine overhead under 5%, 2 threads >= 1.8x one thread.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "clipsim/sim/run.hpp"
#include "clipsim/sim/sweep.hpp"
#include "clipsim/sim/sweep_config.hpp"
#include "ratio_reporter.hpp"

namespace {

// Short runs (~0.5 ms), so that per-run engine costs would show; 2000 of them (~1 s), so that the
// per-sweep fixed costs (preparing the cell's run, including sigma(p) by quadrature; assembling
// results.csv and the manifest) weigh as little as in a real sweep of thousands of seeds. With
// 400 seeds (0.2 s) those fixed costs alone made the engine look 25% slower.
constexpr const char* kSweep = R"(seeds: 2000
budgets: [2000]
chunk_seeds: 50
master_seed: 3
problem: {kind: quadratic, dim: 10}
noise: {kind: stable, alpha: 1.5}
p: 1.4
optimizer: {method: ps_clip_sgd}
schedule: {kind: constant, eta0: 0.02}
batch_size: 8
)";

std::string ConfigPath() {
  static const std::string path = [] {
    const std::string p = (std::filesystem::temp_directory_path() /
                           ("clipsim-bench-sweep-" + std::to_string(::getpid()) + ".yaml"))
                              .string();
    std::ofstream(p) << kSweep;
    return p;
  }();
  return path;
}

void BM_RunsCalledDirectly(benchmark::State& state) {
  const clipsim::sim::SweepConfig config = clipsim::sim::LoadSweepConfig(ConfigPath());
  clipsim::sim::RunConfig run = config.cells.front().run;
  run.budget = config.budgets.front();
  const clipsim::sim::PreparedRun prepared(run);
  std::int64_t runs = 0;
  for (auto _ : state) {
    for (std::uint64_t seed = 0; seed < config.seeds.count(); ++seed) {
      benchmark::DoNotOptimize(prepared.Run(config.master_seed, seed));
      ++runs;
    }
  }
  state.SetItemsProcessed(runs);
}

void BM_Sweep(benchmark::State& state) {
  const clipsim::sim::SweepConfig config = clipsim::sim::LoadSweepConfig(ConfigPath());
  const std::string out = (std::filesystem::temp_directory_path() /
                           ("clipsim-bench-sweep-out-" + std::to_string(::getpid())))
                              .string();
  std::int64_t runs = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::filesystem::remove_all(out);
    state.ResumeTiming();
    clipsim::sim::SweepOptions options;
    options.out_dir = out;
    options.threads = static_cast<int>(state.range(0));
    options.progress = false;
    runs += clipsim::sim::RunSweep(config, options).runs_now;
  }
  std::filesystem::remove_all(out);
  state.SetItemsProcessed(runs);
}

BENCHMARK(BM_RunsCalledDirectly)
    ->Unit(benchmark::kMillisecond)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true)
    ->UseRealTime();
BENCHMARK(BM_Sweep)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true)
    ->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  clipsim::bench::RatioReporter reporter({
      {"sweep (1 thread) / direct runs: >= 0.95 means overhead < 5%",
       "BM_Sweep/1/repeats:5/real_time", "BM_RunsCalledDirectly/repeats:5/real_time", 0.95, false},
      {"sweep 2 threads / 1 thread", "BM_Sweep/2/repeats:5/real_time",
       "BM_Sweep/1/repeats:5/real_time", 1.8, false},
  });
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  std::filesystem::remove(ConfigPath());
  return 0;
}

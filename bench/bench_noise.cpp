// Draws per second per core of every noise model (items = scalar values drawn; for vector batches
// items = coordinates, with the vectors per second as a counter), against the baseline of raw
// uniforms from the generator (mt19937_64 through UniformOpen01), which bounds every sampler from
// above. Target (issue 2): >= 50 million symmetric stable scalar draws per second in batch mode
// (BM_StableSymmetricFill); Gaussian and Pareto near the cost of their uniform draws (Pareto
// takes one draw per value, Gaussian and stable two).
//
//   build/bench_noise                       # all
//   build/bench_noise --benchmark_filter=Stable  # the stable ones only
#include <benchmark/benchmark.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "clipsim/core/build_info.hpp"
#include "clipsim/core/rng.hpp"
#include "clipsim/core/types.hpp"
#include "clipsim/noise/noise_model.hpp"
#include "clipsim/noise/noise_spec.hpp"
#include "ratio_reporter.hpp"

namespace {

using clipsim::Batch;
using clipsim::Rng;

constexpr std::size_t kValues = 1 << 14;  // per Fill call: large enough to amortize the call
constexpr Eigen::Index kRows = 1 << 11;   // per SampleBatch call

Rng BenchRng() {
  return clipsim::MakeRng({static_cast<std::uint64_t>(clipsim::Stream::kTest), 1});
}

void BM_UniformBaseline(benchmark::State& state) {
  Rng rng = BenchRng();
  std::vector<double> out(kValues);
  for (auto _ : state) {
    for (double& x : out) x = clipsim::UniformOpen01(rng());
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kValues));
  state.SetLabel(std::string("mt19937_64 -> UniformOpen01, simd=") + clipsim::build_info::kSimd);
}

void FillBench(benchmark::State& state, const std::string& spec) {
  const auto model = clipsim::noise::MakeNoise(clipsim::noise::ParseNoiseSpec(spec));
  Rng rng = BenchRng();
  std::vector<double> out(kValues);
  for (auto _ : state) {
    model->Fill(rng, out);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kValues));
  state.SetLabel(spec);
}

void BatchBench(benchmark::State& state, const std::string& spec, int dim) {
  const auto model = clipsim::noise::MakeNoise(clipsim::noise::ParseNoiseSpec(spec));
  Rng rng = BenchRng();
  Batch out(kRows, dim);
  for (auto _ : state) {
    model->SampleBatch(rng, out);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * kRows * dim);
  state.counters["vectors/s"] = benchmark::Counter(static_cast<double>(state.iterations() * kRows),
                                                   benchmark::Counter::kIsRate);
  state.SetLabel(spec + ", d=" + std::to_string(dim));
}

void BM_StableSymmetricFill(benchmark::State& s) {
  FillBench(s, "kind=stable,alpha=1.5");
}
void BM_StableSkewedFill(benchmark::State& s) {
  FillBench(s, "kind=stable,alpha=1.5,skew=0.5");
}
void BM_StableAlphaOneSkewedFill(benchmark::State& s) {
  FillBench(s, "kind=stable,alpha=1,skew=0.5");
}
void BM_StableCauchyFill(benchmark::State& s) {
  FillBench(s, "kind=stable,alpha=1");
}
void BM_StableGaussianLimitFill(benchmark::State& s) {
  FillBench(s, "kind=stable,alpha=2");
}
void BM_StableScalarLoop(benchmark::State& state) {
  // One Sample() call per value: the cost of the per-call overhead that Fill amortizes.
  const auto model =
      clipsim::noise::MakeNoise(clipsim::noise::ParseNoiseSpec("kind=stable,alpha=1.5"));
  Rng rng = BenchRng();
  std::vector<double> out(kValues);
  for (auto _ : state) {
    for (double& x : out) x = model->Sample(rng);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kValues));
  state.SetLabel("kind=stable,alpha=1.5 via Sample()");
}
// The textbook scalar loop (std:: functions, Weron's formula for the symmetric law), for the
// speed-up of the vectorized Fill measured in the same run.
void BM_StablePlainScalarLoop(benchmark::State& state) {
  constexpr double kPi = 3.141592653589793238462643383279502884;
  const double alpha = 1.5;
  Rng rng = BenchRng();
  std::vector<double> out(kValues);
  for (auto _ : state) {
    for (double& x : out) {
      const double v = kPi * (clipsim::UniformOpen01(rng()) - 0.5);
      const double w = -std::log(clipsim::UniformOpen01(rng()));
      x = std::sin(alpha * v) / std::pow(std::cos(v), 1.0 / alpha) *
          std::pow(std::cos((1.0 - alpha) * v) / w, (1.0 - alpha) / alpha);
    }
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kValues));
  state.SetLabel("kind=stable,alpha=1.5, textbook scalar loop (reference)");
}
void BM_StableIidBatch(benchmark::State& s) {
  BatchBench(s, "kind=stable,alpha=1.5", 10);
}
void BM_StableIsotropicBatch(benchmark::State& s) {
  BatchBench(s, "kind=stable,alpha=1.5,shape=isotropic", 10);
}
void BM_ParetoIidFill(benchmark::State& s) {
  FillBench(s, "kind=pareto,tail=1.5");
}
void BM_ParetoRadialBatch(benchmark::State& s) {
  BatchBench(s, "kind=pareto,tail=1.5,shape=radial", 10);
}
void BM_StudentTFill(benchmark::State& s) {
  FillBench(s, "kind=student_t,dof=3");
}
void BM_GaussianFill(benchmark::State& s) {
  FillBench(s, "kind=gaussian");
}
void BM_ContaminatedFill(benchmark::State& s) {
  FillBench(s, "kind=contaminated,eps=0.05,other=[kind=pareto,tail=1.5,scale=10]");
}
void BM_ContaminatedRadialBatch(benchmark::State& s) {
  BatchBench(s, "kind=contaminated,eps=0.05,other=[kind=pareto,tail=1.5,scale=10,shape=radial]",
             10);
}

// Medians of 5 repetitions each, so that the ratios below compare medians measured in this run.
#define CLIPSIM_NOISE_BENCHMARK(f) BENCHMARK(f)->Repetitions(5)->ReportAggregatesOnly(true)
CLIPSIM_NOISE_BENCHMARK(BM_UniformBaseline);
CLIPSIM_NOISE_BENCHMARK(BM_StableSymmetricFill);
CLIPSIM_NOISE_BENCHMARK(BM_StableSkewedFill);
CLIPSIM_NOISE_BENCHMARK(BM_StableAlphaOneSkewedFill);
CLIPSIM_NOISE_BENCHMARK(BM_StableCauchyFill);
CLIPSIM_NOISE_BENCHMARK(BM_StableGaussianLimitFill);
CLIPSIM_NOISE_BENCHMARK(BM_StableScalarLoop);
CLIPSIM_NOISE_BENCHMARK(BM_StablePlainScalarLoop);
CLIPSIM_NOISE_BENCHMARK(BM_StableIidBatch);
CLIPSIM_NOISE_BENCHMARK(BM_StableIsotropicBatch);
CLIPSIM_NOISE_BENCHMARK(BM_ParetoIidFill);
CLIPSIM_NOISE_BENCHMARK(BM_ParetoRadialBatch);
CLIPSIM_NOISE_BENCHMARK(BM_StudentTFill);
CLIPSIM_NOISE_BENCHMARK(BM_GaussianFill);
CLIPSIM_NOISE_BENCHMARK(BM_ContaminatedFill);
CLIPSIM_NOISE_BENCHMARK(BM_ContaminatedRadialBatch);

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  // The target is 50 M symmetric stable draws/s on a machine where the textbook loop makes
  // 14 M/s: 3.57 times that loop. This VM's speed drifts by 20% between days, so the speed-up
  // over the loop, measured in the same run, is the machine-independent form of the target; the
  // absolute figure is printed above it.
  clipsim::bench::RatioReporter reporter({
      {"stable symmetric fill / textbook scalar loop", "BM_StableSymmetricFill/repeats:5",
       "BM_StablePlainScalarLoop/repeats:5", 50.0 / 14.0, false},
      {"stable symmetric fill / Sample() per value", "BM_StableSymmetricFill/repeats:5",
       "BM_StableScalarLoop/repeats:5", 1.0, false},
  });
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}

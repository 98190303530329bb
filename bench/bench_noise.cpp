// Draws per second per core of every noise model (items = scalar values drawn; for vector batches
// items = coordinates, with the vectors per second as a counter), against the baseline of raw
// uniforms from the generator (mt19937_64 through UniformOpen01), which bounds every sampler from
// above. Target (issue 2): >= 50 million symmetric stable scalar draws per second in batch mode
// (BM_StableSymmetricFill); Gaussian and Pareto near the cost of their uniform draws (Pareto
// takes one draw per value, Gaussian and stable two). Issue 15: >= 110 M symmetric draws/s per
// core in the default build on the 2-core AMD EPYC (AVX-512) development VM.
//
// The stable sampler's roofline (issue 15): each primitive it calls, alone over kValues values in
// the build's vector width (BM_Primitive*), and for each path the calls per value of each
// primitive, counted by running the sampler's own code through counting primitives
// (noise/src/vec_primitives.hpp); the table after the benchmarks gives the sum of the primitives'
// costs (the limit), the measured cost and their ratio. Costs are in cycles per value of the
// TSC's constant reference clock (not the core's own, boosted, cycles): the thread's CPU time
// times the TSC rate measured in the run (the table prints it), medians of the repetitions.
//
//   build/bench_noise                       # all
//   build/bench_noise --benchmark_filter=Stable  # the stable ones only
#include <benchmark/benchmark.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <memory>
#include <string>
#include <vector>
#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#endif

#include "clipsim/core/build_info.hpp"
#include "clipsim/core/rng.hpp"
#include "clipsim/core/types.hpp"
#include "clipsim/noise/noise_model.hpp"
#include "clipsim/noise/noise_spec.hpp"
#include "models.hpp"  // noise/src: the samplers' classes, for their primitive counts
#include "ratio_reporter.hpp"
#include "roofline_reporter.hpp"
#include "vec_primitives.hpp"  // noise/src: the primitives themselves

namespace {

using clipsim::Batch;
using clipsim::Rng;

constexpr std::size_t kValues = 1 << 14;  // per Fill call: large enough to amortize the call
constexpr Eigen::Index kRows = 1 << 11;   // per SampleBatch call

Rng BenchRng() {
  return clipsim::MakeRng({static_cast<std::uint64_t>(clipsim::Stream::kTest), 1});
}

// The time-stamp counter (x86; elsewhere nanoseconds): its rate converts CPU time to cycles.
std::uint64_t Ticks() {
#if defined(__x86_64__) || defined(__i386__)
  return __rdtsc();
#else
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                        std::chrono::steady_clock::now().time_since_epoch())
                                        .count());
#endif
}

double ThreadCpuNanoseconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return 1e9 * static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec);
}

// Ticks and nanoseconds over all timed loops: the TSC's rate, measured in this run.
double g_ticks = 0.0;
double g_nanoseconds = 0.0;
double TicksPerNanosecond() {
  return g_nanoseconds > 0.0 ? g_ticks / g_nanoseconds : 0.0;
}

// Runs body once per iteration and reports items = values per iteration and "cycles/value": the
// thread's CPU time times the TSC's rate, i.e. reference cycles (TSC ticks) while this thread ran,
// so that time lost to the other processes of a shared machine is not counted.
template <class Body>
void TimedLoop(benchmark::State& state, std::size_t values, Body&& body) {
  const auto t0 = std::chrono::steady_clock::now();
  const std::uint64_t c0 = Ticks();
  const double cpu0 = ThreadCpuNanoseconds();
  for (auto _ : state) {
    body();
    benchmark::ClobberMemory();
  }
  const double cpu1 = ThreadCpuNanoseconds();
  const std::uint64_t c1 = Ticks();
  const auto t1 = std::chrono::steady_clock::now();
  const double items = static_cast<double>(state.iterations()) * static_cast<double>(values);
  g_ticks += static_cast<double>(c1 - c0);
  g_nanoseconds += std::chrono::duration<double, std::nano>(t1 - t0).count();
  state.SetItemsProcessed(static_cast<std::int64_t>(items));
  state.counters["cycles/value"] = (cpu1 - cpu0) * TicksPerNanosecond() / items;
}

void BM_UniformBaseline(benchmark::State& state) {
  Rng rng = BenchRng();
  std::vector<double> out(kValues);
  TimedLoop(state, kValues, [&] {
    for (double& x : out) x = clipsim::UniformOpen01(rng());
    benchmark::DoNotOptimize(out.data());
  });
  state.SetLabel(std::string("mt19937_64 -> UniformOpen01, simd=") + clipsim::build_info::kSimd);
}

void FillBench(benchmark::State& state, const std::string& spec, std::size_t values = kValues) {
  const auto model = clipsim::noise::MakeNoise(clipsim::noise::ParseNoiseSpec(spec));
  Rng rng = BenchRng();
  std::vector<double> out(values);
  TimedLoop(state, values, [&] {
    model->Fill(rng, out);
    benchmark::DoNotOptimize(out.data());
  });
  state.SetLabel(spec + ", " + std::to_string(values) + " values per call");
}

void BatchBench(benchmark::State& state, const std::string& spec, int dim) {
  const auto model = clipsim::noise::MakeNoise(clipsim::noise::ParseNoiseSpec(spec));
  Rng rng = BenchRng();
  Batch out(kRows, dim);
  TimedLoop(state, static_cast<std::size_t>(kRows * dim), [&] {
    model->SampleBatch(rng, out);
    benchmark::DoNotOptimize(out.data());
  });
  state.counters["vectors/s"] = benchmark::Counter(static_cast<double>(state.iterations() * kRows),
                                                   benchmark::Counter::kIsRate);
  state.SetLabel(spec + ", d=" + std::to_string(dim));
}

void BM_StableSymmetricFill(benchmark::State& s) {
  FillBench(s, "kind=stable,alpha=1.5");
}
// Small fills: the simulation fills a batch of 16 scalars per step at d = 1 where it cannot draw
// ahead, so the fixed cost of a call counts as much as the cost per value. 1024 and 4096: the
// oracle's draws ahead (sim::Oracle::kAheadValues), which cost per value what 16384 do (15.4-15.5
// TSC cycles per value for all three on the development VM, 21:45 UTC 2026-12-07).
void BM_StableSymmetricSmallFill(benchmark::State& s) {
  FillBench(s, "kind=stable,alpha=1.5", static_cast<std::size_t>(s.range(0)));
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

// --- The primitives of the roofline, each alone over kValues values ---------------------------

namespace nd = clipsim::noise::detail;

void BM_PrimitiveDraw(benchmark::State& state) {
  // As the samplers' draw loops do: the raw draw stored as the bits of a double.
  Rng rng = BenchRng();
  std::vector<double> out(kValues);
  TimedLoop(state, kValues, [&] {
    for (double& x : out) x = nd::RawBits(rng());
    benchmark::DoNotOptimize(out.data());
  });
  state.SetLabel("mt19937_64 draw, stored");
}

// out = op(in) vector by vector, in uniform on (lo, hi) (as raw draws when lo = hi = 0).
template <class Op>
void VectorPrimitiveBench(benchmark::State& state, double lo, double hi, Op op) {
  Rng rng = BenchRng();
  std::vector<double> in(kValues);
  std::vector<double> out(kValues);
  for (double& x : in) {
    x = lo == hi ? nd::RawBits(rng()) : lo + (hi - lo) * clipsim::UniformOpen01(rng());
  }
  TimedLoop(state, kValues, [&] {
    for (std::size_t i = 0; i < kValues; i += nd::kLanes) nd::Store(&out[i], op(nd::Load(&in[i])));
    benchmark::DoNotOptimize(out.data());
  });
  state.SetLabel(std::string("simd=") + clipsim::build_info::kSimd + ", " +
                 std::to_string(nd::kLanes) + " lanes");
}
void BM_PrimitiveUniform(benchmark::State& s) {
  VectorPrimitiveBench(s, 0.0, 0.0, [](nd::Vec x) { return nd::VecMath::Uniform(x); });
}
void BM_PrimitiveLog(benchmark::State& s) {
  VectorPrimitiveBench(s, 0.0, 1.0, [](nd::Vec x) { return nd::VecMath::Log(x); });
}
void BM_PrimitiveExp(benchmark::State& s) {
  VectorPrimitiveBench(s, -10.0, 10.0, [](nd::Vec x) { return nd::VecMath::Exp(x); });
}
void BM_PrimitiveSinCosPi(benchmark::State& s) {
  // Both results used, as the sampler does (one add: the cost of reading the second).
  VectorPrimitiveBench(s, -0.75, 0.75, [](nd::Vec x) {
    const nd::VecPair r = nd::VecMath::SinCosPi(x);
    return r.sin + r.cos;
  });
}
void BM_PrimitiveDiv(benchmark::State& s) {
  VectorPrimitiveBench(s, 0.5, 2.0,
                       [](nd::Vec x) { return nd::VecMath::Div(nd::Broadcast(1.0), x); });
}
void BM_PrimitiveSqrt(benchmark::State& s) {
  VectorPrimitiveBench(s, 0.5, 2.0, [](nd::Vec x) { return nd::VecMath::Sqrt(x); });
}

// Medians of 5 repetitions each, so that the ratios below compare medians measured in this run.
#define CLIPSIM_NOISE_BENCHMARK(f) BENCHMARK(f)->Repetitions(5)->ReportAggregatesOnly(true)
CLIPSIM_NOISE_BENCHMARK(BM_UniformBaseline);
CLIPSIM_NOISE_BENCHMARK(BM_StableSymmetricFill);
CLIPSIM_NOISE_BENCHMARK(BM_StableSymmetricSmallFill)->Arg(16)->Arg(64)->Arg(1024)->Arg(4096);
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
CLIPSIM_NOISE_BENCHMARK(BM_PrimitiveDraw);
CLIPSIM_NOISE_BENCHMARK(BM_PrimitiveUniform);
CLIPSIM_NOISE_BENCHMARK(BM_PrimitiveLog);
CLIPSIM_NOISE_BENCHMARK(BM_PrimitiveExp);
CLIPSIM_NOISE_BENCHMARK(BM_PrimitiveSinCosPi);
CLIPSIM_NOISE_BENCHMARK(BM_PrimitiveDiv);
CLIPSIM_NOISE_BENCHMARK(BM_PrimitiveSqrt);

// The roofline's primitives, in the order of PrimitiveCounts, and each path's calls per value
// counted by the sampler's own code (CountPrimitives).
std::vector<double> CallsOf(const nd::PrimitiveCounts& c) {
  return {c.draws, c.uniform, c.log, c.exp, c.sincospi, c.div, c.sqrt};
}

std::vector<clipsim::bench::RooflineReporter::Primitive> RooflinePrimitives() {
  return {
      {"draw", "BM_PrimitiveDraw/repeats:5"},         {"uniform", "BM_PrimitiveUniform/repeats:5"},
      {"log", "BM_PrimitiveLog/repeats:5"},           {"exp", "BM_PrimitiveExp/repeats:5"},
      {"sincospi", "BM_PrimitiveSinCosPi/repeats:5"}, {"div", "BM_PrimitiveDiv/repeats:5"},
      {"sqrt", "BM_PrimitiveSqrt/repeats:5"}};
}

std::vector<clipsim::bench::RooflineReporter::Path> RooflinePaths() {
  using Path = clipsim::bench::RooflineReporter::Path;
  std::vector<Path> paths;
  std::vector<double> scratch(kValues);
  const auto scalar = [&](const char* label, const char* benchmark, double alpha, double skew) {
    Rng rng = BenchRng();
    const nd::PrimitiveCounts c =
        nd::StableSampler(alpha, skew, 1.0, 0.0).CountPrimitives(rng, scratch);
    paths.push_back({label, benchmark, CallsOf(c), c.Transcendental()});
  };
  scalar("symmetric, alpha 1.5", "BM_StableSymmetricFill/repeats:5", 1.5, 0.0);
  scalar("skewed, alpha 1.5, skew 0.5", "BM_StableSkewedFill/repeats:5", 1.5, 0.5);
  scalar("alpha 1, skew 0.5", "BM_StableAlphaOneSkewedFill/repeats:5", 1.0, 0.5);
  scalar("Cauchy (alpha 1)", "BM_StableCauchyFill/repeats:5", 1.0, 0.0);
  scalar("Gaussian (alpha 2)", "BM_StableGaussianLimitFill/repeats:5", 2.0, 0.0);
  // Isotropic, d = 10 (StableNoise::SampleBatch): the rows' mixing variables A in one fill, then
  // the Gaussian coordinates of all rows in one fill (even d); per coordinate. The scalar sqrt and
  // scaling per row are not primitives of the table.
  const int dim = 10;
  const nd::StableNoise iso(
      clipsim::noise::ParseNoiseSpec("kind=stable,alpha=1.5,shape=isotropic"));
  Rng rng = BenchRng();
  const nd::PrimitiveCounts a = iso.mixing().CountPrimitives(rng, scratch);
  const nd::PrimitiveCounts g = nd::CountStandardNormalPrimitives(rng, scratch);
  std::vector<double> calls = CallsOf(g);
  const std::vector<double> mixing = CallsOf(a);
  for (std::size_t k = 0; k < calls.size(); ++k) calls[k] += mixing[k] / dim;
  paths.push_back({"isotropic, alpha 1.5, d = 10", "BM_StableIsotropicBatch/repeats:5", calls,
                   g.Transcendental() + a.Transcendental() / dim});
  return paths;
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  // The target is 50 M symmetric stable draws/s on a machine where the textbook loop makes
  // 14 M/s: 3.57 times that loop. This VM's speed drifts by 20% between days, so the speed-up
  // over the loop, measured in the same run, is the machine-independent form of the target; the
  // absolute figure is printed above it.
  const auto header = [] {
    char text[256];
    std::snprintf(text, sizeof text,
                  "Roofline of the stable sampler, simd=%s (%d lanes); cycles = thread CPU time "
                  "x the TSC rate, %.3f GHz in this run:",
                  clipsim::build_info::kSimd, nd::kLanes, TicksPerNanosecond());
    return std::string(text);
  };
  clipsim::bench::RooflineReporter reporter(
      {
          {"stable symmetric fill / textbook scalar loop", "BM_StableSymmetricFill/repeats:5",
           "BM_StablePlainScalarLoop/repeats:5", 50.0 / 14.0, false},
          {"stable symmetric fill / Sample() per value", "BM_StableSymmetricFill/repeats:5",
           "BM_StableScalarLoop/repeats:5", 1.0, false},
          {"stable symmetric fill / raw uniforms", "BM_StableSymmetricFill/repeats:5",
           "BM_UniformBaseline/repeats:5", std::nan(""), false},
      },
      header, RooflinePrimitives(), RooflinePaths());
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}

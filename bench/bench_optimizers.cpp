// Sampled gradients per second (per core: every benchmark runs on one thread) for sgd and
// ps_clip_sgd at d = 10 and d = 1000, batch 64, stable noise (alpha = 1.5). Target (issue 3):
// PS-Clip-SGD costs at most 1.3 times SGD per sample, i.e. its throughput is >= 1/1.3 = 0.77 of
// SGD's; its extra work is one norm and one factor per sample.
//
// BM_Run_*: whole runs (PreparedRun::Run: oracle with noise sampling, the optimizer, one exact
// gradient per iteration for the metrics); the target applies here.
// BM_Reduction_*: the optimizer alone on a fixed batch (no sampling), to show what the per-sample
// norm costs in isolation; no target (sampling dominates a real run).
// BM_RowNorms / BM_AccumulateWeighted: the two kernels of a small-d step alone, 16 rows (the
// batch of the d = 10 PS-Clip-SGD sweep), to show the per-row overhead at small d; no target.
// BM_MicrobatchWrittenOut / BM_MicrobatchNoisyRows: one micro-batch of 16 rows noise + grad f(x)
// into a ps_clip_sgd optimizer (the d = 10 sweep's), written out then AddRows (as the oracle and
// optimizer did before), and AddNoisyRows on the noise in place; rows per second, ratio printed.
// BM_ScalarStep{OneByOne,Lanes}: the steps of kLanes scalar ps_clip_sgd runs (16 rows each, the
// d = 1 sweep's), by ScalarStep per run and by one ScalarSteps call; steps per second.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "clipsim/noise/noise_spec.hpp"
#include "clipsim/sim/optimizer.hpp"
#include "clipsim/sim/reduction.hpp"
#include "clipsim/sim/run.hpp"
#include "clipsim/sim/run_config.hpp"
#include "ratio_reporter.hpp"

namespace {

using clipsim::sim::Method;

constexpr int kBatch = 64;
constexpr int kSmallRows = 16;

clipsim::sim::RunConfig Config(Method method, int dim) {
  clipsim::sim::RunConfig c;
  c.problem.kind = "quadratic";
  c.problem.dim = dim;
  c.noise = clipsim::noise::ParseNoiseSpec("kind=stable,alpha=1.5");
  c.p = 1.4;
  c.optimizer.method = method;
  c.schedule.eta0 = 0.01;
  c.batch_size = kBatch;
  // About 1.3 million sampled coordinates per run at either dimension.
  c.budget = static_cast<std::int64_t>(kBatch) * (dim <= 10 ? 2000 : 20);
  return c;
}

void BM_Run(benchmark::State& state, Method method) {
  const int dim = static_cast<int>(state.range(0));
  const clipsim::sim::PreparedRun run(Config(method, dim));
  std::int64_t samples = 0;
  std::uint64_t seed = 0;
  for (auto _ : state) {
    const clipsim::sim::RunSummary s = run.Run(1, seed++);
    benchmark::DoNotOptimize(s.final_iterate.data());
    samples += s.samples;
  }
  state.SetItemsProcessed(samples);
  state.SetLabel("samples/s, d=" + std::to_string(dim) + ", batch 64, stable 1.5");
}

void BM_Reduction(benchmark::State& state, Method method) {
  const int dim = static_cast<int>(state.range(0));
  clipsim::sim::OptimizerSettings s;
  s.method = method;
  s.batch_size = kBatch;
  s.clip_scale = 3.0;
  s.clip_power = 1.4;
  s.clip_threshold = std::numeric_limits<double>::infinity();
  clipsim::Batch g(kBatch, dim);
  for (int k = 0; k < kBatch; ++k) {
    for (int j = 0; j < dim; ++j) g(k, j) = std::sin(1.0 + k * dim + j);
  }
  const std::int64_t chunk = clipsim::sim::ChunkRows(kBatch, dim);
  clipsim::sim::Optimizer opt(s, dim);
  clipsim::Vector x = clipsim::Vector::Zero(dim);
  std::int64_t samples = 0;
  for (auto _ : state) {
    for (std::int64_t off = 0; off < kBatch; off += chunk) {
      opt.AddRows(g.middleRows(off, std::min<std::int64_t>(chunk, kBatch - off)));
    }
    opt.FinishStep(1e-9, x);
    benchmark::DoNotOptimize(x.data());
    samples += kBatch;
  }
  state.SetItemsProcessed(samples);
}

// Rows as the oracle fills them at small d: noise of scale ~1 plus a gradient.
clipsim::Batch SmallRows(int dim) {
  clipsim::Batch g(kSmallRows, dim);
  for (int k = 0; k < kSmallRows; ++k) {
    for (int j = 0; j < dim; ++j) g(k, j) = std::sin(1.0 + k * dim + j);
  }
  return g;
}

void BM_RowNorms(benchmark::State& state) {
  const clipsim::Batch g = SmallRows(static_cast<int>(state.range(0)));
  double norms[kSmallRows];
  for (auto _ : state) {
    clipsim::sim::RowNorms(g, norms);
    benchmark::DoNotOptimize(norms);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * kSmallRows);
}

void BM_AccumulateWeighted(benchmark::State& state) {
  const int dim = static_cast<int>(state.range(0));
  const clipsim::Batch g = SmallRows(dim);
  double weights[kSmallRows];
  for (int k = 0; k < kSmallRows; ++k) weights[k] = 1.0 / (1.0 + k);
  clipsim::Vector acc = clipsim::Vector::Zero(dim);
  for (auto _ : state) {
    clipsim::sim::AccumulateWeighted(g, weights, acc);
    benchmark::DoNotOptimize(acc.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * kSmallRows);
}

// A ps_clip_sgd optimizer (batch 16, thresholds clipping about half the rows) and the noise and
// gradient of its micro-batches, for the micro-batch benchmarks.
clipsim::sim::OptimizerSettings MicrobatchSettings(int dim) {
  clipsim::sim::OptimizerSettings s;
  s.method = Method::kPsClipSgd;
  s.batch_size = kSmallRows;
  s.clip_scale = std::sqrt(static_cast<double>(dim)) * 0.5;
  s.clip_power = 1.4;
  s.clip_threshold = std::numeric_limits<double>::infinity();
  return s;
}

struct SmallMicrobatch {
  explicit SmallMicrobatch(int d)
      : dim(d), opt(MicrobatchSettings(d), d), noise(kSmallRows * d), rows(kSmallRows, d), plus(d) {
    for (std::size_t i = 0; i < noise.size(); ++i) noise[i] = std::tan(std::sin(1.0 + i));
    for (int j = 0; j < dim; ++j) plus[j] = 0.1 * j;
  }
  int dim;
  clipsim::sim::Optimizer opt;
  std::vector<double> noise;
  clipsim::Batch rows;
  clipsim::Vector plus;
};

void BM_MicrobatchWrittenOut(benchmark::State& state) {
  SmallMicrobatch b(static_cast<int>(state.range(0)));
  clipsim::Vector x = clipsim::Vector::Zero(b.dim);
  for (auto _ : state) {
    for (int k = 0; k < kSmallRows; ++k) {
      for (int j = 0; j < b.dim; ++j) b.rows(k, j) = b.noise[k * b.dim + j] + b.plus[j];
    }
    b.opt.AddRows(b.rows);
    b.opt.FinishStep(0.0, x);
    benchmark::DoNotOptimize(x.data());
  }
  state.SetItemsProcessed(state.iterations() * kSmallRows);
}

void BM_MicrobatchNoisyRows(benchmark::State& state) {
  SmallMicrobatch b(static_cast<int>(state.range(0)));
  if (!b.opt.TakesNoisyRows()) {
    state.SkipWithError("not taken in this build or dimension");
    return;
  }
  clipsim::Vector x = clipsim::Vector::Zero(b.dim);
  for (auto _ : state) {
    b.opt.AddNoisyRows(b.noise.data(), b.plus.data(), kSmallRows);
    b.opt.FinishStep(0.0, x);
    benchmark::DoNotOptimize(x.data());
  }
  state.SetItemsProcessed(state.iterations() * kSmallRows);
}

// kLanes scalar optimizers (ps_clip_sgd, batch 16) and their rows, for the scalar-step benchmarks.
struct ScalarRuns {
  static constexpr std::size_t kLanes = clipsim::sim::Optimizer::kLanes;
  ScalarRuns() {
    clipsim::sim::OptimizerSettings s;
    s.method = Method::kPsClipSgd;
    s.batch_size = kSmallRows;
    s.clip_scale = 1.0;
    s.clip_power = 1.4;
    s.clip_threshold = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < kLanes; ++i) {
      opts.emplace_back(s, 1);
      for (int k = 0; k < kSmallRows; ++k) rows[i][k] = std::tan(std::sin(1.0 + k + 16.0 * i));
    }
  }
  std::vector<clipsim::sim::Optimizer> opts;
  double rows[kLanes][kSmallRows];
  double x[kLanes] = {};
};

void BM_ScalarStepOneByOne(benchmark::State& state) {
  ScalarRuns r;
  for (auto _ : state) {
    for (std::size_t i = 0; i < ScalarRuns::kLanes; ++i) {
      r.opts[i].ScalarStep(r.rows[i], 0.5, 1e-9, r.x[i]);
    }
    benchmark::DoNotOptimize(r.x);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(ScalarRuns::kLanes));
  state.SetLabel("steps/s, ps_clip_sgd, d=1, batch 16");
}

void BM_ScalarStepsLanes(benchmark::State& state) {
  ScalarRuns r;
  std::vector<clipsim::sim::Optimizer::ScalarLane> lanes;
  for (std::size_t i = 0; i < ScalarRuns::kLanes; ++i) {
    lanes.push_back({&r.opts[i], r.rows[i], 0.5, 1e-9, &r.x[i]});
  }
  std::vector<double> scratch;
  for (auto _ : state) {
    clipsim::sim::Optimizer::ScalarSteps(lanes, scratch);
    benchmark::DoNotOptimize(r.x);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(ScalarRuns::kLanes));
  state.SetLabel("steps/s, ps_clip_sgd, d=1, batch 16, kLanes runs per call");
}

BENCHMARK_CAPTURE(BM_Run, sgd, Method::kSgd)
    ->Arg(10)
    ->Arg(1000)
    ->Unit(benchmark::kMillisecond)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);
BENCHMARK_CAPTURE(BM_Run, ps_clip_sgd, Method::kPsClipSgd)
    ->Arg(10)
    ->Arg(1000)
    ->Unit(benchmark::kMillisecond)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);
BENCHMARK_CAPTURE(BM_Reduction, sgd, Method::kSgd)
    ->Arg(10)
    ->Arg(1000)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);
BENCHMARK_CAPTURE(BM_Reduction, ps_clip_sgd, Method::kPsClipSgd)
    ->Arg(10)
    ->Arg(1000)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);
// The small-d kernels at d = 2, 10, 32 (the blocked path's last) and 64 (the general loop's).
void SmallDims(benchmark::internal::Benchmark* b) {
  for (int d : {2, 10, 32, 64}) b->Arg(d);
  b->Repetitions(5)->ReportAggregatesOnly(true);
}
BENCHMARK(BM_RowNorms)->Apply(SmallDims);
BENCHMARK(BM_AccumulateWeighted)->Apply(SmallDims);
BENCHMARK(BM_MicrobatchWrittenOut)
    ->Arg(3)
    ->Arg(10)
    ->Arg(16)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);
BENCHMARK(BM_MicrobatchNoisyRows)
    ->Arg(3)
    ->Arg(10)
    ->Arg(16)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);
BENCHMARK(BM_ScalarStepOneByOne)->Repetitions(5)->ReportAggregatesOnly(true);
BENCHMARK(BM_ScalarStepsLanes)->Repetitions(5)->ReportAggregatesOnly(true);

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  // Throughput of PS-Clip over SGD: >= 1/1.3 means PS-Clip costs at most 1.3x SGD per sample.
  clipsim::bench::RatioReporter reporter({
      {"run d=10: ps_clip_sgd / sgd samples/s", "BM_Run/ps_clip_sgd/10/repeats:5",
       "BM_Run/sgd/10/repeats:5", 1.0 / 1.3, false},
      {"run d=1000: ps_clip_sgd / sgd samples/s", "BM_Run/ps_clip_sgd/1000/repeats:5",
       "BM_Run/sgd/1000/repeats:5", 1.0 / 1.3, false},
      {"reduction only d=10 (no target)", "BM_Reduction/ps_clip_sgd/10/repeats:5",
       "BM_Reduction/sgd/10/repeats:5", 0.0, false},
      {"reduction only d=1000 (no target)", "BM_Reduction/ps_clip_sgd/1000/repeats:5",
       "BM_Reduction/sgd/1000/repeats:5", 0.0, false},
      {"micro-batch d=3: noise in place / rows written out (no target)",
       "BM_MicrobatchNoisyRows/3/repeats:5", "BM_MicrobatchWrittenOut/3/repeats:5", 0.0, false},
      {"micro-batch d=10: noise in place / rows written out (no target)",
       "BM_MicrobatchNoisyRows/10/repeats:5", "BM_MicrobatchWrittenOut/10/repeats:5", 0.0, false},
      {"micro-batch d=16: noise in place / rows written out (no target)",
       "BM_MicrobatchNoisyRows/16/repeats:5", "BM_MicrobatchWrittenOut/16/repeats:5", 0.0, false},
      {"scalar steps d=1: kLanes runs per call / one by one (no target)",
       "BM_ScalarStepsLanes/repeats:5", "BM_ScalarStepOneByOne/repeats:5", 0.0, false},
  });
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}

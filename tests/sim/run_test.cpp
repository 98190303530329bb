// One run: determinism, common random numbers, the checkpoint grid and its metrics (checked
// against gradient descent replayed in closed form), the uniform output iterate R, divergence as
// data, the CSV row format, and the theory schedule.
#include "clipsim/sim/run.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <bit>
#include <boost/math/distributions/chi_squared.hpp>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <new>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "clipsim/core/input_error.hpp"
#include "clipsim/noise/noise_model.hpp"
#include "clipsim/noise/noise_spec.hpp"
#include "clipsim/sim/checkpoint.hpp"
#include "clipsim/sim/oracle.hpp"
#include "clipsim/sim/run_config.hpp"
#include "clipsim/theory/registry.hpp"

// Counts heap allocations made by this thread while counting is on (global replacement of
// operator new for this test program).
namespace alloc_count {
thread_local bool counting = false;
thread_local std::int64_t count = 0;
}  // namespace alloc_count

void* operator new(std::size_t size) {
  if (alloc_count::counting) ++alloc_count::count;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
// GCC cannot see that these pair with the malloc in operator new above.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}
#pragma GCC diagnostic pop

namespace clipsim::sim {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

RunConfig Base(Method m) {
  RunConfig c;
  c.problem.kind = "quadratic";
  c.problem.dim = 10;
  c.noise = noise::ParseNoiseSpec("kind=stable,alpha=1.5");
  c.p = 1.4;
  c.optimizer.method = m;
  c.schedule.eta0 = 0.05;
  c.batch_size = 8;
  c.budget = 5000;
  return c;
}

std::string Csv(const RunSummary& s) {
  std::string out;
  for (const Checkpoint& c : s.checkpoints) {
    AppendCheckpointCsv(out, c);
    out += '\n';
  }
  return out;
}

bool SameIterate(const Vector& a, const Vector& b) {
  if (a.size() != b.size()) return false;
  for (Eigen::Index j = 0; j < a.size(); ++j) {
    if (std::bit_cast<std::uint64_t>(a[j]) != std::bit_cast<std::uint64_t>(b[j])) return false;
  }
  return true;
}

TEST(Run, SameSeedSameBitsAlsoAcrossThreads) {
  const PreparedRun run(Base(Method::kPsClipSgd));
  const RunSummary a = run.Run(3, 11);
  const RunSummary b = run.Run(3, 11);
  EXPECT_EQ(Csv(a), Csv(b));
  EXPECT_TRUE(SameIterate(a.final_iterate, b.final_iterate));
  // Four threads running seeds 0..7 concurrently on one PreparedRun give the serial results.
  std::vector<RunSummary> parallel(8);
  {
    std::vector<std::jthread> pool;
    for (int t = 0; t < 4; ++t) {
      pool.emplace_back([&, t] {
        for (std::uint64_t s = static_cast<std::uint64_t>(t); s < 8; s += 4)
          parallel[s] = run.Run(3, s);
      });
    }
  }
  for (std::uint64_t s = 0; s < 8; ++s) EXPECT_EQ(Csv(parallel[s]), Csv(run.Run(3, s))) << s;
  // Another seed or master seed gives another trajectory.
  EXPECT_FALSE(SameIterate(a.final_iterate, run.Run(3, 12).final_iterate));
  EXPECT_FALSE(SameIterate(a.final_iterate, run.Run(4, 11).final_iterate));
}

// The inner loop does not allocate: a run of 10 times more iterations makes exactly as many heap
// allocations (per-run buffers only; the checkpoint rows are reserved up front).
TEST(Run, InnerLoopDoesNotAllocate) {
  for (Method m : {Method::kSgd, Method::kPsClipSgd, Method::kClipSgd, Method::kAdamNorm,
                   Method::kSgdMomentum}) {
    RunConfig c = Base(m);
    if (m == Method::kSgdMomentum) c.problem.dim = 1;  // the fused scalar steps
    c.checkpoints_per_decade = 1;
    std::int64_t counts[2] = {0, 0};
    const std::int64_t budgets[2] = {800, 8000};  // 100 and 1000 iterations
    for (int i = 0; i < 2; ++i) {
      c.budget = budgets[i];
      const PreparedRun run(c);
      alloc_count::count = 0;
      alloc_count::counting = true;
      const RunSummary s = run.Run(0, 0);
      alloc_count::counting = false;
      counts[i] = alloc_count::count;
      EXPECT_EQ(s.termination, Termination::kFinished);
    }
    EXPECT_GT(counts[0], 0) << "the counter sees the per-run buffers";
    EXPECT_EQ(counts[0], counts[1]) << ToString(m);
  }
}

// RunSeeds advances scalar runs in lockstep (their steps in one ScalarSteps call); each summary
// must be Run's, also where runs of a group end at different iterations (stopping rule), diverge,
// or are cut short by the seed count (11 runs: a group of 8 and one of 3).
TEST(Run, RunSeedsGivesRunOfEachSeed) {
  std::vector<RunConfig> configs;
  RunConfig c = Base(Method::kPsClipSgd);
  c.problem.dim = 1;
  configs.push_back(c);
  c.stop_at_grad_norm = 0.05;  // runs reach it at different iterations
  configs.push_back(c);
  RunConfig wild = Base(Method::kSgdMomentum);
  wild.problem.dim = 1;
  wild.noise = noise::ParseNoiseSpec("kind=stable,alpha=1.05");
  wild.p = 1.02;
  wild.schedule.eta0 = 10.0;  // the runs blow up (all at one iteration: the growth dominates)
  configs.push_back(wild);
  configs.push_back(Base(Method::kPsClipSgd));  // d = 10: one by one
  int interleaved = 0;
  for (const RunConfig& config : configs) {
    const PreparedRun run(config);
    std::vector<RunStreams> streams(11);
    run.SeedStreams(7, 100, streams);
    std::vector<RunSummary> out(streams.size());
    run.RunSeeds(streams, out);
    std::set<std::int64_t> ends;
    for (std::size_t i = 0; i < streams.size(); ++i) {
      const RunSummary one = run.Run(7, 100 + i);
      EXPECT_EQ(Csv(out[i]), Csv(one)) << i;
      EXPECT_TRUE(SameIterate(out[i].final_iterate, one.final_iterate)) << i;
      EXPECT_EQ(out[i].termination, one.termination);
      EXPECT_EQ(out[i].message, one.message);
      EXPECT_EQ(out[i].iterations, one.iterations);
      ends.insert(one.iterations);
    }
    if (config.problem.dim == 1) {
      ++interleaved;
      if (config.stop_at_grad_norm > 0.0) {
        EXPECT_GT(ends.size(), 1u) << "runs should end apart";
      }
      if (config.schedule.eta0 > 1.0) {
        EXPECT_EQ(out[0].termination, Termination::kDiverged);
      }
    }
  }
  EXPECT_EQ(interleaved, 3);
}

TEST(Run, NoiseStreamIsKeyedByProblemNoiseAndPOnly) {
  RunConfig a = Base(Method::kSgd);
  RunConfig b = Base(Method::kClipSgd);
  b.schedule.kind = ScheduleKind::kPolynomial;
  b.batch_size = 3;
  b.budget = 99;
  EXPECT_EQ(NoiseStreamIdentity(a), NoiseStreamIdentity(b));
  RunConfig c = a;
  c.p = 1.3;
  EXPECT_NE(NoiseStreamIdentity(a), NoiseStreamIdentity(c));
  c = a;
  c.noise.alpha = 1.6;
  EXPECT_NE(NoiseStreamIdentity(a), NoiseStreamIdentity(c));
  c = a;
  c.problem.dim = 11;
  EXPECT_NE(NoiseStreamIdentity(a), NoiseStreamIdentity(c));
  // Common random numbers in action: sgd and sgd_momentum with momentum 0 are the same
  // algorithm under two names; on one seed they must see the same noise and agree bit for bit.
  RunConfig hb = a;
  hb.optimizer.method = Method::kSgdMomentum;
  hb.optimizer.momentum = 0.0;
  EXPECT_NE(CanonicalText(a), CanonicalText(hb));
  EXPECT_EQ(Csv(PreparedRun(a).Run(1, 5)), Csv(PreparedRun(hb).Run(1, 5)));
}

// SeedRunStreams (all runs' keys in batched calls) seeds what MakeRunStreams seeds one run at a
// time, for runs with and without a data stream, groups of 1..20 runs, every stream of every
// run: state whole and 1000 draws.
TEST(Run, SeedRunStreamsEqualsMakeRunStreams) {
  const std::uint64_t identity = StableHash("seeded together");
  for (bool with_data : {false, true}) {
    for (std::size_t count = 1; count <= 20; ++count) {
      std::vector<RunStreams> batched(count);
      for (RunStreams& s : batched) s.data.discard(3);  // seeding resets it, keyed or not
      SeedRunStreams(7, identity, 100 + count, with_data, batched);
      for (std::size_t i = 0; i < count; ++i) {
        RunStreams expected = MakeRunStreams(7, identity, 100 + count + i, with_data);
        for (auto [got, want] : {std::pair{&batched[i].noise, &expected.noise},
                                 std::pair{&batched[i].data, &expected.data},
                                 std::pair{&batched[i].iterate, &expected.iterate}}) {
          ASSERT_TRUE(*got == *want)
              << "with_data " << with_data << ", " << count << " runs, run " << i;
          for (int d = 0; d < 1000; ++d) ASSERT_EQ((*got)(), (*want)());
        }
      }
    }
  }
}

// Run(streams) with streams from SeedStreams (seeded together) gives what Run(master_seed, seed)
// gives (each run seeding its own, through MakeRunStreams), bit for bit, on a problem without
// data and on one with data.
TEST(Run, GivenStreamsGiveTheSeedsRun) {
  RunConfig scalar = Base(Method::kPsClipSgd);
  RunConfig data = Base(Method::kPsClipSgd);
  data.problem.kind = "robust_regression";
  data.problem.dim = 5;
  data.budget = 1000;
  for (const RunConfig* c : {&scalar, &data}) {
    const PreparedRun run(*c);
    EXPECT_EQ(run.problem().has_data(), c == &data);
    std::vector<RunStreams> streams(5);
    run.SeedStreams(3, 10, streams);
    for (std::uint64_t i = 0; i < streams.size(); ++i) {
      const RunSummary given = run.Run(streams[i]);
      const RunSummary seeded = run.Run(3, 10 + i);
      EXPECT_EQ(Csv(given), Csv(seeded)) << c->problem.kind << ", seed " << 10 + i;
      EXPECT_TRUE(SameIterate(given.final_iterate, seeded.final_iterate));
    }
  }
}

TEST(Checkpoints, LogGridPlusStartAndEnd) {
  const std::vector<std::int64_t> expected = {0,  1,  2,   3,   6,   10,  18,
                                              32, 56, 100, 178, 316, 562, 1000};
  EXPECT_EQ(CheckpointTargets(1000, 4), expected);
  EXPECT_EQ(CheckpointTargets(1, 4), (std::vector<std::int64_t>{0, 1}));
  EXPECT_EQ(CheckpointTargets(25, 1), (std::vector<std::int64_t>{0, 1, 10, 25}));
}

TEST(Checkpoints, SamplesAreTheLastStepBoundaryBeforeEachTarget) {
  RunConfig c = Base(Method::kSgd);
  c.batch_size = 7;
  c.budget = 1000;
  const RunSummary s = PreparedRun(c).Run(0, 0);
  const std::vector<std::int64_t> targets = CheckpointSchedule(c);
  ASSERT_EQ(s.checkpoints.size(), targets.size());
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const Checkpoint& k = s.checkpoints[i];
    EXPECT_EQ(k.target, targets[i]);
    EXPECT_EQ(k.samples, 7 * k.iterations);
    EXPECT_LE(k.samples, k.target);
    if (k.iterations < 142) {  // 142 = floor(1000/7)
      EXPECT_GT(k.samples + 7, k.target);
    }
  }
  EXPECT_EQ(s.checkpoints.back().iterations, 142);
  EXPECT_EQ(s.samples, 994);
  EXPECT_EQ(s.termination, Termination::kFinished);
}

// Without noise, sgd on (1/2)||x||^2 from x0 = (1, 1, 1) is x_t = 0.9^t x0 (eta = 0.1), so every
// metric has a closed form: ||grad f(x_t)|| = sqrt(3) 0.9^t, f - f_low = 1.5 * 0.81^t.
TEST(Checkpoints, MetricsMatchGradientDescentInClosedForm) {
  RunConfig c = Base(Method::kSgd);
  c.problem.dim = 3;
  c.noise_enabled = false;
  c.batch_size = 1;
  c.budget = 60;
  c.schedule.eta0 = 0.1;
  const RunSummary s = PreparedRun(c).Run(0, 0);
  auto g = [](std::int64_t t) { return std::sqrt(3.0) * std::pow(0.9, static_cast<double>(t)); };
  for (const Checkpoint& k : s.checkpoints) {
    const std::int64_t t = k.iterations;
    EXPECT_NEAR(k.grad_norm, g(t), 1e-13);
    EXPECT_NEAR(k.value_gap, 1.5 * std::pow(0.81, static_cast<double>(t)), 1e-13);
    EXPECT_NEAR(k.min_grad_norm, g(t), 1e-13);
    double sum = 0.0, sum_sq = 0.0;
    for (std::int64_t u = 0; u < std::max<std::int64_t>(t, 1); ++u) {
      sum += g(u);
      sum_sq += g(u) * g(u);
    }
    const double count = static_cast<double>(std::max<std::int64_t>(t, 1));
    EXPECT_NEAR(k.mean_grad_norm, sum / count, 1e-13) << "t = " << t;
    EXPECT_NEAR(k.mean_sq_grad_norm, sum_sq / count, 1e-13) << "t = " << t;
    // R lies in {0, ..., t-1} (or is 0 at the start).
    const double r = std::log(k.grad_norm_at_R / g(0)) / std::log(0.9);
    EXPECT_NEAR(r, std::round(r), 1e-6);
    EXPECT_GE(std::round(r), 0.0);
    EXPECT_LT(std::round(r), static_cast<double>(std::max<std::int64_t>(t, 1)));
    EXPECT_EQ(k.clipped_fraction, 0.0);
  }
}

// R must be uniform on {0, ..., 9} after 10 iterations. Noise-free gradient descent makes R
// readable from ||grad f(x_R)||; the only randomness is the iterate stream. Chi-square test over
// 5000 seeds (0..4999, master seed 0), 9 degrees of freedom, false-alarm rate 1e-4.
TEST(Checkpoints, OutputIterateIsUniform) {
  RunConfig c = Base(Method::kSgd);
  c.problem.dim = 3;
  c.noise_enabled = false;
  c.batch_size = 1;
  c.budget = 10;
  c.schedule.eta0 = 0.1;
  const PreparedRun run(c);
  constexpr int kSeeds = 5000;
  std::vector<int> counts(10, 0);
  for (std::uint64_t seed = 0; seed < kSeeds; ++seed) {
    // A copy: the run result is a temporary, a reference into it would dangle.
    const Checkpoint k = run.Run(0, seed).checkpoints.back();
    ASSERT_EQ(k.iterations, 10);
    const auto r =
        static_cast<int>(std::lround(std::log(k.grad_norm_at_R / std::sqrt(3.0)) / std::log(0.9)));
    ASSERT_GE(r, 0);
    ASSERT_LT(r, 10);
    ++counts[static_cast<std::size_t>(r)];
  }
  double chi2 = 0.0;
  const double expected = kSeeds / 10.0;
  for (int n : counts) chi2 += (n - expected) * (n - expected) / expected;
  const double critical = boost::math::quantile(boost::math::chi_squared(9.0), 1.0 - 1e-4);
  EXPECT_LT(chi2, critical) << "chi-square " << chi2 << " >= " << critical
                            << " (false-alarm rate 1e-4, seeds 0..4999)";
}

TEST(Run, DivergenceIsRecordedNotThrown) {
  RunConfig c = Base(Method::kSgd);
  c.problem.kind = "quartic";
  c.problem.dim = 2;
  c.noise = noise::ParseNoiseSpec("kind=gaussian,scale=1");
  c.p = 2.0;
  c.schedule.eta0 = 1.0;  // x0 = (2, 2), grad 32: the iterates explode within a few steps
  c.batch_size = 1;
  c.budget = 1000;
  RunSummary s;
  ASSERT_NO_THROW(s = PreparedRun(c).Run(0, 0));
  EXPECT_EQ(s.termination, Termination::kDiverged);
  ASSERT_EQ(s.checkpoints.size(), CheckpointSchedule(c).size());
  EXPECT_FALSE(s.checkpoints.front().diverged);
  EXPECT_TRUE(std::isfinite(s.checkpoints.front().grad_norm));
  const Checkpoint& last = s.checkpoints.back();
  EXPECT_TRUE(last.diverged);
  EXPECT_EQ(last.grad_norm, kInf);
  EXPECT_EQ(last.value_gap, kInf);
  EXPECT_EQ(last.grad_norm_at_R, kInf);
  EXPECT_EQ(last.mean_grad_norm, kInf);
  EXPECT_LT(s.iterations, 20);
  EXPECT_NE(s.BriefReport().find("diverged"), std::string::npos);
  EXPECT_NE(Csv(s).find(",inf,"), std::string::npos);
}

TEST(Checkpoints, CsvRowFormat) {
  Checkpoint c;
  c.target = 1000;
  c.samples = 994;
  c.iterations = 142;
  c.grad_norm = 0.1;
  c.value_gap = kInf;
  c.mean_grad_norm = 1e-300;
  c.mean_sq_grad_norm = 3.0;
  c.grad_norm_at_R = 0.30000000000000004;
  c.min_grad_norm = 2.5;
  c.clipped_fraction = 0.0;
  c.diverged = true;
  std::string out;
  AppendCheckpointCsv(out, c);
  EXPECT_EQ(out, "1000,994,142,0.1,inf,1e-300,3,0.30000000000000004,2.5,0,1");
  EXPECT_EQ(CheckpointColumns().size(), 11u);
  EXPECT_EQ(CheckpointColumns().front(), "target");
  EXPECT_EQ(CheckpointColumns().back(), "diverged");
}

// AppendCheckpointLines copies the fields after the target from the line before where they
// would print the same; the lines must equal row-by-row formatting, including where checkpoints
// differ in one field only: -0 against +0, NaN payloads, `diverged`, samples, iterations.
TEST(Checkpoints, LinesCopyOnlyWhatPrintsTheSame) {
  Checkpoint a;
  a.samples = 16;
  a.iterations = 1;
  a.grad_norm = 0.7071067811865476;
  a.value_gap = 0.25;
  a.mean_grad_norm = 1.0;
  a.mean_sq_grad_norm = 1.0;
  a.grad_norm_at_R = 1.0;
  a.min_grad_norm = 0.7071067811865476;
  a.clipped_fraction = 0.0625;
  std::vector<Checkpoint> run;
  const auto add = [&run](Checkpoint c) {
    c.target = run.empty() ? 0 : run.back().target + 3;
    run.push_back(c);
  };
  add(a);
  add(a);  // the same iterate: copied
  add(a);
  Checkpoint b = a;
  b.clipped_fraction = -0.0;  // then +0: equal as doubles, printed differently
  add(b);
  b.clipped_fraction = 0.0;
  add(b);
  add(b);
  Checkpoint c = b;
  c.value_gap = std::numeric_limits<double>::quiet_NaN();
  add(c);
  c.value_gap = -std::numeric_limits<double>::quiet_NaN();
  add(c);
  add(c);
  Checkpoint d = c;
  d.diverged = true;
  add(d);
  d.samples = 32;
  add(d);
  d.iterations = 2;
  add(d);
  d.min_grad_norm = std::numeric_limits<double>::infinity();
  add(d);
  add(d);
  std::string expected;
  for (const Checkpoint& x : run) {
    expected += "s,7,";
    AppendCheckpointCsv(expected, x);
    expected += '\n';
  }
  std::string out = "already here\n";
  AppendCheckpointLines(out, "s,7,", run);
  EXPECT_EQ(out, "already here\n" + expected);
  // The empty prefix, and an empty run.
  std::string plain;
  AppendCheckpointLines(plain, "", run);
  RunSummary summary;
  summary.checkpoints = run;
  EXPECT_EQ(plain, Csv(summary));
  std::string none = "x";
  AppendCheckpointLines(none, "p,", {});
  EXPECT_EQ(none, "x");
}

// The theory schedule takes (eta, n, thresholds) from the registry with L from the problem,
// Delta = f(x0) - f_low and sigma(p) from the noise, recomputed here independently.
TEST(TheorySchedule, ResolvesFromTheRegistry) {
  RunConfig c = Base(Method::kPsClipSgd);
  c.problem.kind = "nonconvex_sum";
  c.noise = noise::ParseNoiseSpec("kind=stable,alpha=1.8");
  c.p = 1.5;
  c.schedule.kind = ScheduleKind::kTheory;
  c.budget = 100000;
  const PreparedRun run(c);
  const auto problem = MakeProblem(c.problem);
  const auto model = noise::MakeNoise(c.noise);
  theory::TheoryInputs in;
  in.L = problem->Facts().L;
  in.delta = problem->Value(problem->DefaultStart()) - problem->LowerBound();
  in.sigma = model->Sigma(1.5, 10);
  in.p = 1.5;
  in.budget = 100000;
  const double s = in.sigma * in.sigma * 1e5 / (in.L * in.delta);
  const auto n = static_cast<std::int64_t>(std::llround(std::pow(s, 1.5 / 2.5)));
  const ResolvedParameters& r = run.resolved();
  EXPECT_EQ(r.optimizer.batch_size, n);
  EXPECT_EQ(r.iterations, 100000 / n);
  EXPECT_DOUBLE_EQ(r.eta0, 1.0 / in.L);
  EXPECT_DOUBLE_EQ(r.optimizer.clip_scale, in.sigma);
  EXPECT_DOUBLE_EQ(r.optimizer.clip_power, 1.5);
  EXPECT_FALSE(r.theory.empty());
  // step_factor multiplies the step and nothing else.
  c.schedule.step_factor = 10.0;
  const PreparedRun ten(c);
  EXPECT_DOUBLE_EQ(ten.resolved().eta0, 10.0 / in.L);
  EXPECT_EQ(ten.resolved().optimizer.batch_size, n);
  EXPECT_EQ(run.Run(0, 0).termination, Termination::kFinished);
}

TEST(TheorySchedule, RefusesWhatTheTheoryDoesNotCover) {
  auto refusal = [](const RunConfig& c) -> std::string {
    try {
      PreparedRun run(c);
    } catch (const InputError& e) {
      return e.what();
    }
    return "";
  };
  RunConfig c = Base(Method::kPsClipSgd);
  c.schedule.kind = ScheduleKind::kTheory;
  c.problem.kind = "rosenbrock";
  EXPECT_NE(refusal(c).find("globally smooth"), std::string::npos) << refusal(c);
  c.problem.kind = "nonconvex_sum";
  c.optimizer.method = Method::kAdamNorm;
  EXPECT_NE(refusal(c).find("ps_clip_sgd, clip_sgd, sgd"), std::string::npos) << refusal(c);
  c.optimizer.method = Method::kSgd;  // sgd's theory needs a finite variance (p = 2)
  EXPECT_NE(refusal(c).find("covers only"), std::string::npos) << refusal(c);
  c.optimizer.method = Method::kPsClipSgd;
  c.batch_size_set = true;
  EXPECT_NE(refusal(c).find("batch_size"), std::string::npos) << refusal(c);
  c.batch_size_set = false;
  EXPECT_EQ(refusal(c), "");
}

}  // namespace
}  // namespace clipsim::sim

// Shared by the slow tests that run a theory-schedule configuration over many seeds and judge the
// seeds' final checkpoints against the theory registry's bounds (theory_sgd_slow_test,
// theory_registry_slow_test, huber_ripple_slow_test).
#pragma once

#include <cstdint>
#include <string>
#include <thread>

#include "clipsim/noise/noise_spec.hpp"
#include "clipsim/sim/problem_registry.hpp"
#include "clipsim/sim/run.hpp"
#include "clipsim/sim/run_config.hpp"
#include "clipsim/theory/registry.hpp"

namespace clipsim::testing {

// A theory-schedule run of `method` on the problem and noise specs at budget N, one checkpoint per
// decade (the tests read only the last).
inline sim::RunConfig TheoryRunConfig(const std::string& problem, const std::string& noise,
                                      double p, sim::Method method, std::int64_t budget,
                                      std::uint64_t master_seed) {
  sim::RunConfig config;
  config.problem = sim::ParseProblemSpec(problem);
  config.noise = noise::ParseNoiseSpec(noise);
  config.p = p;
  config.optimizer.method = method;
  config.schedule.kind = sim::ScheduleKind::kTheory;
  config.budget = budget;
  config.checkpoints_per_decade = 1;
  config.master_seed = master_seed;
  return config;
}

// record(s, summary) for the seeds s = 0..seeds-1 of `run` under master_seed, on two threads: a
// seed's run depends only on its seed, and record must write only what belongs to seed s.
template <class Record>
void ForEachSeed(const sim::PreparedRun& run, std::uint64_t master_seed, int seeds,
                 const Record& record) {
  const auto work = [&](int first) {
    for (int s = first; s < seeds; s += 2) {
      record(s, run.Run(master_seed, static_cast<std::uint64_t>(s)));
    }
  };
  std::thread helper(work, 1);
  work(0);
  helper.join();
}

// The registry's bound inputs from what the run resolved (L, Delta, sigma(p), p, N) and its
// problem's G.
inline theory::BoundInputs RegistryInputs(const sim::PreparedRun& run) {
  const sim::ResolvedParameters& r = run.resolved();
  theory::BoundInputs in;
  in.theory.L = r.L;
  in.theory.delta = r.delta;
  in.theory.sigma = r.sigma;
  in.theory.p = run.config().p;
  in.theory.budget = run.config().budget;
  in.gradient_bound = run.problem().Facts().gradient_bound;
  return in;
}

}  // namespace clipsim::testing

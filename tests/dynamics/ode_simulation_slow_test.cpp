// The risk ODE against simulation at large d (dynamics/risk_ode.hpp, sim streaming_least_squares):
// Clip-SGD (threshold 0.5, step 0.5) on streaming least squares at d = 2000 (lambda_i ~ i^-0.5,
// Tr K = 1, R(x0) = 1) under Gaussian and Student-t 1.5 labels, 8 seeds (master seed 1406),
// horizon 8 d samples. The largest relative error of the mean risk over the checkpoints must be
// below 6% (measured 1.5% and 0.8%); the planted wrong ODEs must miss by more: the unclipped SGD
// ODE (mu = 1, nu = 2R + E eps^2; measured 174%, and infinite under the Student-t labels) and
// nu x 1.2 (measured 11% and 9%).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "clipsim/dynamics/run_ode.hpp"
#include "clipsim/noise/noise_spec.hpp"
#include "clipsim/sim/run.hpp"
#include "clipsim/sim/run_config.hpp"

namespace clipsim::dynamics {
namespace {

constexpr int kDim = 2000;
constexpr int kSeeds = 8;
constexpr double kTolerance = 0.06;

struct Simulated {
  std::vector<double> samples;
  std::vector<double> mean;
};

sim::RunConfig Config(const std::string& noise, double p) {
  sim::RunConfig c;
  c.problem.kind = "streaming_least_squares";
  c.problem.dim = kDim;
  c.problem.params = {{"power", 0.5}};
  c.noise = noise::ParseNoiseSpec(noise);
  c.noise_enabled = true;
  c.p = p;
  c.optimizer.method = sim::Method::kClipSgd;
  c.optimizer.clip_threshold = 0.5;
  c.schedule.kind = sim::ScheduleKind::kConstant;
  c.schedule.eta0 = 0.5;
  c.budget = 8 * kDim;
  c.checkpoints_per_decade = 10;
  return c;
}

Simulated Simulate(const sim::RunConfig& config) {
  const sim::PreparedRun run(config);
  Simulated out;
  for (int s = 0; s < kSeeds; ++s) {
    const sim::RunSummary r = run.Run(1406, static_cast<std::uint64_t>(s));
    if (out.samples.empty()) {
      for (const sim::Checkpoint& c : r.checkpoints) out.samples.push_back(c.samples);
      out.mean.assign(out.samples.size(), 0.0);
    }
    for (std::size_t j = 0; j < r.checkpoints.size(); ++j) {
      out.mean[j] += r.checkpoints[j].value_gap / kSeeds;
    }
  }
  return out;
}

double MaxRelativeError(const Simulated& sim, const RiskOde& ode) {
  const RiskPrediction p = SolveRiskOde(ode, sim.samples);
  double worst = 0.0;
  for (std::size_t j = 0; j < sim.samples.size(); ++j) {
    if (!(sim.samples[j] > 0.0)) continue;
    if (!std::isfinite(p.risk[j])) return std::numeric_limits<double>::infinity();
    worst = std::max(worst, std::abs(sim.mean[j] - p.risk[j]) / p.risk[j]);
  }
  return worst;
}

TEST(OdeSimulation, MeanRiskFollowsTheOdeAndWrongOdesMissIt) {
  for (const auto& [noise, p] : {std::pair<std::string, double>{"kind=gaussian,scale=0.5", 2.0},
                                 {"kind=student_t,dof=1.5,scale=0.5", 1.2}}) {
    const sim::RunConfig config = Config(noise, p);
    const Simulated simulated = Simulate(config);
    RunDescription d;
    d.problem = sim::FormatProblemSpec(config.problem);
    d.noise = noise;
    d.method = "clip_sgd";
    d.eta = 0.5;
    d.clip_threshold = 0.5;
    const RiskOde ode = RunRiskOde(d);
    const double e = MaxRelativeError(simulated, ode);
    RunDescription unclipped = d;
    unclipped.method = "sgd";
    const double e_unclipped = MaxRelativeError(simulated, RunRiskOde(unclipped));
    RiskOde wrong_nu = ode;
    wrong_nu.nu_factor = 1.2;
    const double e_nu = MaxRelativeError(simulated, wrong_nu);
    std::printf(
        "%s, d = %d, %d seeds: max relative error %.4f (unclipped ODE %.4f, nu x 1.2 "
        "%.4f)\n",
        noise.c_str(), kDim, kSeeds, e, e_unclipped, e_nu);
    EXPECT_LT(e, kTolerance) << noise;
    EXPECT_GT(e_unclipped, kTolerance) << noise << ": the unclipped ODE went unnoticed";
    EXPECT_GT(e_nu, kTolerance) << noise << ": nu x 1.2 went unnoticed";
  }
}

}  // namespace
}  // namespace clipsim::dynamics

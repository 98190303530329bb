// clipsim ode CONFIG.yaml
// The deterministic equivalent of a run on streaming_least_squares (dynamics/risk_ode.hpp): the
// predicted risk at the run's checkpoints as CSV on standard output (target, samples, risk, and
// the reduction factors mu, nu and the clipping comparison criterion there). The run config is
// the one `clipsim run` takes; a run the ODE does not describe is refused (exit code 2).
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "clipsim/core/number_text.hpp"
#include "clipsim/dynamics/run_ode.hpp"
#include "clipsim/noise/noise_spec.hpp"
#include "clipsim/sim/checkpoint.hpp"
#include "clipsim/sim/run.hpp"
#include "clipsim/sim/run_config.hpp"
#include "command.hpp"

namespace clipsim::app {
namespace {

struct OdeArgs {
  std::string config;
};

int RunOde(const OdeArgs& args) {
  const sim::RunConfig config = sim::LoadRunConfig(args.config);
  const sim::PreparedRun run(config);
  const sim::ResolvedParameters& r = run.resolved();
  dynamics::RunDescription d;
  d.problem = sim::FormatProblemSpec(config.problem);
  d.noise = config.noise_enabled ? noise::FormatNoiseSpec(config.noise) : "none";
  d.method = std::string(sim::ToString(r.optimizer.method));
  d.schedule = std::string(sim::ToString(config.schedule.kind));
  d.eta = r.eta0;
  d.batch_size = r.optimizer.batch_size;
  d.accumulation = r.optimizer.accumulation;
  d.momentum = r.optimizer.momentum;
  d.clip_threshold = r.optimizer.clip_threshold;
  d.clip_ratio = r.optimizer.clip_ratio;
  const dynamics::RiskOde ode = dynamics::RunRiskOde(d);
  std::vector<double> samples;
  const std::vector<std::int64_t> targets = sim::CheckpointSchedule(config);
  for (std::int64_t t : targets) samples.push_back(static_cast<double>(t));
  const dynamics::RiskPrediction p = dynamics::SolveRiskOde(ode, samples);
  std::string out = "target,samples,risk,mu,nu,ccc\n";
  for (std::size_t i = 0; i < targets.size(); ++i) {
    AppendInteger(out, targets[i]);
    out += ',';
    AppendInteger(out, targets[i]);
    for (double v : {p.risk[i], p.mu[i], p.nu[i], p.ccc[i]}) {
      out += ',';
      AppendShortest(out, v);
    }
    out += '\n';
  }
  std::cout << out;
  std::cout.flush();
  if (p.diverged) std::cerr << "clipsim ode: the predicted risk diverges: " << p.message << "\n";
  return 0;
}

}  // namespace

void RegisterOde(CLI::App& root, Action& action) {
  auto args = std::make_shared<OdeArgs>();
  CLI::App* cmd = root.add_subcommand(
      "ode",
      "Predict the risk of a streaming_least_squares run by its deterministic equivalent (the "
      "risk ODE of Marshall et al. 2024); CSV on standard output");
  cmd->add_option("config", args->config, "run config (YAML; the keys of `clipsim run`)")
      ->required();
  cmd->callback([args, &action] { action = [args] { return RunOde(*args); }; });
}

}  // namespace clipsim::app

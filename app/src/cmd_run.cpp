// clipsim run CONFIG.yaml --seed S [--master-seed M] [--quiet]
// Runs one run and writes its checkpoints as CSV to standard output (header + one row per
// checkpoint, the same columns and number format as a sweep's results.csv); the resolved
// parameters and a one-line report go to standard error.
#include <cstdint>
#include <iostream>
#include <memory>
#include <string>

#include "clipsim/sim/checkpoint.hpp"
#include "clipsim/sim/run.hpp"
#include "clipsim/sim/run_config.hpp"
#include "command.hpp"

namespace clipsim::app {
namespace {

struct RunArgs {
  std::string config;
  std::uint64_t seed = 0;
  std::uint64_t master_seed = 0;
  bool master_seed_given = false;
  bool quiet = false;
};

void PrintResolved(const sim::PreparedRun& run) {
  const sim::ResolvedParameters& r = run.resolved();
  const sim::OptimizerSettings& o = r.optimizer;
  std::cerr << "clipsim run: " << sim::ToString(o.method) << " on " << run.problem().kind()
            << " (dim " << run.problem().dim() << "), batch_size " << o.batch_size
            << ", accumulation " << o.accumulation << ", eta0 " << r.eta0 << ", iterations "
            << r.iterations << ", samples " << r.samples;
  if (o.clip_threshold < 1e308) std::cerr << ", clip_threshold " << o.clip_threshold;
  if (o.method == sim::Method::kPsClipSgd) {
    std::cerr << ", clip_scale " << o.clip_scale << ", clip_power " << o.clip_power;
  }
  std::cerr << ", sigma(p) " << r.sigma << "\n";
  if (!r.theory.empty()) std::cerr << "clipsim run: theory schedule: " << r.theory << "\n";
}

int RunOne(const RunArgs& args) {
  const sim::RunConfig config = sim::LoadRunConfig(args.config);
  const sim::PreparedRun run(config);
  const std::uint64_t master = args.master_seed_given ? args.master_seed : config.master_seed;
  if (!args.quiet) PrintResolved(run);
  const sim::RunSummary summary = run.Run(master, args.seed);
  std::cout << sim::CheckpointTable(summary.checkpoints);
  std::cout.flush();
  if (!args.quiet) std::cerr << "clipsim run: " << summary.BriefReport() << "\n";
  return 0;  // a diverged run is a result, not an error
}

}  // namespace

void RegisterRun(CLI::App& root, Action& action) {
  auto args = std::make_shared<RunArgs>();
  CLI::App* cmd = root.add_subcommand(
      "run", "Run one run from a YAML config; checkpoints as CSV on standard output");
  cmd->add_option("config", args->config, "run config (YAML; keys in configs/README.md)")
      ->required();
  cmd->add_option("--seed", args->seed, "seed of the run (noise, data and iterate streams)")
      ->required();
  CLI::Option* master = cmd->add_option("--master-seed", args->master_seed,
                                        "master seed (default: the config's master_seed, else 0)");
  cmd->add_flag("--quiet", args->quiet, "no report on standard error");
  cmd->callback([args, master, &action] {
    args->master_seed_given = master->count() > 0;
    action = [args] { return RunOne(*args); };
  });
}

}  // namespace clipsim::app

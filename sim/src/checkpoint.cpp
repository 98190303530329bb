#include "clipsim/sim/checkpoint.hpp"

#include <cmath>

#include "clipsim/core/number_text.hpp"
#include "clipsim/core/results_folder.hpp"
#include "clipsim/sim/run_config.hpp"

namespace clipsim::sim {

const std::vector<std::string>& CheckpointColumns() {
  static const std::vector<std::string> columns(results_folder::kCheckpointColumns.begin(),
                                                results_folder::kCheckpointColumns.end());
  return columns;
}

void AppendCheckpointCsv(std::string& out, const Checkpoint& c) {
  AppendInteger(out, c.target);
  out += ',';
  AppendInteger(out, c.samples);
  out += ',';
  AppendInteger(out, c.iterations);
  for (double v : {c.grad_norm, c.value_gap, c.mean_grad_norm, c.mean_sq_grad_norm,
                   c.grad_norm_at_R, c.min_grad_norm, c.clipped_fraction}) {
    out += ',';
    AppendShortest(out, v);
  }
  out += c.diverged ? ",1" : ",0";
}

std::string CheckpointTable(const std::vector<Checkpoint>& checkpoints) {
  std::string out = results_folder::HeaderLine(results_folder::kCheckpointColumns) + '\n';
  for (const Checkpoint& c : checkpoints) {
    AppendCheckpointCsv(out, c);
    out += '\n';
  }
  return out;
}

std::vector<std::int64_t> CheckpointTargets(std::int64_t budget, int per_decade) {
  std::vector<std::int64_t> targets = {0};
  if (budget <= 0 || per_decade <= 0) return targets;
  for (int j = 0;; ++j) {
    const double v = std::round(std::pow(10.0, static_cast<double>(j) / per_decade));
    if (!(v < static_cast<double>(budget))) break;
    const auto t = static_cast<std::int64_t>(v);
    if (t > targets.back()) targets.push_back(t);
  }
  targets.push_back(budget);
  return targets;
}

std::vector<std::int64_t> CheckpointSchedule(const RunConfig& config) {
  return CheckpointTargets(config.budget, config.checkpoints_per_decade);
}

}  // namespace clipsim::sim

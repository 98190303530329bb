#include "clipsim/sim/checkpoint.hpp"

#include <bit>
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
  // Formatted into a buffer and appended once: a sweep of short runs writes millions of rows, and
  // an append per field (a capacity check and a copy call each) cost as much as a third of their
  // formatting (bench_sweep BM_CheckpointRows*).
  constexpr std::size_t kMaxRow = 3 * (kIntegerMaxChars + 1) + 7 * (kShortestMaxChars + 1) + 2;
  char row[kMaxRow];
  char* at = WriteInteger(row, c.target);
  *at++ = ',';
  at = WriteInteger(at, c.samples);
  *at++ = ',';
  at = WriteInteger(at, c.iterations);
  for (double v : {c.grad_norm, c.value_gap, c.mean_grad_norm, c.mean_sq_grad_norm,
                   c.grad_norm_at_R, c.min_grad_norm, c.clipped_fraction}) {
    *at++ = ',';
    at = WriteShortest(at, v);
  }
  *at++ = ',';
  *at++ = c.diverged ? '1' : '0';
  out.append(row, at);
}

namespace {

// Whether two checkpoints' rows differ at most in the target: every other field equal, the
// doubles bit for bit (so -0 and 0, or two NaNs, are told apart exactly as their text is).
bool SameButTarget(const Checkpoint& a, const Checkpoint& b) {
  const auto bits = [](double v) { return std::bit_cast<std::uint64_t>(v); };
  return a.samples == b.samples && a.iterations == b.iterations && a.diverged == b.diverged &&
         bits(a.grad_norm) == bits(b.grad_norm) && bits(a.value_gap) == bits(b.value_gap) &&
         bits(a.mean_grad_norm) == bits(b.mean_grad_norm) &&
         bits(a.mean_sq_grad_norm) == bits(b.mean_sq_grad_norm) &&
         bits(a.grad_norm_at_R) == bits(b.grad_norm_at_R) &&
         bits(a.min_grad_norm) == bits(b.min_grad_norm) &&
         bits(a.clipped_fraction) == bits(b.clipped_fraction);
}

}  // namespace

void AppendCheckpointLines(std::string& out, std::string_view prefix,
                           std::span<const Checkpoint> checkpoints) {
  std::size_t tail = 0;  // where the previous line's fields after its target start
  std::size_t tail_size = 0;
  for (std::size_t i = 0; i < checkpoints.size(); ++i) {
    const Checkpoint& c = checkpoints[i];
    const std::size_t line = out.size();
    out += prefix;
    if (i > 0 && SameButTarget(checkpoints[i - 1], c)) {
      AppendInteger(out, c.target);
      const std::size_t at = out.size();
      out.append(out, tail, tail_size);  // safe when appending reallocates (copied before)
      tail = at;
    } else {
      AppendCheckpointCsv(out, c);
      tail = out.find(',', line + prefix.size());
      tail_size = out.size() - tail;
    }
    out += '\n';
  }
}

std::string CheckpointTable(const std::vector<Checkpoint>& checkpoints) {
  std::string out = results_folder::HeaderLine(results_folder::kCheckpointColumns) + '\n';
  AppendCheckpointLines(out, {}, checkpoints);
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

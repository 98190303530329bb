#include "clipsim/replay/diagnostics.hpp"

#include <cmath>

#include "clipsim/replay/clip_rules.hpp"
#include "clipsim/replay/quantile.hpp"

namespace clipsim::replay {

std::vector<double> MethodFactors(Method method, const ClipSettings& settings,
                                  const BatchStatistics& stats) {
  std::vector<double> factors;
  switch (method) {
    case Method::kSgd:
      factors.assign(stats.norms.size(), 1.0);
      break;
    case Method::kClipSgd:
      factors.push_back(ClipFactor(stats.mean_norm, settings.clip_threshold));
      break;
    case Method::kClipSgdMicro:
      for (double norm : stats.micro_mean_norms) {
        factors.push_back(ClipFactor(norm, settings.clip_threshold_micro));
      }
      break;
    case Method::kPsClipSgd:
      for (std::size_t k = 0; k < stats.norms.size(); ++k) {
        const double threshold =
            settings.clip_scale * std::pow(static_cast<double>(k + 1), 1.0 / settings.clip_power);
        factors.push_back(ClipFactor(stats.norms[k], threshold));
      }
      break;
    case Method::kPsClipConst:
      for (double norm : stats.norms) factors.push_back(ClipFactor(norm, settings.ps_threshold));
      break;
  }
  return factors;
}

namespace {

std::vector<double> Quantiles(const std::vector<double>& values) {
  std::vector<double> out;
  for (double q : kDiagnosticQuantiles) out.push_back(Quantile(values, q));
  return out;
}

}  // namespace

DiagnosticRecord Summarize(Method method, const ClipSettings& settings,
                           const BatchStatistics& stats) {
  DiagnosticRecord record;
  const std::vector<double> factors = MethodFactors(method, settings, stats);
  int64_t clipped = 0;
  for (double f : factors) clipped += f < 1.0 ? 1 : 0;
  record.fraction_clipped =
      factors.empty() ? 0.0 : static_cast<double>(clipped) / static_cast<double>(factors.size());
  record.factor_quantiles = Quantiles(factors);
  record.norm_quantiles = Quantiles(stats.norms);
  record.noise_quantiles = Quantiles(stats.noise_norms);
  record.mean_norm = stats.mean_norm;
  record.batch_loss =
      stats.norms.empty() ? 0.0 : stats.loss_sum / static_cast<double>(stats.norms.size());
  return record;
}

std::optional<TailReport> TailWindow::Add(const std::vector<double>& samples) {
  pool_.insert(pool_.end(), samples.begin(), samples.end());
  if (static_cast<int64_t>(pool_.size()) < window_) return std::nullopt;
  TailReport report = EstimateTail(std::move(pool_), k_);
  pool_.clear();
  return report;
}

}  // namespace clipsim::replay

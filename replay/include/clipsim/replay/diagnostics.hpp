// What a diagnostic step logs: the fraction of clipped samples (or batches), the distribution of
// the method's clip factors, of the per-sample gradient norms and of the noise norms, and, pooled
// over a window of samples, the tail index of the noise norms (tail_index.hpp). A diagnostic step
// measures the batch at the parameters before the update, in a pass of its own that is not
// counted in the run's training seconds.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "clipsim/replay/batch_statistics.hpp"
#include "clipsim/replay/clip_settings.hpp"
#include "clipsim/replay/options.hpp"
#include "clipsim/replay/tail_index.hpp"

namespace clipsim::replay {

// The factors the method applies to this batch: one per sample for the per-sample methods, one
// per micro-batch for clip-sgd-micro, one for clip-sgd, and all ones for sgd.
std::vector<double> MethodFactors(Method method, const ClipSettings& settings,
                                  const BatchStatistics& stats);

struct DiagnosticRecord {
  double fraction_clipped = 0.0;  // share of the factors above that are < 1
  // Quantiles 0, 0.1, 0.5, 0.9 and 1 of the factors, of ||g_k|| and of ||g_k - gbar||.
  std::vector<double> factor_quantiles;
  std::vector<double> norm_quantiles;
  std::vector<double> noise_quantiles;
  double mean_norm = 0.0;   // ||gbar||
  double batch_loss = 0.0;  // mean per-sample loss of the batch
};
inline const std::vector<double> kDiagnosticQuantiles = {0.0, 0.1, 0.5, 0.9, 1.0};

DiagnosticRecord Summarize(Method method, const ClipSettings& settings,
                           const BatchStatistics& stats);

// Pools noise norms until `window` samples are in, then estimates the tail and starts over.
class TailWindow {
 public:
  TailWindow(int64_t window, int64_t k) : window_(window), k_(k) {}
  std::optional<TailReport> Add(const std::vector<double>& samples);

 private:
  int64_t window_;
  int64_t k_;
  std::vector<double> pool_;
};

}  // namespace clipsim::replay

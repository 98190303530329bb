// The optimizers. One step consumes K micro-batches (K = accumulation, 1 unless set) of n rows
// (n = batch_size); each micro-batch may arrive in several chunks of rows. With g_k the k-th row
// and d the step direction:
//
//   sgd, sgd_momentum      d = (1/n) sum_k g_k (averaged over the K micro-batches)
//   ps_clip_sgd            d = (1/n) sum_k gamma_k g_k, gamma_k = min(1, lambda_k / ||g_k||),
//                          lambda_k = clip_scale * k^(1/clip_power); k restarts at 1 in every
//                          micro-batch (position: per_microbatch) or runs 1..n*K over the
//                          accumulated batch (position: across_microbatches)
//   ps_clip_const          the same with lambda_k = clip_threshold for every k
//   median_clip_sgd        the same with lambda = clip_ratio x the median of the norms of the
//                          last clip_window rows fed before this one (over all steps; the lower
//                          median for an even count; lambda = inf before the first row)
//   clip_sgd               m_j = mean of micro-batch j; d = (1/K) sum_j clip(m_j)
//                          (clip_per_microbatch) or d = clip((1/K) sum_j m_j)
//                          (clip_after_accumulation); clip(v) = min(1, lambda / ||v||) v
//   coord_clip_sgd         d_i = max(-lambda, min(lambda, m_i)), m the batch mean
//   clip_adagrad_norm,     d = clip(m) before the adaptive update (Chezhegov et al.)
//   clip_adam_norm
//
// and the update:
//   momentum mu = 0        x -= eta_t d
//   heavy ball mu > 0      v = mu v + d; x -= eta_t v      (sgd_momentum, clip_sgd, ps_clip_*,
//                                                           coord_clip_sgd)
//   normalized_sgd         m = mu m + (1 - mu) d; x -= eta_t m / ||m|| (no step while m = 0)
//   (clip_)adagrad_norm    b^2 = b^2 + ||d||^2 (b_0 = adaptive_eps); x -= eta_t d / b;
//                          with beta1 > 0 (AdaGrad-Norm with momentum) m = beta1 m +
//                          (1 - beta1) d and x -= eta_t m / b (beta1 = 0: m = d, the same run)
//   (clip_)adam_norm       m = beta1 m + (1 - beta1) d; b^2 = beta2 b^2 + (1 - beta2) ||d||^2
//                          (b_0 = adaptive_eps, no bias correction); x -= eta_t m / b
//   delay (the four above) the delayed stepsize of Chezhegov et al. (AdaGradD-Norm, AdamD-Norm):
//                          x -= eta_t m / b_prev with b_prev the accumulator BEFORE this step's
//                          direction enters it (built from the directions of earlier steps;
//                          b_0 = adaptive_eps at the first step), then b is updated as above. So
//                          the step is not normalized by its own gradient: one large d moves x by
//                          eta ||d|| / b_prev, unbounded, where the undelayed step is at most eta.
//
// Clipped samples (for clipped_fraction): a row whose factor gamma_k < 1 (per-sample methods);
// every row of a micro-batch (clip_per_microbatch) or of the step (after accumulation) whose mean
// was shrunk (batch clipping); every row of a step in which a coordinate was cut (coord_clip_sgd).
// Methods that never clip count 0; normalization is not counted as clipping.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "clipsim/core/types.hpp"
#include "clipsim/sim/optimizer_options.hpp"

namespace clipsim::sim {

// An optimizer's options with every default resolved to a number (what a run actually uses).
struct OptimizerSettings {
  Method method = Method::kSgd;
  double momentum = 0.0;
  double clip_threshold = 0.0;  // +inf where the method has none
  double clip_scale = 0.0;      // ps_clip_sgd; +inf elsewhere
  double clip_power = 1.0;      // ps_clip_sgd
  double beta1 = 0.0;  // resolved from the options by DefaultBeta1 (0.9 for the Adam-Norms)
  double beta2 = 0.999;
  double adaptive_eps = 1e-8;
  bool delay = false;  // adaptive methods: divide by the accumulator of the earlier steps
  std::int64_t batch_size = 1;
  std::int64_t accumulation = 1;
  AccumulationMode accumulation_mode = AccumulationMode::kClipAfterAccumulation;
  PositionMode position = PositionMode::kPerMicrobatch;
  double clip_ratio = 2.0;         // median_clip_sgd
  std::int64_t clip_window = 101;  // median_clip_sgd
};

// The rows per chunk in which a run feeds a micro-batch of batch_size rows of dimension dim:
// about 128 KiB of doubles (so a chunk stays in cache between sampling, norms and reduction), at
// least 1 and at most batch_size. Chunking never changes a result: rows are summed in order.
std::int64_t ChunkRows(std::int64_t batch_size, int dim);

// lambda_k = clip_scale * k^(1/clip_power), k = 1, 2, ..., for the positions a step of ps_clip_sgd
// uses (at most 2^20 of them; later ones are computed when needed); empty for other methods. A
// PreparedRun computes them once and hands them to the Optimizer of each of its runs.
std::vector<double> PsClipThresholds(const OptimizerSettings& settings);

// Whether an Optimizer of these settings in this dimension takes ScalarSteps (see there).
bool TakesScalarSteps(const OptimizerSettings& settings, int dim);

// Whether an Optimizer of these settings in this dimension takes AddNoisyRows (see there).
bool TakesNoisyRows(const OptimizerSettings& settings, int dim);

// One optimizer's state for one run. All memory is allocated in the constructor; the step
// functions never allocate. Not thread-safe (one per run).
class Optimizer {
 public:
  // thresholds: PsClipThresholds(settings), where the caller has them (copied); else computed.
  Optimizer(const OptimizerSettings& settings, int dim,
            const std::vector<double>* thresholds = nullptr);

  // Feeds the next rows of the current micro-batch (any number of rows, in order); the step's
  // n * K rows must all be fed before FinishStep.
  void AddRows(const Eigen::Ref<const Batch>& rows);
  // AddRows of the m rows g_k = noise[k * dim + j] + plus[j], given by their parts (runs of
  // additive noise: the oracle's noise drawn ahead and grad f(x)), without writing them out: the
  // same bits (AccumulateNoisyRows), for a fraction of the cost at small dim. Only where
  // TakesNoisyRows(): every method but median_clip_sgd (whose threshold depends on the norms of
  // the rows before, one at a time), with every threshold stored, in dim 2 to kNoisyRowsMaxDim.
  bool TakesNoisyRows() const { return noisy_rows_; }
  void AddNoisyRows(const double* noise, const double* plus, std::int64_t m);
  // Applies the step with step size eta to x and resets for the next step.
  void FinishStep(double eta, Vector& x);

  // Scalar problems (dim 1) with one micro-batch per step, for the methods whose step is a
  // weighted mean of the rows (sgd, sgd_momentum, clip_sgd, ps_clip_sgd, ps_clip_const): one
  // whole step from the rows g_k = noise[k] + shift, k < batch_size, in one call. The same
  // operations in the same order as AddRows and FinishStep, so the same bits; without their
  // per-call checks, vectors of one entry and stores between them, which are most of the cost
  // of a step of a few scalars. Only where TakesScalarSteps().
  bool TakesScalarSteps() const { return scalar_steps_; }
  void ScalarStep(const double* noise, double shift, double eta, double& x);

  // The ScalarSteps of up to kLanes runs at once, for runs of one PreparedRun (the same settings
  // and thresholds): lane i takes exactly the step ScalarStep(noise, shift, eta, *x) would take
  // with its optimizer. Both go through the same code, which computes every lane's operations
  // elementwise in the same order, so computing eight runs' rows in one vector changes no bit
  // (tests/sim/scalar_step_test.cpp checks it). The ordered sum of a step's rows is a chain of
  // dependent fused multiply-adds; across lanes, eight runs share one chain. scratch: any vector,
  // reused from call to call.
  struct ScalarLane {
    Optimizer* optimizer;
    const double* noise;  // batch_size values
    double shift;
    double eta;
    double* x;
  };
  static constexpr std::size_t kLanes = 8;
  static void ScalarSteps(std::span<const ScalarLane> lanes, std::vector<double>& scratch);

  std::int64_t samples_per_step() const { return settings_.batch_size * settings_.accumulation; }
  std::int64_t clipped_samples() const { return clipped_samples_; }
  const OptimizerSettings& settings() const { return settings_; }

 private:
  // Checks that m rows fit in the current micro-batch (and a chunk).
  void CheckRowsFit(std::int64_t m, Eigen::Index cols) const;
  // The position of the next row for its threshold: in the step or in the micro-batch.
  std::int64_t NextPosition() const;
  // Counts m rows fed, and ends the micro-batch when it is full.
  void CountRows(std::int64_t m);
  void EndMicrobatch();
  double ClipBatchMean(Vector& v, std::int64_t rows);
  double ClipScalarMean(double v, std::int64_t rows);  // ClipBatchMean of one entry
  // The end of a ScalarStep, from the weighted sum of its rows: mean, clipping, update.
  void FinishScalarStep(double sum, double eta, double& x);
  double MedianThreshold();        // median_clip_sgd: lambda for the next row
  void RememberNorm(double norm);  // median_clip_sgd
  OptimizerSettings settings_;

  std::vector<double> thresholds_;  // lambda_k for the first positions (ps_clip_sgd)
  std::vector<double> norms_;       // per-row norms of the current chunk
  std::vector<double> weights_;     // per-row weights of the current chunk
  std::vector<double> ones_;        // unit weights (methods without per-sample factors)
  std::vector<double> window_;      // median_clip_sgd: the last clip_window norms (a ring)
  std::vector<double> window_scratch_;
  std::size_t window_count_ = 0;
  std::size_t window_next_ = 0;
  Vector micro_sum_;  // sum_k w_k g_k of the current micro-batch
  Vector step_sum_;   // sum over micro-batches of their (clipped) means
  Vector direction_;
  Vector velocity_;                // heavy ball v, normalized/adam m
  double b_squared_ = 0.0;         // adagrad/adam accumulator
  std::int64_t row_in_micro_ = 0;  // rows fed in the current micro-batch
  std::int64_t row_in_step_ = 0;   // rows fed in the current step
  std::int64_t micro_index_ = 0;
  std::int64_t clipped_samples_ = 0;
  bool scalar_steps_ = false;
  bool noisy_rows_ = false;
};

}  // namespace clipsim::sim

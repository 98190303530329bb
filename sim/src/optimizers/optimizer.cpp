#include "clipsim/sim/optimizer.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "clipsim/core/check.hpp"
#include "clipsim/sim/reduction.hpp"

namespace clipsim::sim {
namespace {

// Thresholds beyond this many positions are computed when needed (batches of millions of rows
// under the theory schedule) instead of stored.
constexpr std::size_t kMaxStoredThresholds = std::size_t{1} << 20;
constexpr std::int64_t kChunkDoubles = 16384;

// lambda_{position + 1} of ps_clip_sgd. clip_power = inf gives exponent 0: a constant threshold.
double PsClipThreshold(const OptimizerSettings& s, std::int64_t position) {
  return s.clip_scale * std::pow(static_cast<double>(position + 1), 1.0 / s.clip_power);
}

}  // namespace

std::vector<double> PsClipThresholds(const OptimizerSettings& settings) {
  if (settings.method != Method::kPsClipSgd) return {};
  const auto n = static_cast<std::size_t>(settings.batch_size);
  const std::size_t count = settings.position == PositionMode::kAcrossMicrobatches
                                ? n * static_cast<std::size_t>(settings.accumulation)
                                : n;
  std::vector<double> thresholds(std::min(count, kMaxStoredThresholds));
  for (std::size_t k = 0; k < thresholds.size(); ++k) {
    thresholds[k] = PsClipThreshold(settings, static_cast<std::int64_t>(k));
  }
  return thresholds;
}

bool TakesScalarSteps(const OptimizerSettings& s, int dim) {
  // One micro-batch in one chunk (so ps_clip_sgd's thresholds are all stored), and a step that is
  // FinishStep's default branch over a weighted mean of the rows.
  const Method m = s.method;
  return dim == 1 && s.accumulation == 1 && s.batch_size <= ChunkRows(s.batch_size, dim) &&
         (m == Method::kSgd || m == Method::kSgdMomentum || m == Method::kClipSgd ||
          m == Method::kPsClipConst || m == Method::kPsClipSgd);
}

bool TakesNoisyRows(const OptimizerSettings& s, int dim) {
  // ps_clip_sgd's positions run over the micro-batch or the step; all of them must be stored.
  const std::int64_t positions = s.position == PositionMode::kAcrossMicrobatches
                                     ? s.batch_size * s.accumulation
                                     : s.batch_size;
  return FusesNoisyRows(dim) && s.method != Method::kMedianClipSgd &&
         (s.method != Method::kPsClipSgd ||
          positions <= static_cast<std::int64_t>(kMaxStoredThresholds));
}

std::int64_t ChunkRows(std::int64_t batch_size, int dim) {
  const std::int64_t rows = kChunkDoubles / std::max(1, dim);
  return std::clamp<std::int64_t>(rows, 1, std::max<std::int64_t>(batch_size, 1));
}

Optimizer::Optimizer(const OptimizerSettings& settings, int dim,
                     const std::vector<double>* thresholds)
    : settings_(settings), thresholds_(thresholds ? *thresholds : PsClipThresholds(settings)) {
  Require(
      settings_.batch_size >= 1 && settings_.accumulation >= 1 && dim >= 1,
      "Optimizer: batch_size, accumulation and dim must be >= 1 (settings are validated first)");
  if (settings_.method == Method::kMedianClipSgd) {
    window_.assign(static_cast<std::size_t>(settings_.clip_window), 0.0);
    window_scratch_.assign(window_.size(), 0.0);
  }
  const auto chunk = static_cast<std::size_t>(ChunkRows(settings_.batch_size, dim));
  norms_.assign(chunk, 0.0);
  weights_.assign(chunk, 1.0);
  ones_.assign(chunk, 1.0);
  micro_sum_ = Vector::Zero(dim);
  step_sum_ = Vector::Zero(dim);
  direction_ = Vector::Zero(dim);
  velocity_ = Vector::Zero(dim);
  b_squared_ = settings_.adaptive_eps * settings_.adaptive_eps;
  scalar_steps_ = sim::TakesScalarSteps(settings_, dim);
  noisy_rows_ = sim::TakesNoisyRows(settings_, dim);
}

void Optimizer::CheckRowsFit(std::int64_t m, Eigen::Index cols) const {
  Require(m >= 1 && static_cast<std::size_t>(m) <= ones_.size() &&
              row_in_micro_ + m <= settings_.batch_size && cols == micro_sum_.size(),
          "Optimizer: the run loop fed a chunk of rows beyond the micro-batch");
}

std::int64_t Optimizer::NextPosition() const {
  return settings_.position == PositionMode::kAcrossMicrobatches ? row_in_step_ : row_in_micro_;
}

void Optimizer::CountRows(std::int64_t m) {
  row_in_micro_ += m;
  row_in_step_ += m;
  if (row_in_micro_ == settings_.batch_size) EndMicrobatch();
}

void Optimizer::AddNoisyRows(const double* noise, const double* plus, std::int64_t m) {
  Require(noisy_rows_, "Optimizer::AddNoisyRows: not for these settings and dimension");
  CheckRowsFit(m, micro_sum_.size());
  RowClipping clip;
  clip.per_sample = ClipsPerSample(settings_.method);
  if (settings_.method == Method::kPsClipConst) {
    clip.threshold = settings_.clip_threshold;
  } else if (clip.per_sample) {  // ps_clip_sgd: every position stored (TakesNoisyRows)
    clip.thresholds = thresholds_.data() + NextPosition();
  }
  clipped_samples_ +=
      AccumulateNoisyRows(NoisyRows{noise, plus, m, micro_sum_.size()}, clip, micro_sum_.data());
  CountRows(m);
}

void Optimizer::AddRows(const Eigen::Ref<const Batch>& rows) {
  const std::int64_t m = rows.rows();
  CheckRowsFit(m, rows.cols());
  const double* weights = ones_.data();
  if (ClipsPerSample(settings_.method)) {
    RowNorms(rows, norms_.data());
    const bool constant = settings_.method == Method::kPsClipConst;
    const bool median = settings_.method == Method::kMedianClipSgd;
    const std::int64_t first = NextPosition();
    if (!median && (constant || static_cast<std::size_t>(first + m) <= thresholds_.size())) {
      // The common case as one branch-free loop that the compiler vectorizes: the quotient is
      // computed for every row and kept where the row is clipped (ClipFactor's value, bit for
      // bit; a quotient of a row that is not clipped is never used).
      const double* lambdas = constant ? nullptr : thresholds_.data() + first;
      const double fixed = settings_.clip_threshold;
      std::int64_t clipped = 0;
      for (std::int64_t k = 0; k < m; ++k) {
        const double lambda = constant ? fixed : lambdas[k];
        const double norm = norms_[static_cast<std::size_t>(k)];
        const double quotient = lambda / norm;
        const bool clip = norm > lambda;
        weights_[static_cast<std::size_t>(k)] = clip ? quotient : 1.0;
        clipped += clip ? 1 : 0;
      }
      clipped_samples_ += clipped;
    } else {
      for (std::int64_t k = 0; k < m; ++k) {
        const std::int64_t position = first + k;
        const double lambda = median     ? MedianThreshold()
                              : constant ? settings_.clip_threshold
                              : static_cast<std::size_t>(position) < thresholds_.size()
                                  ? thresholds_[static_cast<std::size_t>(position)]
                                  : PsClipThreshold(settings_, position);
        const double norm = norms_[static_cast<std::size_t>(k)];
        weights_[static_cast<std::size_t>(k)] = ClipFactor(lambda, norm);
        if (norm > lambda) ++clipped_samples_;
        if (median) RememberNorm(norm);
      }
    }
    weights = weights_.data();
  }
  AccumulateWeighted(rows, weights, micro_sum_);
  CountRows(m);
}

double Optimizer::MedianThreshold() {
  if (window_count_ == 0) return std::numeric_limits<double>::infinity();
  std::copy(window_.begin(), window_.begin() + static_cast<std::ptrdiff_t>(window_count_),
            window_scratch_.begin());
  const auto mid = window_scratch_.begin() + static_cast<std::ptrdiff_t>((window_count_ - 1) / 2);
  std::nth_element(window_scratch_.begin(), mid,
                   window_scratch_.begin() + static_cast<std::ptrdiff_t>(window_count_));
  return settings_.clip_ratio * *mid;
}

void Optimizer::RememberNorm(double norm) {
  window_[window_next_] = norm;
  window_next_ = (window_next_ + 1) % window_.size();
  window_count_ = std::min(window_count_ + 1, window_.size());
}

double Optimizer::ClipBatchMean(Vector& v, std::int64_t rows) {
  const double norm = Norm(v);
  const double factor = ClipFactor(settings_.clip_threshold, norm);
  if (norm > settings_.clip_threshold) {
    for (Eigen::Index j = 0; j < v.size(); ++j) v[j] *= factor;
    clipped_samples_ += rows;
  }
  return factor;
}

void Optimizer::EndMicrobatch() {
  const auto n = static_cast<double>(settings_.batch_size);
  for (Eigen::Index j = 0; j < micro_sum_.size(); ++j) micro_sum_[j] /= n;
  if (settings_.method == Method::kClipSgd &&
      settings_.accumulation_mode == AccumulationMode::kClipPerMicrobatch) {
    ClipBatchMean(micro_sum_, settings_.batch_size);
  }
  step_sum_ += micro_sum_;
  micro_sum_.setZero();
  row_in_micro_ = 0;
  ++micro_index_;
}

void Optimizer::FinishStep(double eta, Vector& x) {
  Require(micro_index_ == settings_.accumulation && row_in_micro_ == 0,
          "Optimizer: a step before every micro-batch of it was fed");
  const auto k = static_cast<double>(settings_.accumulation);
  const Eigen::Index d = x.size();
  for (Eigen::Index j = 0; j < d; ++j) direction_[j] = step_sum_[j] / k;
  const std::int64_t step_rows = settings_.batch_size * settings_.accumulation;

  switch (settings_.method) {
    case Method::kClipSgd:
      if (settings_.accumulation_mode == AccumulationMode::kClipAfterAccumulation) {
        ClipBatchMean(direction_, step_rows);
      }
      break;
    case Method::kClipAdagradNorm:
    case Method::kClipAdamNorm:
      ClipBatchMean(direction_, step_rows);
      break;
    case Method::kCoordClipSgd: {
      const double lambda = settings_.clip_threshold;
      bool cut = false;
      for (Eigen::Index j = 0; j < d; ++j) {
        const double v = direction_[j];
        if (v > lambda) {
          direction_[j] = lambda;
          cut = true;
        } else if (v < -lambda) {
          direction_[j] = -lambda;
          cut = true;
        }
      }
      if (cut) clipped_samples_ += step_rows;
      break;
    }
    default:
      break;
  }

  switch (settings_.method) {
    case Method::kNormalizedSgd: {
      const double mu = settings_.momentum;
      for (Eigen::Index j = 0; j < d; ++j) {
        velocity_[j] = mu * velocity_[j] + (1.0 - mu) * direction_[j];
      }
      const double norm = Norm(velocity_);
      if (norm > 0.0) {
        const double scale = eta / norm;
        for (Eigen::Index j = 0; j < d; ++j) x[j] -= scale * velocity_[j];
      }
      break;
    }
    case Method::kAdagradNorm:
    case Method::kClipAdagradNorm: {
      const double g = Norm(direction_);
      // delay: the step divides by b of the earlier steps; the direction enters b afterwards.
      const double b_prev = std::sqrt(b_squared_);
      b_squared_ += g * g;
      const double scale = eta / (settings_.delay ? b_prev : std::sqrt(b_squared_));
      const double b1 = settings_.beta1;
      if (b1 == 0.0) {
        for (Eigen::Index j = 0; j < d; ++j) x[j] -= scale * direction_[j];
      } else {
        for (Eigen::Index j = 0; j < d; ++j) {
          velocity_[j] = b1 * velocity_[j] + (1.0 - b1) * direction_[j];
          x[j] -= scale * velocity_[j];
        }
      }
      break;
    }
    case Method::kAdamNorm:
    case Method::kClipAdamNorm: {
      const double b1 = settings_.beta1;
      const double b2 = settings_.beta2;
      for (Eigen::Index j = 0; j < d; ++j) {
        velocity_[j] = b1 * velocity_[j] + (1.0 - b1) * direction_[j];
      }
      const double g = Norm(direction_);
      const double b_prev = std::sqrt(b_squared_);
      b_squared_ = b2 * b_squared_ + (1.0 - b2) * (g * g);
      const double scale = eta / (settings_.delay ? b_prev : std::sqrt(b_squared_));
      for (Eigen::Index j = 0; j < d; ++j) x[j] -= scale * velocity_[j];
      break;
    }
    default: {
      const double mu = settings_.momentum;
      if (mu == 0.0) {
        for (Eigen::Index j = 0; j < d; ++j) x[j] -= eta * direction_[j];
      } else {
        for (Eigen::Index j = 0; j < d; ++j) {
          velocity_[j] = mu * velocity_[j] + direction_[j];
          x[j] -= eta * velocity_[j];
        }
      }
      break;
    }
  }
  step_sum_.setZero();
  micro_index_ = 0;
  row_in_step_ = 0;
}

}  // namespace clipsim::sim

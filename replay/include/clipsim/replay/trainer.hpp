// The replay: every selected method trained from the same initialization on the same batches
// (same seed: same permutation and augmentation per epoch), evaluated after each epoch, with
// diagnostics every diag_every steps, and the result files of report.hpp.
//
// Timing: elapsed_s counts the training steps only (loading, forward, backward, clipping,
// update), not the evaluation and not the diagnostic passes (timed apart, in diag_s, with device
// synchronizations around them); clip_s is the part of elapsed_s spent clipping (method_step.hpp).
// A method whose training loss or parameters become non-finite is marked diverged (its last row
// has diverged = 1) and stops; divergence is a result, not an error.
#pragma once

#include <ATen/ATen.h>

#include <cstdint>
#include <ostream>
#include <vector>

#include "clipsim/replay/alexnet.hpp"
#include "clipsim/replay/cifar.hpp"
#include "clipsim/replay/clip_settings.hpp"
#include "clipsim/replay/options.hpp"

namespace clipsim::replay {

struct EvalResult {
  double loss = 0.0;  // mean cross-entropy
  double top1 = 0.0;  // accuracy in percent
  double top5 = 0.0;
};

// The model on the whole set, without augmentation, in batches of batch_size.
EvalResult Evaluate(const AlexNetCifar& model, const Dataset& data, int64_t batch_size,
                    int queue_depth);

struct EpochRecord {
  int epoch = 0;  // 1-based
  double lr = 0.0;
  int64_t steps = 0;        // optimizer steps so far
  double train_loss = 0.0;  // mean per-sample loss over the epoch's batches (before each update)
  EvalResult test;
  double elapsed_s = 0.0;  // cumulative training seconds
  double clip_s = 0.0;     // cumulative seconds in clipping
  double diag_s = 0.0;     // cumulative seconds in diagnostic passes
  bool diverged = false;
};

struct MethodResult {
  Method method = Method::kSgd;
  std::vector<EpochRecord> epochs;
  bool diverged = false;
};

class RunOutputs;  // the open result files (trainer.cpp)

// Trains one method. outputs may be null (tests): then nothing is written.
MethodResult TrainMethod(Method method, const TrainOptions& options, const DataSplit& data,
                         const ClipSettings& settings, const at::Device& device,
                         RunOutputs* outputs, std::ostream& log);

// The whole run: loads or builds the data, sets up the device, resolves the clipping constants,
// trains every method, writes <out_dir>/{run.json, epochs.csv, diagnostics.csv, tail.csv,
// plots.gp, *.png}. Returns the process exit code (0). Throws InputError for bad input.
int RunReplay(const TrainOptions& options, const std::string& command_line, std::ostream& log);

}  // namespace clipsim::replay

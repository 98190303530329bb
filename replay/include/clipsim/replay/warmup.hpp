// The clipping constants of a run. Values given on the command line are used as they are; "auto"
// values are estimated before training by a warm-up: a throwaway copy of the network, from the
// initialization every method starts from, is trained with SGD (momentum, weight decay, the
// schedule's first learning rate) for warmup_steps steps, then measured on the per-sample
// gradients of the next ceil(warmup_samples / B) batches while it keeps training. (AlexNet
// without batch norm sits on a plateau for its first ~100 steps, where every per-sample gradient
// is the classifier bias's ||softmax - onehot|| ~ 1: estimates taken there say nothing about
// training; warmup_steps = 0 measures from the initialization on.) The methods themselves all
// start from the initialization. The estimates:
//   clip_scale     = the scale_quantile-quantile (default: median) of ||g_k||;
//   clip_power     = the Hill tail index (tail_index.hpp) of the noise norms ||g_k - batch mean||,
//                    clamped into [1.1, 2] (2 when the estimate is undefined): the order p of the
//                    noise moment the paper's recommended beta = p refers to;
//   ps_threshold   = clip_scale ((B + 1) / 2)^(1 / clip_power), PS-Clip's threshold at the middle
//                    position, so that the constant and the growing thresholds are comparable;
//   clip_threshold = the same quantile of the batch-mean norms ||gbar|| (clip-sgd), and of the
//                    micro-batch-mean norms for clip-sgd-micro.
// A given --clip-threshold is used for both batch-level methods. The warm-up runs only when a
// selected method needs an "auto" value.
#pragma once

#include <ATen/ATen.h>

#include <ostream>

#include "clipsim/replay/cifar.hpp"
#include "clipsim/replay/clip_settings.hpp"
#include "clipsim/replay/options.hpp"

namespace clipsim::replay {

inline constexpr double kMinClipPower = 1.1;
inline constexpr double kMaxClipPower = 2.0;

// log (may be null) gets a one-line summary of the estimate.
ClipSettings ResolveClipSettings(const TrainOptions& options, const Dataset& train,
                                 const at::Device& device, std::ostream* log);

}  // namespace clipsim::replay

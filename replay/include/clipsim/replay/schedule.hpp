// The learning-rate schedule, per epoch (constant within an epoch, as torch.optim.lr_scheduler's
// MultiStepLR and CosineAnnealingLR are used in the CIFAR recipes).
#pragma once

#include "clipsim/replay/options.hpp"

namespace clipsim::replay {

// epoch is 0-based. Step: lr * lr_gamma^(number of milestones <= epoch) (bearpaw's
// adjust_learning_rate multiplies at the start of the milestone epoch). Cosine:
// lr * (1 + cos(pi * epoch / epochs)) / 2.
double LearningRate(const TrainOptions& options, int epoch);

}  // namespace clipsim::replay

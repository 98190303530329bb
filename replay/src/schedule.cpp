#include "clipsim/replay/schedule.hpp"

#include <cmath>

namespace clipsim::replay {

double LearningRate(const TrainOptions& options, int epoch) {
  if (options.schedule == Schedule::kCosine) {
    const double pi = std::acos(-1.0);
    return options.lr * 0.5 * (1.0 + std::cos(pi * epoch / options.epochs));
  }
  double lr = options.lr;
  for (int milestone : options.EffectiveMilestones()) {
    if (epoch >= milestone) lr *= options.lr_gamma;
  }
  return lr;
}

}  // namespace clipsim::replay

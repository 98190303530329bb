// Heavy-ball momentum with weight decay, exactly as torch.optim.SGD(lr, momentum, weight_decay)
// with dampening 0 and no Nesterov: d = g + weight_decay x; buf = momentum buf + d (buf = d at the
// first step); x -= lr buf. g is the method's (possibly clipped) gradient, so weight decay is
// never clipped, as when clipping .grad before optimizer.step() in PyTorch.
#pragma once

#include <ATen/ATen.h>

#include <vector>

namespace clipsim::replay {

class MomentumSgd {
 public:
  // parameters: updated in place (they may require gradients; updates run without autograd).
  MomentumSgd(std::vector<at::Tensor> parameters, double momentum, double weight_decay);

  void Step(const std::vector<at::Tensor>& gradients, double lr);

 private:
  std::vector<at::Tensor> parameters_;
  std::vector<at::Tensor> buffers_;  // undefined before the first step
  double momentum_;
  double weight_decay_;
};

}  // namespace clipsim::replay

#include "clipsim/replay/optimizer.hpp"

#include <utility>

namespace clipsim::replay {

MomentumSgd::MomentumSgd(std::vector<at::Tensor> parameters, double momentum, double weight_decay)
    : parameters_(std::move(parameters)),
      buffers_(parameters_.size()),
      momentum_(momentum),
      weight_decay_(weight_decay) {}

void MomentumSgd::Step(const std::vector<at::Tensor>& gradients, double lr) {
  at::NoGradGuard no_grad;
  // Multi-tensor (_foreach) kernels: a handful of launches per step instead of a few per
  // parameter, as torch.optim.SGD(foreach=True) does.
  std::vector<at::Tensor> d = weight_decay_ != 0.0
                                  ? at::_foreach_add(gradients, parameters_, weight_decay_)
                                  : at::_foreach_mul(gradients, 1.0);
  if (momentum_ == 0.0) {
    at::_foreach_add_(parameters_, d, -lr);
    return;
  }
  if (buffers_.front().defined()) {
    at::_foreach_mul_(buffers_, momentum_);
    at::_foreach_add_(buffers_, d);
  } else {
    buffers_ = std::move(d);
  }
  at::_foreach_add_(parameters_, buffers_, -lr);
}

}  // namespace clipsim::replay

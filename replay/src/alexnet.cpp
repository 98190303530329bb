#include "clipsim/replay/alexnet.hpp"

#include <cmath>

#include "clipsim/replay/options.hpp"
#include "clipsim/replay/random.hpp"

namespace clipsim::replay {

std::vector<int64_t> LayerSpec::WeightShape() const {
  if (kind == LayerKind::kLinear) return {out_features, in_features};
  return {out_features, in_features, kernel, kernel};
}

const std::vector<LayerSpec>& AlexNetCifar::Layers() {
  static const std::vector<LayerSpec> layers = {
      // name, kind, in, out, kernel, stride, padding, in_side, out_side, relu, pool
      {"conv1", LayerKind::kConv, 3, 64, 11, 4, 5, 32, 8, true, true},
      {"conv2", LayerKind::kConv, 64, 192, 5, 1, 2, 4, 4, true, true},
      {"conv3", LayerKind::kConv, 192, 384, 3, 1, 1, 2, 2, true, false},
      {"conv4", LayerKind::kConv, 384, 256, 3, 1, 1, 2, 2, true, false},
      {"conv5", LayerKind::kConv, 256, 256, 3, 1, 1, 2, 2, true, true},
      {"fc", LayerKind::kLinear, 256, kNumClasses, 1, 1, 0, 1, 1, false, false},
  };
  return layers;
}

AlexNetCifar::AlexNetCifar(uint64_t seed, at::ScalarType dtype, const at::Device& device)
    : dtype_(dtype), device_(device) {
  Rng rng(seed, Stream::kModelInit);
  for (const LayerSpec& layer : Layers()) {
    const double bound = 1.0 / std::sqrt(static_cast<double>(layer.FanIn()));
    for (const std::vector<int64_t>& shape :
         {layer.WeightShape(), std::vector<int64_t>{layer.out_features}}) {
      at::Tensor values = at::empty(shape, at::kDouble);
      double* data = values.data_ptr<double>();
      for (int64_t i = 0; i < values.numel(); ++i) data[i] = bound * (2.0 * rng.Uniform01() - 1.0);
      parameters_.push_back(values.to(device, dtype).set_requires_grad(true));
    }
  }
}

at::Tensor AlexNetCifar::Forward(const at::Tensor& images, ForwardTape* tape) const {
  at::Tensor h = images;
  const std::vector<LayerSpec>& layers = Layers();
  for (std::size_t l = 0; l < layers.size(); ++l) {
    const LayerSpec& layer = layers[l];
    at::Tensor z;
    if (layer.kind == LayerKind::kConv) {
      z = at::conv2d(h, weight(l), bias(l), {layer.stride, layer.stride},
                     {layer.padding, layer.padding});
    } else {
      h = h.flatten(1);
      z = at::linear(h, weight(l), bias(l));
    }
    if (tape != nullptr) {
      tape->inputs.push_back(h.detach());
      tape->outputs.push_back(z);
    }
    h = z;
    if (layer.relu) h = at::relu(h);
    if (layer.pool) h = at::max_pool2d(h, {2, 2}, {2, 2});
  }
  return h;
}

int64_t AlexNetCifar::NumParameters() const {
  int64_t n = 0;
  for (const at::Tensor& p : parameters_) n += p.numel();
  return n;
}

}  // namespace clipsim::replay

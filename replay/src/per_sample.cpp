#include "clipsim/replay/per_sample.hpp"

#include <torch/csrc/autograd/autograd.h>

#include <algorithm>
#include <array>
#include <utility>

namespace clipsim::replay {
namespace {

// Multiply-adds per sample of the ways to a convolution's per-sample weight-gradient norm.
struct ConvCosts {
  int64_t instantiate;    // T P C_out
  int64_t ghost_patches;  // T^2 (P + C_out)
  int64_t ghost_pixels;   // Q^2 C_in + T^2 C_out + T^2 k^2 (the gather, at most)
};

ConvCosts CostsOf(const LayerSpec& layer) {
  const int64_t t = layer.out_side * layer.out_side;
  const int64_t q = layer.in_side * layer.in_side;
  const int64_t p = layer.FanIn();
  const int64_t c = layer.out_features;
  return {t * p * c, t * t * (p + c),
          q * q * layer.in_features + t * t * c + t * t * layer.kernel * layer.kernel};
}

// The (pixel pair, position pair) terms of the patch Gram: for output positions t, t' and kernel
// offset (u, v) with both input pixels inside the image (padding contributes zeros).
std::pair<at::Tensor, at::Tensor> PixelGramTable(const LayerSpec& layer) {
  const int64_t side = layer.in_side;
  const int64_t out = layer.out_side;
  const int64_t q_count = side * side;
  const int64_t t_count = out * out;
  std::vector<int64_t> pixel_pairs;
  std::vector<int64_t> position_pairs;
  const auto pixel = [&](int64_t t, int64_t u, int64_t v) -> int64_t {
    const int64_t row = (t / out) * layer.stride + u - layer.padding;
    const int64_t col = (t % out) * layer.stride + v - layer.padding;
    return (row >= 0 && row < side && col >= 0 && col < side) ? row * side + col : -1;
  };
  for (int64_t t = 0; t < t_count; ++t) {
    for (int64_t t2 = 0; t2 < t_count; ++t2) {
      for (int64_t u = 0; u < layer.kernel; ++u) {
        for (int64_t v = 0; v < layer.kernel; ++v) {
          const int64_t q = pixel(t, u, v);
          const int64_t q2 = pixel(t2, u, v);
          if (q < 0 || q2 < 0) continue;
          pixel_pairs.push_back(q * q_count + q2);
          position_pairs.push_back(t * t_count + t2);
        }
      }
    }
  }
  const auto n = static_cast<int64_t>(pixel_pairs.size());
  return {at::from_blob(pixel_pairs.data(), {n}, at::kLong).clone(),
          at::from_blob(position_pairs.data(), {n}, at::kLong).clone()};
}

// (B, P, T) patches of a convolution input.
at::Tensor Patches(const LayerSpec& layer, const at::Tensor& input) {
  return at::im2col(input, {layer.kernel, layer.kernel}, {1, 1}, {layer.padding, layer.padding},
                    {layer.stride, layer.stride});
}

// Every sample's weight gradient D_k^T A_k, (B, C_out, P), as one batched matrix product over
// the patches (cuBLAS on the GPU) or, with grouped_convolution, as one grouped convolution's
// weight gradient: the batch becomes B groups of a single image (the "expanded weights"
// formulation). The latter is the CPU's choice: there LibTorch's matrix products go through the
// system BLAS (Debian's default is the slow reference BLAS) while convolutions use oneDNN.
at::Tensor PerSampleWeightGradients(const LayerSpec& layer, const at::Tensor& input,
                                    const at::Tensor& delta, bool grouped_convolution) {
  const int64_t b = input.size(0);
  if (!grouped_convolution) {
    return at::bmm(delta.flatten(2), Patches(layer, input).transpose(1, 2));
  }
  const std::array<bool, 3> mask = {false, true, false};
  // Only the weight's shape is used.
  const at::Tensor weight_shape = at::empty(
      {b * layer.out_features, layer.in_features, layer.kernel, layer.kernel}, input.options());
  const at::Tensor grads = std::get<1>(at::convolution_backward(
      delta.reshape({1, b * layer.out_features, delta.size(2), delta.size(3)}),
      input.reshape({1, b * layer.in_features, input.size(2), input.size(3)}), weight_shape,
      c10::nullopt, {layer.stride, layer.stride}, {layer.padding, layer.padding}, {1, 1},
      /*transposed=*/false, {0, 0}, /*groups=*/b, mask));
  return grads.view({b, layer.out_features, layer.FanIn()});
}

}  // namespace

PerSampleGradients::PerSampleGradients(const AlexNetCifar& model, NormMode mode,
                                       Instantiation instantiation)
    : model_(model),
      grouped_convolution_(
          instantiation == Instantiation::kGroupedConvolution ||
          (instantiation == Instantiation::kDeviceDefault && model.device().is_cpu())) {
  for (const LayerSpec& layer : AlexNetCifar::Layers()) {
    LayerPlan plan;
    if (layer.kind == LayerKind::kConv) {
      const ConvCosts costs = CostsOf(layer);
      const int64_t ghost = std::min(costs.ghost_patches, costs.ghost_pixels);
      plan.mode = mode != NormMode::kAuto
                      ? mode
                      : (costs.instantiate <= ghost ? NormMode::kInstantiate : NormMode::kGhost);
      plan.pixel_gram = plan.mode == NormMode::kGhost && costs.ghost_pixels < costs.ghost_patches;
      if (plan.pixel_gram) {
        auto [pixels, positions] = PixelGramTable(layer);
        plan.pixel_pairs = pixels.to(model.device());
        plan.position_pairs = positions.to(model.device());
      }
    }
    plans_.push_back(std::move(plan));
  }
}

std::string PerSampleGradients::LayerStrategy(std::size_t layer) const {
  if (AlexNetCifar::Layers()[layer].kind == LayerKind::kLinear) return "rank-one";
  if (plans_[layer].mode == NormMode::kInstantiate) return "instantiate";
  return plans_[layer].pixel_gram ? "ghost-pixels" : "ghost-patches";
}

PerSamplePass PerSampleGradients::Backward(const at::Tensor& images,
                                           const at::Tensor& labels) const {
  ForwardTape tape;
  const at::Tensor logits = model_.Forward(images, &tape);
  const at::Tensor losses =
      at::nll_loss(at::log_softmax(logits, 1), labels, {}, at::Reduction::None);
  // Gradients of the summed loss with respect to the layer outputs: row k of each is sample k's
  // output gradient, because no layer mixes samples (no batch norm).
  std::vector<at::Tensor> deltas =
      torch::autograd::grad({losses.sum()}, tape.outputs, {}, /*retain_graph=*/false);
  PerSamplePass pass;
  pass.logits = logits.detach();
  pass.losses = losses.detach();
  pass.inputs = std::move(tape.inputs);
  pass.deltas = std::move(deltas);
  pass.per_sample_weight_grads.resize(pass.deltas.size());
  return pass;
}

at::Tensor PerSampleGradients::SquaredNorms(PerSamplePass& pass) const {
  at::NoGradGuard no_grad;
  const std::vector<LayerSpec>& layers = AlexNetCifar::Layers();
  at::Tensor total;
  for (std::size_t l = 0; l < layers.size(); ++l) {
    const LayerSpec& layer = layers[l];
    const at::Tensor& a = pass.inputs[l];
    const at::Tensor& delta = pass.deltas[l];
    at::Tensor norms;
    if (layer.kind == LayerKind::kLinear) {
      const at::Tensor delta_sq = delta.pow(2).sum(1);
      norms = a.pow(2).sum(1).mul_(delta_sq).add_(delta_sq);
    } else {
      const LayerPlan& plan = plans_[l];
      const at::Tensor d = delta.flatten(2);  // (B, C_out, T)
      if (plan.mode == NormMode::kInstantiate) {
        at::Tensor grads =
            PerSampleWeightGradients(layer, a, delta, grouped_convolution_);  // (B, C_out, P)
        norms = grads.pow(2).sum({1, 2});
        norms.add_(d.sum(2).pow(2).sum(1));  // bias gradient sum_t D_k[t]
        pass.per_sample_weight_grads[l] = std::move(grads);
      } else {
        // With the bias as a weight on a constant input 1, A_k gains a column of ones, so
        // ||G_k||^2 + ||b_k||^2 = <A_k A_k^T + 1 1^T, D_k D_k^T>.
        const at::Tensor dd = at::bmm(d.transpose(1, 2), d);  // (B, T, T)
        if (plan.pixel_gram) {
          const at::Tensor x = a.flatten(2);                   // (B, C_in, Q)
          const at::Tensor r = at::bmm(x.transpose(1, 2), x);  // (B, Q, Q)
          const at::Tensor dd_flat = dd.flatten(1);
          norms = r.flatten(1)
                      .index_select(1, plan.pixel_pairs)
                      .mul_(dd_flat.index_select(1, plan.position_pairs))
                      .sum(1)
                      .add_(dd_flat.sum(1));
        } else {
          const at::Tensor patches = Patches(layer, a);                     // (B, P, T)
          const at::Tensor aa = at::bmm(patches.transpose(1, 2), patches);  // (B, T, T)
          norms = aa.add_(1.0).mul_(dd).sum({1, 2});
        }
      }
    }
    total = total.defined() ? total.add_(norms) : norms;
  }
  return total;
}

std::vector<at::Tensor> PerSampleGradients::WeightedSum(const PerSamplePass& pass,
                                                        const at::Tensor& weights) const {
  at::NoGradGuard no_grad;
  const std::vector<LayerSpec>& layers = AlexNetCifar::Layers();
  const int64_t b = pass.batch_size();
  const at::Tensor w = weights.to(pass.deltas.front().scalar_type()).reshape({1, b});
  std::vector<at::Tensor> grads;
  grads.reserve(2 * layers.size());
  for (std::size_t l = 0; l < layers.size(); ++l) {
    const LayerSpec& layer = layers[l];
    const at::Tensor& a = pass.inputs[l];
    const at::Tensor& delta = pass.deltas[l];
    const at::Tensor& weight = model_.weight(l);
    if (layer.kind == LayerKind::kLinear) {
      const at::Tensor scaled = delta * w.reshape({b, 1});
      grads.push_back(scaled.t().mm(a));
      grads.push_back(w.mm(delta).reshape({layer.out_features}));
    } else if (pass.per_sample_weight_grads[l].defined()) {
      const at::Tensor& per_sample = pass.per_sample_weight_grads[l];
      grads.push_back(w.mm(per_sample.reshape({b, -1})).reshape(weight.sizes()));
      grads.push_back(w.mm(delta.sum({2, 3})).reshape({layer.out_features}));
    } else {
      const at::Tensor scaled = delta * w.reshape({b, 1, 1, 1});
      const std::array<bool, 3> mask = {false, true, true};
      const std::vector<int64_t> bias_sizes = {layer.out_features};
      auto [unused, grad_weight, grad_bias] = at::convolution_backward(
          scaled, a, weight.detach(), bias_sizes, {layer.stride, layer.stride},
          {layer.padding, layer.padding}, {1, 1}, /*transposed=*/false, {0, 0}, /*groups=*/1, mask);
      (void)unused;
      grads.push_back(std::move(grad_weight));
      grads.push_back(std::move(grad_bias));
    }
  }
  return grads;
}

at::Tensor PerSampleGradients::Dot(const PerSamplePass& pass,
                                   const std::vector<at::Tensor>& v) const {
  at::NoGradGuard no_grad;
  const std::vector<LayerSpec>& layers = AlexNetCifar::Layers();
  const int64_t b = pass.batch_size();
  at::Tensor total;
  for (std::size_t l = 0; l < layers.size(); ++l) {
    const LayerSpec& layer = layers[l];
    const at::Tensor& a = pass.inputs[l];
    const at::Tensor& delta = pass.deltas[l];
    const at::Tensor& v_weight = v[2 * l];
    const at::Tensor& v_bias = v[2 * l + 1];
    at::Tensor dots;
    if (layer.kind == LayerKind::kLinear) {
      dots = at::linear(a, v_weight).mul_(delta).sum(1).add_(delta.mv(v_bias));
    } else {
      if (pass.per_sample_weight_grads[l].defined()) {
        dots = pass.per_sample_weight_grads[l].reshape({b, -1}).mv(v_weight.reshape({-1}));
      } else {
        dots = at::conv2d(a, v_weight, {}, {layer.stride, layer.stride},
                          {layer.padding, layer.padding})
                   .mul_(delta)
                   .sum({1, 2, 3});
      }
      dots.add_(delta.sum({2, 3}).mv(v_bias));
    }
    total = total.defined() ? total.add_(dots) : dots;
  }
  return total;
}

at::Tensor SquaredNorm(const std::vector<at::Tensor>& tensors) {
  at::NoGradGuard no_grad;
  return at::stack(at::_foreach_norm(tensors, 2)).pow(2).sum();
}

}  // namespace clipsim::replay

// The CIFAR variant of AlexNet, written out layer by layer so that the forward pass can keep what
// per-sample clipping needs: each convolution's and linear layer's input activation and output.
//
// Layers (bearpaw/pytorch-classification, models/cifar/alexnet.py, "AlexNet for CIFAR10. FC
// layers are removed. Paddings are adjusted."; 100 outputs for CIFAR-100; no batch norm, no
// dropout; 2.47 M parameters). Spatial sides for a 32x32 input in brackets:
//   conv1  3 -> 64,   kernel 11, stride 4, padding 5 [8]  ReLU  maxpool 2x2/2 [4]
//   conv2  64 -> 192, kernel 5,  padding 2          [4]  ReLU  maxpool 2x2/2 [2]
//   conv3  192 -> 384, kernel 3, padding 1          [2]  ReLU
//   conv4  384 -> 256, kernel 3, padding 1          [2]  ReLU
//   conv5  256 -> 256, kernel 3, padding 1          [2]  ReLU  maxpool 2x2/2 [1]
//   fc     256 -> 100 (the classifier; logits)
// Initialization as PyTorch's nn.Conv2d / nn.Linear default (kaiming_uniform with a = sqrt(5)):
// weights and biases ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
#pragma once

#include <ATen/ATen.h>

#include <cstdint>
#include <string>
#include <vector>

namespace clipsim::replay {

enum class LayerKind { kConv, kLinear };

struct LayerSpec {
  std::string name;
  LayerKind kind = LayerKind::kConv;
  int64_t in_features = 0;  // input channels (conv) or features (linear)
  int64_t out_features = 0;
  int64_t kernel = 1;
  int64_t stride = 1;
  int64_t padding = 0;
  int64_t in_side = 1;   // input height = width for a 32x32 image (conv); 1 for linear
  int64_t out_side = 1;  // output height = width (conv); 1 for linear
  bool relu = false;     // ReLU after the layer
  bool pool = false;     // then 2x2 max-pooling with stride 2

  // Weight shape: (out, in, k, k) for conv, (out, in) for linear.
  std::vector<int64_t> WeightShape() const;
  int64_t FanIn() const { return in_features * kernel * kernel; }
};

// What a forward pass keeps for the book-keeping (one entry per layer, in order).
struct ForwardTape {
  std::vector<at::Tensor> inputs;   // layer inputs, detached (no autograd history needed)
  std::vector<at::Tensor> outputs;  // layer outputs before the ReLU, part of the autograd graph
};

class AlexNetCifar {
 public:
  // Parameters drawn from Rng(seed, Stream::kModelInit) in float64 on the CPU, then cast to dtype
  // and moved to device, so a seed gives the same network everywhere. They require gradients.
  AlexNetCifar(uint64_t seed, at::ScalarType dtype, const at::Device& device);

  static const std::vector<LayerSpec>& Layers();

  // images: (B, 3, 32, 32) of the model's dtype on its device. Returns the logits (B, 100).
  // With a tape, records every layer's input and output.
  at::Tensor Forward(const at::Tensor& images, ForwardTape* tape = nullptr) const;

  // Parameters in the order weight0, bias0, weight1, bias1, ...
  const std::vector<at::Tensor>& parameters() const { return parameters_; }
  const at::Tensor& weight(std::size_t layer) const { return parameters_[2 * layer]; }
  const at::Tensor& bias(std::size_t layer) const { return parameters_[2 * layer + 1]; }
  int64_t NumParameters() const;
  at::ScalarType dtype() const { return dtype_; }
  const at::Device& device() const { return device_; }

 private:
  std::vector<at::Tensor> parameters_;
  at::ScalarType dtype_;
  at::Device device_;
};

}  // namespace clipsim::replay

// Per-sample gradients by book-keeping (Bu, Wang, Zha & Karypis 2023): one forward pass, one
// backward pass to the layer outputs, then every per-sample quantity from the stored layer inputs a
// and output gradients delta, without a loop over samples and without a second backward pass.
//
// For sample k, a layer's weight gradient is G_k = D_k^T A_k, where, for a convolution, A_k
// (T x P) holds the T = H_out W_out input patches (P = C_in k^2, im2col) and D_k (T x C_out) the
// output gradients; a linear layer is the case T = 1. Then
//   ||G_k||_F^2 = <A_k A_k^T, D_k D_k^T>   ("ghost norm", Goodfellow 2015; Li et al. 2022),
//   cost T^2 (P + C_out) per sample, or form G_k itself ("instantiate"), cost T P C_out;
//   the patch Gram A_k A_k^T need not be unfolded: with R_k = X_k^T X_k the Q x Q Gram of the
//   input's pixels over channels (X_k: C_in x Q), (A_k A_k^T)[t, t'] = sum_(u,v) R_k[q(t,u,v),
//   q(t',u,v)] over the kernel offsets (u, v) that fall inside the image at both positions, an
//   index gather from a table built once per layer: cost Q^2 C_in + T^2 C_out + (table size);
//   the ghost norm takes the cheaper of the two ways to the patch Gram;
//   NormMode::kAuto takes the cheaper per layer (Bu et al. 2023, mixed ghost clipping);
//   instantiating is a batched matrix product on the GPU and a grouped convolution's weight
//   gradient (oneDNN) on the CPU, where LibTorch's matrix products use the system BLAS;
//   the bias gradient is sum_t D_k[t], and a linear layer's ||G_k||^2 = ||a_k||^2 ||delta_k||^2.
// The reweighted sum sum_k w_k g_k is the ordinary weight gradient of the reweighted output
// gradients w_k D_k (at::convolution_backward; a matrix product for linear layers and for
// instantiated layers), and <g_k, v> = sum_t <D_k[t], V A_k[t]> is the layer applied to a_k with
// weights V, dotted with D_k: one extra forward of that layer.
//
// The per-sample loss is the cross-entropy of sample k; g_k is its gradient (not divided by B).
#pragma once

#include <ATen/ATen.h>

#include <string>
#include <vector>

#include "clipsim/replay/alexnet.hpp"
#include "clipsim/replay/options.hpp"

namespace clipsim::replay {

// One forward and one backward pass of a batch, kept for the book-keeping.
struct PerSamplePass {
  at::Tensor logits;               // (B, 100), detached
  at::Tensor losses;               // (B) per-sample cross-entropy, detached
  std::vector<at::Tensor> inputs;  // per layer: the layer input a (detached)
  std::vector<at::Tensor> deltas;  // per layer: d(sum_k loss_k) / d(layer output)
  // Per layer, for layers whose norms were instantiated: the per-sample weight gradients
  // (B, C_out, P); undefined otherwise. Filled by SquaredNorms.
  std::vector<at::Tensor> per_sample_weight_grads;
  int64_t batch_size() const { return logits.size(0); }
};

class PerSampleGradients {
 public:
  // How instantiated per-sample gradients are formed: kDeviceDefault picks the batched matrix
  // product on the GPU and the grouped convolution on the CPU; the others force one (tests check
  // both against the loop on the CPU).
  enum class Instantiation { kDeviceDefault, kBatchedMatmul, kGroupedConvolution };

  PerSampleGradients(const AlexNetCifar& model, NormMode mode,
                     Instantiation instantiation = Instantiation::kDeviceDefault);

  // The forward pass with its tape and one backward pass from sum_k loss_k to the layer outputs
  // (torch::autograd::grad on the outputs: no parameter gradients are formed).
  PerSamplePass Backward(const at::Tensor& images, const at::Tensor& labels) const;

  // ||g_k||^2 for every sample, shape (B), in the model's dtype. Caches instantiated per-sample
  // weight gradients in pass for WeightedSum and Dot.
  at::Tensor SquaredNorms(PerSamplePass& pass) const;

  // sum_k weights[k] g_k, one tensor per parameter (model.parameters() order). weights: (B).
  std::vector<at::Tensor> WeightedSum(const PerSamplePass& pass, const at::Tensor& weights) const;

  // <g_k, v> for every sample, (B); v has one tensor per parameter.
  at::Tensor Dot(const PerSamplePass& pass, const std::vector<at::Tensor>& v) const;

  // kGhost or kInstantiate for a convolution (linear layers use the rank-one identity and report
  // kGhost).
  NormMode LayerMode(std::size_t layer) const { return plans_[layer].mode; }
  // How a layer's norms are formed: "rank-one", "instantiate", "ghost-pixels", "ghost-patches".
  std::string LayerStrategy(std::size_t layer) const;

 private:
  struct LayerPlan {
    NormMode mode = NormMode::kGhost;
    bool pixel_gram = false;    // ghost norm through the pixel Gram (else unfolded patches)
    at::Tensor pixel_pairs;     // int64: q Q + q' of each (t, t', u, v) term
    at::Tensor position_pairs;  // int64: t T + t' of the same term
  };
  const AlexNetCifar& model_;
  bool grouped_convolution_;  // instantiate through a grouped convolution (else a batched matmul)
  std::vector<LayerPlan> plans_;
};

// ||v||^2 summed over a non-empty list of tensors: a 0-dim tensor on their device (no host
// synchronization), in their dtype.
at::Tensor SquaredNorm(const std::vector<at::Tensor>& tensors);

}  // namespace clipsim::replay

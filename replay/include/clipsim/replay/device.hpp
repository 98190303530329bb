// Where the tensors live, and the process-wide LibTorch settings that go with it.
#pragma once

#include <ATen/ATen.h>

#include <string>

#include "clipsim/replay/options.hpp"

namespace clipsim::replay {

// auto: CUDA when LibTorch sees a GPU, else the CPU. cuda without a GPU is an InputError.
at::Device ResolveDevice(DeviceChoice choice);

// CPU: deterministic algorithms on, intra-op threads = threads (0 keeps the default), so a seed
// gives bit-identical results at a fixed thread count. CUDA: TF32 allowed for cuBLAS and cuDNN
// (the float32 matmul/convolution mode the paper's GPU runs would use), cuDNN autotuning on
// (fast, not bit-reproducible).
void ConfigureBackends(const at::Device& device, int threads);

// Waits for the device's queued work (a no-op on the CPU); used around timed sections.
void Synchronize(const at::Device& device);

// Copies a host tensor to the device (asynchronously from pinned memory on CUDA).
inline at::Tensor ToDevice(const at::Tensor& t, const at::Device& device) {
  return t.to(at::TensorOptions().device(device), /*non_blocking=*/device.is_cuda());
}

// "cpu (N threads)" or "cuda:0 (<GPU name from nvidia-smi when available>)".
std::string DescribeDevice(const at::Device& device);

// The LibTorch version this program was built against, e.g. "1.13.1".
std::string LibTorchVersion();

}  // namespace clipsim::replay

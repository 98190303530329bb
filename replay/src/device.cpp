#include "clipsim/replay/device.hpp"

#include <ATen/Parallel.h>
#include <c10/core/Stream.h>
#include <c10/core/impl/DeviceGuardImplInterface.h>
#include <torch/version.h>

#include <array>
#include <cstdio>
#include <memory>

#include "clipsim/core/input_error.hpp"

namespace clipsim::replay {

at::Device ResolveDevice(DeviceChoice choice) {
  const bool has_cuda = at::hasCUDA();
  switch (choice) {
    case DeviceChoice::kCpu:
      return at::Device(at::kCPU);
    case DeviceChoice::kCuda:
      if (!has_cuda) {
        throw InputError("--device", "cuda",
                         "must be auto or cpu here: this LibTorch sees no CUDA device (a CPU-only "
                         "build or no GPU visible)");
      }
      return at::Device(at::kCUDA, 0);
    case DeviceChoice::kAuto:
      break;
  }
  return has_cuda ? at::Device(at::kCUDA, 0) : at::Device(at::kCPU);
}

void ConfigureBackends(const at::Device& device, int threads) {
  if (threads > 0) at::set_num_threads(threads);
  auto& context = at::globalContext();
  if (device.is_cuda()) {
    context.setAllowTF32CuBLAS(true);
    context.setAllowTF32CuDNN(true);
    context.setBenchmarkCuDNN(true);
    context.setDeterministicAlgorithms(false, false);
  } else {
    context.setDeterministicAlgorithms(true, false);
  }
}

void Synchronize(const at::Device& device) {
  if (!device.is_cuda()) return;
  const c10::impl::DeviceGuardImplInterface* impl = c10::impl::getDeviceGuardImpl(device.type());
  impl->getStream(device).synchronize();
}

namespace {

// First line printed by a shell command, or "" (used only for the GPU's marketing name).
std::string FirstLineOf(const char* command) {
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command, "r"), pclose);
  if (!pipe) return "";
  std::array<char, 256> buffer{};
  if (std::fgets(buffer.data(), static_cast<int>(buffer.size()), pipe.get()) == nullptr) return "";
  std::string line(buffer.data());
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  return line;
}

}  // namespace

std::string DescribeDevice(const at::Device& device) {
  if (!device.is_cuda()) return "cpu (" + std::to_string(at::get_num_threads()) + " threads)";
  const std::string name =
      FirstLineOf("nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null");
  return device.str() + (name.empty() ? "" : " (" + name + ")");
}

std::string LibTorchVersion() {
  return std::to_string(TORCH_VERSION_MAJOR) + "." + std::to_string(TORCH_VERSION_MINOR) + "." +
         std::to_string(TORCH_VERSION_PATCH);
}

}  // namespace clipsim::replay

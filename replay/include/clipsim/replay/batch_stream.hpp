// One epoch of mini-batches, prepared on a background thread (shuffle, augmentation,
// normalization into float32) and handed over through a bounded queue, so the device does not
// wait for the CPU-side data work.
#pragma once

#include <ATen/ATen.h>

#include <array>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "clipsim/replay/cifar.hpp"
#include "clipsim/replay/random.hpp"

namespace clipsim::replay {

// Per-channel normalization x -> (x / 255 - mean) / std.
struct Normalization {
  std::array<float, 3> mean;
  std::array<float, 3> std;
};
// CIFAR-100 training-set channel statistics (R, G, B), as published in
// weiaicunzai/pytorch-cifar100, conf/global_settings.py (CIFAR100_TRAIN_MEAN / _STD); the
// synthetic set uses them too. (bearpaw's cifar.py uses CIFAR-10's statistics for both sets.)
inline constexpr Normalization kCifar100Normalization = {
    {0.5070751592371323f, 0.48654887331495095f, 0.4409178433670343f},
    {0.2673342858792401f, 0.2564384629170883f, 0.27615047132568404f}};

struct Batch {
  at::Tensor images;  // float32 (B, 3, 32, 32), normalized, on the CPU (pinned for CUDA)
  at::Tensor labels;  // int64 (B)
};

struct StreamOptions {
  int64_t batch_size = 128;
  bool shuffle = true;    // a fresh permutation per epoch
  bool augment = true;    // random crop (zero padding 4) then horizontal flip with probability 1/2
  bool drop_last = true;  // training drops the last partial batch (PS-Clip's positions k = 1..B
                          // and the thresholds assume full batches); evaluation keeps it
  int64_t max_batches = 0;  // 0: the whole epoch
  int queue_depth = 4;
  uint64_t seed = 1;
  int64_t epoch = 0;  // keys the permutation and the augmentation draws
  bool pin_memory = false;
  Normalization normalization = kCifar100Normalization;
};

// Writes one 3x32x32 image, cropped at offset (dy, dx) in [-4, 4]^2 from the zero-padded image
// (torchvision's RandomCrop(32, padding=4) draws the corner of the 32x32 window in the 40x40
// padded image; dy = corner - 4) and mirrored left-right when flip, normalized, to out.
void TransformImage(const uint8_t* image, int dy, int dx, bool flip,
                    const Normalization& normalization, float* out);

class BatchStream {
 public:
  // data must outlive the stream. Starts the loader thread.
  BatchStream(const Dataset& data, const StreamOptions& options);
  ~BatchStream();
  BatchStream(const BatchStream&) = delete;
  BatchStream& operator=(const BatchStream&) = delete;

  // The next batch, or nullopt after the last one. Rethrows a loader-thread exception.
  std::optional<Batch> Next();
  int64_t num_batches() const { return num_batches_; }

 private:
  void Produce();
  Batch MakeBatch(int64_t index, const std::vector<int64_t>& order, Rng& rng) const;

  const Dataset& data_;
  StreamOptions options_;
  int64_t num_batches_ = 0;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Batch> queue_;
  bool done_ = false;      // the producer has pushed its last batch
  bool stopping_ = false;  // the consumer is going away
  std::exception_ptr error_;
  std::thread worker_;
};

}  // namespace clipsim::replay

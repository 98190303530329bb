#include "clipsim/replay/batch_stream.hpp"

#include <algorithm>

#include "clipsim/replay/options.hpp"
#include "clipsim/replay/random.hpp"

namespace clipsim::replay {

namespace {
constexpr int kPad = 4;
}  // namespace

void TransformImage(const uint8_t* image, int dy, int dx, bool flip,
                    const Normalization& normalization, float* out) {
  for (int64_t ch = 0; ch < kImageChannels; ++ch) {
    const float scale = 1.0f / (255.0f * normalization.std[ch]);
    const float shift = normalization.mean[ch] / normalization.std[ch];
    const uint8_t* plane = image + ch * kImageSide * kImageSide;
    float* out_plane = out + ch * kImageSide * kImageSide;
    for (int64_t y = 0; y < kImageSide; ++y) {
      const int64_t sy = y + dy;
      for (int64_t x = 0; x < kImageSide; ++x) {
        const int64_t cx = flip ? kImageSide - 1 - x : x;  // flip after the crop
        const int64_t sx = cx + dx;
        const bool inside = sy >= 0 && sy < kImageSide && sx >= 0 && sx < kImageSide;
        const float raw = inside ? static_cast<float>(plane[sy * kImageSide + sx]) : 0.0f;
        out_plane[y * kImageSide + x] = raw * scale - shift;
      }
    }
  }
}

BatchStream::BatchStream(const Dataset& data, const StreamOptions& options)
    : data_(data), options_(options) {
  const int64_t n = data.size();
  num_batches_ = options.drop_last ? n / options.batch_size
                                   : (n + options.batch_size - 1) / options.batch_size;
  if (options.max_batches > 0) num_batches_ = std::min(num_batches_, options.max_batches);
  worker_ = std::thread([this] { Produce(); });
}

BatchStream::~BatchStream() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  worker_.join();
}

Batch BatchStream::MakeBatch(int64_t index, const std::vector<int64_t>& order, Rng& rng) const {
  const int64_t begin = index * options_.batch_size;
  const int64_t size = std::min(options_.batch_size, data_.size() - begin);
  Batch batch;
  at::TensorOptions float_options = at::TensorOptions().dtype(at::kFloat);
  at::TensorOptions long_options = at::TensorOptions().dtype(at::kLong);
  if (options_.pin_memory) {
    float_options = float_options.pinned_memory(true);
    long_options = long_options.pinned_memory(true);
  }
  batch.images = at::empty({size, kImageChannels, kImageSide, kImageSide}, float_options);
  batch.labels = at::empty({size}, long_options);
  const uint8_t* pixels = data_.images.data_ptr<uint8_t>();
  const int64_t* labels = data_.labels.data_ptr<int64_t>();
  float* out = batch.images.data_ptr<float>();
  int64_t* out_labels = batch.labels.data_ptr<int64_t>();
  for (int64_t i = 0; i < size; ++i) {
    const int64_t sample = order[static_cast<std::size_t>(begin + i)];
    int dy = 0;
    int dx = 0;
    bool flip = false;
    if (options_.augment) {
      dy = static_cast<int>(rng.Below(2 * kPad + 1)) - kPad;
      dx = static_cast<int>(rng.Below(2 * kPad + 1)) - kPad;
      flip = rng.Below(2) == 1;
    }
    TransformImage(pixels + sample * kCifarPixelBytes, dy, dx, flip, options_.normalization,
                   out + i * kCifarPixelBytes);
    out_labels[i] = labels[sample];
  }
  return batch;
}

void BatchStream::Produce() {
  try {
    Rng rng(options_.seed,
            {static_cast<uint64_t>(Stream::kEpochOrder), static_cast<uint64_t>(options_.epoch)});
    std::vector<int64_t> order(static_cast<std::size_t>(data_.size()));
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int64_t>(i);
    if (options_.shuffle) {
      for (std::size_t i = order.size(); i > 1; --i) {
        std::swap(order[i - 1], order[rng.Below(i)]);
      }
    }
    for (int64_t b = 0; b < num_batches_; ++b) {
      Batch batch = MakeBatch(b, order, rng);
      std::unique_lock<std::mutex> lock(mutex_);
      changed_.wait(lock, [this] {
        return stopping_ || static_cast<int>(queue_.size()) < options_.queue_depth;
      });
      if (stopping_) return;
      queue_.push_back(std::move(batch));
      lock.unlock();
      changed_.notify_all();
    }
  } catch (...) {
    std::lock_guard<std::mutex> lock(mutex_);
    error_ = std::current_exception();
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    done_ = true;
  }
  changed_.notify_all();
}

std::optional<Batch> BatchStream::Next() {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [this] { return !queue_.empty() || done_; });
  if (error_) std::rethrow_exception(error_);
  if (queue_.empty()) return std::nullopt;
  Batch batch = std::move(queue_.front());
  queue_.pop_front();
  lock.unlock();
  changed_.notify_all();
  return batch;
}

}  // namespace clipsim::replay

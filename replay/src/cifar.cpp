#include "clipsim/replay/cifar.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <vector>

#include "clipsim/core/input_error.hpp"
#include "clipsim/replay/options.hpp"
#include "clipsim/replay/random.hpp"

namespace clipsim::replay {

Dataset LoadCifar100File(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::error_code ignored;
  if (!in || std::filesystem::is_directory(path, ignored)) {
    throw InputError(
        "cannot open the CIFAR-100 binary file (missing or unreadable; expected records of 3074 "
        "bytes: coarse label, fine label, 3072 pixels)",
        {path});
  }
  in.seekg(0, std::ios::end);
  const auto size = static_cast<int64_t>(in.tellg());
  in.seekg(0, std::ios::beg);
  const int64_t n = CifarRecordCount(size, path);
  std::vector<uint8_t> bytes(static_cast<std::size_t>(size));
  if (!in.read(reinterpret_cast<char*>(bytes.data()), size)) {
    throw InputError("cannot read the CIFAR-100 binary file (unreadable after " +
                         std::to_string(in.gcount()) + " bytes)",
                     {path});
  }
  Dataset data;
  data.images = at::empty({n, kImageChannels, kImageSide, kImageSide}, at::kByte);
  data.labels = at::empty({n}, at::kLong);
  data.coarse = at::empty({n}, at::kLong);
  ParseCifar100Records(bytes.data(), n, path, data.images.data_ptr<uint8_t>(),
                       data.labels.data_ptr<int64_t>(), data.coarse.data_ptr<int64_t>());
  return data;
}

DataSplit LoadCifar100(const std::string& folder) {
  DataSplit split;
  split.train = LoadCifar100File(folder + "/train.bin");
  split.test = LoadCifar100File(folder + "/test.bin");
  split.source = "cifar100:" + folder;
  return split;
}

void WriteCifar100File(const std::string& path, const Dataset& data) {
  const int64_t n = data.size();
  const at::Tensor images = data.images.contiguous().to(at::kByte);
  const at::Tensor fine = data.labels.contiguous().to(at::kLong);
  const at::Tensor coarse =
      data.coarse.defined() ? data.coarse.contiguous().to(at::kLong) : at::floor_divide(fine, 5);
  std::vector<char> bytes(static_cast<std::size_t>(n * kCifarRecordBytes));
  const uint8_t* pixels = images.data_ptr<uint8_t>();
  for (int64_t i = 0; i < n; ++i) {
    char* record = bytes.data() + i * kCifarRecordBytes;
    record[0] = static_cast<char>(coarse.data_ptr<int64_t>()[i]);
    record[1] = static_cast<char>(fine.data_ptr<int64_t>()[i]);
    std::copy(pixels + i * kCifarPixelBytes, pixels + (i + 1) * kCifarPixelBytes, record + 2);
  }
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw InputError("cannot write the CIFAR-100 binary file", {path});
}

namespace {

constexpr int kWavesPerChannel = 3;
constexpr double kColourAmplitude = 48.0;
constexpr double kWaveAmplitude = 20.0;  // colour and three waves: |template - 128| <= 108
constexpr double kNoiseHalfWidth = 96.0;
constexpr int kMaxShift = 3;
constexpr double kMinContrast = 0.3;
constexpr double kMaxBlend = 0.45;

// Templates: (classes, 3, 32, 32) grey levels.
std::vector<double> MakeTemplates(uint64_t seed) {
  Rng rng(seed, Stream::kSyntheticTemplates);
  const double two_pi = 2.0 * std::acos(-1.0);
  std::vector<double> templates(static_cast<std::size_t>(kNumClasses * kCifarPixelBytes), 128.0);
  for (int64_t c = 0; c < kNumClasses * kImageChannels; ++c) {
    double* plane = templates.data() + c * kImageSide * kImageSide;
    // A class colour: survives shifts, crops and pooling, as the mean colours of CIFAR's
    // classes do (sky, sea, foliage), and gives the network a signal to pick up early.
    const double colour = kColourAmplitude * (2.0 * rng.Uniform01() - 1.0);
    for (int64_t i = 0; i < kImageSide * kImageSide; ++i) plane[i] += colour;
    for (int w = 0; w < kWavesPerChannel; ++w) {
      // Low integer frequencies keep the template periodic (circular shifts) and smooth enough
      // for random crops to preserve the class.
      const double fx = static_cast<double>(rng.Below(4));
      const double fy = static_cast<double>(rng.Below(4));
      const double phase = two_pi * rng.Uniform01();
      const double amplitude = kWaveAmplitude * (0.5 + 0.5 * rng.Uniform01());
      for (int64_t y = 0; y < kImageSide; ++y) {
        for (int64_t x = 0; x < kImageSide; ++x) {
          plane[y * kImageSide + x] +=
              amplitude * std::sin(two_pi * (fx * x + fy * y) / kImageSide + phase);
        }
      }
    }
  }
  return templates;
}

Dataset MakeSyntheticSet(int64_t n, const std::vector<double>& templates, uint64_t seed,
                         Stream stream) {
  Rng rng(seed, stream);
  Dataset data;
  data.images = at::empty({n, kImageChannels, kImageSide, kImageSide}, at::kByte);
  data.labels = at::empty({n}, at::kLong);
  data.coarse = at::empty({n}, at::kLong);
  uint8_t* pixels = data.images.data_ptr<uint8_t>();
  int64_t* fine = data.labels.data_ptr<int64_t>();
  int64_t* coarse = data.coarse.data_ptr<int64_t>();
  std::array<int64_t, kNumClasses> order{};
  for (int64_t i = 0; i < n; ++i) {
    // Balanced classes: each block of 100 samples holds every class once, in a random order.
    const int64_t slot = i % kNumClasses;
    if (slot == 0) {
      for (int64_t c = 0; c < kNumClasses; ++c) order[c] = c;
      for (int64_t c = kNumClasses - 1; c > 0; --c) {
        std::swap(order[c], order[rng.Below(static_cast<uint64_t>(c + 1))]);
      }
    }
    const int64_t label = order[slot];
    fine[i] = label;
    coarse[i] = label / 5;
    const auto shift_y = static_cast<int64_t>(rng.Below(2 * kMaxShift + 1)) - kMaxShift;
    const auto shift_x = static_cast<int64_t>(rng.Below(2 * kMaxShift + 1)) - kMaxShift;
    // Per-sample contrast and a blend with a random other class's template make some samples
    // hard, so the set is learnable but not separable at a glance.
    const double contrast = kMinContrast + (1.0 - kMinContrast) * rng.Uniform01();
    const double blend = kMaxBlend * rng.Uniform01();
    const auto other = static_cast<int64_t>(rng.Below(kNumClasses));
    const double own_weight = contrast * (1.0 - blend);
    const double other_weight = contrast * blend;
    const double* tmpl = templates.data() + label * kCifarPixelBytes;
    const double* tmpl_other = templates.data() + other * kCifarPixelBytes;
    uint8_t* out = pixels + i * kCifarPixelBytes;
    for (int64_t ch = 0; ch < kImageChannels; ++ch) {
      for (int64_t y = 0; y < kImageSide; ++y) {
        const int64_t sy = (y + shift_y + kImageSide) % kImageSide;
        for (int64_t x = 0; x < kImageSide; ++x) {
          const int64_t sx = (x + shift_x + kImageSide) % kImageSide;
          const double noise = kNoiseHalfWidth * (rng.Uniform01() + rng.Uniform01() - 1.0);
          const int64_t at = (ch * kImageSide + sy) * kImageSide + sx;
          const double v = 128.0 + own_weight * (tmpl[at] - 128.0) +
                           other_weight * (tmpl_other[at] - 128.0) + noise;
          out[(ch * kImageSide + y) * kImageSide + x] =
              static_cast<uint8_t>(std::lround(std::clamp(v, 0.0, 255.0)));
        }
      }
    }
  }
  return data;
}

}  // namespace

DataSplit MakeSynthetic(int64_t train_size, int64_t test_size, uint64_t seed) {
  const std::vector<double> templates = MakeTemplates(seed);
  DataSplit split;
  split.train = MakeSyntheticSet(train_size, templates, seed, Stream::kSyntheticTrain);
  split.test = MakeSyntheticSet(test_size, templates, seed, Stream::kSyntheticTest);
  split.source = "synthetic";
  return split;
}

}  // namespace clipsim::replay

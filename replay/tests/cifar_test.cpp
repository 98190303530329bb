// CIFAR-100 binary files (written here in the real format), the synthetic set, the image
// transform and the background batch stream.
#include "clipsim/replay/cifar.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "clipsim/core/input_error.hpp"
#include "clipsim/replay/batch_stream.hpp"
#include "clipsim/replay/options.hpp"
#include "test_util.hpp"

namespace clipsim::replay {
namespace {

Dataset RandomDataset(int64_t n, uint64_t seed) {
  Rng rng(seed, {99});
  Dataset d;
  d.images = at::empty({n, 3, 32, 32}, at::kByte);
  d.labels = at::empty({n}, at::kLong);
  d.coarse = at::empty({n}, at::kLong);
  for (int64_t i = 0; i < d.images.numel(); ++i) {
    d.images.data_ptr<uint8_t>()[i] = static_cast<uint8_t>(rng.Below(256));
  }
  for (int64_t i = 0; i < n; ++i) {
    d.labels.data_ptr<int64_t>()[i] = static_cast<int64_t>(rng.Below(100));
    d.coarse.data_ptr<int64_t>()[i] = static_cast<int64_t>(rng.Below(20));
  }
  return d;
}

void WriteBytes(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// The error message of LoadCifar100File, or "" when it loads.
std::string LoadError(const std::string& path) {
  try {
    LoadCifar100File(path);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(Cifar, RoundTripThroughTheBinaryFormat) {
  const auto dir = testing::FreshTempDir();
  const Dataset d = RandomDataset(7, 1);
  WriteCifar100File(dir / "train.bin", d);
  EXPECT_EQ(std::filesystem::file_size(dir / "train.bin"), 7u * 3074u);
  const Dataset back = LoadCifar100File(dir / "train.bin");
  ASSERT_EQ(back.size(), 7);
  EXPECT_TRUE(at::equal(back.images, d.images));
  EXPECT_TRUE(at::equal(back.labels, d.labels));
  EXPECT_TRUE(at::equal(back.coarse, d.coarse));

  // The record layout itself: byte 0 coarse, byte 1 fine, then R, G, B planes row by row.
  std::ifstream in(dir / "train.bin", std::ios::binary);
  std::string bytes(7 * 3074, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  ASSERT_TRUE(in);
  const int64_t record = 3;
  const auto byte = [&](int64_t offset) {
    return static_cast<int64_t>(static_cast<uint8_t>(bytes[record * 3074 + offset]));
  };
  EXPECT_EQ(byte(0), d.coarse[record].item<int64_t>());
  EXPECT_EQ(byte(1), d.labels[record].item<int64_t>());
  EXPECT_EQ(byte(2 + 1024 * 2 + 32 * 5 + 7),
            d.images[record][2][5][7].item<int64_t>());  // blue (5, 7)
}

TEST(Cifar, RefusesMissingAndMalformedFilesNamingThem) {
  const auto dir = testing::FreshTempDir();
  const std::string missing = (dir / "nope.bin").string();
  EXPECT_NE(LoadError(missing).find(missing), std::string::npos) << LoadError(missing);

  const std::string empty = (dir / "empty.bin").string();
  WriteBytes(empty, "");
  EXPECT_NE(LoadError(empty).find(empty), std::string::npos);
  EXPECT_NE(LoadError(empty).find("3074"), std::string::npos) << LoadError(empty);

  // CIFAR-10 records are 3073 bytes: two of them are not a multiple of 3074.
  const std::string cifar10 = (dir / "cifar10.bin").string();
  WriteBytes(cifar10, std::string(2 * 3073, '\0'));
  const std::string message = LoadError(cifar10);
  EXPECT_NE(message.find(cifar10), std::string::npos) << message;
  EXPECT_NE(message.find("6146 bytes"), std::string::npos) << message;

  // A fine label of 100 in the second record.
  const std::string bad_label = (dir / "label.bin").string();
  std::string bytes(2 * 3074, '\0');
  bytes[3074 + 1] = static_cast<char>(100);
  WriteBytes(bad_label, bytes);
  const std::string label_message = LoadError(bad_label);
  EXPECT_NE(label_message.find(bad_label + ": record 1 "), std::string::npos) << label_message;
  EXPECT_NE(label_message.find("fine label 100"), std::string::npos) << label_message;

  // A folder without test.bin names test.bin.
  WriteCifar100File(dir / "train.bin", RandomDataset(2, 3));
  try {
    LoadCifar100(dir.string());
    ADD_FAILURE() << "a folder without test.bin was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find((dir / "test.bin").string()), std::string::npos)
        << e.what();
  }
}

TEST(Cifar, SyntheticSetIsReproducibleBalancedAndInRange) {
  const DataSplit a = MakeSynthetic(300, 200, 5);
  const DataSplit b = MakeSynthetic(300, 200, 5);
  const DataSplit c = MakeSynthetic(300, 200, 6);
  EXPECT_EQ(a.train.size(), 300);
  EXPECT_EQ(a.test.size(), 200);
  EXPECT_TRUE(at::equal(a.train.images, b.train.images));
  EXPECT_TRUE(at::equal(a.test.labels, b.test.labels));
  EXPECT_FALSE(at::equal(a.train.images, c.train.images));
  // Every block of 100 holds each class once.
  const at::Tensor counts = at::bincount(a.train.labels, {}, 100);
  EXPECT_EQ(counts.min().item<int64_t>(), 3);
  EXPECT_EQ(counts.max().item<int64_t>(), 3);
  EXPECT_TRUE(at::equal(a.train.coarse, at::floor_divide(a.train.labels, 5)));
  // It survives the real file format.
  const auto dir = testing::FreshTempDir();
  WriteCifar100File(dir / "s.bin", a.train);
  EXPECT_TRUE(at::equal(LoadCifar100File(dir / "s.bin").images, a.train.images));
}

TEST(Cifar, TransformCropsWithZeroPaddingFlipsAndNormalizes) {
  std::vector<uint8_t> image(3072);
  for (int i = 0; i < 3072; ++i) image[i] = static_cast<uint8_t>(i % 251);
  const Normalization& norm = kCifar100Normalization;
  const auto expect = [&](int ch, int64_t src_index_or_pad) {
    const double raw = src_index_or_pad < 0 ? 0.0 : image[src_index_or_pad];
    return (raw / 255.0 - norm.mean[ch]) / norm.std[ch];
  };
  std::vector<float> out(3072);
  TransformImage(image.data(), 0, 0, false, norm, out.data());
  for (int i : {0, 1000, 2047, 3071}) EXPECT_NEAR(out[i], expect(i / 1024, i), 1e-5) << i;
  // Window shifted down 4, right 2: out(y, x) = in(y + 4, x + 2), zeros past the border.
  TransformImage(image.data(), 4, 2, false, norm, out.data());
  EXPECT_NEAR(out[1 * 1024 + 3 * 32 + 5], expect(1, 1 * 1024 + 7 * 32 + 7), 1e-5);
  EXPECT_NEAR(out[0 * 1024 + 30 * 32 + 5], expect(0, -1), 1e-5);  // row 34: padding
  EXPECT_NEAR(out[2 * 1024 + 5 * 32 + 31], expect(2, -1), 1e-5);  // column 33: padding
  // Flip after the crop: out(y, x) = crop(y, 31 - x).
  TransformImage(image.data(), -1, 0, true, norm, out.data());
  EXPECT_NEAR(out[0 * 1024 + 6 * 32 + 0], expect(0, 0 * 1024 + 5 * 32 + 31), 1e-5);
  EXPECT_NEAR(out[0 * 1024 + 0 * 32 + 9], expect(0, -1), 1e-5);  // row -1: padding
}

TEST(Cifar, BatchStreamVisitsEverySampleOncePerEpochReproducibly) {
  // 250 samples, each marked by its index in its first pixel and label.
  Dataset d;
  d.images = at::zeros({250, 3, 32, 32}, at::kByte);
  d.labels = at::arange(250, at::kLong).remainder(100);
  for (int64_t i = 0; i < 250; ++i)
    d.images.data_ptr<uint8_t>()[i * 3072] = static_cast<uint8_t>(i);
  StreamOptions options;
  options.batch_size = 32;
  options.augment = false;
  options.drop_last = false;
  options.queue_depth = 1;
  options.epoch = 3;
  const auto order_of = [&](const StreamOptions& o) {
    std::vector<int64_t> order;
    BatchStream stream(d, o);
    EXPECT_EQ(stream.num_batches(), o.drop_last ? 7 : 8);
    while (std::optional<Batch> b = stream.Next()) {
      const at::Tensor first = b->images.select(1, 0).select(1, 0).select(1, 0);  // (B)
      for (int64_t i = 0; i < first.size(0); ++i) {
        const double v = first[i].item<double>();
        const int64_t id = std::lround(
            (v * kCifar100Normalization.std[0] + kCifar100Normalization.mean[0]) * 255.0);
        order.push_back(id);
        EXPECT_EQ(b->labels[i].item<int64_t>(), id % 100);
      }
    }
    return order;
  };
  const std::vector<int64_t> first = order_of(options);
  ASSERT_EQ(first.size(), 250u);
  EXPECT_EQ(std::set<int64_t>(first.begin(), first.end()).size(), 250u);
  EXPECT_EQ(order_of(options), first);
  StreamOptions other = options;
  other.epoch = 4;
  EXPECT_NE(order_of(other), first);
  other.drop_last = true;
  EXPECT_EQ(order_of(other).size(), 7u * 32u);
  // Stopping early (destroying a stream with batches still queued) must not hang.
  BatchStream abandoned(d, options);
  EXPECT_TRUE(abandoned.Next().has_value());
}

TEST(Cifar, ProgramRefusesBadDataWithExitCodeTwo) {
  const auto dir = testing::FreshTempDir();
  const testing::CommandResult missing =
      testing::RunReplayBinary("--data-dir " + dir.string() + " --out " + (dir / "out").string());
  EXPECT_EQ(missing.exit_code, 2) << missing.output;
  EXPECT_NE(missing.output.find((dir / "train.bin").string()), std::string::npos) << missing.output;

  WriteBytes(dir / "train.bin", std::string(3075, '\0'));
  const testing::CommandResult malformed =
      testing::RunReplayBinary("--data-dir " + dir.string() + " --out " + (dir / "out").string());
  EXPECT_EQ(malformed.exit_code, 2) << malformed.output;
  EXPECT_NE(malformed.output.find("3075 bytes"), std::string::npos) << malformed.output;
}

}  // namespace
}  // namespace clipsim::replay

// noise::SampleStream, the draws that `clipsim sample` prints and Python's clipsim.noise.sample
// returns: SampleBatch over chunks of ChunkRows(dim) rows from MakeRng({Stream::kNoise, seed}), and
// WithShape, the shape override both take. Deterministic.
#include "clipsim/noise/sample_stream.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>

#include "common/expect_input_error.hpp"

namespace clipsim::noise {
namespace {

// An isotropic stable batch draws its mixing values first, so chunking changes the draws.
constexpr const char* kIsotropic = "kind=stable,alpha=1.5,shape=isotropic";

Batch ChunkedByHand(const NoiseModel& model, std::uint64_t seed, std::int64_t rows,
                    std::int64_t dim) {
  Rng rng = MakeRng({static_cast<std::uint64_t>(Stream::kNoise), seed});
  Batch out(rows, dim);
  const std::int64_t chunk = std::max<std::int64_t>(1, 65536 / dim);
  for (std::int64_t done = 0; done < rows; done += chunk) {
    const std::int64_t n = std::min(chunk, rows - done);
    Batch part(n, dim);
    model.SampleBatch(rng, part);
    out.middleRows(done, n) = part;
  }
  return out;
}

TEST(SampleStream, ChunksOf65536ValuesFromTheNoiseStream) {
  EXPECT_EQ(SampleStream::ChunkRows(1), 65536);
  EXPECT_EQ(SampleStream::ChunkRows(3), 21845);
  EXPECT_EQ(SampleStream::ChunkRows(4096), 16);
  EXPECT_EQ(SampleStream::ChunkRows(100000), 1);

  const auto model = MakeNoise(ParseNoiseSpec(kIsotropic));
  const std::int64_t dim = 4096;  // 16 rows a chunk: 40 rows are three chunks
  Batch got(40, dim);
  SampleStream(*model, 7, dim).Fill(got);
  EXPECT_EQ(got, ChunkedByHand(*model, 7, 40, dim));

  // The planted difference: one SampleBatch of all 40 rows is another stream.
  Rng rng = MakeRng({static_cast<std::uint64_t>(Stream::kNoise), 7});
  Batch whole(40, dim);
  model->SampleBatch(rng, whole);
  EXPECT_NE(got, whole);
}

TEST(SampleStream, CallsOfWholeChunksContinueTheStream) {
  const auto model = MakeNoise(ParseNoiseSpec(kIsotropic));
  const std::int64_t dim = 4096;
  Batch one(40, dim);
  SampleStream(*model, 3, dim).Fill(one);
  Batch parts(40, dim);
  SampleStream stream(*model, 3, dim);
  stream.Fill(parts.topRows(32));
  stream.Fill(parts.bottomRows(8));
  EXPECT_EQ(one, parts);
}

TEST(SampleStream, WithShapeOverridesTheSpecOrOthersShape) {
  EXPECT_EQ(WithShape(ParseNoiseSpec("kind=pareto,tail=3"), "radial", "shape").shape,
            Shape::kRadial);
  const NoiseSpec mixed =
      WithShape(ParseNoiseSpec("kind=contaminated,eps=0.5,other=[kind=stable,alpha=1.5]"),
                "isotropic", "shape");
  EXPECT_EQ(mixed.other->shape, Shape::kIsotropic);
  testing::ExpectInputError([] { WithShape(ParseNoiseSpec("kind=gaussian"), "round", "--shape"); },
                            {"--shape", "round", "iid, isotropic, radial"});
  testing::ExpectInputError(
      [] { WithShape(ParseNoiseSpec("kind=pareto,tail=3"), "isotropic", "shape"); }, {"shape"});
}

}  // namespace
}  // namespace clipsim::noise

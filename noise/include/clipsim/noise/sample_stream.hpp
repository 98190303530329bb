// The draws of `clipsim sample` and of Python's clipsim.noise.sample, defined once so that the two
// give the same numbers bit for bit (golden: tests/noise/sample_stream_test.cpp and
// python/tests/test_noise.py compare them).
//
// The generator is MakeRng({Stream::kNoise, seed}); rows come from NoiseModel::SampleBatch over
// consecutive chunks of ChunkRows(dim) = max(1, 65536 / dim) rows. Chunking matters: the isotropic
// and radial shapes draw a batch's mixing values before its rows, and a contaminated law draws its
// choices block by block, so one batch of n + m rows differs from batches of n and m.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "clipsim/core/rng.hpp"
#include "clipsim/core/types.hpp"
#include "clipsim/noise/noise_model.hpp"
#include "clipsim/noise/noise_spec.hpp"

namespace clipsim::noise {

// The spec with its vector shape replaced by `shape` ("iid", "isotropic", "radial"); for a
// contaminated law, the shape of its `other` part (whose vectors it takes). Throws InputError
// naming `key` for an unknown shape, and as Validate for a shape the kind lacks.
NoiseSpec WithShape(const NoiseSpec& spec, std::string_view shape, const std::string& key);

class SampleStream {
 public:
  // Rows of at most ChunkRows(dim) values are drawn by one SampleBatch call.
  static std::int64_t ChunkRows(std::int64_t dim);

  // model must outlive the stream; dim >= 1.
  SampleStream(const NoiseModel& model, std::uint64_t seed, std::int64_t dim);

  // Fills out (out.cols() == dim) with the next out.rows() draws, in chunks of ChunkRows(dim)
  // rows. Successive calls continue the stream exactly as one call over all their rows does when
  // every call but the last has a multiple of ChunkRows(dim) rows.
  void Fill(Eigen::Ref<Batch> out);

 private:
  const NoiseModel& model_;
  std::int64_t dim_;
  Rng rng_;
};

}  // namespace clipsim::noise

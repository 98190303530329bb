#include "clipsim/noise/sample_stream.hpp"

#include <algorithm>
#include <memory>
#include <optional>

#include "clipsim/core/check.hpp"
#include "clipsim/core/input_error.hpp"

namespace clipsim::noise {

NoiseSpec WithShape(const NoiseSpec& spec, std::string_view shape, const std::string& key) {
  const std::optional<Shape> parsed = ShapeFromString(shape);
  if (!parsed) throw InputError(key, std::string(shape), "must be one of iid, isotropic, radial");
  NoiseSpec out = spec;
  if (out.kind == NoiseKind::kContaminated) {
    NoiseSpec other = *out.other;
    other.shape = *parsed;
    out.other = std::make_shared<const NoiseSpec>(other);
  } else {
    out.shape = *parsed;
  }
  Validate(out);
  return out;
}

std::int64_t SampleStream::ChunkRows(std::int64_t dim) {
  return std::max<std::int64_t>(1, 65536 / dim);
}

SampleStream::SampleStream(const NoiseModel& model, std::uint64_t seed, std::int64_t dim)
    : model_(model), dim_(dim), rng_(MakeRng({static_cast<std::uint64_t>(Stream::kNoise), seed})) {
  Require(dim >= 1, "SampleStream: dim must be >= 1");
}

void SampleStream::Fill(Eigen::Ref<Batch> out) {
  Require(out.cols() == dim_, "SampleStream::Fill: out.cols() must equal dim");
  const std::int64_t chunk = ChunkRows(dim_);
  for (std::int64_t done = 0; done < out.rows(); done += chunk) {
    const std::int64_t rows = std::min<std::int64_t>(chunk, out.rows() - done);
    model_.SampleBatch(rng_, out.middleRows(done, rows));
  }
}

}  // namespace clipsim::noise

#include "clipsim/sim/oracle.hpp"

#include <algorithm>
#include <array>
#include <cstdlib>

#include "clipsim/core/check.hpp"

namespace clipsim::sim {
namespace {

// g = e + p over d values, one addition per value. Restrict-qualified because the row written
// (of out) overlaps neither input (noise drawn ahead, the exact gradient): without it the compiler
// checks the three for overlap at run time before each row, which costs more than adding a row of
// d = 10.
void AddRow(const double* __restrict e, const double* __restrict p, double* __restrict g,
            Eigen::Index d) {
  for (Eigen::Index j = 0; j < d; ++j) g[j] = e[j] + p[j];
}

}  // namespace

RunStreams MakeRunStreams(std::uint64_t master_seed, std::uint64_t identity_hash,
                          std::uint64_t seed, bool with_data) {
  return RunStreams{
      MakeRng({master_seed, identity_hash, seed, static_cast<std::uint64_t>(Stream::kNoise)}),
      with_data
          ? MakeRng({master_seed, identity_hash, seed, static_cast<std::uint64_t>(Stream::kData)})
          : Rng(),
      MakeRng({master_seed, identity_hash, seed, static_cast<std::uint64_t>(Stream::kIterate)})};
}

void SeedRunStreams(std::uint64_t master_seed, std::uint64_t identity_hash,
                    std::uint64_t first_seed, bool with_data, std::span<RunStreams> out) {
  // Runs per SeedRngs call, so that the key arrays fit on the stack: 32 or 48 keys, whole passes
  // of 4, 8 or 16 lanes.
  constexpr std::size_t kRuns = 16;
  static const Rng unkeyed;  // what MakeRunStreams leaves in the data stream of runs without data
  std::array<std::uint64_t, 3 * kRuns> hashes;
  std::array<Rng*, 3 * kRuns> rngs;
  for (std::size_t begin = 0; begin < out.size(); begin += kRuns) {
    std::size_t keys = 0;
    const auto add = [&](Rng& rng, std::uint64_t seed, Stream stream) {
      hashes[keys] = HashKey(std::array<std::uint64_t, 4>{master_seed, identity_hash, seed,
                                                          static_cast<std::uint64_t>(stream)});
      rngs[keys++] = &rng;
    };
    for (std::size_t i = begin; i < std::min(out.size(), begin + kRuns); ++i) {
      const std::uint64_t seed = first_seed + i;
      add(out[i].noise, seed, Stream::kNoise);
      if (with_data) {
        add(out[i].data, seed, Stream::kData);
      } else {
        out[i].data = unkeyed;
      }
      add(out[i].iterate, seed, Stream::kIterate);
    }
    SeedRngs(std::span(hashes.data(), keys), std::span(rngs.data(), keys));
  }
}

Oracle::Oracle(const Problem& problem, const noise::NoiseModel* noise)
    : problem_(problem), noise_(noise) {
  // A problem's own oracle with additive noise on top: refused by ValidateRunConfig, a caller bug.
  Require(!(problem_.has_stochastic_oracle() && noise_ != nullptr),
          "Oracle: a problem with its own oracle and additive noise on top");
}

Oracle::Oracle(const Problem& problem, const noise::NoiseModel* noise,
               const OracleRequests& requests)
    : Oracle(problem, noise) {
  if (noise_ == nullptr || problem_.has_label_noise() || requests.total <= 0) return;
  const std::int64_t d = problem_.dim();
  const std::int64_t split = noise_->SplitRows(static_cast<int>(d));
  const std::int64_t chunk = std::min(requests.chunk, requests.batch);
  const std::int64_t last = requests.batch % chunk;
  // Drawing ahead is exact only if every call's row count is a multiple of the split (the calls
  // then cut the stream where the draws ahead may cut it), and pays only where a call is small.
  if (split <= 0 || chunk % split != 0 || last % split != 0 || chunk * d * 4 > kAheadValues) {
    return;
  }
  std::int64_t rows = std::max(chunk, kAheadValues / d / split * split);
  // No more than the run can use (rounded up to the split), so short runs draw no extra rows.
  rows = std::min(rows, (requests.total + split - 1) / split * split);
  ahead_.resize(rows, d);
  ahead_next_ = ahead_end_ = 0;  // empty: the first call draws
  ahead_left_ = requests.total;
}

void Oracle::RefillAhead(Rng& rng) {
  if (ahead_next_ < ahead_end_) return;
  // The last draw takes only the rows the run still asks for: at d = 3 and 1600 rows, full draws
  // of 1365 rows drew 2730. Those rows are a multiple of the split (the run's total and the
  // draws are), so they are the same bits as the first rows of a full draw.
  const Eigen::Index rows =
      ahead_left_ > 0 ? std::min<Eigen::Index>(ahead_.rows(), ahead_left_) : ahead_.rows();
  noise_->SampleBatch(rng, ahead_.topRows(rows));
  ahead_end_ = rows;
  ahead_next_ = 0;
  ahead_left_ -= rows;
}

void Oracle::DrawNoise(Rng& rng, Eigen::Ref<Batch> out, const double* plus) {
  const Eigen::Index d = out.cols();
  if (ahead_.rows() == 0) {
    noise_->SampleBatch(rng, out);
    if (plus != nullptr) {
      for (Eigen::Index k = 0; k < out.rows(); ++k) {
        double* g = out.row(k).data();
        for (Eigen::Index j = 0; j < d; ++j) g[j] += plus[j];
      }
    }
    return;
  }
  Eigen::Index done = 0;
  while (done < out.rows()) {
    RefillAhead(rng);
    const Eigen::Index take = std::min<Eigen::Index>(out.rows() - done, ahead_end_ - ahead_next_);
    // Rows of noise, plus `plus` where given, in one pass: noise + plus, the sum of the path
    // above (one addition, so the same bits).
    const double* e = ahead_.row(ahead_next_).data();
    if (plus == nullptr) {
      for (Eigen::Index k = 0; k < take; ++k) std::copy_n(e + k * d, d, out.row(done + k).data());
    } else if (d == 1 && out.outerStride() == 1) {
      double* g = out.row(done).data();
      const double p0 = plus[0];
      for (Eigen::Index k = 0; k < take; ++k) g[k] = e[k] + p0;
    } else {
      for (Eigen::Index k = 0; k < take; ++k) AddRow(e + k * d, plus, out.row(done + k).data(), d);
    }
    done += take;
    ahead_next_ += take;
  }
}

const double* Oracle::TakeAhead(Rng& rng, std::int64_t m) {
  if (ahead_.rows() == 0) return nullptr;
  RefillAhead(rng);
  if (ahead_end_ - ahead_next_ < m) return nullptr;
  const double* rows = ahead_.row(ahead_next_).data();
  ahead_next_ += m;
  return rows;
}

void Oracle::Sample(const Vector& x, const Vector& exact_gradient, RunStreams& streams,
                    Eigen::Ref<Batch> rows, Eigen::Ref<Batch> scratch) {
  const Eigen::Index m = rows.rows();
  const Eigen::Index d = rows.cols();
  if (problem_.has_stochastic_oracle()) {
    problem_.SampleOracle(x, exact_gradient, streams.noise, rows);
    return;
  }
  if (problem_.has_label_noise()) {
    problem_.SampleLabelled(x, noise_, streams.data, streams.noise, rows);
    return;
  }
  if (problem_.has_data()) {
    problem_.SampleGradients(x, streams.data, rows);
    if (noise_ == nullptr) return;
    auto xi = scratch.topRows(m);
    DrawNoise(streams.noise, xi, nullptr);
    for (Eigen::Index k = 0; k < m; ++k) {
      double* g = rows.row(k).data();
      const double* e = xi.row(k).data();
      for (Eigen::Index j = 0; j < d; ++j) g[j] += e[j];
    }
    return;
  }
  if (noise_ == nullptr) {
    for (Eigen::Index k = 0; k < m; ++k) rows.row(k) = exact_gradient.transpose();
    return;
  }
  DrawNoise(streams.noise, rows, exact_gradient.data());
}

}  // namespace clipsim::sim

// The stochastic first-order oracle: per-sample gradients g_k = grad f(x) + xi_k, one sample per
// row, with xi_k from the run's noise model and its noise stream. Problems with data draw one
// data point per row from the data stream instead (plus xi_k when the run has noise). Problems
// with a stochastic oracle of their own (Problem::has_stochastic_oracle, lower_bound_chain)
// answer every row themselves (Problem::SampleOracle) from the noise stream, and take no
// additive noise: their noise depends on x, and i.i.d. noise added to it would break the
// zero-respecting structure that makes them hard (ValidateRunConfig refuses the combination; the
// Oracle aborts on it, a caller bug). Streaming problems with label noise
// (Problem::has_label_noise, streaming_least_squares) draw a data point per row from the data
// stream and put one scalar draw of the noise law per row, from the noise stream, into its label
// (Problem::SampleLabelled).
//
// Streams (core/rng.hpp): a run's noise and data generators are keyed by
// (master seed, StableHash(NoiseStreamIdentity), seed, stream id) and never by the optimizer, so
// methods run on one seed see the same noise sequence as long as they draw the same numbers of
// rows in the same chunks (common random numbers).
#pragma once

#include <cstdint>
#include <span>

#include "clipsim/core/rng.hpp"
#include "clipsim/core/types.hpp"
#include "clipsim/noise/noise_model.hpp"
#include "clipsim/sim/problem.hpp"

namespace clipsim::sim {

// A run's random streams.
struct RunStreams {
  Rng noise;    // Stream::kNoise
  Rng data;     // Stream::kData
  Rng iterate;  // Stream::kIterate: the uniformly drawn output iterate R
};
// identity_hash: StableHash(NoiseStreamIdentity(config)). with_data = false leaves the data
// stream unkeyed (Boost's default seed), for runs that never draw from it (problems without data
// or labels): seeding a generator costs about as much as 20 steps of a scalar run.
RunStreams MakeRunStreams(std::uint64_t master_seed, std::uint64_t identity_hash,
                          std::uint64_t seed, bool with_data = true);
// Seeds out[i] in place to MakeRunStreams(master_seed, identity_hash, first_seed + i, with_data),
// bit for bit: the keys of all the runs go through batched SeedRngs calls, several times cheaper
// per key than MakeRng (seeding run by run was 15% of a sweep of short scalar runs).
void SeedRunStreams(std::uint64_t master_seed, std::uint64_t identity_hash,
                    std::uint64_t first_seed, bool with_data, std::span<RunStreams> out);

// The row counts a run asks the oracle for: calls of `chunk` rows, except the last call of each
// micro-batch of `batch` rows, which asks for batch mod chunk rows when that is not 0; `total`
// rows in all (the run's samples).
struct OracleRequests {
  std::int64_t batch = 0;
  std::int64_t chunk = 0;
  std::int64_t total = 0;
};

class Oracle {
 public:
  // noise may be null (no additive noise), and must be for a problem with its own oracle. Both
  // must outlive the oracle. Without `requests` every call draws its own noise.
  Oracle(const Problem& problem, const noise::NoiseModel* noise);
  // With `requests` (every later Sample call must ask for rows as they say), additive noise is
  // drawn ahead, up to kAheadValues values per draw, where the law's batches split at every
  // call's row count (NoiseModel::SplitRows): the same rows, bit for bit, as drawing per call,
  // for a fraction of the per-call cost at small dim (a batch of 16 scalars costs about as much
  // per call as it does per value). Allocates the buffer once.
  Oracle(const Problem& problem, const noise::NoiseModel* noise, const OracleRequests& requests);

  // Fills every row of `rows` (m x dim) with one sampled gradient at x. `exact_gradient` must be
  // grad f(x) (the run computes it once per iteration for its metrics; problems without data
  // reuse it). `scratch` has at least as many rows as `rows` and dim columns; it is used only
  // when a data problem also gets additive noise. No heap allocation.
  void Sample(const Vector& x, const Vector& exact_gradient, RunStreams& streams,
              Eigen::Ref<Batch> rows, Eigen::Ref<Batch> scratch);

  // For problems whose rows are grad f(x) + noise (no data, no oracle of their own): the next m
  // rows of noise drawn ahead, in place, where they lie in one piece (drawing ahead first when
  // every row drawn is handed out, as Sample would); nullptr, taking nothing, where they do not
  // (the rows straddle two draws, or nothing is drawn ahead): Sample then gives those rows.
  const double* TakeAhead(Rng& rng, std::int64_t m);

  bool needs_scratch() const { return noise_ != nullptr && problem_.has_data(); }
  // Rows of noise drawn per draw ahead; 0 where every call draws its own.
  std::int64_t ahead_rows() const { return ahead_.rows(); }

  // Values per draw ahead: 32 KB, in L1/L2 with the rest of a step's data.
  static constexpr std::int64_t kAheadValues = 4096;

 private:
  // out = the noise rows of one call (from the rows drawn ahead, or drawn now), plus the vector
  // `plus` (dim values) added to every row where it is not null.
  void DrawNoise(Rng& rng, Eigen::Ref<Batch> out, const double* plus);
  // Draws the next rows ahead once every row drawn ahead is handed out (DrawNoise, TakeAhead).
  void RefillAhead(Rng& rng);

  const Problem& problem_;
  const noise::NoiseModel* noise_;
  Batch ahead_;                  // room for the rows drawn ahead (0 rows: none)
  std::int64_t ahead_end_ = 0;   // rows of ahead_ drawn by the last draw
  std::int64_t ahead_next_ = 0;  // the first row of ahead_ not handed out yet
  std::int64_t ahead_left_ = 0;  // rows the run asks for beyond those drawn so far
};

}  // namespace clipsim::sim

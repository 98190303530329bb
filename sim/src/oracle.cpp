#include "clipsim/sim/oracle.hpp"

#include <cstdlib>

#include "clipsim/core/check.hpp"

namespace clipsim::sim {

RunStreams MakeRunStreams(std::uint64_t master_seed, std::uint64_t identity_hash,
                          std::uint64_t seed) {
  return RunStreams{
      MakeRng({master_seed, identity_hash, seed, static_cast<std::uint64_t>(Stream::kNoise)}),
      MakeRng({master_seed, identity_hash, seed, static_cast<std::uint64_t>(Stream::kData)}),
      MakeRng({master_seed, identity_hash, seed, static_cast<std::uint64_t>(Stream::kIterate)})};
}

Oracle::Oracle(const Problem& problem, const noise::NoiseModel* noise)
    : problem_(problem), noise_(noise) {
  // A problem's own oracle with additive noise on top: refused by ValidateRunConfig, a caller bug.
  Require(!(problem_.has_stochastic_oracle() && noise_ != nullptr),
          "Oracle: a problem with its own oracle and additive noise on top");
}

void Oracle::Sample(const Vector& x, const Vector& exact_gradient, RunStreams& streams,
                    Eigen::Ref<Batch> rows, Eigen::Ref<Batch> scratch) const {
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
    noise_->SampleBatch(streams.noise, xi);
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
  noise_->SampleBatch(streams.noise, rows);
  const double* grad = exact_gradient.data();
  for (Eigen::Index k = 0; k < m; ++k) {
    double* g = rows.row(k).data();
    for (Eigen::Index j = 0; j < d; ++j) g[j] += grad[j];
  }
}

}  // namespace clipsim::sim

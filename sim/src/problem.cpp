// What every Problem does unless its kind says otherwise (problem.hpp), and the one rule by which
// data problems draw a data point.
#include "clipsim/sim/problem.hpp"

#include <boost/random/uniform_int_distribution.hpp>

#include "clipsim/core/check.hpp"

namespace clipsim::sim {

double Problem::PointValue(int, const Vector&) const {
  Fail("Problem::PointValue: only data problems have data points");
}

void Problem::PointGradient(int, const Vector&, Eigen::Ref<Vector>) const {
  Fail("Problem::PointGradient: only data problems have data points");
}

void Problem::SampleOracle(const Vector&, const Vector&, Rng&, Eigen::Ref<Batch>) const {
  Fail("Problem::SampleOracle: only problems with their own oracle have one");
}

void Problem::SampleLabelled(const Vector&, const noise::NoiseModel*, Rng&, Rng&,
                             Eigen::Ref<Batch>) const {
  Fail("Problem::SampleLabelled: only streaming problems have labels");
}

void Problem::SampleGradients(const Vector& x, Rng&, Eigen::Ref<Batch> out) const {
  if (out.rows() == 0) return;
  Gradient(x, out.row(0).transpose());
  for (Eigen::Index k = 1; k < out.rows(); ++k) out.row(k) = out.row(0);
}

int DrawDataIndex(Rng& data_rng, int m) {
  return boost::random::uniform_int_distribution<int>(0, m - 1)(data_rng);
}

}  // namespace clipsim::sim
